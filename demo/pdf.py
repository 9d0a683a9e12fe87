"""A tiny PDF writer for the demo sites' attachments (beleidsplannen, handleidingen).

Part of demo. It writes real PDF 1.4 files with the standard Helvetica
font in WinAnsiEncoding, so Dutch diacritics (ideeën, België) survive and pypdf
extracts the text back. No third-party writer: the demo must not depend on one,
and the format subset needed here (pages, one font, text lines) is small.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56
FONT_SIZE = 11
LEADING = 15
WRAP_COLUMNS = 88
LINES_PER_PAGE = (PAGE_HEIGHT - 2 * MARGIN) // LEADING


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi (≈ windows-1252) with (, ) and \\ escaped."""
    raw = text.encode("cp1252", errors="replace")
    raw = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + raw + b")"


def _layout(title: str, paragraphs: Sequence[str]) -> list[list[tuple[str, bool]]]:
    """Wrap text into pages of (line, is_heading) so long documents span pages."""
    lines: list[tuple[str, bool]] = [(title, True), ("", False)]
    for para in paragraphs:
        lines += [(line, False) for line in textwrap.wrap(para, WRAP_COLUMNS)]
        lines.append(("", False))
    return [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]


def _content_stream(lines: Sequence[tuple[str, bool]]) -> bytes:
    ops = [b"BT", f"{LEADING} TL".encode(), f"{MARGIN} {PAGE_HEIGHT - MARGIN} Td".encode()]
    for text, heading in lines:
        font = b"/F2 14 Tf" if heading else f"/F1 {FONT_SIZE} Tf".encode()
        ops.append(font + b" " + _pdf_string(text) + b" Tj T*")
    ops.append(b"ET")
    return b"\n".join(ops)


def write_pdf(title: str, paragraphs: Sequence[str], *, author: str = "") -> bytes:
    """Return the bytes of a PDF whose text is ``title`` followed by ``paragraphs``."""
    pages = _layout(title, paragraphs)
    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in once the page tree number is known
    pages_obj = add(b"")
    font = b"/Type /Font /Subtype /Type1 /Encoding /WinAnsiEncoding /BaseFont "
    f1 = add(b"<< " + font + b"/Helvetica >>")
    f2 = add(b"<< " + font + b"/Helvetica-Bold >>")
    kids: list[int] = []
    for lines in pages:
        stream = _content_stream(lines)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] "
                % (pages_obj, PAGE_WIDTH, PAGE_HEIGHT)
                + b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>"
                % (f1, f2, content)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    kid_refs = b" ".join(b"%d 0 R" % k for k in kids)
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kid_refs, len(kids))
    info = add(
        b"<< /Title " + _pdf_string(title) + b" /Author " + _pdf_string(author)
        + b" /Producer (Kennisbrug demo) >>"
    )  # fmt: skip

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")  # binary comment marks the file as binary
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\n" % (
        len(objects) + 1,
        catalog,
        info,
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)
