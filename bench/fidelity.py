"""Fidelity on public corpora: what briefbot stores from real feeds and pages, and what it loses.

Feeds: feedparser's test feeds (2,107 files; the ones kept in this repository by default). Each
file goes through the ingest path a user's file or a polled feed takes (detect the format,
decode, parse, store) and is compared with what feedparser itself reads from the same bytes:
every entry with a title or text must be stored, its title and text whole (every character a
reader sees, white space aside), with no mojibake in the encoding tests, and with the values
the feedparser test itself expects where it states one.

Pages: trafilatura's evaluation set (990 pages with ``with``/``without`` snippets). Each page
is ingested as a file and the stored body is scored the way trafilatura's own evaluation scores
an extractor (``tests/eval_common.py``: a snippet counts when it occurs in the text, white
space normalised; precision, recall and F1 over all snippets). A page stored as raw markup is
counted and named.

    python -m bench.fidelity                                          # the feeds kept here
    python -m bench.fidelity --feedparser ~/src/feedparser            # all 2,107 feeds
    python -m bench.fidelity --trafilatura ~/src/trafilatura          # the 990 pages
    python -m bench.fidelity --feedparser DIR --trafilatura DIR --show 20

DIR is a checkout of the project (or its ``tests`` folder).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEPT_FEEDS = ROOT / "tests" / "ingest" / "corpora" / "feedparser"

# The scripts the feedparser encoding tests are written in, by file name.
SCRIPTS = {
    "euckr": "HANGUL", "euc-kr": "HANGUL", "eucjp": "CJK|HIRAGANA|KATAKANA",
    "shiftjis": "CJK|HIRAGANA|KATAKANA", "koi8r": "CYRILLIC", "tis620": "THAI",
    "big5": "CJK", "gb2312": "CJK", "windows1255": "HEBREW",
}
# Markup left in stored text: a tag, a comment fragment, a CSS rule or a script.
RAW_MARKUP = re.compile(
    r"<(?:/?(?:html|head|body|div|span|p|a|script|style|meta|link|img|br|table|td|li|ul)\b[^>]*>|!--)"
    r"|-->|\{[^{}]{0,200}\b(?:display|margin|font-size|color)\s*:[^{}]*\}"
    r"|\bfunction\s*\([^)]*\)\s*\{|\bdocument\.(?:write|getElementById)\(",
    re.I,
)
_HEADER = re.compile(r"^Header:\s*([\w-]+):\s*(.*?)\s*$", re.M)
_EXPECT_ENCODING = re.compile(r"^Expect:.*\bencoding == '([\w-]+)'", re.M)
_EXPECT = re.compile(r"^Expect:\s*(.*?)\s*$", re.M)
# entries[0]['title'] == '…' and friends: the value feedparser's test says a reader gets.
_EXPECTED_VALUE = re.compile(
    r"entries\[(\d+)\]\[['\"](title|summary|description|content)['\"]\](?:\[0\]\[['\"]value['\"]\])?"
    r"\s*==\s*(u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"))"
)


@dataclass
class FeedFigures:
    """What happened to the entries of the feeds."""

    files: int = 0
    entries: int = 0  # entries feedparser reads with a title or text
    stored: int = 0
    refused: int = 0  # entries of feeds refused on purpose (XML entity declarations)
    titles_cut: int = 0
    bodies_cut: int = 0
    expected: int = 0  # values stated by the feedparser tests
    expected_met: int = 0
    encoding_files: int = 0
    mojibake: int = 0
    replaced: int = 0
    markup_left: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


@dataclass
class PageFigures:
    """The pages' scores and what was stored from them."""

    pages: int = 0
    stored: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    raw_markup: int = 0
    dated: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def scores(self) -> tuple[float, float, float]:
        """Precision, recall and F1 over every snippet."""
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 0.0
        return precision, recall, f1


# ----------------------------------------------------------------------------- feeds


def tests_folder(path: str | Path) -> Path:
    """The folder holding a corpus: ``path`` itself or its ``tests`` subfolder."""
    path = Path(path).expanduser()
    return path / "tests" if (path / "tests").is_dir() else path


def feed_files(folder: Path) -> list[Path]:
    """Every test feed under ``folder``, sorted."""
    return sorted(p for p in folder.rglob("*") if p.suffix in (".xml", ".json") and p.is_file()
                  and p.name != "evaldata.json")


