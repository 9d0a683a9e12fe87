package nl.kennisbrug.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * Analyses the two sides of each synonym rule the way {@code nl_search} analyses the
 * query up to the synonym filter: standard tokenizer, lower case, apostrophe plurals,
 * folding. Without this, a rule written as "'s-Hertogenbosch" could never match the
 * tokens [s, hertogenbosch] that the query actually produces.
 */
final class SynonymRuleAnalyzer extends Analyzer {
    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        StandardTokenizer tokenizer = new StandardTokenizer();
        TokenStream stream = new LowerCaseFilter(tokenizer);
        stream = ApostropheTokenFilterFactory.strip(stream);
        stream = new ASCIIFoldingFilter(stream);
        return new TokenStreamComponents(tokenizer, stream);
    }
}
