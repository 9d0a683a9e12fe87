"""Query building for the search UI: staff syntax, facets, sort, paging (via to_dict)."""

from __future__ import annotations

from typing import Any

import pytest

from core.settings import Settings
from core.sources import load_provinces
from search_ui.params import MAX_RESULT_WINDOW, SearchParams, parse_params
from search_ui.query import (
    base_query,
    build_search,
    count_search,
    highlight_for,
    minimum_should_match,
)
from search_ui.synonyms import EMPTY, SynonymSet, starter_set
from search_ui.syntax import MAX_TERMS, parse_query

PROVINCES = load_provinces(Settings.from_env().sources_file)


def body(q: str = "", **query: Any) -> dict[str, Any]:
    items = [("q", q)] + [
        (k, v) for k, vs in query.items() for v in ([vs] if isinstance(vs, str) else vs)
    ]
    params = parse_params(items, PROVINCES)
    return build_search(params, parse_query(params.q, PROVINCES), index="kb").to_dict()


def sqs(q: dict[str, Any]) -> dict[str, Any]:
    query = q["query"]
    return (query["bool"]["must"][0] if "bool" in query else query)["simple_query_string"]


def free_text(q: str, synonyms: SynonymSet = EMPTY) -> dict[str, Any]:
    return base_query(parse_query(q), synonyms)


def test_plain_words_must_all_match_when_one_or_two() -> None:
    query = free_text("leesclub organiseren")["bool"]
    required = query["must"][0]["bool"]
    assert required["minimum_should_match"] == 2 and len(required["should"]) == 2
    word = required["should"][0]["multi_match"]
    assert word["query"] == "leesclub" and word["type"] == "best_fields"
    assert "title^3" in word["fields"] and "body.compound^0.3" in word["fields"]


@pytest.mark.parametrize(("words", "needed"), [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (8, 6)])
def test_longer_queries_need_most_words(words: int, needed: int) -> None:
    assert minimum_should_match(words) == needed


def test_stop_words_do_not_count_against_a_hit() -> None:
    # "zonder" is a stop word: three words count, so two must match.
    required = free_text("bieb open zonder personeel")["bool"]["must"][0]["bool"]
    assert len(required["should"]) == 3 and required["minimum_should_match"] == 2
    assert free_text("de het een") == {"match_none": {}}


def test_all_words_phrase_and_proximity_rank_up() -> None:
    boosts = free_text("leesclub voor jongeren organiseren")["bool"]["should"]
    kinds = [next(iter(b)) for b in boosts]
    assert kinds == ["constant_score", "multi_match", "multi_match"]
    phrase, proximity = boosts[1]["multi_match"], boosts[2]["multi_match"]
    assert phrase["type"] == "phrase" and "slop" not in phrase
    assert proximity["slop"] >= 1
    assert set(phrase["fields"]) == {"title^3", "headings^2", "body"}


def test_staff_syntax_stays_an_exact_and_query() -> None:
    query = sqs(body('leesclub "bieb van de toekomst"'))
    assert query["default_operator"] == "and"
    assert query["quote_field_suffix"] == ".exact"
    assert query["query"] == 'leesclub "bieb van de toekomst"'


def test_multi_word_synonyms_expand_in_free_text() -> None:
    required = free_text("den bosch leesclub", starter_set())["bool"]["must"][0]["bool"]
    forms = [c["multi_match"]["query"] for c in required["should"][0]["dis_max"]["queries"]]
    assert forms == ["den bosch", "'s-hertogenbosch", "hertogenbosch"]
    assert required["should"][0]["dis_max"]["queries"][0]["multi_match"]["type"] == "phrase"


def test_multi_word_synonyms_expand_in_staff_syntax() -> None:
    parsed = parse_query("den bosch -jeugd")
    expression = sqs({"query": base_query(parsed, starter_set())})["query"]
    assert expression == '((den bosch) | "\'s\\-hertogenbosch" | hertogenbosch) -jeugd'


def test_a_repeated_synonym_is_expanded_once_and_bounded() -> None:
    request = free_text(" ".join(["bieb"] * 200), starter_set())
    assert request["dis_max"]["queries"][1]["multi_match"]["query"] == "bibliotheek"
    many = " ".join(f"bieb{i} e-book cd pc dvd krant" for i in range(10))
    assert str(free_text(many, starter_set())).count("multi_match") < 200