def _headers(data: bytes) -> dict[str, str]:
    head = data[:2048].decode("latin-1")
    return {k.lower(): v for k, v in _HEADER.findall(head)}


def reader_text(value: str, kind: str | None) -> str:
    """What a careful reader sees of a feed value: HTML rendered to its text (scripts, styles
    and comments unseen), anything else as written."""
    if not value:
        return ""
    if kind and "html" in kind:
        import lxml.html
        from lxml import etree

        # An iframe's content is the text shown where frames are not; the parser would read it raw.
        value = re.sub(r"</?iframe\b[^>]*>", " ", value, flags=re.I)
        root = etree.fromstring(value, lxml.html.HTMLParser(remove_comments=True))
        if root is None:
            return ""  # nothing a browser would show
        return "".join(root.xpath("//text()[not(ancestor::script or ancestor::style)]"))
    return value


def _squash(text: str) -> str:
    # Case aside: a copy differing only in case is stored once, by design.
    return "".join(unicodedata.normalize("NFC", text).casefold().split())


def _entry_texts(entry) -> tuple[str, str]:
    title = reader_text(entry.get("title", ""), (entry.get("title_detail") or {}).get("type"))
    candidates = [(c.get("value", ""), c.get("type")) for c in entry.get("content") or []]
    if entry.get("summary") and not candidates:
        # feedparser gives no summary_detail when the summary is a copy of the content
        candidates.append((entry["summary"], (entry.get("summary_detail") or {}).get("type", "text/html")))
    texts = [reader_text(v, t) for v, t in candidates]
    body = max(texts, key=lambda t: len(_squash(t)), default="")
    return title, body


def _value_type(entry, key: str) -> str:
    if key == "title":
        detail = entry.get("title_detail") or {}
    elif key == "content":
        detail = (entry.get("content") or [{}])[0]
    else:
        detail = entry.get("summary_detail") or {}
    return detail.get("type") or ("text/plain" if key == "title" else "text/html")


def _mojibake(text: str) -> bool:
    """Text decoded with the wrong charset: replacement characters, or UTF-8 read as a
    Western single-byte charset ("Ã©", "Â")."""
    if "\ufffd" in text:
        return True
    for codec in ("cp1252", "latin-1"):
        try:
            again = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if again != text:
            return True
    return False


def _script_ok(text: str, scripts: str) -> bool:
    wanted = scripts.split("|")
    letters = [c for c in text if c.isalpha() and ord(c) > 127]
    if not letters:
        return False
    hits = sum(1 for c in letters if any(w in unicodedata.name(c, "") for w in wanted))
    return hits / len(letters) > 0.9


def _expected_values(data: bytes) -> list[tuple[int, str, str]]:
    head = data[:4096].decode("latin-1")
    out = []
    for expect in _EXPECT.findall(head):
        for index, key, literal in _EXPECTED_VALUE.findall(expect):
            try:
                # The comment is read as Latin-1: its \u escapes are what carry non-ASCII.
                value = ast.literal_eval(literal)
            except (ValueError, SyntaxError):
                continue
            if isinstance(value, str):
                out.append((int(index), key, value))
    return out


