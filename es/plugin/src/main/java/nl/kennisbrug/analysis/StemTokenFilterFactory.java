package nl.kennisbrug.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.SetKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.StemmerOverrideFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;
import org.tartarus.snowball.ext.DutchStemmer;

/**
 * {@code kennisbrug_stem}: Snowball Dutch stemming, corrected by two word lists.
 *
 * <ol>
 *   <li>protected_words.txt marks words the stemmer must not touch (names of systems
 *       and places such as "ekic", "cubiss", "limburg");
 *   <li>stem_overrides.txt maps every listed form of a lemma to one stem, for the
 *       library words where the algorithm disagrees with itself (bibliotheek /
 *       bibliotheken, provincie / provincies, lezen / leest / las);
 *   <li>everything else goes through the Snowball Dutch stemmer. Lucene's Kraaij-Pohlmann
 *       ("KP") stemmer is deliberately not used: under Elasticsearch 9 it emits no tokens.
 * </ol>
 *
 * <p>Both earlier steps set the keyword attribute, which the Snowball filter respects.
 */
@NamedComponent("kennisbrug_stem")
public class StemTokenFilterFactory implements TokenFilterFactory {
    public StemTokenFilterFactory() {}

    @Override
    public TokenStream create(TokenStream tokenStream) {
        TokenStream stream = new SetKeywordMarkerFilter(tokenStream, WordLists.protectedWords());
        stream = new StemmerOverrideFilter(stream, WordLists.stemOverrides());
        // A stemmer instance keeps per-word state, so each stream gets its own.
        return new SnowballFilter(stream, new DutchStemmer());
    }
}
