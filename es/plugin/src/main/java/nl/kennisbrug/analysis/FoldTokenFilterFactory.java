package nl.kennisbrug.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * {@code kennisbrug_fold}: efficiënter = efficienter, ideeën = ideeen, België = Belgie.
 *
 * <p>Staff type without the trema as often as with it, and the older eKIC pages were
 * written in windows-1252 where some accents went missing, so both spellings must meet.
 */
@NamedComponent("kennisbrug_fold")
public class FoldTokenFilterFactory implements TokenFilterFactory {
    public FoldTokenFilterFactory() {}

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return new ASCIIFoldingFilter(tokenStream);
    }

    /** Also fold prefix and wildcard terms, so "belg*" finds "België". */
    @Override
    public TokenStream normalize(TokenStream tokenStream) {
        return new ASCIIFoldingFilter(tokenStream);
    }
}
