"""Extraction on pages rendered by the demo sites (in-process, no HTTP)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import pytest

from core.errors import ExtractError
from core.models import doc_id
from core.reasons import describe
from core.settings import REPO_ROOT
from core.sources import SourceProfile, load_profiles
from crawler.encoding import decode_html
from crawler.extract import EMPTY_EXTRACTION, extract, extract_page
from demo.bnb import BnbSite
from demo.ekic import EkicSite
from demo.faults import garble
from demo.model import Attachment, Comment, Entry

EKIC = "http://ekic.test"
BNB = "http://bnb.test"


@dataclass(frozen=True)
class Page:
    url: str
    content: bytes
    content_type: str
    charset: str | None = None


@pytest.fixture(scope="module")
def profiles() -> dict[str, SourceProfile]:
    return load_profiles(
        REPO_ROOT / "config" / "sources.toml", base_urls={"ekic": EKIC, "bnbibliotheek": BNB}
    )


@pytest.fixture(scope="module")
def ekic() -> EkicSite:
    article = Entry(
        key="12", kind="nieuws", title="Samenwerking maakt bibliotheken efficiënter",
        theme="collectie", tags=("samenwerking", "Al@din"), published=datetime(2010, 11, 11, 10),
        modified=datetime(2010, 12, 2), author="Redactie eKIC",
        paragraphs=["Door samen te werken worden bibliotheken efficiënter en slimmer.", "Ideeën genoeg."],
        attachments=(Attachment(filename="plan.pdf", title="Beleidsplan 2011", paragraphs=("Ideeën uit België.",)),),
    )  # fmt: skip
    site = EkicSite([article])
    site.set_base_url(EKIC)
    return site


@pytest.fixture(scope="module")
def bnb() -> BnbSite:
    post = Entry(
        key="samenwerking-cubiss-en-bibliotheekhuis", kind="post",
        title="Samenwerking Cubiss en Bibliotheekhuis", theme="", tags=("samenwerking", "Limburg"),
        published=datetime(2010, 11, 11, 9, 30), author="Marieke",
        paragraphs=["Cubiss en Bibliotheekhuis gaan samenwerken aan één kennissysteem.", "Meer volgt."],
        comments=(Comment(author="Jan", text="Wat een goed plan!", posted=datetime(2010, 11, 12, 9, 15)),),
    )  # fmt: skip
    site = BnbSite([post])
    site.set_base_url(BNB)
    return site


def _page(site: EkicSite | BnbSite, base: str, target: str) -> Page:
    res = site.render(target)
    assert res is not None
    return Page(base + target, res.body, res.content_type)


def test_ekic_article(ekic: EkicSite, profiles: dict[str, SourceProfile]) -> None:
    result = extract_page(_page(ekic, EKIC, "/artikel.php?id=12"), profiles["ekic"])
    doc = result.document
    assert doc is not None
    assert doc.title == "Samenwerking maakt bibliotheken efficiënter"
    assert doc.provincie == ("Limburg",) and doc.source == "ekic" and doc.type == "nieuws"
    assert doc.published is not None and doc.published.date().isoformat() == "2010-11-11"
    assert doc.modified is not None and doc.modified.date().isoformat() == "2010-12-02"
    assert doc.tags == ("samenwerking", "Al@din")
    assert "efficiënter en slimmer" in doc.body
    for boilerplate in ("Laatste nieuws", "Disclaimer", "Postbus", "Printversie", "U bent hier"):
        assert boilerplate not in doc.body
    assert result.attachments == (f"{EKIC}/bestanden/plan.pdf",)
    assert f"{EKIC}/categorie.php?thema=ICT" in result.links


def test_session_id_variant_is_the_same_document(
    ekic: EkicSite, profiles: dict[str, SourceProfile]
) -> None:
    page = _page(ekic, EKIC, "/artikel.php?id=12")
    variant = Page(page.url + "&PHPSESSID=0123456789abcdef", page.content, page.content_type)
    assert extract(variant, profiles["ekic"]).id == doc_id(f"{EKIC}/artikel.php?id=12")


def test_print_page_points_to_canonical(ekic: EkicSite, profiles: dict[str, SourceProfile]) -> None:
    result = extract_page(_page(ekic, EKIC, "/artikel.php?id=12&print=1"), profiles["ekic"])
    assert result.canonical == f"{EKIC}/artikel.php?id=12"


def test_pdf_is_its_own_document(ekic: EkicSite, profiles: dict[str, SourceProfile]) -> None:
    parent = doc_id(f"{EKIC}/artikel.php?id=12")
    doc = extract(_page(ekic, EKIC, "/bestanden/plan.pdf"), profiles["ekic"], parent=parent)
    assert doc.type == "bijlage" and doc.parent == parent
    assert doc.title == "Beleidsplan 2011" and "Ideeën uit België." in doc.body


def test_bnb_post(bnb: BnbSite, profiles: dict[str, SourceProfile]) -> None:
    url = "/2010/11/samenwerking-cubiss-en-bibliotheekhuis.html"
    doc = extract(_page(bnb, BNB, url), profiles["bnbibliotheek"])
    assert doc.title == "Samenwerking Cubiss en Bibliotheekhuis"
    assert doc.provincie == ("Noord-Brabant",) and doc.author == "Marieke"
    assert doc.published is not None and doc.published.date().isoformat() == "2010-11-11"
    assert doc.tags == ("samenwerking", "Limburg")
    assert "één kennissysteem" in doc.body and doc.summary.startswith("Cubiss en")
    for boilerplate in (
        "Wat een goed plan",
        "Blogarchief",
        "Blogger",
        "Over deze blog",
        "opmerking",
    ):
        assert boilerplate not in doc.body


def test_windows_1252_declared_as_latin1_reads_like_a_browser() -> None:
    raw = "efficiënter – “bieb”".encode("cp1252")
    assert decode_html(raw, "ISO-8859-1")[0] == "efficiënter – “bieb”"
    meta = b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">' + raw
    assert decode_html(meta, None)[0].endswith("efficiënter – “bieb”")
    assert decode_html("ideeën".encode(), None) == ("ideeën", "utf-8")
    assert decode_html("\ufeffideeën".encode(), "windows-1252")[0] == "ideeën"


def test_fallback_when_selectors_miss(profiles: dict[str, SourceProfile]) -> None:
    paragraphs = "".join(
        f"<p>Alinea {n}: de bibliotheek organiseert een leesclub voor volwassenen in de regio.</p>"
        for n in range(6)
    )
    html = f"<html lang='nl'><head><title>Leesclub</title></head><body><article>{paragraphs}</article></body></html>"
    result = extract_page(
        Page(f"{EKIC}/artikel.php?id=99", html.encode(), "text/html"), profiles["ekic"]
    )
    assert result.document is not None and "leesclub voor volwassenen" in result.document.body
    assert result.warnings and result.warnings[0]["code"] == "body_fallback"
    assert "trafilatura" in describe(result.warnings[0])


def test_malformed_page_is_an_error(ekic: EkicSite, profiles: dict[str, SourceProfile]) -> None:
    page = _page(ekic, EKIC, "/artikel.php?id=12")
    broken = Page(page.url, garble(page.content), page.content_type)
    with pytest.raises(ExtractError, match="malformed"):
        extract(broken, profiles["ekic"])


def test_utf8_label_contradicted_by_the_bytes_falls_back() -> None:
    text = "Kinderopvang en crèche: efficiënter – zegt de “bieb”"
    raw = f"<p>{text}</p>".encode("cp1252")
    # the HTTP header says UTF-8, the bytes are windows-1252: decoded, not replaced
    assert decode_html(raw, "utf-8") == (f"<p>{text}</p>", "cp1252")
    # a meta declaration that says the truth wins over the wrong header
    meta = b'<meta charset="windows-1252">' + raw
    assert decode_html(meta, "UTF-8")[0].endswith(f"<p>{text}</p>")
    # UTF-8 bytes under a Latin-1 label are UTF-8 (no "Ã«" mojibake)
    assert decode_html(f"<p>{text}</p>".encode(), "iso-8859-1")[1] == "utf-8"
    # pure ASCII keeps its label
    assert decode_html(b"<p>abc</p>", "iso-8859-1")[1] == "cp1252"


def test_fallback_extractor_obeys_the_exclude_list(profiles: dict[str, SourceProfile]) -> None:
    menu = "".join(
        f"<li><a href='/thema/{n}'>Thema nummer {n} over leesbevordering en collectie</a></li>"
        for n in range(12)
    )
    html = (
        "<html lang='nl'><head><title>Leeg</title></head><body>"
        f"<div id='menu'><ul>{menu}</ul></div><div id='footer'><p>{'Contact en colofon. ' * 20}</p></div>"
        "<h1>Leeg artikel</h1></body></html>"
    )
    profile = profiles["ekic"]
    profile = replace(profile, exclude=("#menu", "#footer"))
    result = extract_page(Page(f"{EKIC}/artikel.php?id=98", html.encode(), "text/html"), profile)
    assert result.document is not None
    assert "Thema nummer" not in result.document.body and "colofon" not in result.document.body
    assert result.document.body == ""
    assert EMPTY_EXTRACTION in result.warnings
    assert describe(EMPTY_EXTRACTION).startswith("empty extraction")


def test_pdf_links_in_any_case_and_with_a_query_are_attachments(
    profiles: dict[str, SourceProfile],
) -> None:
    html = (
        "<html><head><title>Downloads</title></head><body><h1>Downloads</h1>"
        "<a href='/bestanden/Plan.PDF?versie=2'>plan</a><a href='/gewoon.pdf'>gewoon</a>"
        "<a href='/pagina.php?file=x.pdf'>geen pdf</a></body></html>"
    )
    page = Page(f"{EKIC}/downloads", html.encode(), "text/html")
    for as_document in (True, False):  # a listing page offers its PDFs too
        result = extract_page(page, profiles["ekic"], as_document=as_document)
        assert set(result.attachments) == {
            f"{EKIC}/bestanden/Plan.PDF?versie=2",
            f"{EKIC}/gewoon.pdf",
        }


def test_noindex_from_meta_or_header_gives_no_document(profiles: dict[str, SourceProfile]) -> None:
    html = (
        "<html><head><title>T</title><meta name='robots' content='NOINDEX, follow'></head>"
        "<body><h1>T</h1><p>tekst</p><a href='/volgende'>verder</a></body></html>"
    )
    meta = extract_page(Page(f"{EKIC}/a", html.encode(), "text/html"), profiles["ekic"])
    assert meta.noindex and meta.document is None and meta.links == (f"{EKIC}/volgende",)

    @dataclass(frozen=True)
    class Headed(Page):
        robots: frozenset[str] = frozenset({"noindex", "nofollow"})

    plain = html.replace("NOINDEX, follow", "all").encode()
    header = extract_page(Headed(f"{EKIC}/a", plain, "text/html"), profiles["ekic"])
    assert header.noindex and header.document is None and header.links == ()
    normal = extract_page(Page(f"{EKIC}/a", plain, "text/html"), profiles["ekic"])
    assert not normal.noindex and normal.document is not None