@pytest.mark.parametrize(
    ("typed", "expression"),
    [
        ('"bieb van de toekomst"', '"bieb van de toekomst"'),
        ("mediawijsheid -jeugd", "mediawijsheid -jeugd"),
        ("leesclub OF leeskring", "leesclub | leeskring"),
        ("leesclub OR leeskring", "leesclub | leeskring"),
        ("mediawijsheid NIET jeugd", "mediawijsheid -jeugd"),
        ("mediawijsheid NOT jeugd", "mediawijsheid -jeugd"),
        ("leesclub EN jeugd", "leesclub jeugd"),
        ("lezen en schrijven of rekenen", "lezen en schrijven of rekenen"),
        ("biblio*", "biblio*"),
        ("a+b|c", "a\\+b\\|c"),
        ('"open', '"open"'),
        ("leesclub OF", "leesclub"),
    ],
)
def test_staff_operators_become_simple_query_string_syntax(typed: str, expression: str) -> None:
    assert parse_query(typed).text == expression


def test_field_terms_become_filters_and_a_title_clause() -> None:
    parsed = parse_query(
        "titel:beleidsplan tag:ICT bron:ekic provincie:brabant type:Document jaar:2009..2011",
        PROVINCES,
    )
    assert parsed.title == "beleidsplan"
    assert parsed.filters == {
        "trefwoord": ["ICT"],
        "bron": ["ekic"],
        "provincie": ["Noord-Brabant"],
        "type": ["document"],
    }
    assert parsed.years == (2009, 2011)
    assert parsed.text == ""


def test_typed_filters_are_case_insensitive_and_a_year_is_a_range() -> None:
    query = body("bron:ekic jaar:2010 -tag:jeugd leesclub -x")["query"]["bool"]
    assert {"term": {"source": {"value": "ekic", "case_insensitive": True}}} in query["filter"]
    assert {"range": {"year": {"gte": 2010, "lte": 2010}}} in query["filter"]
    assert query["must_not"] == [{"term": {"tags": {"value": "jeugd", "case_insensitive": True}}}]


def test_unknown_prefixes_and_urls_stay_words() -> None:
    assert parse_query("http://x.nl 12:30 foo:bar").text == "http\\:\\/\\/x.nl 12\\:30 foo\\:bar"


def test_the_number_of_terms_is_capped() -> None:
    parsed = parse_query(" ".join(f"woord{i}" for i in range(200)))
    assert len(parsed.text.split()) == MAX_TERMS


def test_facets_are_disjunctive() -> None:
    # Typed as "eKIC", stored as "ekic": the filter value is the stored one.
    request = body("lezen", provincie="Limburg", bron="eKIC")
    assert request["post_filter"] == {
        "bool": {"filter": [{"terms": {"provincie": ["Limburg"]}}, {"terms": {"source": ["ekic"]}}]}
    }
    # provincie is counted under the bron selection only, so Noord-Brabant keeps its count.
    assert request["aggs"]["provincie"]["filter"] == {
        "bool": {"filter": [{"terms": {"source": ["ekic"]}}]}
    }
    assert request["aggs"]["bron"]["filter"] == {
        "bool": {"filter": [{"terms": {"provincie": ["Limburg"]}}]}
    }
    assert request["aggs"]["type"]["filter"]["bool"]["filter"] == [
        {"terms": {"provincie": ["Limburg"]}},
        {"terms": {"source": ["ekic"]}},
    ]
    assert set(request["aggs"]) == {"provincie", "bron", "type", "trefwoord", "jaar"}


def test_values_of_one_facet_are_or_ed() -> None:
    request = body("lezen", provincie=["Limburg", "noord-brabant"])
    assert request["post_filter"]["bool"]["filter"] == [
        {"terms": {"provincie": ["Limburg", "Noord-Brabant"]}}
    ]


