"""The staff search syntax, parsed in Python before anything reaches Elasticsearch.

Sits between the search box and the query builder. Staff may type::

    leesclub "bieb van de toekomst" -jeugd titel:beleidsplan tag:ICT
    bron:eKIC provincie:<a configured province> type:dossier jaar:2009..2011 (or jaar:2009-2011)
    mediawijsheid OF mediaopvoeding NIET jeugd     (also AND/OR/NOT)

Field terms become filters or a title clause; everything else becomes one
``simple_query_string`` expression with every special character escaped except
the operators we put there ourselves, so no input can make the query fail.
Upper-case EN/OF/NIET are operators; lower-case "en", "of" and "niet" are words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from core.provinces import Provinces
from search_ui.params import normalise_filter

TOKEN: Final = re.compile(r'(-?)(?:([^\W\d_]+):)?(?:"([^"]*)"?|([^\s"]+))')
_SPECIAL: Final = re.compile(r'([+|"()~*\\\-<>=!{}\[\]^:/&])')
YEARS: Final = re.compile(r"^(\d{4})?(?:(?:\.\.|-)(\d{4})?)?$")
_AND: Final = frozenset({"EN", "AND"})
_OR: Final = frozenset({"OF", "OR"})
_NOT: Final = frozenset({"NIET", "NOT"})
#: Field prefixes staff may use (Dutch first, English accepted) -> filter facet.
_FILTER_FIELDS: Final = {
    "tag": "trefwoord",
    "trefwoord": "trefwoord",
    "bron": "bron",
    "source": "bron",
    "provincie": "provincie",
    "type": "type",
}
_TITLE_FIELDS: Final = frozenset({"titel", "title"})
_YEAR_FIELDS: Final = frozenset({"jaar", "year"})
#: Upper bound of terms handed to Elasticsearch (each one becomes clauses per field).
MAX_TERMS: Final = 32


@dataclass(kw_only=True)
class ParsedQuery:
    """What a query string means: text expressions, filters and a year range."""

    text: str = ""  # simple_query_string expression over the content fields
    title: str = ""  # expression for titel: terms, over the title only
    words: list[str] = field(default_factory=list)  # positive plain words, for proximity
    filters: dict[str, list[str]] = field(default_factory=dict)
    exclude: dict[str, list[str]] = field(default_factory=dict)
    years: tuple[int | None, int | None] | None = None
    #: The text expression as terms: (rendered term, the plain word or None). Plain
    #: words are where synonyms may be expanded inside staff syntax.
    terms: list[tuple[str, str | None]] = field(default_factory=list)
    #: Staff syntax was used (quotes, EN/OF/NIET, -word, word*, titel:): exact AND query.
    staff: bool = False
    #: Typed filter values that can never match ("type:foo"): (facet, value as typed).
    unknown: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        return bool(self.text or self.title)

    @property
    def plain(self) -> str:
        """The free words only, for "bedoelde u" and "minder woorden"."""
        return " ".join(self.words)


@dataclass
class _State:
    parsed: ParsedQuery
    text: list[tuple[str, str | None]] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    negate_next: bool = False
    terms: int = 0
    provinces: Provinces | None = None


def parse_query(query: str, provinces: Provinces | None = None) -> ParsedQuery:
    """Parse staff syntax; never raises, whatever ``query`` holds.

    ``provinces`` (the configured ones) turns any spelling in ``provincie:`` into its label.
    """
    state = _State(ParsedQuery(), provinces=provinces)
    for match in TOKEN.finditer(query):
        if state.terms >= MAX_TERMS:
            break
        minus, prefix, phrase, word = match.groups()
        _consume(state, minus == "-", prefix, phrase, word)
    while state.text and state.text[-1][0] == "|":
        state.text.pop()  # a dangling "|" (e.g. "leesclub OF") would mean nothing
    state.parsed.terms = state.text
    state.parsed.text = " ".join(term for term, _ in state.text)
    state.parsed.title = _join(state.title)
    return state.parsed


def _consume(
    state: _State, minus: bool, prefix: str | None, phrase: str | None, word: str | None
) -> None:
    if prefix is None and phrase is None and word in _AND | _OR | _NOT and not minus:
        if word in _OR and state.text and state.text[-1][0] != "|":
            state.text.append(("|", None))
        state.parsed.staff = True
        state.negate_next = state.negate_next or word in _NOT
        return
    negate = minus or state.negate_next
    state.negate_next = False
    if negate or phrase is not None or (word or "").endswith("*"):
        state.parsed.staff = True
    key = (prefix or "").lower()
    value = phrase if phrase is not None else (word or "")
    if key in _FILTER_FIELDS and value.strip():
        _add_filter(state.parsed, _FILTER_FIELDS[key], value, negate, state.provinces)
    elif key in _YEAR_FIELDS:
        if not _set_years(state.parsed, value):
            state.parsed.unknown.append(("jaar", value))
    elif key in _TITLE_FIELDS and value.strip():
        state.parsed.staff = True
        state.title.append(_term(value, phrase is not None, negate))
    else:
        if prefix is not None and phrase is None:
            value = f"{prefix}:{value}"  # "12:30", "http://..." or an unknown field: a word
        _add_text(state, value, phrase is not None, negate)
        return
    state.terms += 1


def _add_text(state: _State, value: str, is_phrase: bool, negate: bool) -> None:
    term = _term(value, is_phrase, negate)
    if not term:
        return
    plain = not negate and not is_phrase and not term.endswith("*")
    state.text.append((term, value if plain else None))
    state.terms += 1
    if not negate and not is_phrase and term.strip("*"):
        state.parsed.words.append(value.rstrip("*"))


def _term(value: str, is_phrase: bool, negate: bool) -> str:
    if is_phrase:
        inner = " ".join(escape_term(w) for w in value.split())
        body = f'"{inner}"' if inner else ""
    else:
        prefix = value.endswith("*") and len(value.rstrip("*")) >= 2
        body = escape_term(value.rstrip("*")) + ("*" if prefix else "")
    if not body:
        return ""
    return f"-{body}" if negate else body


def escape_term(text: str) -> str:
    """``text`` as one literal simple_query_string term (every operator escaped)."""
    # Most words hold no operator; ``sub`` would still parse its template on every call.
    return _SPECIAL.sub(r"\\\1", text) if _SPECIAL.search(text) else text


def _join(parts: list[str]) -> str:
    # A dangling "|" (e.g. "leesclub OF") would mean nothing; drop it.
    while parts and parts[-1] == "|":
        parts.pop()
    return " ".join(parts)


def _add_filter(
    parsed: ParsedQuery, facet: str, typed: str, negate: bool, provinces: Provinces | None
) -> None:
    value = normalise_filter(facet, typed, provinces)
    if not value:
        parsed.unknown.append((facet, typed))
        return
    target = parsed.exclude if negate else parsed.filters
    values = target.setdefault(facet, [])
    if value not in values:
        values.append(value)


def _set_years(parsed: ParsedQuery, value: str) -> bool:
    match = YEARS.match(value)
    if not match or not any(match.groups()):
        return False
    low, high = match.groups()
    if ".." not in value and "-" not in value:
        high = low
    bounds = (int(low) if low else None, int(high) if high else None)
    if bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
        bounds = (bounds[1], bounds[0])
    parsed.years = bounds
    return True
