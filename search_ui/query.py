"""Query building: a ``SearchParams`` plus its parsed staff syntax -> an ES request.

Sits between the request parsing (``params``, ``syntax``) and the backend call
(``backend``). Pure: nothing here talks to Elasticsearch, so every rule is unit
tested through ``to_dict()``. Field names come from ``indexer.mapping``. Every
part is a plain dict: building the request as ``elasticsearch.dsl`` objects and
turning them into a dict cost more than a millisecond per free-text search (the
overhead budget over Elasticsearch is two).

Facets are disjunctive: the selected facet values go into ``post_filter`` (they
narrow the hits but not the aggregations) and every facet is counted under the
filters of all *other* facets, so ticking one province leaves the other provinces'
counts as they were (OR within a facet, AND across facets).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from indexer.analysis import NL_TEXT
from indexer.mapping import (
    DID_YOU_MEAN_FIELD,
    PHRASE_BOOST_FIELDS,
    RESULT_FIELDS,
    SEARCH_FIELDS,
    SORT_NEWEST,
    TITLE_FIELDS,
)
from search_ui.params import FACETS, SearchParams
from search_ui.synonyms import EMPTY, Concept, SynonymSet, words_of
from search_ui.syntax import ParsedQuery, escape_term

#: Bucket sizes per facet; the page shows the first few and hides the rest behind
#: "meer tonen". Years are ordered newest first, everything else by count.
FACET_SIZES: Final = {"provincie": 5, "bron": 10, "type": 10, "trefwoord": 40, "jaar": 30}
SOURCE_FIELDS: Final[list[str | Any]] = list(RESULT_FIELDS)
#: The phrase-proximity boost: hits where the words stand close together rank up.
PROXIMITY_SLOP: Final = 3
#: Boosts of a free-text hit that has every word, the exact phrase, the words close.
ALL_WORDS_BOOST: Final = 3.0
PHRASE_BOOST: Final = 2.0
PROXIMITY_BOOST: Final = 1.0
#: Scores of the other fields count for this much next to the best field of a word.
TIE_BREAKER: Final = 0.3
SNIPPET_CHARS: Final = 180
_SQS_FLAGS: Final = "AND|OR|NOT|PHRASE|PREFIX|ESCAPE|WHITESPACE"
Clause = dict[str, Any]
#: Free-text clauses are analysed without the plugin's synonym filter: the synonyms
#: are expanded here, from the list admins edit, once. With the filter too, the
#: phrase boost of a query full of synonyms expanded into every combination of
#: them (thousands of phrases) and Elasticsearch refused it (too many clauses).
FREE_TEXT_ANALYZER: Final = NL_TEXT


def minimum_should_match(words: int) -> int:
    """All words of a one- or two-word query, most words (three in four) of a longer one."""
    return words if words <= 2 else max(2, (words * 3) // 4)


def concepts_needed(concepts: list[Concept]) -> int:
    """``minimum_should_match`` counted in words, applied to concepts.

    A synonym entry of several words ("bibliotheek op school") is one concept;
    the share of words a hit must have is kept, rounded down, at least one.
    """
    words = sum(len(c.typed.split()) for c in concepts)
    needed = minimum_should_match(words)
    if words == len(concepts):
        return needed
    return max(1, (len(concepts) * needed) // words)


def text_query(expression: str, fields: list[str]) -> Clause:
    """``simple_query_string``: AND by default, quoted phrases on the ``.exact`` subfields."""
    return {
        "simple_query_string": {
            "query": expression,
            "fields": fields,
            "default_operator": "and",
            "flags": _SQS_FLAGS,
            "quote_field_suffix": ".exact",
            "analyze_wildcard": False,
            "lenient": True,
        }
    }


def _variant_query(variant: str) -> Clause:
    """One form of a concept over the content fields; a multi-word form as a phrase."""
    if len(words_of(variant)) > 1:
        return {
            "multi_match": {
                "query": variant, "type": "phrase", "fields": list(SEARCH_FIELDS),
                "analyzer": FREE_TEXT_ANALYZER,
            }
        }  # fmt: skip
    return {
        "multi_match": {
            "query": variant,
            "type": "best_fields",
            "tie_breaker": TIE_BREAKER,
            "fields": list(SEARCH_FIELDS),
            "analyzer": FREE_TEXT_ANALYZER,
        }
    }


def concept_query(concept: Concept) -> Clause:
    """A typed word (or synonym entry) and its variants: any one of them counts."""
    if not concept.expanded:
        return _variant_query(concept.typed)
    queries = [_variant_query(v) for v in concept.variants]
    return {"dis_max": {"queries": queries, "tie_breaker": TIE_BREAKER}}


def _phrase(words: str, boost: float, slop: int = 0) -> Clause:
    clause: Clause = {
        "query": words, "type": "phrase", "fields": list(PHRASE_BOOST_FIELDS),
        "analyzer": FREE_TEXT_ANALYZER,
    }  # fmt: skip
    if slop:
        clause["slop"] = slop
    clause["boost"] = boost
    return {"multi_match": clause}


def free_text_query(concepts: list[Concept], *, minimum: int | None = None) -> Clause:
    """Ranking for plain words: most words must match; all words, phrase and proximity rank up.

    Stop words are no concepts (``SynonymSet.concepts`` leaves them out), so they
    never count against ``minimum_should_match``; a query of stop words alone
    finds nothing.
    """
    if not concepts:
        return {"match_none": {}}
    clauses = [concept_query(c) for c in concepts]
    if len(clauses) == 1:
        return clauses[0]
    needed = concepts_needed(concepts) if minimum is None else minimum
    words = " ".join(c.typed for c in concepts)
    boosts = [_phrase(words, PHRASE_BOOST), _phrase(words, PROXIMITY_BOOST, PROXIMITY_SLOP)]
    if needed < len(clauses):
        every = {
            "constant_score": {"filter": {"bool": {"filter": clauses}}, "boost": ALL_WORDS_BOOST}
        }
        boosts.insert(0, every)
    required = {"bool": {"should": clauses, "minimum_should_match": needed}}
    return {"bool": {"must": [required], "should": boosts}}


def staff_expression(
    parsed: ParsedQuery, synonyms: SynonymSet, concepts: list[Concept] | None = None
) -> str:
    """The staff syntax expression with synonym entries among its plain words expanded.

    A run of plain words that forms an entry becomes ``(typed | "other form" | ...)``;
    quoted forms search the exact subfields, like any typed phrase. ``concepts``: those
    of ``parsed.words`` when already known (without staff syntax the words are the one
    run of plain terms).
    """
    if concepts is not None and not parsed.staff:
        return " ".join(_sqs_concept(c) for c in concepts)
    out: list[str] = []
    terms = parsed.terms
    i = 0
    while i < len(terms):
        run: list[str] = []
        while i + len(run) < len(terms) and terms[i + len(run)][1] is not None:
            run.append(str(terms[i + len(run)][1]))
        if not run:
            out.append(terms[i][0])
            i += 1
            continue
        out.extend(_sqs_concept(concept) for concept in synonyms.concepts(run))
        i += len(run)
    return " ".join(out)


def _sqs_concept(concept: Concept) -> str:
    return _sqs_group(concept) if concept.expanded else _sqs_phrase(concept.typed)


def _sqs_phrase(text: str) -> str:
    """One form as a term, or as a quoted phrase when it analyses into several words."""
    words = [escape_term(w) for w in text.split()]
    return words[0] if len(words_of(text)) == 1 else '"' + " ".join(words) + '"'


def _sqs_group(concept: Concept) -> str:
    typed = " ".join(escape_term(w) for w in concept.typed.split())
    others = [_sqs_phrase(v) for v in concept.variants[1:]]
    return "(" + " | ".join([f"({typed})", *others]) + ")"


def base_query(
    parsed: ParsedQuery,
    synonyms: SynonymSet = EMPTY,
    *,
    minimum: int | None = None,
    concepts: list[Concept] | None = None,
) -> Clause:
    """The relevance query with the filters typed in the query (``bron:``, ``jaar:`` ...).

    Plain words get the free-text ranking (``free_text_query``); staff syntax
    (quotes, EN/OF/NIET, -word, word*, titel:) stays an exact AND query. ``concepts``:
    those of ``parsed.words`` when already known.
    """
    must: list[Clause] = []
    should: list[Clause] = []
    if parsed.text and not parsed.staff:
        if concepts is None:
            concepts = synonyms.concepts(parsed.words)
        must.append(free_text_query(concepts, minimum=minimum))
    elif parsed.text:
        must.append(text_query(staff_expression(parsed, synonyms), list(SEARCH_FIELDS)))
    if parsed.title:
        must.append(text_query(parsed.title, list(TITLE_FIELDS)))
    if parsed.staff and len(parsed.words) >= 2:
        proximity = _phrase(" ".join(parsed.words), PROXIMITY_BOOST, PROXIMITY_SLOP)
        should.append(proximity)
    filters = [_syntax_filter(facet, values) for facet, values in parsed.filters.items()]
    excludes = [_syntax_filter(facet, values) for facet, values in parsed.exclude.items()]
    if parsed.years is not None:
        low, high = parsed.years
        bounds = {k: v for k, v in (("gte", low), ("lte", high)) if v is not None}
        filters.append({"range": {"year": bounds}})
    if len(must) == 1 and not (should or filters or excludes):
        return must[0]
    if not (must or should or filters or excludes):
        return {"match_all": {}}
    found: Clause = {"must": must or [{"match_all": {}}]}
    for key, clauses in (("should", should), ("filter", filters), ("must_not", excludes)):
        if clauses:
            found[key] = clauses
    return {"bool": found}


def _syntax_filter(facet: str, values: list[str]) -> Clause:
    # Typed by hand, so case must not matter ("tag:ict" finds "ICT").
    field = FACETS[facet]
    if facet == "jaar":
        return {"terms": {field: [int(v) for v in values]}}
    clauses = [{"term": {field: {"value": v, "case_insensitive": True}}} for v in values]
    return (
        clauses[0]
        if len(clauses) == 1
        else {"bool": {"should": clauses, "minimum_should_match": 1}}
    )


def facet_filter(facet: str, values: tuple[str, ...]) -> Clause:
    field = FACETS[facet]
    if facet == "jaar":
        return {"terms": {field: [int(v) for v in values]}}
    return {"terms": {field: list(values)}}


def selection_filters(
    filters: Mapping[str, tuple[str, ...]], *, skip: str | None = None
) -> list[Clause]:
    return [facet_filter(f, vals) for f, vals in filters.items() if vals and f != skip]


def _and(clauses: list[Clause]) -> Clause:
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


def facet_aggs(params: SearchParams) -> dict[str, Clause]:
    """Every facet counted under the selections of the other facets (disjunctive)."""
    aggs = {}
    for facet, field in FACETS.items():
        terms: Clause = {"field": field, "size": FACET_SIZES[facet]}
        if facet == "jaar":
            terms["order"] = {"_key": "desc"}
        aggs[facet] = {
            "filter": _and(selection_filters(params.filters, skip=facet)),
            "aggs": {"values": {"terms": terms}},
        }
    return aggs


def sort_order(sort: str) -> list[Any]:
    newest = {SORT_NEWEST: {"order": "desc", "missing": "_last"}}
    if sort == "nieuwste":
        return [newest, "_score"]
    if sort == "oudste":
        return [{SORT_NEWEST: {"order": "asc", "missing": "_last"}}, "_score"]
    return ["_score", newest]


#: Highlight safely: ES escapes the text (encoder html); we add only ``<mark>``.
#: No ``matched_fields``: re-analysing the body for the exact and compound
#: subfields doubled the cost of a search; ``highlight_query`` below puts the
#: typed phrases on the main fields instead, so they are marked all the same.
HIGHLIGHT: Final[Clause] = {
    "encoder": "html",
    "pre_tags": ["<mark>"],
    "post_tags": ["</mark>"],
    "fields": {
        "title": {"number_of_fragments": 0},
        "body": {
            "fragment_size": SNIPPET_CHARS,
            "number_of_fragments": 2,
            "no_match_size": SNIPPET_CHARS,
        },
    },
}


def highlight_for(
    parsed: ParsedQuery, synonyms: SynonymSet = EMPTY, concepts: list[Concept] | None = None
) -> Clause:
    """``HIGHLIGHT`` with a query that marks any typed word or phrase in title and body,
    and the synonyms of the list that the search expanded them to."""
    text = staff_expression(parsed, synonyms, concepts) if parsed.text and synonyms else parsed.text
    expression = " ".join(e for e in (text, parsed.title) if e)
    query = {
        "simple_query_string": {
            "query": expression,
            "fields": ["title", "body"],
            "default_operator": "or",
            "flags": _SQS_FLAGS,
            "lenient": True,
        }
    }
    return {**HIGHLIGHT, "highlight_query": query}


def did_you_mean(text: str) -> Clause:
    """Phrase suggester on the shingle subfield.

    No ``collate``: it needs the mustache script engine, which the minimal
    distribution lacks; ``searching`` counts the suggestion's hits instead.
    """
    # "missing": a word found in the index is never replaced, only unknown ones are.
    generator = {"field": DID_YOU_MEAN_FIELD, "suggest_mode": "missing", "min_word_length": 3}
    phrase = {
        "field": DID_YOU_MEAN_FIELD,
        "size": 1,
        "gram_size": 3,
        "max_errors": 2,
        "confidence": 1.0,
        "direct_generator": [generator],
    }
    return {"bedoelde": {"text": text, "phrase": phrase}}


@dataclass(frozen=True)
class RequestBody:
    """A search request body built as plain dicts (``to_dict`` hands it over as is).

    Not an ``elasticsearch.dsl.Search``: turning a DSL tree into a dict walks every
    node and cost more than a millisecond for a free-text query with synonyms.
    """

    index: str
    body: Clause

    def to_dict(self) -> Clause:
        return self.body


def build_search(
    params: SearchParams,
    parsed: ParsedQuery,
    *,
    index: str,
    highlight: bool = True,
    facets: bool = True,
    suggest: bool = True,
    synonyms: SynonymSet = EMPTY,
) -> RequestBody:
    """The whole results request: hits, facets, highlight and "bedoelde u"."""
    # The free-text words as concepts, once: the query and the highlight both need them.
    concepts = synonyms.concepts(parsed.words) if parsed.text and not parsed.staff else None
    body: Clause = {
        "query": base_query(parsed, synonyms, concepts=concepts),
        "sort": sort_order(params.sort),
        "_source": SOURCE_FIELDS,
        "from": params.offset,
        "size": params.size,
        "track_total_hits": True,
    }
    selected = selection_filters(params.filters)
    if selected:
        body["post_filter"] = _and(selected)
    if facets:
        body["aggs"] = facet_aggs(params)
    if highlight and parsed.has_text:
        body["highlight"] = highlight_for(parsed, synonyms, concepts)
    if suggest and parsed.words:
        body["suggest"] = did_you_mean(parsed.plain)
    return RequestBody(index=index, body=body)


def count_search(
    params: SearchParams, parsed: ParsedQuery, *, index: str, synonyms: SynonymSet = EMPTY
) -> RequestBody:
    """Only the number of hits of a search (for "bedoelde u" and zero-results help)."""
    query = base_query(parsed, synonyms)
    selected = selection_filters(params.filters)
    if selected:
        if "bool" in query:
            inner = dict(query["bool"])
            inner["filter"] = [*inner.get("filter", []), _and(selected)]
            query = {"bool": inner}
        else:
            query = {"bool": {"must": [query], "filter": [_and(selected)]}}
    return RequestBody(index=index, body={"query": query, "size": 0, "track_total_hits": True})