def test_highlight_escapes_html_and_marks_only() -> None:
    highlight = body("lezen")["highlight"]
    assert highlight["encoder"] == "html"
    assert highlight["pre_tags"] == ["<mark>"] and highlight["post_tags"] == ["</mark>"]
    assert set(highlight["fields"]) == {"title", "body"}
    # Phrases are marked on the main fields (no costly matched_fields re-analysis).
    marked = highlight["highlight_query"]["simple_query_string"]
    assert marked["query"] == "lezen" and "quote_field_suffix" not in marked


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("relevantie", "_score"),
        ("nieuwste", {"published": {"order": "desc", "missing": "_last"}}),
        ("oudste", {"published": {"order": "asc", "missing": "_last"}}),
    ],
)
def test_sort_orders(sort: str, first: Any) -> None:
    assert body("lezen", sorteer=sort)["sort"][0] == first


def test_paging_is_capped_at_the_result_window() -> None:
    request = body("lezen", pagina="99999", per="50")
    assert request["from"] + request["size"] <= MAX_RESULT_WINDOW
    assert request["size"] == 50


def test_did_you_mean_uses_the_shingle_field() -> None:
    suggest = body("leesclb")["suggest"]["bedoelde"]
    assert suggest["text"] == "leesclb"
    assert suggest["phrase"]["field"] == "body.shingle"


def test_empty_query_with_a_filter_matches_all_and_skips_highlight() -> None:
    request = body("", provincie="Limburg")
    assert request["query"] == {"match_all": {}}
    assert "highlight" not in request and "suggest" not in request


def test_count_search_applies_the_selection_as_a_filter() -> None:
    params = SearchParams(q="lezen", filters={"type": ("nieuws",)})
    request = count_search(params, parse_query(params.q), index="kb").to_dict()
    assert request["size"] == 0
    assert {"bool": {"filter": [{"terms": {"type": ["nieuws"]}}]}} in request["query"]["bool"][
        "filter"
    ]


def test_odd_parameters_are_clamped_not_refused() -> None:
    params = parse_params(
        [
            ("q", "x\x00y"),
            ("pagina", "-3"),
            ("per", "abc"),
            ("sorteer", "hack"),
            ("jaar", "20x0"),
            ("type", "<b>"),
            ("format", "exe"),
        ]
    )
    assert params == SearchParams(q="xy")


def test_params_round_trip_through_the_url() -> None:
    params = parse_params(
        [
            ("q", "lees club"),
            ("provincie", "Limburg"),
            ("trefwoord", "ICT"),
            ("sorteer", "nieuwste"),
            ("pagina", "2"),
        ]
    )
    assert (
        params.url()
        == "/zoeken?q=lees+club&provincie=Limburg&trefwoord=ICT&sorteer=nieuwste&pagina=2"
    )
    assert params.toggled("provincie", "Noord-Brabant").selected("provincie") == (
        "Limburg",
        "Noord-Brabant",
    )
    assert params.without("provincie").url() == "/zoeken?q=lees+club&trefwoord=ICT&sorteer=nieuwste"


def test_highlight_marks_the_synonyms_the_search_expanded_to() -> None:
    # The fields are searched without the plugin's synonym filter, so the highlight
    # query carries the list's variants itself ("bieb" hits say "bibliotheek").
    params = parse_params([("q", "bieb leesclub")], PROVINCES)
    request = build_search(
        params, parse_query(params.q, PROVINCES), index="kb", synonyms=starter_set()
    ).to_dict()
    marked = request["highlight"]["highlight_query"]["simple_query_string"]["query"]
    assert "bibliotheek" in marked and "leesclub" in marked


@pytest.mark.parametrize(
    "q",
    [
        "bieb leesclub den bosch",  # synonyms, one of several words
        "de bieb bieb van het jaar",  # stop words and a repeat: no concept, one concept
        "bibliotheken 12:30 e-readers",  # a plural entry, a colon word, a hyphen
        "bieb OF leesclub -jeugd",  # staff syntax: synonyms expanded per run of words
        '"bieb van de toekomst" bieb titel:beleid',
    ],
)
def test_the_search_body_reads_the_words_as_concepts_once_with_the_same_result(q: str) -> None:
    # build_search works the concepts out once for the query and the highlight; both
    # must be what each builds on its own.
    parsed, synonyms = parse_query(q, PROVINCES), starter_set()
    request = build_search(SearchParams(q=q), parsed, index="kb", synonyms=synonyms).to_dict()
    assert request["query"] == base_query(parsed, synonyms)
    assert request["highlight"] == highlight_for(parsed, synonyms)
