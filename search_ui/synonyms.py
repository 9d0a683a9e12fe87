"""Search-time synonyms, expanded by our query builder (multi-word entries included).

Sits between the parsed query (``syntax``) and the query builder (``query``).
Elasticsearch's ``simple_query_string`` splits on whitespace before analysis, so a
multi-word entry such as "den bosch" never reaches an analyzer's synonym filter as
one unit; and a word list inside an analyzer cannot be edited without a new
index. Here a ``SynonymSet`` (from the admin-edited table, see
``search_ui.synonym_store``; the starter list below when nothing was edited yet)
finds every entry in the typed words, longest first, and the query builder
turns each match into one *concept* with all its variants. Pure: no I/O.

Expansion is bounded (``MAX_VARIANTS`` per concept, ``MAX_EXPANDED`` in all, a
repeated concept counted once), so a query repeating a synonym many times stays
far below Elasticsearch's clause limit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from search_ui.stopwords import STOPWORDS

#: Most variants one concept may carry (the typed form first).
MAX_VARIANTS: Final = 6
#: Most variants added by expansion to one query, all concepts together.
MAX_EXPANDED: Final = 24
#: Longest entry, in words.
MAX_ENTRY_WORDS: Final = 6
_WORD: Final = re.compile(r"\w+")

#: The starter list for Dutch library work (a data file beside this module, so that place
#: names stay out of the code): each line one group of equivalents.
#: Abbreviations and full forms, informal and official place names, laws and their
#: everyday names, "bieb"-style short forms. Admins edit the live list in /beheer.
STARTER_LIST: Final = (Path(__file__).parent / "synonyms_starter.txt").read_text(encoding="utf-8")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower case without diacritics, apostrophes as separators: how entries are matched."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=4096)
def words_of(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text)))


@dataclass(frozen=True)
class Concept:
    """One position of the query: the typed words and, for a synonym, the other variants."""

    typed: str
    variants: tuple[str, ...]  # the typed form first; one entry when there is no synonym

    @property
    def expanded(self) -> bool:
        return len(self.variants) > 1


class SynonymSet:
    """Groups of equivalent terms, indexed by their folded word sequences."""

    def __init__(self, groups: Iterable[Sequence[str]] = ()) -> None:
        self.groups: list[tuple[str, ...]] = []
        self._index: dict[tuple[str, ...], int] = {}
        for group in groups:
            variants = tuple(dict.fromkeys(v.strip() for v in group if words_of(v)))
            if len(variants) < 2:
                continue
            self.groups.append(variants)
            for variant in variants:
                key = words_of(variant)
                if len(key) <= MAX_ENTRY_WORDS:
                    self._index.setdefault(key, len(self.groups) - 1)
        self.longest = max((len(k) for k in self._index), default=0)
        self._starts = frozenset(key[0] for key in self._index)  # quick "no entry here"

    @classmethod
    def parse(cls, text: str) -> SynonymSet:
        """One group per line, variants separated by commas; ``#`` starts a comment."""
        return cls(parse_lines(text))

    def __len__(self) -> int:
        return len(self.groups)

    def lookup(self, words: Sequence[str]) -> tuple[str, ...] | None:
        """The group of an entry spelled by ``words``; the last word may be a plural."""
        key = tuple(w for word in words for w in words_of(word))
        if not key:
            return None
        for last in _singulars(key[-1]):
            index = self._index.get((*key[:-1], last))
            if index is not None:
                return self.groups[index]
        return None

    def concepts(self, words: Sequence[str]) -> list[Concept]:
        """``words`` grouped into concepts, longest synonym entries first, bounded."""
        found: list[Concept] = []
        seen: set[tuple[str, ...]] = set()
        budget = MAX_EXPANDED
        i = 0
        while i < len(words):
            size, group = self._match_at(words, i)
            typed = " ".join(words[i : i + size])
            i += size
            key = words_of(typed)
            if key in seen or (group is None and all(w in STOPWORDS for w in key)):
                continue  # "bieb bieb bieb ...": one concept; stop words: none at all
            seen.add(key)
            if group is None or budget <= 0:
                found.append(Concept(typed, (typed,)))
                continue
            typed_forms = {(*key[:-1], last) for last in _singulars(key[-1])}
            others = [v for v in group if words_of(v) not in typed_forms]
            others = others[: min(MAX_VARIANTS - 1, budget)]
            budget -= len(others)
            found.append(Concept(typed, (typed, *others)))
        return found

    def _match_at(self, words: Sequence[str], start: int) -> tuple[int, tuple[str, ...] | None]:
        first = words_of(words[start])
        if not first or not any(f in self._starts for f in _singulars(first[0])):
            return 1, None
        for size in range(min(self.longest, len(words) - start), 0, -1):
            group = self.lookup(words[start : start + size])
            if group is not None:
                return size, group
        return 1, None


def _singulars(word: str) -> tuple[str, ...]:
    """``word`` and what it may be the plural of (boeken -> boek, cd's -> cd, e-readers)."""
    forms = [word]
    if word.endswith("en") and len(word) > 4:
        forms.append(word[:-2])
        if len(word) > 5 and word[-3] == word[-4]:
            forms.append(word[:-3])  # leesclubben is rare, but "bussen" -> "bus"
    if word.endswith("s") and len(word) > 3:
        forms.append(word[:-1])
    return tuple(forms)


def parse_lines(text: str) -> list[list[str]]:
    groups = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            groups.append([part.strip() for part in line.split(",") if part.strip()])
    return groups


def starter_set() -> SynonymSet:
    return SynonymSet.parse(STARTER_LIST)


EMPTY: Final = SynonymSet()
