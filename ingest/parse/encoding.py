"""Bytes to text in any common encoding: BOM, declared charset, UTF-8, then detection."""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# Korean sites often declare EUC-KR but use the CP949 superset.
_ALIASES = {"euc-kr": "cp949", "euc_kr": "cp949", "ks_c_5601-1987": "cp949", "x-windows-949": "cp949"}


def strip_bom(data: bytes) -> bytes:
    """The bytes without a UTF-8 BOM (other BOMs are left for decoding)."""
    return data[3:] if data.startswith(codecs.BOM_UTF8) else data


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset=`` of a Content-Type header, if any."""
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.I)
    return m.group(1) if m else None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = _ALIASES.get(name.lower(), name.lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; return (text, encoding used). Never raises on bad bytes."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        return mostly_utf8
    candidates = [declared]
    m = _META_CHARSET.search(data[:4096]) or _XML_ENCODING.search(data[:1024])
    if m:
        candidates.append(m.group(1).decode("ascii", "ignore"))
    for name in candidates:
        codec = _codec(name)
        if codec and codec not in ("utf-8",):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        codec = _codec(best.encoding) or best.encoding
        try:
            return data.decode(codec, errors="replace"), codec
        except LookupError:
            pass
    return data.decode("utf-8", errors="replace"), f"utf-8 ({REPLACED}, bytes replaced)"


REPLACED = "invalid UTF-8"


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few bad bytes (a cut multi-byte character, a stray byte) is still UTF-8:
    decode it with replacements rather than guess a legacy encoding that garbles the rest."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    if bad and good >= 2 * bad:
        return text, f"utf-8 ({REPLACED}: {bad} bad sequence{'s' if bad != 1 else ''} replaced)"
    return None


def decode_warning(encoding: str) -> str | None:
    """A warning for the user when decoding had to replace bytes, else None."""
    if REPLACED not in encoding:
        return None
    detail = encoding[encoding.index("(") + 1 : encoding.rindex(")")]
    return f"{detail} (shown as �)"
