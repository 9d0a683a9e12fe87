package nl.kennisbrug.analysis;

import java.util.regex.Pattern;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * {@code kennisbrug_apostrophe}: Dutch apostrophe plurals and genitives, cd's -> cd,
 * foto's -> foto, Anna's -> anna.
 *
 * <p>The standard tokenizer keeps "cd's" as one token, and no stemmer knows that the
 * apostrophe-s is only spelling. Only a trailing {@code 's} (straight or curly quote)
 * after a word is removed: "'s-Hertogenbosch" reaches us as the tokens [s,
 * hertogenbosch] and is left alone, as are "zo'n" and "m'n".
 */
@NamedComponent("kennisbrug_apostrophe")
public class ApostropheTokenFilterFactory implements TokenFilterFactory {
    private static final Pattern APOSTROPHE_S = Pattern.compile("^(\\p{L}[\\p{L}\\p{N}]*)['\u2019]s$");

    public ApostropheTokenFilterFactory() {}

    static TokenStream strip(TokenStream tokenStream) {
        return new PatternReplaceFilter(tokenStream, APOSTROPHE_S, "$1", false);
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return strip(tokenStream);
    }
}