def run_feeds(folder: Path, figures: FeedFigures, show: int) -> None:
    """Ingest every test feed under ``folder`` and compare with feedparser's own reading."""
    import feedparser

    from ingest.parse import ParseError, parse_bytes
    from storage.articles import store_articles
    from storage.db import open_db

    files = feed_files(folder)
    with tempfile.TemporaryDirectory(prefix="briefbot-fidelity-") as tmp:
        db = open_db(os.path.join(tmp, "feeds.db"))
        started = time.perf_counter()
        for path in files:
            figures.files += 1
            data = path.read_bytes()
            rel = path.relative_to(folder).as_posix()
            headers = _headers(data)
            ctype = headers.get("content-type")
            base = headers.get("content-location")
            if path.suffix == ".json":
                reference = []
            else:
                # What the test says the charset is, when it says so (feedparser alone would
                # read an undeclared EUC-KR feed as windows-1252).
                stated = _EXPECT_ENCODING.search(data[:2048].decode("latin-1"))
                ref_headers = dict(headers)
                if stated:
                    ref_headers["content-type"] = f"application/xml; charset={stated.group(1)}"
                reference = feedparser.parse(data, response_headers=ref_headers,
                                             sanitize_html=False).get("entries") or []
            wanted = [(e, *_entry_texts(e)) for e in reference]
            wanted = [w for w in wanted if _squash(w[1]) or _squash(w[2])]
            figures.entries += len(wanted)
            try:
                parsed = parse_bytes(data, path=rel, url=base, content_type=ctype)
                articles = parsed.articles if parsed.kind in ("feed", "jsonfeed") else []
            except ParseError as exc:
                if "entit" in str(exc):
                    figures.refused += len(wanted)
                    continue
                articles = []
                if wanted:
                    figures.problems.append(f"{rel}: {len(wanted)} entries lost: {exc}")
            results = store_articles(db, articles, input_label=rel) if articles else []
            rows = {r[0]: r for r in db.execute(
                f"SELECT id, title, body FROM articles WHERE id IN ({','.join('?' * len(results))})",
                [r.article_id for r in results],
            )} if results else {}
            stored = [rows.get(r.article_id) for r in results]
            stored = [s for s in stored if s is not None]
            if path.suffix == ".json":
                figures.entries += len(articles)
                figures.stored += len(stored)
                continue
            if len(stored) < len(wanted):
                figures.problems.append(f"{rel}: {len(wanted)} entries, {len(stored)} stored")
            figures.stored += min(len(stored), len(wanted))
            # Entries with a title or text come out in feed order, one article each. Where bytes
            # were invalid and replaced (with a warning), feedparser's own reading is no reference.
            replaced = any("replaced" in w for a in articles for w in a.warnings)
            for (_, title, body), row in zip([] if replaced else wanted, stored, strict=False):
                _, got_title, got_body = row
                if _squash(title) and _squash(title) not in _squash(got_title):
                    figures.titles_cut += 1
                    figures.problems.append(f"{rel}: title {title[:60]!r} stored as {got_title[:60]!r}")
                if _squash(body) and _squash(body) not in _squash(got_body):
                    figures.bodies_cut += 1
                    figures.problems.append(f"{rel}: text {body[:60]!r} stored as {got_body[:60]!r}")
                seen = RAW_MARKUP.findall(got_title + " " + got_body)
                if any(m not in title + " " + body for m in seen):  # "<br />" in a code sample is text
                    figures.markup_left += 1
                    figures.problems.append(f"{rel}: markup left in {(got_title + ' ' + got_body)[:80]!r}")
            for index, key, value in _expected_values(data):
                entry = reference[index] if index < len(reference) else {}
                if key in ("summary", "description") and entry.get("content"):
                    continue  # the content is stored; its teaser is not the article
                text = reader_text(value, _value_type(entry, key))
                if not _squash(text):
                    continue  # nothing a reader sees (an empty element, an image)
                figures.expected += 1
                row = stored[index] if index < len(stored) else None
                got = (row[1] if key == "title" else row[2]) if row else ""
                if row and _squash(text) in _squash(got):
                    figures.expected_met += 1
                else:
                    figures.problems.append(f"{rel}: expected {key} {value[:60]!r}, stored {got[:60]!r}")
            if rel.startswith(("encoding/", "illformed/chardet/")) and stored:
                figures.encoding_files += 1
                text = " ".join(f"{t} {b}" for _, t, b in stored)
                script = next((s for k, s in SCRIPTS.items() if path.stem.replace("_", "-").startswith(k)), None)
                warned = any("replaced" in w for a in articles for w in a.warnings)
                if warned:  # bytes invalid in any charset, replaced and said so
                    figures.replaced += 1
                    figures.problems.append(f"{rel}: bytes replaced, with a warning: {text[:80]!r}")
                elif _mojibake(text) or (script and not _script_ok(text, script)):
                    figures.mojibake += 1
                    figures.problems.append(f"{rel}: mojibake: {text[:80]!r}")
        figures.seconds = time.perf_counter() - started
        db.close()
    if show:
        for line in figures.problems[:show]:
            print("  ", line)


# ----------------------------------------------------------------------------- pages


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def score_page(item: dict, text: str | None) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of one page, as trafilatura's evaluation counts them."""
    if isinstance(text, str):
        normed = _norm(text)
        tp = sum(1 for w in item["with"] if _norm(w) in normed)
        fp = sum(1 for w in item["without"] if _norm(w) in normed)
    else:
        tp = fp = 0
    return tp, fp, len(item["with"]) - tp, len(item["without"]) - fp


