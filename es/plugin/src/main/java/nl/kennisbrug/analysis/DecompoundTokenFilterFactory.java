package nl.kennisbrug.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.compound.DictionaryCompoundWordTokenFilter;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * {@code kennisbrug_decompound}: keeps the compound and adds its known parts at the same
 * position, e.g. leesbevordering -> leesbevordering, lees, bevordering.
 *
 * <p>Dutch writes compounds as one word, so a search for "bevordering" would otherwise
 * miss "leesbevordering". The parts come from es/wordlists/compound_parts.txt. The
 * linking -s- (samenwerking-s-overeenkomst) and -e(n)- need no rule: the dictionary
 * filter looks for known parts at every offset and simply skips the letters between them.
 * With "only longest match" a part that lies inside a longer known part is not added,
 * so "overeenkomst" does not also yield "komst" and "netwerk" not "werk". A word that
 * is itself a listed part would come out twice at one position; the duplicate is
 * dropped so it does not count double in scoring.
 */
@NamedComponent("kennisbrug_decompound")
public class DecompoundTokenFilterFactory implements TokenFilterFactory {
    /** Shorter words are hardly ever compounds worth splitting ("leesclub" is 8). */
    static final int MIN_WORD_SIZE = 7;
    /** Shortest part: four letters ("lees", "bieb", "taal"); three-letter parts hide in too many words. */
    static final int MIN_SUBWORD_SIZE = 4;
    static final int MAX_SUBWORD_SIZE = 20;

    public DecompoundTokenFilterFactory() {}

    @Override
    public TokenStream create(TokenStream tokenStream) {
        TokenStream parts = new DictionaryCompoundWordTokenFilter(
            tokenStream,
            WordLists.compoundParts(),
            MIN_WORD_SIZE,
            MIN_SUBWORD_SIZE,
            MAX_SUBWORD_SIZE,
            true
        );
        return new RemoveDuplicatesTokenFilter(parts);
    }
}
