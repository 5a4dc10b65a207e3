"""Bytes to text: declared charset first, then detection; binary input is refused.

Why not just ``data.decode("utf-8", "replace")``: think-tank archives hold
cp1251 and latin-1 pages, and silently replaced characters would corrupt
names (Токаев) that entity linking depends on.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata

from charset_normalizer import from_bytes


class DecodeError(ValueError):
    """The bytes are not text Steppe can read; the message is a one-line reason."""


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def declared_charset(data: bytes, content_type: str | None) -> str | None:
    """The charset the HTTP header or an HTML <meta> declares, if any and known to Python."""
    candidates = []
    if content_type and "charset=" in content_type.lower():
        candidates.append(content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'"))
    match = _META_CHARSET.search(data[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "ignore"))
    for name in candidates:
        try:
            return codecs.lookup(name).name
        except LookupError:
            continue
    return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB mean this is not a text page."""
    head = data[:8192]
    if not head:
        return False
    if any(head.startswith(bom) for bom, _ in _BOMS[1:]):
        return False  # UTF-16 text has NULs by design
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) > 0.05


def decode_bytes(data: bytes, content_type: str | None = None) -> str:
    """Decode to NFC text with newlines kept. Raises DecodeError with a short reason."""
    if not data.strip():
        raise DecodeError("empty document")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _finish(data.decode(encoding, errors="strict"))
    if looks_binary(data):
        raise DecodeError("binary content, not text")
    declared = declared_charset(data, content_type)
    for encoding in filter(None, (declared, "utf-8")):
        try:
            return _finish(data.decode(encoding))
        except (UnicodeDecodeError, LookupError):
            continue
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError("undecodable bytes (no declared charset fits and detection failed)")
    return _finish(str(best))


def _finish(text: str) -> str:
    # Offsets into Page.text must survive a round trip, so only NFC is applied,
    # and line breaks are made uniform ("\r\n" would make spans off by one per line).
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def pdf_to_text(data: bytes) -> str:
    """Text of a PDF, one page after another. Raises DecodeError for broken or image-only PDFs."""
    from pypdf import PdfReader  # imported here: only PDF inputs pay for it
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise DecodeError(f"unreadable PDF ({type(exc).__name__})") from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise DecodeError("PDF has no extractable text (scanned images?)")
    return _finish(text)
