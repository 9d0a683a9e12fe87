"""PDF attachments (beleidsplannen, handleidingen) as documents of their own.

Part of extraction: ``crawler.extract`` hands PDF responses here. The text comes
from pypdf; the document links to the page that offered it (``parent``) so that a
search hit on a PDF can show where it belongs.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime
from typing import Protocol
from urllib.parse import unquote, urlsplit

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from core.errors import ExtractError
from core.models import Document
from core.sources import SourceProfile
from crawler.urls import is_pdf_url

# pypdf logs every recoverable oddity of a 2010 PDF at WARNING; we report real failures.
logging.getLogger("pypdf").setLevel(logging.ERROR)

PDF_MIME = "application/pdf"


class PdfPage(Protocol):
    @property
    def url(self) -> str: ...
    @property
    def content(self) -> bytes: ...


def is_pdf(url: str, content_type: str | None, content: bytes = b"") -> bool:
    mime = (content_type or "").split(";")[0].strip().lower()
    return mime == PDF_MIME or content.startswith(b"%PDF-") or is_pdf_url(url)


def read_pdf(
    page: PdfPage, profile: SourceProfile, *, url: str, parent: str | None = None
) -> Document:
    """The text of a PDF as a Document of type ``attachment_type`` (or "document" without parent)."""
    try:
        reader = PdfReader(io.BytesIO(page.content))
        texts = [p.extract_text() or "" for p in reader.pages]
        info = reader.metadata
        published = _pdf_date(info.creation_date if info is not None else None)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ExtractError(f"PDF could not be read: {exc}") from exc
    lines = [" ".join(line.split()) for text in texts for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise ExtractError("PDF has no extractable text (scanned or empty)")
    title = str(info.title).strip() if info is not None and info.title else ""
    author = str(info.author).strip() if info is not None and info.author else ""
    body = "\n".join(lines)
    return Document(
        url=url,
        source=profile.name,
        provincie=(profile.provincie,),
        type=profile.attachment_type if parent else "document",
        title=title or lines[0][:200] or _filename(url),
        body=body,
        summary=_summary(lines[1:] if not title else lines),
        author=author,
        published=published,
        language=profile.language,
        parent=parent,
    )


def _summary(lines: list[str], limit: int = 300) -> str:
    text = " ".join(lines)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _filename(url: str) -> str:
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1])


def _pdf_date(value: datetime | None) -> datetime | None:
    return value if isinstance(value, datetime) and value.tzinfo is not None else None
