"""Bytes to text in any common encoding.

The order: a byte-order mark (or the zero bytes of UTF-16/32 without one); then valid UTF-8,
which a text in a legacy charset practically never is by accident, so a wrong declaration
cannot garble it; then the declared charset (the HTTP header, else the XML declaration or the
meta tag); then UTF-8 with a few bad bytes; then detection, preferring the charsets the web
uses most among the ones that read the bytes equally well ("Société" is cp1252, not cp1257).
"""

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
# Without a BOM, the zero bytes around the first ASCII character give UTF-16/32 and its order.
_WIDE = (
    (re.compile(rb"^\x00\x00\x00[^\x00]"), "utf-32-be"),
    (re.compile(rb"^[^\x00]\x00\x00\x00"), "utf-32-le"),
    (re.compile(rb"^\x00[^\x00]\x00[^\x00]"), "utf-16-be"),
    (re.compile(rb"^[^\x00]\x00[^\x00]\x00"), "utf-16-le"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# Korean sites often declare EUC-KR but use the CP949 superset.
_ALIASES = {"euc-kr": "cp949", "euc_kr": "cp949", "ks_c_5601-1987": "cp949", "x-windows-949": "cp949",
            "iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932",
            "tis-620": "cp874", "iso-8859-11": "cp874"}
# The web's charsets, most used first (after UTF-8): the tie-break when detection finds several
# that read the bytes equally well. Supersets come first: cp1252 reads all of Latin-1.
PREFERRED = tuple(codecs.lookup(n).name for n in (
    "utf_8", "cp1252", "iso8859_15", "cp949", "euc_kr", "cp932", "shift_jis", "euc_jp", "gb18030",
    "gb2312", "big5", "cp1251", "koi8_r", "koi8_u", "cp874", "tis_620", "cp1250", "iso8859_2",
    "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "iso8859_9", "iso8859_7",
))
DETECT_BYTES = 200_000
REPLACED = "invalid UTF-8"


def strip_bom(data: bytes) -> bytes:
    """The bytes without a UTF-8 BOM (other BOMs are left for decoding)."""
    return data[3:] if data.startswith(codecs.BOM_UTF8) else data


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset=`` of a Content-Type header, if any."""
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.I)
    return m.group(1) if m else None


def wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 from a BOM or, without one, from the zero bytes; else None."""
    for bom, enc in _BOMS:
        if data.startswith(bom) and enc != "utf-8-sig":
            return enc
    for pattern, enc in _WIDE:
        if pattern.match(data[:4]):
            return enc
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset a document declares in itself (XML declaration or meta tag), if any."""
    m = _XML_ENCODING.search(data[:1024]) or _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "ignore") if m else None


def codec_name(name: str | None) -> str | None:
    """Python's codec for a charset label, or None for an unknown label."""
    if not name:
        return None
    name = _ALIASES.get(name.lower(), name.lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; return (text, encoding used). ``declared`` is the charset a transport
    declared (HTTP). Never raises on bad bytes."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    wide = wide_encoding(data)
    if wide:
        return data.decode(wide, errors="replace"), wide
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for name in (declared, declared_charset(data)):
        codec = codec_name(name)
        if codec and codec != "utf-8":
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                if codec == "cp1252":  # five bytes cp1252 leaves undefined; Latin-1 reads them
                    return data.decode("latin-1"), "latin-1"
                continue
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        return mostly_utf8
    codec = detect_charset(data)
    if codec:
        return data.decode(codec, errors="replace"), codec
    return data.decode("utf-8", errors="replace"), f"utf-8 ({REPLACED}, bytes replaced)"


def detect_charset(data: bytes) -> str | None:
    """The charset detection finds for ``data``: of the candidates that read it with the least
    mess (and, where it can tell, in a real language), the one the web uses most."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:DETECT_BYTES]))
    if not matches:
        return None
    least_mess = min(m.chaos for m in matches)
    clean = [m for m in matches if m.chaos <= least_mess + 0.02]
    most_coherent = max(m.coherence for m in clean)
    likely = [m for m in clean if m.coherence >= most_coherent - 0.1]
    names = [codec_name(n) for m in likely for n in (m.encoding, *m.could_be_from_charset)]
    names = [n for n in names if n]
    if not names:
        return None
    ranked = sorted(names, key=lambda n: PREFERRED.index(n) if n in PREFERRED else len(PREFERRED))
    return ranked[0]


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
