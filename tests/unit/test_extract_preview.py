"""The ``kennisbrug extract`` preview says why a page gives no document or no text (issue #9)."""

from __future__ import annotations

from rich.console import Console

from core.models import Document
from crawler.extract import EMPTY_EXTRACTION, PageResult
from kennisbrug.commands.crawl import _result_table


def _render(result: PageResult) -> str:
    console = Console(record=True, width=200)
    console.print(_result_table(result))
    return console.export_text()


def test_noindex_page_is_named_as_such() -> None:
    text = _render(PageResult(url="http://kennis.example/geheim", noindex=True))
    assert "noindex" in text and "scope.documents" not in text


def test_empty_extraction_is_flagged_in_the_preview() -> None:
    doc = Document(
        url="http://kennis.example/leeg", source="ekic", provincie=("Limburg",), type="artikel",
        title="Leeg", body="", summary="",
    )  # fmt: skip
    text = _render(PageResult(url=doc.url, document=doc, warnings=(EMPTY_EXTRACTION,)))
    assert "waarschuwing" in text and "empty extraction" in text
