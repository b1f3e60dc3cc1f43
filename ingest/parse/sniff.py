"""Decide what an input is by reading its structure: the first element after any prolog
(XML declaration, comments, doctype) however long, not a window of its first bytes."""

from __future__ import annotations

import re

from ingest.parse.encoding import strip_bom

_FEED_ROOTS = {"rss", "feed", "rdf", "channel"}  # channel: Microsoft's CDF
# C0 control bytes other than tab, newline, vertical tab, form feed and carriage return
_CONTROL_BYTES = bytes(b for b in range(32) if not 9 <= b <= 13)
_NAME = re.compile(rb"<([A-Za-z][\w.:-]*)")
_WS = b" \t\r\n\f\v"
# Where text precedes the markup (a PHP warning, a stray line), the markup still decides when
# it starts a line of its own (an article that merely mentions "<html>" stays text).
_HTML_START = re.compile(rb"^[ \t]*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.I | re.M)
_FEED_START = re.compile(rb"^[ \t]*<(?:\?xml\s|rss[\s>]|feed[\s>]|rdf:RDF[\s>])", re.I | re.M)
SEARCH_BYTES = 65536  # how far into leading text to look for the start of a page or feed
# A JSON list opens with a value; a text may open with a bracketed label ("[Press release]").
_JSON_LIST = re.compile(rb"\[\s*(?:[\[{\"\]\d-]|true|false|null|$)")


class Prolog:
    """What precedes the first element of a markup document."""

    def __init__(self) -> None:
        self.root: str | None = None  # the first element's name, lower-cased
        self.xml = False  # an XML declaration
        self.doctype = b""
        self.comments = 0
        self.leading_text = False  # something other than markup before the first element


def read_prolog(data: bytes) -> Prolog:
    """Walk the prolog of ``data`` to its first element, skipping declarations, comments and
    a doctype of any length."""
    p = Prolog()
    i, n = 0, len(data)
    while i < n:
        while i < n and data[i] in _WS:
            i += 1
        if i >= n:
            break
        if data.startswith(b"<?", i):
            p.xml |= data[i : i + 5].lower() == b"<?xml"
            end = data.find(b"?>", i + 2)
            i = n if end < 0 else end + 2
        elif data.startswith(b"<!--", i):
            p.comments += 1
            end = data.find(b"-->", i + 4)
            i = n if end < 0 else end + 3
        elif data[i : i + 9].upper() == b"<!DOCTYPE":
            end = _doctype_end(data, i)
            p.doctype = data[i:end]
            i = end
        elif data.startswith(b"<![CDATA[", i):
            p.leading_text = True
            break
        else:
            m = _NAME.match(data, i)
            if m:
                p.root = m.group(1).decode("ascii", "replace").lower()
            else:
                p.leading_text = True
            break
    return p


def _doctype_end(data: bytes, i: int) -> int:
    """The index after a doctype, internal subset ("[ … ]") included."""
    bracket = data.find(b"[", i, i + 1024)
    close = data.find(b">", i)
    if bracket >= 0 and (close < 0 or bracket < close):
        end = data.find(b"]", bracket)
        close = data.find(b">", end if end >= 0 else bracket)
    return len(data) if close < 0 else close + 1


def sniff(data: bytes, content_type: str | None = None) -> str:
    """One of: wordpress, jsonfeed, feed, html, text, binary, or comment (markup with nothing
    but comments and declarations in it)."""
    from ingest.parse.htmltext import HTML_ELEMENTS

    head = strip_bom(data)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
        head = _wide_to_utf8(data)
    if _looks_binary(head[:4096]):
        return "binary"
    stripped = head.lstrip()
    if stripped[:1] == b"{" or _JSON_LIST.match(stripped[:4096]):  # "[보도자료] …" is text
        if b"jsonfeed.org" in stripped[:1024]:
            return "jsonfeed"
        return "wordpress"
    prolog = read_prolog(stripped)
    if prolog.root is not None:
        local = prolog.root.rsplit(":", 1)[-1]
        if local in _FEED_ROOTS:
            return "feed"
        if local in HTML_ELEMENTS or b"html" in prolog.doctype.lower():
            return "html"
        if prolog.xml:
            return "feed"
    elif not prolog.leading_text:
        return "comment"
    ctype = (content_type or "").lower()
    window = stripped[:SEARCH_BYTES]
    if prolog.leading_text or prolog.root is not None:
        if _HTML_START.search(window):
            return "html"
        if _FEED_START.search(window):
            return "feed"
    if "xml" in ctype and ("rss" in ctype or "atom" in ctype):
        return "feed"
    if "html" in ctype and prolog.root is not None:
        return "html"
    return "text"


def _wide_to_utf8(data: bytes) -> bytes:
    """UTF-16 or UTF-32 bytes (with or without a BOM) as UTF-8, for reading the structure."""
    from ingest.parse.encoding import wide_encoding

    enc = wide_encoding(data) or "utf-16"
    return data.decode(enc, errors="ignore").encode("utf-8")


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > 0.05
