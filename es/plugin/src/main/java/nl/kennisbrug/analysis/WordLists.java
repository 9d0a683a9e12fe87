package nl.kennisbrug.analysis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.StemmerOverrideFilter;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymMap;

/**
 * The word lists of es/wordlists, read from the plugin jar once and shared.
 *
 * <p>Entries are normalised here exactly as tokens are before they reach our filters
 * (lower case, diacritics folded), so the files may be written in plain Dutch
 * spelling ("ideeën", "België") and still match. The parsed structures are immutable
 * and safe to share between every index and thread; the holder classes make loading
 * lazy and happen once per node.
 */
final class WordLists {
    static final String COMPOUND_PARTS = "compound_parts.txt";
    static final String STOPWORDS = "stopwords.txt";
    static final String STEM_OVERRIDES = "stem_overrides.txt";
    static final String PROTECTED_WORDS = "protected_words.txt";
    static final String SYNONYMS = "synonyms.txt";

    private WordLists() {}

    static CharArraySet stopwords() {
        return Stop.SET;
    }

    static CharArraySet compoundParts() {
        return Parts.SET;
    }

    static CharArraySet protectedWords() {
        return Protected.SET;
    }

    static StemmerOverrideFilter.StemmerOverrideMap stemOverrides() {
        return Overrides.MAP;
    }

    static SynonymMap synonyms() {
        return Synonyms.MAP;
    }

    /** Lower case and fold diacritics, as the token chain does before our filters run. */
    static String normalise(String word) {
        char[] in = word.toLowerCase(Locale.ROOT).toCharArray();
        // Folding can grow a char into up to four (e.g. "ﬃ" -> "ffi").
        char[] out = new char[in.length * 4];
        int len = ASCIIFoldingFilter.foldToASCII(in, 0, out, 0, in.length);
        return new String(out, 0, len);
    }

    /** Non-blank lines without comments ({@code #} to end of line), trimmed. */
    static List<String> lines(String resource) {
        List<String> result = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(open(resource))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int hash = line.indexOf('#');
                String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (text.isEmpty() == false) {
                    result.add(text);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read word list " + resource, e);
        }
        return result;
    }

    static CharArraySet wordSet(String resource) {
        List<String> words = lines(resource);
        CharArraySet set = new CharArraySet(words.size(), false);
        for (String word : words) {
            set.add(normalise(word));
        }
        return CharArraySet.unmodifiableSet(set);
    }

    /** Lines of the form {@code form, form, ... => stem}. */
    static StemmerOverrideFilter.StemmerOverrideMap overrideMap(String resource) {
        StemmerOverrideFilter.Builder builder = new StemmerOverrideFilter.Builder(false);
        for (String line : lines(resource)) {
            int arrow = line.indexOf("=>");
            if (arrow < 0) {
                throw new IllegalArgumentException(resource + ": expected 'forms => stem' in: " + line);
            }
            String stem = normalise(line.substring(arrow + 2).strip());
            for (String form : line.substring(0, arrow).split(",")) {
                String normalised = normalise(form.strip());
                if (normalised.isEmpty() == false) {
                    builder.add(normalised, stem);
                }
            }
        }
        try {
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build stem overrides from " + resource, e);
        }
    }

    /**
     * Solr-format synonyms ({@code a, b, c} or {@code a => b}), each side analysed by the
     * same tokenizer and normalisation as the search text, so multi-word entries such as
     * "'s-hertogenbosch" become the token sequence the query will contain.
     */
    static SynonymMap synonymMap(String resource) {
        StringBuilder text = new StringBuilder();
        for (String line : lines(resource)) {
            text.append(line).append('\n');
        }
        try (SynonymRuleAnalyzer analyzer = new SynonymRuleAnalyzer()) {
            SolrSynonymParser parser = new SolrSynonymParser(true, true, analyzer);
            parser.parse(new StringReader(text.toString()));
            return parser.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read synonyms " + resource, e);
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad synonym rule in " + resource + ": " + e.getMessage(), e);
        }
    }

    private static Reader open(String resource) {
        InputStream stream = WordLists.class.getResourceAsStream(resource);
        if (stream == null) {
            throw new IllegalStateException("word list " + resource + " is missing from the plugin jar");
        }
        return new InputStreamReader(stream, StandardCharsets.UTF_8);
    }

    private static final class Stop {
        static final CharArraySet SET = wordSet(STOPWORDS);
    }

    private static final class Parts {
        static final CharArraySet SET = wordSet(COMPOUND_PARTS);
    }

    private static final class Protected {
        static final CharArraySet SET = wordSet(PROTECTED_WORDS);
    }

    private static final class Overrides {
        static final StemmerOverrideFilter.StemmerOverrideMap MAP = overrideMap(STEM_OVERRIDES);
    }

    private static final class Synonyms {
        static final SynonymMap MAP = synonymMap(SYNONYMS);
    }
}
