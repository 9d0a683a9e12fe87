"""Synonym expansion, typed filters, and when a spelling correction acts (no I/O)."""

from __future__ import annotations

from pathlib import Path

import pytest

from search_ui.params import SearchParams
from search_ui.results import Facet, FacetValue, ResultPage, keep_capitals
from search_ui.searching import CORRECT_RATIO, corrected_query, correction_of, decide
from search_ui.stopwords import STOPWORDS
from search_ui.synonyms import MAX_EXPANDED, MAX_VARIANTS, Concept, SynonymSet, starter_set
from search_ui.syntax import parse_query
from search_ui.typed import lift_typed_filters, notices_for

ROOT = Path(__file__).resolve().parents[2]


def test_stop_words_are_the_analysis_plugins_list() -> None:
    listed = {
        w
        for line in (ROOT / "es/wordlists/stopwords.txt").read_text().splitlines()
        for w in line.split("#", 1)[0].split()
    }
    assert listed == STOPWORDS


def test_longest_entry_wins_and_plurals_find_their_entry() -> None:
    synonyms = starter_set()
    assert synonyms.concepts(["Den", "Bosch", "leesclubs"]) == [
        Concept("Den Bosch", ("Den Bosch", "'s-hertogenbosch", "hertogenbosch")),
        Concept("leesclubs", ("leesclubs", "leeskring", "boekenclub")),
    ]
    assert synonyms.concepts(["audioboeken"])[0].variants[1] == "luisterboek"


def test_stop_words_are_left_out_unless_part_of_an_entry() -> None:
    concepts = starter_set().concepts(["bieb", "open", "zonder", "personeel"])
    assert [c.typed for c in concepts] == ["bieb", "open", "personeel"]
    assert [c.typed for c in starter_set().concepts(["den", "bosch"])] == ["den bosch"]


def test_expansion_is_bounded() -> None:
    groups = [[f"woord{i}", *(f"variant{i}x{j}" for j in range(20))] for i in range(40)]
    synonyms = SynonymSet(groups)
    concepts = synonyms.concepts([f"woord{i}" for i in range(40)])
    assert all(len(c.variants) <= MAX_VARIANTS for c in concepts)
    assert sum(len(c.variants) - 1 for c in concepts) <= MAX_EXPANDED


def test_the_list_format_ignores_comments_and_single_words() -> None:
    synonyms = SynonymSet.parse("# comment\nbieb, bibliotheek  # short form\nalleen\n\n")
    assert len(synonyms) == 1 and synonyms.lookup(["Bieb"]) == ("bieb", "bibliotheek")


@pytest.mark.parametrize(
    ("q", "q_after", "filters"),
    [
        ("provincie:Limburg leesclub", "leesclub", {"provincie": ("Limburg",)}),
        ("leesclub jaar:2009-2011", "leesclub", {"jaar": ("2009", "2010", "2011")}),
        ("jaar:2011..2009 e-books", "e-books", {"jaar": ("2009", "2010", "2011")}),
        ("bron:eKIC type:Dossier", "", {"bron": ("ekic",), "type": ("dossier",)}),
        ("-bron:ekic jaar:2009.. type:foo x", "-bron:ekic jaar:2009.. type:foo x", {}),
    ],
)
def test_typed_filters_become_facet_state(
    q: str, q_after: str, filters: dict[str, tuple[str, ...]]
) -> None:
    lifted = lift_typed_filters(SearchParams(q=q))
    assert (lifted.q, dict(lifted.filters)) == (q_after, filters)


def test_a_lifted_filter_is_removed_like_a_clicked_one() -> None:
    lifted = lift_typed_filters(SearchParams(q="leesclub provincie:limburg"))
    assert lifted.without("provincie").url() == "/zoeken?q=leesclub"


def _page(q: str, total: int, **kw: object) -> ResultPage:
    params = SearchParams(q=q, **kw)  # type: ignore[arg-type]
    return ResultPage(
        params=params, parsed=parse_query(q), total=total, seconds=0.0, hits=[], facets={}
    )


def test_unknown_typed_values_are_explained() -> None:
    page = _page("type:document1 leesclub", 3)
    page.facets["type"] = Facet(
        name="type", total=3, values=(FacetValue(value="artikel", count=3, selected=False),)
    )
    notices = notices_for(page)
    assert [(n.facet, n.typed) for n in notices] == [("type", "document1")]
    assert "dossier" in notices[0].choices


def test_a_chosen_value_absent_from_the_hits_is_explained_except_a_keyword() -> None:
    page = _page("leesclub", 5)

    def values(*found: tuple[str, int, bool]) -> tuple[FacetValue, ...]:
        return tuple(FacetValue(value=v, count=n, selected=s) for v, n, s in found)

    page.facets = {
        "provincie": Facet(
            name="provincie", total=5,
            values=values(("Noord-Brabant", 5, False), ("Limburg", 0, True)),
        ),
        "type": Facet(name="type", total=5, values=values(("artikel", 5, False))),
        "trefwoord": Facet(
            name="trefwoord", total=5, values=values(("ict", 5, False), ("jeugd", 0, True))
        ),
    }  # fmt: skip
    notices = notices_for(page)
    assert [(n.facet, n.typed, n.choices) for n in notices] == [
        ("provincie", "Limburg", ("Noord-Brabant",))
    ]


def _suggesting(text: str) -> dict[str, object]:
    return {"suggest": {"bedoelde": [{"options": [{"text": text}]}]}}


def test_a_zero_result_typo_is_corrected_and_keeps_capitals() -> None:
    page = _page("Tilbrug provincie:brabant", 0)
    fixed = correction_of(page, _suggesting("tilburg"))
    assert fixed is not None and fixed.q == "Tilburg provincie:brabant"
    shown = decide(page, _page(fixed.q, 2))
    assert shown.correction is not None and shown.correction.typed == "Tilbrug provincie:brabant"
    assert shown.correction.literal.literal and shown.suggestion is None


def test_far_fewer_hits_than_the_correction_act_too_and_a_few_more_only_suggest() -> None:
    typed = _page("leesclb", 1)
    assert decide(typed, _page("leesclub", CORRECT_RATIO)).correction is not None
    typed = _page("leesclb", 2)
    offered = decide(typed, _page("leesclub", 3))
    assert offered.correction is None and offered.suggestion is not None


def test_never_correct_a_literal_search_a_synonym_or_a_split_word() -> None:
    assert correction_of(_page("Tilbrug", 0, literal=True), _suggesting("tilburg")) is None
    bieb = _page("bibliotheekwet", 1)
    assert correction_of(bieb, _suggesting("bibliotheek het")) is None
    assert correction_of(_page("bieb", 1), _suggesting("bier"), starter_set()) is None
    assert correction_of(_page('"leesclb"', 0), _suggesting("leesclub")) is None


def test_capitals_and_replacement_in_place() -> None:
    assert (
        keep_capitals(["Tilbrug", "ICT", "bieb"], ["tilburg", "ict", "bieb"]) == "Tilburg ICT bieb"
    )
    assert keep_capitals(["NTLB"], ["ntb"]) == "NTB"
    assert corrected_query("leesclb jaar:2010 leesclb", ["leesclb"], ["leesclub"]) == (
        "leesclub jaar:2010 leesclb"
    )


def test_a_short_query_with_hits_is_left_alone_a_longer_one_may_be_corrected() -> None:
    assert correction_of(_page("Smits", 7), _suggesting("site")) is None
    fixed = correction_of(_page("leesclb voor jongeren", 2), _suggesting("leesclub voor jongeren"))
    assert fixed is not None and fixed.q == "leesclub voor jongeren"
