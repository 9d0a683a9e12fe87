"""Autocomplete completions, badges and near-identical counterparts: the pure rules."""

from __future__ import annotations

from typing import Any

from search_ui.completion import Completion, badge, completion_texts, read_counts
from search_ui.documents import is_near_identical, media_type, other_provinces, twins_in, valid_id


def test_completions_are_cut_at_word_boundaries_only() -> None:
    options = ["Leesclub voor volwassenen in Venlo en omstreken", "Leesbevordering", "Lees mee"]
    found = completion_texts("lees", options)
    assert found == ["Leesclub", "Leesbevordering", "Lees", "Lees mee"]
    every_word = {w for o in options for w in o.split()}
    assert all(set(t.split()) <= every_word for t in found)


def test_a_finished_word_asks_for_the_next_one() -> None:
    found = completion_texts("leesclub ", ["Leesclub voor volwassenen in Venlo en omstreken"])
    assert found == ["Leesclub voor"]


def test_completions_that_find_nothing_are_dropped() -> None:
    responses: list[dict[str, Any]] = [
        {"hits": {"total": {"value": 0}}},
        {
            "hits": {"total": {"value": 3}},
            "aggregations": {"provincies": {"buckets": [{"key": "Limburg", "doc_count": 3}]}},
        },
    ]
    assert read_counts(["leesclbu", "leesclub"], responses) == [
        Completion(text="leesclub", count=3, provincies=("Limburg",))
    ]


def test_badge_only_when_both_are_searched_and_hits_are_in_one() -> None:
    one = Completion(text="x", count=2, provincies=("Limburg",))
    both = Completion(text="x", count=2, provincies=("Limburg", "Noord-Brabant"))
    every = ["Limburg", "Noord-Brabant"]  # the API passes every configured one for "all"
    assert badge(one, every) == "Limburg"
    assert badge(both, every) == ""
    assert badge(one, ["Limburg"]) == ""


def _hit(i: str, provincie: str, title: str, summary: str) -> dict[str, Any]:
    return {"_id": i, "_source": {"provincie": provincie, "title": title, "summary": summary}}


def test_near_identical_publications_are_folded_once() -> None:
    text = "Tips voor het organiseren van een leesclub voor volwassenen in de bibliotheek"
    hits = [
        _hit("a", "Limburg", "Leesclubs organiseren", text),
        _hit("b", "Limburg", "Leesclubs voor jongeren", "Jongeren lezen samen graag boeken"),
        _hit("c", "Noord-Brabant", "Leesclubs organiseren", text + "."),
        _hit("d", "Noord-Brabant", "Leesclubs voor mannen", "Mannen lezen anders"),
    ]
    assert twins_in(hits) == {"a": hits[2]}
    same_province = [
        hits[0],
        {**hits[2], "_source": {**hits[2]["_source"], "provincie": "Limburg"}},
    ]
    assert twins_in(same_province) == {}
    assert not is_near_identical(hits[1]["_source"], hits[3]["_source"])


def test_twins_are_found_by_their_summary_when_their_titles_differ() -> None:
    text = "Tips voor het organiseren van een leesclub voor volwassenen in de bibliotheek"
    hits = [
        _hit("a", "Limburg", "Leesclubs", text),
        _hit("b", "Limburg", "Jongeren", "Jongeren lezen samen graag boeken"),
        _hit("c", "Noord-Brabant", "Leesclubs!", text),
    ]
    assert twins_in(hits) == {"a": hits[2]}
    unlike = [hits[0], hits[1], _hit("d", "Noord-Brabant", "Mannen", "Mannen lezen anders")]
    assert twins_in(unlike) == {}


def test_document_helpers() -> None:
    configured = ("Limburg", "Noord-Brabant", "Zeeland")
    assert other_provinces(("Limburg",), configured) == ("Noord-Brabant", "Zeeland")
    assert other_provinces(("Noord-Brabant", "Limburg"), configured) == ("Zeeland",)
    assert other_provinces(configured, configured) == ()  # a page of every province
    assert media_type("http://x/bestanden/beleidsplan-2011.pdf") == "PDF"
    assert media_type("http://x/artikel.php?id=4") == "HTML"
    assert valid_id("c399657ef9f5a436a928609c076b1eb3d7b7aa70")
    assert not valid_id("../etc/passwd") and not valid_id("") and not valid_id("x" * 200)