def _resolve(folder: Path, name: str) -> Path | None:
    for sub in ("cache", "eval"):
        path = folder / sub / name
        if path.is_file():
            return path
    return None


def run_pages(folder: Path, figures: PageFigures, show: int) -> None:
    """Ingest every evaluation page as a file and score the stored bodies."""
    from ingest.pipeline import ingest_paths
    from storage.db import open_db

    evaldata = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    items = []
    for url in sorted(evaldata):
        path = _resolve(folder, evaldata[url]["file"])
        if path is None:
            figures.problems.append(f"{evaldata[url]['file']}: not found")
            continue
        items.append((url, evaldata[url], path))
    with tempfile.TemporaryDirectory(prefix="briefbot-fidelity-") as tmp:
        db = open_db(os.path.join(tmp, "pages.db"))
        started = time.perf_counter()
        report = ingest_paths(db, [p for _, _, p in items])
        figures.seconds = time.perf_counter() - started
        for (_, item, path), outcome in zip(items, report.inputs, strict=True):
            figures.pages += 1
            row = None
            if outcome.article_ids:
                row = db.execute("SELECT title, body, published FROM articles WHERE id = ?",
                                 [outcome.article_ids[0]]).fetchone()
            if row is None:
                figures.problems.append(f"{path.name}: nothing stored: {outcome.message}")
            else:
                figures.stored += 1
                figures.dated += row[2] is not None
                if RAW_MARKUP.search(row[1]):
                    figures.raw_markup += 1
                    figures.problems.append(f"{path.name}: markup in the body: "
                                            f"{RAW_MARKUP.search(row[1]).group(0)[:60]!r}")
            tp, fp, fn, tn = score_page(item, row[1] if row else None)
            figures.tp += tp
            figures.fp += fp
            figures.fn += fn
            figures.tn += tn
        db.close()
    if show:
        for line in figures.problems[:show]:
            print("  ", line)


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fidelity", description=__doc__.split("\n\n")[0])
    parser.add_argument("--feedparser", metavar="DIR",
                        help="a feedparser checkout (or its tests folder); default: the feeds kept in "
                             "tests/ingest/corpora/feedparser")
    parser.add_argument("--trafilatura", metavar="DIR",
                        help="a trafilatura checkout (or its tests folder) for the page evaluation")
    parser.add_argument("--show", type=int, default=10, help="problems to list per corpus (default 10)")
    args = parser.parse_args(argv)
    import trafilatura

    from bot import __version__

    print(f"briefbot {__version__} fidelity; trafilatura {trafilatura.__version__}")
    failed = False
    feeds = tests_folder(args.feedparser) if args.feedparser else KEPT_FEEDS
    if not feeds.is_dir():
        print(f"no feeds at {feeds}", file=sys.stderr)
        return 2
    f = FeedFigures()
    run_feeds(feeds, f, args.show)
    print(f"feeds: {f.files:,} files, {f.entries:,} entries with a title or text, {f.stored:,} stored "
          f"({f.refused} in feeds refused for declaring XML entities) in {f.seconds:.1f}s")
    print(f"  fields cut: {f.titles_cut} titles, {f.bodies_cut} texts; markup left in {f.markup_left}")
    print(f"  values the feedparser tests expect: {f.expected_met}/{f.expected}")
    print(f"  encoding tests: {f.encoding_files} files stored, {f.mojibake} with mojibake, "
          f"{f.replaced} with invalid bytes replaced and a warning")
    lost = f.entries - f.refused - f.stored
    failed |= bool(lost or f.titles_cut or f.bodies_cut or f.mojibake)
    if args.trafilatura:
        pages = tests_folder(args.trafilatura)
        p = PageFigures()
        run_pages(pages, p, args.show)
        precision, recall, f1 = p.scores()
        print(f"pages: {p.pages} pages, {p.stored} stored ({p.dated} with a date), "
              f"{p.raw_markup} stored as raw markup, in {p.seconds:.1f}s")
        print(f"  snippets: precision {precision:.4f}, recall {recall:.4f}, F1 {f1:.4f} "
              f"(tp {p.tp}, fp {p.fp}, fn {p.fn}, tn {p.tn}; goal F1 >= 0.92)")
        failed |= f1 < 0.92 or bool(p.raw_markup)
    print("command:", " ".join(["python -m bench.fidelity", *(argv if argv is not None else sys.argv[1:])]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
