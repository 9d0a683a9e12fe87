package nl.kennisbrug.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.AnalysisMode;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * {@code kennisbrug_synonyms}: everyday library synonyms (bieb = bibliotheek, Den Bosch =
 * 's-Hertogenbosch) from es/wordlists/synonyms.txt, expanded at search time only.
 *
 * <p>Search time because a graph filter cannot be indexed faithfully and because a
 * changed list then needs no reindex. Elasticsearch enforces this: an analyzer holding
 * this filter is accepted only as a search analyzer.
 */
@NamedComponent("kennisbrug_synonyms")
public class SynonymsTokenFilterFactory implements TokenFilterFactory {
    public SynonymsTokenFilterFactory() {}

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return new SynonymGraphFilter(tokenStream, WordLists.synonyms(), true);
    }

    @Override
    public AnalysisMode getAnalysisMode() {
        return AnalysisMode.SEARCH_TIME;
    }
}
