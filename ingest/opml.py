"""OPML, the subscription lists feed readers import and export: sources in (``listparser``, topics
from each outline's categories and folders) and out (OPML 2.0, topics as categories).

``listparser.parse`` fetches a string that starts with http:// by itself: it is only ever given
bytes read from a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.utils import format_datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from ingest.kinds import KIND_NAMES

MAX_BYTES = 5 * 1024 * 1024
MAX_FEEDS = 2000
KINDS = ("rss", "atom", "jsonfeed", "wordpress", "html")


class OpmlError(ValueError):
    """A file that is not an OPML list of feeds; the message says why."""


@dataclass
class Outline:
    """One feed of an OPML file: its URL, name, topics, and what kind of source it is."""

    url: str
    name: str
    topics: str = ""
    kind: str = "rss"
    interval_s: int | None = None
    notes: list[str] = field(default_factory=list)


def _attributes(data: bytes) -> dict[str, dict[str, str]]:
    """xmlUrl → the outline's attributes (names lower-cased), for what listparser does not keep
    (``type``, and the interval briefbot writes). Empty when the file is not well-formed XML."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        return {}
    out = {}
    for el in root.iter():
        if str(el.tag).rsplit("}", 1)[-1].lower() != "outline":
            continue
        attrs = {k.lower(): v for k, v in el.attrib.items()}
        if attrs.get("xmlurl"):
            out[attrs["xmlurl"].strip()] = attrs
    return out


def _kind(url: str, declared: str) -> str:
    declared = (declared or "").strip().lower()
    if declared in KINDS:
        return declared
    if "/wp-json/wp/v2/posts" in urlsplit(url).path:
        return "wordpress"
    return "rss"


def _topics(categories: list[list[str]]) -> str:
    words: list[str] = []
    for path in categories or []:
        if path:
            for word in path[-1].split():
                if word not in words:
                    words.append(word)
    return " ".join(words)


def read_opml(data: bytes) -> list[Outline]:
    """The feeds of an OPML file (bytes), in file order; OpmlError when it holds none."""
    import listparser

    if len(data) > MAX_BYTES:
        raise OpmlError(f"the file is {len(data) / 1_048_576:.1f} MiB; an OPML list is at most {MAX_BYTES // 1_048_576} MiB")
    if not isinstance(data, bytes):  # never a str: listparser would fetch a URL itself
        raise TypeError("read_opml takes bytes")
    parsed = listparser.parse(data)
    feeds = parsed.get("feeds") or []
    if not feeds:
        what = "an OPML file" if parsed.get("version") else "OPML (no <opml> element)"
        raise OpmlError(f"no feeds found: it is not {what} with <outline xmlUrl=…> entries" if parsed.get("version")
                        else f"it is not {what}")
    if len(feeds) > MAX_FEEDS:
        raise OpmlError(f"it lists {len(feeds):,} feeds; one import takes at most {MAX_FEEDS:,}")
    attributes = _attributes(data)
    out = []
    for feed in feeds:
        url = (feed.get("url") or "").strip()
        attrs = attributes.get(url, {})
        interval = attrs.get("briefbotinterval", "")
        out.append(Outline(
            url=url,
            name=" ".join((feed.get("title") or "").split()) or url,
            topics=_topics(feed.get("categories") or []),
            kind=_kind(url, attrs.get("type", "")),
            interval_s=int(interval) if interval.isdigit() else None,
        ))
    return out


def write_opml(sources: list[dict], *, title: str = "briefbot sources", now=None) -> str:
    """Sources (rows with kind, url, name, topics, interval_s) as an OPML 2.0 document: each an
    outline with its name, feed URL, type, and its topic words as categories."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">', "  <head>",
             f"    <title>{escape(title)}</title>"]
    if now is not None:
        lines.append(f"    <dateCreated>{format_datetime(now)}</dateCreated>")
    lines += ["  </head>", "  <body>"]
    for s in sources:
        if s.get("kind") == "file":
            continue
        name = s.get("name") or s["url"]
        attrs = [f"type={quoteattr(s.get('kind') or 'rss')}", f"text={quoteattr(name)}", f"title={quoteattr(name)}",
                 f"xmlUrl={quoteattr(s['url'])}"]
        topics = [t for t in re.split(r"[\s,]+", s.get("topics") or "") if t]
        if topics:
            attrs.append(f"category={quoteattr(','.join(topics))}")
        if s.get("interval_s"):
            attrs.append(f"briefbotInterval={quoteattr(str(int(s['interval_s'])))}")
        lines.append(f"    <outline {' '.join(attrs)}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def kind_name(kind: str) -> str:
    """A source kind in words."""
    return KIND_NAMES.get(kind, kind)


@dataclass
class ImportReport:
    """What an import did with each feed: added (with its new id), already followed, refused."""

    added: list[tuple[int, Outline]] = field(default_factory=list)
    existing: list[tuple[int, Outline]] = field(default_factory=list)
    refused: list[tuple[Outline, str]] = field(default_factory=list)


def import_outlines(db, outlines: list[Outline], *, allow=(), created_by: str = "cli", clock=None,
                    default_interval: int = 3600) -> ImportReport:
    """Add each outline as a source (no fetch: its first poll, due now, stores a baseline). A
    URL already followed is left as it is; one that is not http(s) with a host is refused with
    the reason. Addresses are checked at every poll, as for any source."""
    from ingest.fetch import AddressPolicy, FetchRefused
    from storage.clock import utcnow
    from storage.sources import add_source, find_source_by_url

    policy = AddressPolicy(allow)
    report = ImportReport()
    for outline in outlines:
        try:
            host, port = policy.check_scheme(outline.url)
            if re.fullmatch(r"[\d.]+|\[?[0-9a-fA-F:]+\]?", host):  # an address: checked now, no lookup needed
                policy.resolve(host, port, url=outline.url)
        except FetchRefused as exc:
            report.refused.append((outline, str(exc)))
            continue
        existing = find_source_by_url(db, outline.url)
        if existing is not None:
            report.existing.append((existing["id"], outline))
            continue
        interval = outline.interval_s if outline.interval_s and 300 <= outline.interval_s <= 7 * 86400 else default_interval
        source_id = add_source(db, kind=outline.kind, url=outline.url, name=outline.name, topics=outline.topics or None,
                               interval_s=interval, created_by=created_by, clock=clock or utcnow)
        report.added.append((source_id, outline))
    return report
