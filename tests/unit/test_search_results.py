"""Results view models and export formats: safe snippets, CSV with BOM, Atom."""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from search_ui.formats import page_atom, page_csv, page_json
from search_ui.params import SearchParams
from search_ui.results import _highlighted, _rewritten, escape_text, read_page, safe_highlight
from search_ui.syntax import parse_query

HOSTILE = {
    "_id": "h1",
    "_source": {
        "title": "<script>alert(1)</script>Gevaarlijke titel",
        "url": "http://bnb.demo/x.html",
        "provincie": "Noord-Brabant",
        "source": "bnbibliotheek",
        "type": "nieuws",
        "published": "2011-05-20T23:59:00",
        "tags": ["=cmd()", "xsstest"],
    },
    "highlight": {
        "title": ["&lt;script&gt;alert(1)&lt;&#x2F;script&gt;Gevaarlijke <mark>titel</mark>"],
        "body": [
            '&lt;img src=x onerror="alert(2)"&gt; <mark>xsstest</mark>',
            "<script>raw</script>",
        ],
    },
}


def test_only_our_mark_survives_a_highlight() -> None:
    assert safe_highlight("a &lt;b&gt; <mark>c</mark>") == "a &lt;b&gt; <mark>c</mark>"
    # Even an unescaped fragment cannot carry markup, and a text "<mark>" stays text.
    assert safe_highlight("<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
    assert safe_highlight("&lt;mark&gt;") == "&lt;mark&gt;"
    assert safe_highlight("<mark>open") == "<mark>open</mark>"
    # The tags' stand-ins inside safe_highlight can come neither from the text nor
    # from a character reference: no stray <mark> is made of them.
    assert safe_highlight("\x01b\x02 &#1;<mark>a</mark>&#2;") == "b <mark>a</mark>"
    assert (
        safe_highlight("&amp<mark>p;</mark> &lt;/mark&gt;") == "&amp;<mark>p;</mark> &lt;/mark&gt;"
    )


#: Pieces of highlighted text, the awkward ones included: references, raw markup and
#: quotes, tags alone and nested, the control characters that stand in for the tags.
PIECES = ["a", " ", "é", "/", ";", "mark", "<mark>", "</mark>", "<", ">", "'", '"', "&",
          "&amp;", "&lt;", "&gt;", "&quot;", "&#x27;", "&#x2F;", "&#1;", "\x01", "\x02",
          "&#X27;", "&quot", "&amp", "amp;"]  # fmt: skip


@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_the_short_way_for_plain_fragments_gives_what_the_long_way_gives(fragment: str) -> None:
    # Plain text with <mark> is returned as it came (balanced); anything else is rewritten.
    assert _highlighted(fragment) == _rewritten(fragment)


def test_a_plain_fragment_comes_back_unchanged() -> None:
    assert _highlighted("een <mark>leesclub</mark> voor") == "een <mark>leesclub</mark> voor"
    assert _highlighted("<mark>open") == "<mark>open</mark>"
    # Anything else is still escaped: a raw quote, a lone > or <, a tag that is not ours.
    assert _highlighted("auto's") == "auto&#39;s"
    assert _highlighted("auto&#x27;s &amp; &quot;&#x2F;&quot;") == "auto&#39;s &amp; &#34;/&#34;"
    assert _highlighted("a > b <mark>c</mark>") == "a &gt; b <mark>c</mark>"
    assert _highlighted("<mark>a</mark> < b") == "<mark>a</mark> &lt; b"
    assert _highlighted("<b>vet</b>") == "&lt;b&gt;vet&lt;/b&gt;"


def page(raw: dict | None = None):
    answer = {"hits": {"total": {"value": 1}, "hits": [raw or HOSTILE]}, "aggregations": {}}
    params = SearchParams(q="xsstest")
    return read_page(answer, params, parse_query(params.q), 0.04)


def test_hostile_hit_is_inert() -> None:
    hit = page().hits[0]
    assert "<script" not in hit.title and "<img" not in hit.snippet and "<script" not in hit.snippet
    assert "<mark>xsstest</mark>" in hit.snippet
    assert hit.title_text.startswith("<script>")  # the plain text is kept, for CSV and feeds


def test_csv_has_a_bom_semicolons_and_no_formulas() -> None:
    data = page_csv(page())
    assert data.startswith(b"\xef\xbb\xbftitel;url;provincie")
    assert "'=cmd()" in data.decode("utf-8")


def test_atom_is_valid_xml_with_text_only() -> None:
    feed = page_atom(
        page(), title="t", self_url="http://x/f", html_url="http://x/h", now=datetime(2020, 1, 1)
    )
    root = ET.fromstring(feed)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = root.find("a:entry", ns)
    assert entry is not None
    assert entry.findtext("a:title", namespaces=ns) == HOSTILE["_source"]["title"]  # type: ignore[index]
    summary = entry.findtext("a:summary", namespaces=ns) or ""
    assert "<mark>" not in summary


def test_json_shape() -> None:
    data = page_json(page())
    assert data["total"] == 1 and data["hits"][0]["provincie"] == ["Noord-Brabant"]
    assert set(data) >= {
        "query",
        "total",
        "took_ms",
        "hits",
        "facets",
        "suggestion",
        "alternatives",
    }


@given(st.text(alphabet=st.sampled_from("ab &<>'\"#;é\x01") | st.characters(), max_size=60))
def test_escape_text_is_markupsafe_escape_as_a_plain_string(text: str) -> None:
    escaped = escape_text(text)
    assert escaped == str(escape(text)) and type(escaped) is str


def test_a_hit_keeps_safe_html_as_strings_and_hands_the_page_markup() -> None:
    page = read_page(
        {"hits": {"total": {"value": 1}, "hits": [HOSTILE]}}, SearchParams(), parse_query(""), 0.0
    )
    hit = page.hits[0]
    assert type(hit.title_html) is str and type(hit.snippet_html) is str
    assert isinstance(hit.title, Markup) and hit.title == hit.title_html
    assert isinstance(hit.snippet, Markup) and hit.snippet == hit.snippet_html
    plain = read_page(
        {
            "hits": {
                "total": {"value": 1},
                "hits": [{"_id": "p", "_source": {"title": "Tom & 'Jerry' <b>"}}],
            }
        },
        SearchParams(),
        parse_query(""),
        0.0,
    )
    assert plain.hits[0].title_html == "Tom &amp; &#39;Jerry&#39; &lt;b&gt;"
