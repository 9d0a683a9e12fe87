package nl.kennisbrug.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.lucene.analysis.TokenStream;
import org.elasticsearch.plugin.analysis.AnalysisMode;
import org.junit.jupiter.api.Test;

class FiltersTest {
    private final FoldTokenFilterFactory fold = new FoldTokenFilterFactory();
    private final ApostropheTokenFilterFactory apostrophe = new ApostropheTokenFilterFactory();
    private final StopTokenFilterFactory stop = new StopTokenFilterFactory();
    private final StemTokenFilterFactory stem = new StemTokenFilterFactory();
    private final DecompoundTokenFilterFactory decompound = new DecompoundTokenFilterFactory();
    private final SynonymsTokenFilterFactory synonyms = new SynonymsTokenFilterFactory();

    /** The nl_text chain of indexer/analysis.py. */
    private List<String> text(String input) {
        return Tokens.of(input, ts -> stem.create(stop.create(fold.create(apostrophe.create(ts)))));
    }

    /** The nl_search chain: synonyms before stop words and stemming. */
    private List<String> search(String input) {
        return Tokens.of(
            input,
            ts -> stem.create(stop.create(synonyms.create(fold.create(apostrophe.create(ts)))))
        );
    }

    /** The nl_compound chain. */
    private List<String> compound(String input) {
        return Tokens.of(input, ts -> stem.create(stop.create(decompound.create(fold.create(ts)))));
    }

    @Test
    void namesComeFromTheAnnotation() {
        assertEquals("kennisbrug_fold", fold.name());
        assertEquals("kennisbrug_stem", stem.name());
        assertEquals(AnalysisMode.SEARCH_TIME, synonyms.getAnalysisMode());
    }

    @Test
    void foldsDiacritics() {
        assertEquals(List.of("efficienter", "ideeen", "belgie"), Tokens.of("efficiënter ideeën België", fold::create));
        // normalize() is the path of keyword normalizers and wildcard/prefix terms.
        assertEquals(List.of("belgie", "ideeen"), Tokens.of("belgië ideeën", ts -> fold.normalize(ts)));
    }

    @Test
    void stripsApostrophePluralsOnly() {
        assertEquals(List.of("cd", "foto", "auto", "zo'n"), Tokens.of("cd's foto's auto’s zo'n", apostrophe::create));
        assertEquals(List.of("s", "hertogenbosch"), Tokens.of("'s-Hertogenbosch", apostrophe::create));
    }

    @Test
    void pluralsAndSingularsMeet() {
        assertEquals(text("bibliotheek"), text("bibliotheken"));
        assertEquals(text("provincie"), text("provincies"));
        assertEquals(text("fiets"), text("fietsen"));
        assertEquals(List.of("fiets"), text("fiets"));
        assertEquals(text("foto"), text("foto's"));
        assertEquals(text("cd"), text("cd's"));
        assertEquals(text("idee"), text("ideeën"));
        assertEquals(text("lezen"), text("leest"));
        assertEquals(text("lezen"), text("las"));
    }

    @Test
    void protectedNamesAreNotStemmed() {
        assertEquals(List.of("cubiss", "eindhoven"), text("Cubiss Eindhoven"));
    }

    @Test
    void dropsStopWords() {
        assertEquals(text("bieb toekomst"), text("de bieb van de toekomst"));
    }

    @Test
    void searchSynonyms() {
        assertTrue(search("bieb").containsAll(text("bibliotheek")));
        List<String> denBosch = search("Den Bosch");
        assertTrue(denBosch.containsAll(text("'s-Hertogenbosch")), denBosch.toString());
        assertTrue(search("mediawijs").containsAll(text("mediawijsheid")));
    }

    @Test
    void decompounds() {
        List<String> lees = compound("leesbevordering");
        assertTrue(lees.containsAll(text("lees bevordering")), lees.toString());
        List<String> bieb = compound("bibliotheekvernieuwing");
        assertTrue(bieb.containsAll(text("bibliotheek vernieuwing")), bieb.toString());
        List<String> samen = compound("samenwerkingsovereenkomst");
        assertTrue(samen.containsAll(text("samenwerking overeenkomst")), samen.toString());
        // A part inside a longer part is not added, and a listed word is not doubled.
        assertEquals(text("netwerk"), compound("netwerk"));
    }
}
