"""Field values to plain text: markup through a real HTML parser, plain text left as written.

Feeds and WordPress say which of their values are HTML and which are text. Only HTML is
parsed, and by an HTML parser, never by a tag-stripping pattern: in plain text "Revenue <
forecast" is a sentence, and a pattern such as ``<[^>]*>?`` would cut it at "<".
"""

from __future__ import annotations

import re

# Every element name HTML knows (current and obsolete). In markup, "<" starts a tag only when
# one of these (or a custom element, which has a hyphen, or a prefixed XML name) follows;
# anything else is text that was never escaped: "x<y", "Revenue <forecast".
_ELEMENT_NAMES = """
a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big blink
blockquote body br button canvas caption center cite code col colgroup data datalist dd del
details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form frame
frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe image img input ins isindex kbd
keygen label legend li link listing main map mark marquee math menu menuitem meta meter nav
nobr noembed noframes noscript object ol optgroup option output p param picture plaintext pre
progress q rb rp rt rtc ruby s samp script search section select slot small source spacer span
strike strong style sub summary sup svg table tbody td template textarea tfoot th thead time
title tr track tt u ul var video wbr xmp
"""
HTML_ELEMENTS = frozenset(_ELEMENT_NAMES.split())
_LT = re.compile(r"<(!|\?|/?[A-Za-z][\w.:-]*)?")
_WHOLE_TAG = re.compile(
    r"</?[A-Za-z][\w.:-]*(?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*\s*(/?)>"
)
# The parser reads an iframe's content as raw text ("<b>" shown as is); its content is the
# text for readers without frames, and feeds write "<iframe/>" meaning an empty one: the tags go.
_IFRAME_TAG = re.compile(r"</?iframe\b[^>]*>", re.I)
_CUT_TAG = re.compile(r"<[A-Za-z/!][^<>]*$")  # a tag cut off by the end of a truncated payload
_UNSEEN = ("script", "style", "noscript", "template")
# Elements after which a reader sees a new paragraph.
_BLOCK_NAMES = """
address article aside blockquote br dd details dialog div dl dt fieldset figcaption figure
footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot
th thead title tr ul
"""
_BLOCKS = frozenset(_BLOCK_NAMES.split())
_SPACES = re.compile(r"[ \t\f\v\u00a0\u200b\u2028\u2029]+")


def looks_like_markup_type(content_type: str | None) -> bool:
    """True for the value types feeds use for markup (HTML, XHTML, XML)."""
    kind = (content_type or "").lower()
    return "html" in kind or "xml" in kind


def field_text(value: str, content_type: str | None) -> str:
    """A feed value as plain paragraphs, read as markup only when its type says it is."""
    if looks_like_markup_type(content_type):
        return html_to_text(value)
    return plain_text(value)


def html_to_text(fragment: str) -> str:
    """What a reader sees of an HTML fragment or page, paragraph breaks kept; scripts, styles
    and comments unseen; tolerant of cut-off markup."""
    if "<" not in fragment and "&" not in fragment:
        return plain_text(fragment)
    fragment = _IFRAME_TAG.sub(" ", _CUT_TAG.sub("", _escape_stray_brackets(fragment)))
    root = _parse(fragment)
    if root is None:
        return ""
    out: list[str] = []
    _collect(root, out)
    return plain_text("".join(out))


def plain_text(text: str) -> str:
    """Plain text tidied: white space folded within lines, blank lines between paragraphs."""
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.replace("\r", "\n").split("\n")]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines + [""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return "\n\n".join(paragraphs)


def one_line(text: str) -> str:
    """Text on one line (a title): every run of white space, line breaks included, one space."""
    return " ".join(text.split())


def _escape_stray_brackets(fragment: str) -> str:
    def fix(m: re.Match) -> str:
        if m.group(1) in ("!", "?"):
            return m.group(0)  # a comment, a declaration, a processing instruction
        if m.group(1) and _is_tag(m, fragment):
            return m.group(0)
        return "&lt;" + m.group(0)[1:]

    return _LT.sub(fix, fragment)


def _is_tag(m: re.Match, fragment: str) -> bool:
    """True when the "<" at ``m`` opens a tag: an HTML element, a custom or prefixed one, or
    any name written as a whole tag that is closed later (MathML, SVG, XHTML islands)."""
    name = m.group(1).lstrip("/")
    if name.lower() in HTML_ELEMENTS or "-" in name or ":" in name:
        return True
    whole = _WHOLE_TAG.match(fragment, m.start())
    if whole is None:
        return False
    if m.group(1).startswith("/") or whole.group(1):
        return True
    return f"</{name.lower()}" in fragment[whole.end():].lower()


def _parse(fragment: str):
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, recover=True)
    try:
        return etree.fromstring(fragment, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def _collect(element, out: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    local = tag.rsplit("}", 1)[-1].lower()
    if local in _UNSEEN:
        return
    block = local in _BLOCKS
    if block:
        out.append("\n\n")
    if element.text and isinstance(element.tag, str):
        out.append(element.text)
    for child in element:
        _collect(child, out)
        if child.tail:
            out.append(child.tail)
    if block:
        out.append("\n\n")
