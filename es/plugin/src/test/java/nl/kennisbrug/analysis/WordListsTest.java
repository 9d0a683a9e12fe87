package nl.kennisbrug.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WordListsTest {
    @Test
    void normalisesLikeTheTokenChain() {
        assertEquals("belgie", WordLists.normalise("België"));
        assertEquals("cafe", WordLists.normalise("Café"));
    }

    @Test
    void listsLoadFromTheJar() {
        assertTrue(WordLists.stopwords().contains("het"));
        assertTrue(WordLists.compoundParts().size() > 250);
        assertTrue(WordLists.protectedWords().contains("cubiss"));
        assertTrue(WordLists.synonyms().words.size() > 0);
    }
}
