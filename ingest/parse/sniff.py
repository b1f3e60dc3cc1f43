"""Decide what an input is from its first bytes (and, as a hint, its declared type)."""

from __future__ import annotations

import re

from ingest.parse.encoding import strip_bom

_FEED = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)
# C0 control bytes other than tab, newline, vertical tab, form feed and carriage return
_CONTROL_BYTES = bytes(b for b in range(32) if not 9 <= b <= 13)
_HTML = re.compile(rb"<(!doctype\s+html|html|head|body|article|main|div|p)[\s>]", re.I)


# A JSON list opens with a value; a text may open with a bracketed label ("[Press release]").
_JSON_LIST = re.compile(rb"\[\s*(?:[\[{\"\]\d-]|true|false|null|$)")


def sniff(data: bytes, content_type: str | None = None) -> str:
    """One of: wordpress, jsonfeed, json, feed, html, text, binary."""
    head = strip_bom(data[:4096])
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(head) > 1 and head[1:2] == b"\x00"):
        head = _utf16_head(data)
    stripped = head.lstrip()
    if _looks_binary(head):
        return "binary"
    if stripped[:1] == b"{" or _JSON_LIST.match(stripped):  # "[보도자료] …" is text
        if b"jsonfeed.org" in head[:1024]:
            return "jsonfeed"
        return "wordpress"
    if stripped[:1] == b"<":
        if _FEED.search(stripped[:2048]) and not re.search(rb"<html[\s>]", stripped[:2048], re.I):
            return "feed"
        if _HTML.search(stripped[:4096]):
            return "html"
        if stripped.startswith(b"<?xml"):
            return "feed"
    ctype = (content_type or "").lower()
    if "xml" in ctype and ("rss" in ctype or "atom" in ctype):
        return "feed"
    if "html" in ctype and b"<" in stripped[:512]:
        return "html"
    return "text"


def _utf16_head(data: bytes) -> bytes:
    for enc in ("utf-16", "utf-16-le", "utf-16-be"):
        try:
            return data[:4096].decode(enc, errors="ignore").encode("utf-8")
        except (UnicodeDecodeError, LookupError):
            continue
    return data[:4096]


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > 0.05
