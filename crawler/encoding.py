"""Bytes to text for fetched pages, the way browsers do it.

Part of extraction (crawler.extract), before any parsing. Order: a byte-order mark,
then the HTTP ``charset``, then a ``<meta charset>`` / ``http-equiv`` declaration in
the first bytes, then detection. Like browsers (WHATWG Encoding), ISO-8859-1, Latin-1
and US-ASCII labels are read as windows-1252: 2010-era pages that declare Latin-1
routinely contain windows-1252 quotes and dashes, and "efficiënter" must survive.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_WINDOWS_1252_ALIASES = {
    "iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "iso_8859-1", "us-ascii",
    "ascii", "cp819", "ibm819", "iso-ir-100", "windows-1252", "cp1252", "x-cp1252",
}  # fmt: skip
_META = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE | re.DOTALL
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def normalise_label(label: str | None) -> str | None:
    """A Python codec name for a declared charset label, or None if unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    if name in _WINDOWS_1252_ALIASES:
        return "cp1252"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def meta_charset(content: bytes) -> str | None:
    """The charset a page declares about itself in its first 4 KiB."""
    match = _META.search(content[:4096])
    return normalise_label(match.group(1).decode("ascii", "ignore")) if match else None


def decode_html(content: bytes, http_charset: str | None = None) -> tuple[str, str]:
    """Decode ``content``; returns (text, codec used). Never raises on bad bytes.

    A declared charset is trusted only while the bytes agree with it: a page labelled
    UTF-8 (in the header or a meta tag) whose bytes are not UTF-8 — a windows-1252 page
    behind a server that stamps ``charset=UTF-8`` on everything — falls through to the
    next declaration and then to detection, instead of turning into U+FFFD. Likewise
    bytes that are valid multi-byte UTF-8 are read as UTF-8 whatever single-byte
    charset is claimed (that combination is practically never accidental).
    """
    for bom, name in _BOMS:
        if content.startswith(bom):
            return content[len(bom) :].decode(name, errors="replace"), name
    candidates = [normalise_label(http_charset), meta_charset(content)]
    for declared in dict.fromkeys(c for c in candidates if c):
        if _is_utf8(declared):
            try:
                return content.decode(declared), declared
            except UnicodeDecodeError:
                continue  # the label contradicts the bytes: try the next one
        if declared in _SINGLE_BYTE and _is_multibyte_utf8(content):
            return content.decode("utf-8"), "utf-8"
        # A declared single-byte codec always decodes; bytes it does not define
        # (0x81 in cp1252) become U+FFFD like in a browser, not a crash.
        return content.decode(declared, errors="replace"), declared
    return _detect(content)


def _is_utf8(codec: str) -> bool:
    return codec == "utf-8"


def _is_multibyte_utf8(content: bytes) -> bool:
    if content.isascii():
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# Codecs where any byte sequence decodes (so the bytes can never contradict the label).
_SINGLE_BYTE = frozenset({"cp1252", "cp1250", "iso8859-15", "iso8859-2"})


def _detect(content: bytes) -> tuple[str, str]:
    """No usable declaration: UTF-8 if the bytes are UTF-8; else windows-1252 if every
    byte is defined there (WHATWG's fallback encoding for a Dutch locale, and what a
    2010-era Dutch CMS wrote); only else ask charset_normalizer. Statistical detection
    first would turn "crèche" into "crečhe" (cp1250) on short pages."""
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(content[:65536]).best()
    name = normalise_label(best.encoding) if best is not None else None
    name = name or "cp1252"
    return content.decode(name, errors="replace"), name
