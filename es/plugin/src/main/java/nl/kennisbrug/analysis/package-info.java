/**
 * Kennisbrug's Dutch analysis components, registered with Elasticsearch through the
 * stable plugin API (see {@code named_components.json}).
 *
 * <p>Where this sits in the data flow: the indexer creates the {@code kennisbrug-*}
 * index with analyzers (indexer/analysis.py) that chain these token filters after the
 * server's own standard tokenizer and lowercase filter. Every factory is a thin shell
 * around Lucene's own filters; the Dutch knowledge lives in the word lists under
 * {@code es/wordlists}, shipped inside the jar and loaded once by {@link
 * nl.kennisbrug.analysis.WordLists}.
 */
package nl.kennisbrug.analysis;
