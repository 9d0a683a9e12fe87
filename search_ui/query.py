"""Query building: a ``SearchParams`` plus its parsed staff syntax -> an ES request.

Sits between the request parsing (``params``, ``syntax``) and the backend call
(``backend``). Pure: nothing here talks to Elasticsearch, so every rule is unit
tested through ``Search.to_dict()``. Field names come from ``indexer.mapping``.

Facets are disjunctive: the selected facet values go into ``post_filter`` (they
narrow the hits but not the aggregations) and every facet is counted under the
filters of all *other* facets, so ticking Limburg leaves Noord-Brabant's count as
it was (OR within a facet, AND across facets).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from elasticsearch.dsl import Q, Search
from elasticsearch.dsl.query import Query

from indexer.mapping import DID_YOU_MEAN_FIELD, SEARCH_FIELDS, SORT_NEWEST
from search_ui.params import FACETS, SearchParams
from search_ui.syntax import ParsedQuery

#: Bucket sizes per facet; the page shows the first few and hides the rest behind
#: "meer tonen". Years are ordered newest first, everything else by count.
FACET_SIZES: Final = {"provincie": 5, "bron": 10, "type": 10, "trefwoord": 40, "jaar": 30}
SOURCE_FIELDS: Final[list[str | Any]] = [
    "title", "url", "provincie", "source", "type", "published", "tags", "summary", "author",
]  # fmt: skip
TITLE_FIELDS: Final = ["title^2", "title.compound^0.3"]
#: The phrase-proximity boost: hits where the words stand close together rank up.
PROXIMITY_SLOP: Final = 3
PROXIMITY_FIELDS: Final = ["title^2", "body"]
SNIPPET_CHARS: Final = 180
_SQS_FLAGS: Final = "AND|OR|NOT|PHRASE|PREFIX|ESCAPE|WHITESPACE"


def text_query(expression: str, fields: list[str]) -> Query:
    """``simple_query_string``: AND by default, quoted phrases on the ``.exact`` subfields."""
    return Q(
        "simple_query_string",
        query=expression,
        fields=fields,
        default_operator="and",
        flags=_SQS_FLAGS,
        quote_field_suffix=".exact",
        analyze_wildcard=False,
        lenient=True,
    )


def base_query(parsed: ParsedQuery) -> Query:
    """The relevance query with the filters typed in the query (``bron:``, ``jaar:`` ...)."""
    must: list[Query] = []
    should: list[Query] = []
    if parsed.text:
        must.append(text_query(parsed.text, list(SEARCH_FIELDS)))
    if parsed.title:
        must.append(text_query(parsed.title, TITLE_FIELDS))
    if len(parsed.words) >= 2:
        should.append(
            Q(
                "multi_match",
                query=" ".join(parsed.words),
                type="phrase",
                slop=PROXIMITY_SLOP,
                fields=PROXIMITY_FIELDS,
            )
        )
    filters = [_syntax_filter(facet, values) for facet, values in parsed.filters.items()]
    excludes = [_syntax_filter(facet, values) for facet, values in parsed.exclude.items()]
    if parsed.years is not None:
        low, high = parsed.years
        bounds = {k: v for k, v in (("gte", low), ("lte", high)) if v is not None}
        filters.append(Q("range", year=bounds))
    if not (must or should or filters or excludes):
        return Q("match_all")
    return Q(
        "bool",
        must=must or [Q("match_all")],
        should=should,
        filter=filters,
        must_not=excludes,
    )


def _syntax_filter(facet: str, values: list[str]) -> Query:
    # Typed by hand, so case must not matter ("tag:ict" finds "ICT").
    field = FACETS[facet]
    if facet == "jaar":
        return Q("terms", **{field: [int(v) for v in values]})
    clauses = [Q("term", **{field: {"value": v, "case_insensitive": True}}) for v in values]
    return clauses[0] if len(clauses) == 1 else Q("bool", should=clauses, minimum_should_match=1)


# The parts below are plain dicts handed to ``Search.extra``: they have a fixed shape,
# and building them as DSL objects cost a third of a millisecond per search (the
# benchmark's overhead budget is two). The relevance query above stays DSL.
Clause = dict[str, Any]


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


def highlight_for(parsed: ParsedQuery) -> Clause:
    """``HIGHLIGHT`` with a query that marks any typed word or phrase in title and body."""
    expression = " ".join(e for e in (parsed.text, parsed.title) if e)
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
    generator = {"field": DID_YOU_MEAN_FIELD, "suggest_mode": "always", "min_word_length": 3}
    phrase = {
        "field": DID_YOU_MEAN_FIELD,
        "size": 1,
        "gram_size": 3,
        "max_errors": 2,
        "confidence": 1.0,
        "direct_generator": [generator],
    }
    return {"bedoelde": {"text": text, "phrase": phrase}}


def build_search(
    params: SearchParams,
    parsed: ParsedQuery,
    *,
    index: str,
    highlight: bool = True,
    facets: bool = True,
    suggest: bool = True,
) -> Search:
    """The whole results request: hits, facets, highlight and "bedoelde u"."""
    extra: Clause = {"from_": params.offset, "size": params.size, "track_total_hits": True}
    selected = selection_filters(params.filters)
    if selected:
        extra["post_filter"] = _and(selected)
    if facets:
        extra["aggs"] = facet_aggs(params)
    if highlight and parsed.has_text:
        extra["highlight"] = highlight_for(parsed)
    if suggest and parsed.words:
        extra["suggest"] = did_you_mean(parsed.plain)
    search = Search(index=index).query(base_query(parsed))
    search = search.sort(*sort_order(params.sort)).source(SOURCE_FIELDS)
    search = search.extra(**extra)
    return search


def count_search(params: SearchParams, parsed: ParsedQuery, *, index: str) -> Search:
    """Only the number of hits of a search (for "bedoelde u" and zero-results help)."""
    search = Search(index=index).query(base_query(parsed))
    selected = selection_filters(params.filters)
    if selected:
        search = search.filter(Q(_and(selected)))
    return search.extra(size=0, track_total_hits=True)
