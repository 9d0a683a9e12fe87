package nl.kennisbrug.analysis;

import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * {@code kennisbrug_stop}: drops Dutch function words (de, het, een, van, 's, den ...)
 * from es/wordlists/stopwords.txt, so that "bieb van de toekomst" ranks on "bieb" and
 * "toekomst". The list is written folded-insensitive: entries are normalised on load.
 */
@NamedComponent("kennisbrug_stop")
public class StopTokenFilterFactory implements TokenFilterFactory {
    public StopTokenFilterFactory() {}

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return new StopFilter(tokenStream, WordLists.stopwords());
    }
}
