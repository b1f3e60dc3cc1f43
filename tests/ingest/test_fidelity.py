"""Nothing lost, nothing garbled: feeds and pages as real sites publish them, ingested as a user
does (files through the ingest pipeline into a real database, or the ``briefbot`` command),
checked for what the user then sees and for what must still be there."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ingest.parse import ParseError, parse_bytes
from ingest.pipeline import ingest_paths
from storage.db import open_db
from tests.clirun import briefbot, clean_env

CORPUS = Path(__file__).resolve().parent / "corpora" / "feedparser"


@pytest.fixture
def db(tmp_path):
    db = open_db(tmp_path / "f.db")
    yield db
    db.close()


def _rows(db, sql="SELECT title, url, body FROM articles ORDER BY id"):
    return [tuple(r) for r in db.execute(sql).fetchall()]


def _rss(items: str, channel: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Chip Wire</title>'
        f"{channel}{items}</channel></rss>"
    ).encode()


def _item(title: str, link: str | None = None, description: str = "", guid: str | None = None,
          date: str | None = None) -> str:
    parts = [f"<title>{title}</title>"]
    if link:
        parts.append(f"<link>{link}</link>")
    if guid:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    parts.append(f"<description>{description}</description>")
    return "<item>" + "".join(parts) + "</item>"


def _cli_ingest(tmp_path, *paths):
    result = briefbot("--db", str(tmp_path / "cli.db"), "ingest", *map(str, paths),
                      env=clean_env(), timeout=120)
    return result, result.stdout.splitlines()


# ----------------------------------------------------------------------------- storage identity


TEASER = "Read the full story on our website."


def test_three_feed_items_sharing_a_teaser_are_three_articles(tmp_path):
    feed = tmp_path / "wire.xml"
    feed.write_bytes(_rss(
        _item("Samsung opens HBM line in Pyeongtaek", "https://wire.example.com/1", TEASER)
        + _item("SK hynix signs packaging MOU with MOTIE", "https://wire.example.com/2", TEASER)
        + _item("Hana Micron expands test plant in Cheonan", "https://wire.example.com/3", TEASER)
    ))
    result, lines = _cli_ingest(tmp_path, feed)
    assert result.returncode == 0, result.stderr
    assert lines[0].split() == ["new", str(feed), "3", "articles:", "3", "new"]
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        stored = conn.execute("SELECT title, url, body FROM articles ORDER BY id").fetchall()
    assert stored == [
        ("Samsung opens HBM line in Pyeongtaek", "https://wire.example.com/1", TEASER),
        ("SK hynix signs packaging MOU with MOTIE", "https://wire.example.com/2", TEASER),
        ("Hana Micron expands test plant in Cheonan", "https://wire.example.com/3", TEASER),
    ]


def test_three_press_releases_under_one_link_stay_three(db, tmp_path):
    link = "https://motie.example.go.kr/press"
    releases = [
        ("MOTIE funds advanced packaging", "The ministry will spend 274.4 billion won on packaging."),
        ("MOTIE and KSIA sign MOU on chiplets", "The ministry and the KSIA agreed on chiplet standards."),
        ("MOTIE opens glass substrate consortium", "Eleven firms joined the glass substrate consortium."),
    ]
    (tmp_path / "press.xml").write_bytes(_rss("".join(_item(t, link, d) for t, d in releases)))
    report = ingest_paths(db, [tmp_path / "press.xml"])
    assert _rows(db, "SELECT title, body FROM articles ORDER BY id") == releases
    [outcome] = report.inputs
    assert (outcome.new, outcome.updated, outcome.duplicate) == (3, 0, 0)
    # the same file again: three duplicates, nothing overwritten
    again = ingest_paths(db, [tmp_path / "press.xml"])
    assert again.inputs[0].describe() == "3 articles: 3 duplicate"
    assert _rows(db, "SELECT title, body FROM articles ORDER BY id") == releases


def test_an_older_copy_never_replaces_the_newer_one(db, tmp_path):
    url = "https://wire.example.com/2024/09/packaging?utm_source=rss"
    newer = _item("Packaging fund doubled", url, "The fund was doubled to 548.8 billion won on Monday.",
                  date="Tue, 03 Sep 2024 09:00:00 GMT")
    older = _item("Packaging fund doubled", url.split("?")[0], "The fund may be doubled, officials said.",
                  date="Sun, 01 Sep 2024 09:00:00 GMT")
    (tmp_path / "today.xml").write_bytes(_rss(newer))
    (tmp_path / "z-last-week.xml").write_bytes(_rss(older))
    report = ingest_paths(db, [tmp_path / "today.xml", tmp_path / "z-last-week.xml"])
    assert [i.outcome for i in report.inputs] == ["new", "duplicate"]
    assert "older copy" in report.inputs[1].message and "the newer one is kept" in report.inputs[1].message
    assert _rows(db, "SELECT body, published FROM articles") == [
        ("The fund was doubled to 548.8 billion won on Monday.", "2024-09-03T09:00:00+00:00")
    ]


def test_the_per_file_line_counts_what_was_stored_and_adds_up(tmp_path):
    first = tmp_path / "a.xml"
    first.write_bytes(_rss(_item("Protec ships laser reflow tools", "https://wire.example.com/p", "Protec shipped tools.")))
    both = tmp_path / "b.xml"
    both.write_bytes(_rss(
        _item("Protec ships laser reflow tools", "https://wire.example.com/p", "Protec shipped tools.")
        + _item("Symtec raises probe card output", "https://wire.example.com/s", "Symtec raised output.")
        + _item("Sapeon Korea wins AI chip order", "https://wire.example.com/k", "Sapeon won an order.")
    ))
    result, lines = _cli_ingest(tmp_path, first, both)
    assert result.returncode == 0, result.stderr
    assert lines[0].startswith(f"new       {first}  Protec ships laser reflow tools")
    assert lines[1] == f"new       {both}  3 articles: 2 new, 1 duplicate"
    assert lines[-1].startswith("2 inputs: 2 new, 0 updated, 0 duplicate, 0 failed; 3 articles in ")
    assert lines[-1].endswith("(3 new, 0 updated, 1 duplicate)")


# ----------------------------------------------------------------------------- text handling


def test_a_less_than_sign_in_plain_text_keeps_the_rest_of_the_field(db, tmp_path):
    title = "Revenue &lt; forecast as chip demand slows"  # escaped once: the title is plain text
    body = "Revenue &amp;lt; forecast for the quarter, &lt;p&gt;the company said&lt;/p&gt;, as x&amp;lt;y."
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><entry><id>urn:x:1</id>'
        '<title type="text">Memory &lt;b&gt;prices&lt;/b&gt; &lt; 2023 levels</title>'
        '<content type="text">Prices &lt; last year, &lt;br&gt; said nobody.</content></entry></feed>'
    )
    (tmp_path / "rss.xml").write_bytes(_rss(_item(title, "https://wire.example.com/r", body)))
    (tmp_path / "atom.xml").write_text(atom, encoding="utf-8")
    ingest_paths(db, [tmp_path / "rss.xml", tmp_path / "atom.xml"])
    assert _rows(db, "SELECT title, body FROM articles ORDER BY id") == [
        ("Revenue < forecast as chip demand slows", "Revenue < forecast for the quarter,\n\nthe company said\n\n, as x<y."),
        # Atom says these are text: what is written is what a reader sees, brackets and all
        ("Memory <b>prices</b> < 2023 levels", "Prices < last year, <br> said nobody."),
    ]


def test_a_json_feed_and_a_wordpress_post_keep_plain_brackets_too(db, tmp_path):
    (tmp_path / "feed.json").write_text(json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Wire",
        "items": [{"id": "1", "title": "Revenue < forecast as chip demand slows",
                   "content_text": "Shipments < 10 million units, the firm said."}],
    }), encoding="utf-8")
    (tmp_path / "post.json").write_text(json.dumps({
        "id": 7, "link": "https://blog.example.com/7", "date": "2025-01-02T03:04:05",
        "title": {"rendered": "Yield &lt; 60% at the new fab"},
        "content": {"rendered": "<p>Yield stayed < 60% for a month, and x<y held.</p>"},
    }), encoding="utf-8")
    ingest_paths(db, [tmp_path / "feed.json", tmp_path / "post.json"])
    assert _rows(db, "SELECT title, body FROM articles ORDER BY id") == [
        ("Revenue < forecast as chip demand slows", "Shipments < 10 million units, the firm said."),
        ("Yield < 60% at the new fab", "Yield stayed < 60% for a month, and x<y held."),
    ]


def test_comment_fragments_and_scripts_never_reach_the_text(db):
    # feedparser's own "crazy HTML" test: comments around script tags, a script in a comment
    path = CORPUS / "wellformed/sanitize/item_description_crazy.xml"
    report = ingest_paths(db, [path])
    assert report.inputs[0].outcome == "new"
    [(title, body)] = _rows(db, "SELECT title, body FROM articles")
    assert "-->" not in body and "<!--" not in body and "executeMe" not in body and "alert(" not in body
    assert body == (
        "Crazy HTML -- Can Your Regex Parse This?\n\nDid The Javascript Execute?\n\n"
        "I will execute here, too, if you mouse over me"
    )


def test_titles_are_on_one_line(db, tmp_path):
    (tmp_path / "wire.xml").write_bytes(_rss(
        _item("Samsung &lt;br&gt; opens\n\n   HBM line", "https://wire.example.com/1", "Text one."),
    ).replace(b"<title>Samsung", b'<title type="html">Samsung'))
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><entry><id>urn:x:2</id>'
        '<title type="html">&lt;p&gt;SK hynix&lt;/p&gt;&lt;p&gt;ships HBM4&lt;/p&gt;</title>'
        "<summary>Text two.</summary></entry></feed>"
    )
    (tmp_path / "atom.xml").write_text(atom, encoding="utf-8")
    (tmp_path / "post.json").write_text(json.dumps({
        "id": 3, "title": {"rendered": "LG Chem\n<br />glass substrates"},
        "content": {"rendered": "<p>Text three.</p>"},
    }), encoding="utf-8")
    ingest_paths(db, [tmp_path / "wire.xml", tmp_path / "atom.xml", tmp_path / "post.json"])
    titles = [r[0] for r in _rows(db, "SELECT title FROM articles ORDER BY id")]
    assert titles[1:] == ["SK hynix ships HBM4", "LG Chem glass substrates"]
    assert titles[0] in ("Samsung opens HBM line", "Samsung <br> opens HBM line")
    assert not any("\n" in t for t in titles)


# ----------------------------------------------------------------------------- format detection


def test_a_feed_that_opens_with_a_long_comment_is_a_feed(db, tmp_path):
    # as feedparser's own test feeds open (no XML declaration, a comment first), but longer
    licence = ("<!--\n" + "This feed is provided for personal, non-commercial use. " * 100
               + "Terms: <a href=\"https://wire.example.com/terms\">wire.example.com/terms</a>\n-->\n")
    items = "".join(_item(f"Story {n} on chiplets", f"https://wire.example.com/{n}", f"Chiplet text {n}.")
                    for n in range(1, 4))
    data = licence.encode() + _rss(items).split(b"?>", 1)[1]
    assert data.index(b"<rss") > 5_000 and b"<?xml" not in data
    (tmp_path / "commented.xml").write_bytes(data)
    report = ingest_paths(db, [tmp_path / "commented.xml"])
    assert [r[0] for r in _rows(db)] == ["Story 1 on chiplets", "Story 2 on chiplets", "Story 3 on chiplets"]
    assert report.inputs[0].describe() == "3 articles: 3 new"


ARTICLE = (
    "<article><h1>Hana Micron opens a test line in Cheonan</h1>"
    "<p>Hana Micron, a South Korean outsourced semiconductor assembly and test company, opened a "
    "new advanced packaging test line in Cheonan on Wednesday, investing 120 billion won.</p>"
    "<p>The line will test high-bandwidth memory stacks for export customers from next year, the "
    "company said in a statement, adding that it would hire two hundred engineers.</p></article>"
)


@pytest.mark.parametrize("prefix", [
    "<style>\n" + ".card-grid .item { margin: 0 4px; display: flex; color: #333; }\n" * 120 + "</style>\n",
    "<br />\n<b>Warning</b>:  Undefined variable $sidebar in <b>/var/www/html/wp-content/themes/x/header.php"
    "</b> on line <b>12</b><br />\n" * 40,
    "Warning: Cannot modify header information - headers already sent by (output started at "
    "/var/www/html/wp-config.php:1) in /var/www/html/wp-includes/pluggable.php on line 1435\n" * 40,
], ids=["long-style-block", "php-warnings-html", "php-warnings-text"])
def test_a_page_behind_styles_or_php_warnings_is_stored_as_text(db, tmp_path, prefix):
    page = prefix + "<!DOCTYPE html><html><head><title>Test line</title><script>var x = 1;</script></head>" \
        f"<body><nav>Home | News</nav>{ARTICLE}</body></html>"
    assert len(prefix) > 4096
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    report = ingest_paths(db, [tmp_path / "page.html"])
    assert report.inputs[0].outcome == "new", report.inputs[0].message
    [(title, _, body)] = _rows(db)
    assert "Hana Micron, a South Korean outsourced semiconductor assembly and test company" in body
    assert "two hundred engineers" in body
    for markup in ("<", "{", "margin:", "Warning", "var x", "/var/www"):
        assert markup not in body and markup not in title


def test_code_after_a_self_closed_script_tag_stays_out_of_the_text(db, tmp_path):
    # "<script …/>" does not close in HTML: a browser runs what follows up to "</script>"
    page = ("<!DOCTYPE html><html><head><title>Test line</title></head><body>"
            '<script type="text/javascript"/>\n(function() { document.addEventListener("load", '
            "function() { var componentMetadata = JSON.parse('{}'); }); })();\n</script>"
            f"{ARTICLE}</body></html>")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    ingest_paths(db, [tmp_path / "page.html"])
    [(_, _, body)] = _rows(db)
    assert "two hundred engineers" in body
    assert "function" not in body and "componentMetadata" not in body


def test_a_file_that_is_only_a_comment_is_not_an_article(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a-only-comment.xml").write_text(
        '<?xml version="1.0"?>\n<!-- This feed has moved to https://wire.example.com/rss -->\n', encoding="utf-8")
    (inbox / "b-good.xml").write_bytes(_rss(_item("Symtec ships probe cards", "https://wire.example.com/s", "Text.")))
    result, lines = _cli_ingest(tmp_path, inbox)
    assert result.returncode == 1
    assert lines[0] == (f"error     {inbox / 'a-only-comment.xml'}  (only markup comments or declarations, "
                        "no content: not an article, a feed or a page)")
    assert lines[1].startswith(f"new       {inbox / 'b-good.xml'}  Symtec ships probe cards")
    assert "Traceback" not in result.stdout + result.stderr
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        assert conn.execute("SELECT title FROM articles").fetchall() == [("Symtec ships probe cards",)]


# ----------------------------------------------------------------------------- charsets


@pytest.mark.parametrize(("name", "title", "phrase"), [
    ("euckr.xml", "EUC-KR 에서 TypeKey 한글닉네임 표시하기", "TypeKey 시스템이 UTF-8로 돌아가는데"),
    ("eucjp.xml", "ゲーム三昧な正月", "『SDガンダムGジェネレーションNEO』をずっとプレイしている。"),
    ("koi8r.xml", "Как пережить новогоднюю ночь", "Наверное, единственное, во что сегодня можно верить"),
    ("tis620.xml", None, "สำนักงานส่งเสริมอุตสาหกรรมซอฟต์แวร์แห่งชาติ หรือ SIPA"),
])
def test_a_feed_with_no_charset_declared_is_read_in_its_charset(db, name, title, phrase):
    # feedparser's own tests: feeds in EUC-KR, EUC-JP, KOI8-R, TIS-620 that declare nothing
    path = CORPUS / "illformed/chardet" / name
    assert b"encoding=" not in path.read_bytes() and b"charset" not in path.read_bytes()
    report = ingest_paths(db, [path])
    assert report.inputs[0].outcome in ("new", "warning")
    [(stored_title, _, body)] = _rows(db)
    if title:
        assert stored_title == title
    assert phrase in body
    assert "\ufffd" not in stored_title + body


def test_a_short_latin_1_text_is_read_as_latin_1(db, tmp_path):
    # Detection alone finds several charsets that fit these bytes (cp1250, cp1257, …); the one
    # the web uses most wins, so "à" is not read as "ŕ" nor "é" as "ķ".
    (tmp_path / "note.txt").write_bytes(
        "Société Générale: accord signé à Crolles\n\n"
        "La banque finance la nouvelle usine de puces à Crolles.\n".encode("latin-1"))
    ingest_paths(db, [tmp_path / "note.txt"])
    [(title, _, body)] = _rows(db)
    assert title == "Société Générale: accord signé à Crolles"
    assert body == "La banque finance la nouvelle usine de puces à Crolles."


# ----------------------------------------------------------------------------- links and cut posts


def test_relative_links_in_a_feed_file_are_resolved(db, tmp_path):
    (tmp_path / "channel.xml").write_bytes(_rss(
        _item("Relative to the channel", "/news/1", "Text one."), channel="<link>https://wire.example.com/</link>"))
    (tmp_path / "base.xml").write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example.org/blog/">'
        '<title>Atom</title><entry><id>urn:x:9</id><title>Relative to xml:base</title>'
        '<link rel="alternate" href="posts/9"/><summary>Text two.</summary></entry></feed>', encoding="utf-8")
    (tmp_path / "nobase.xml").write_bytes(_rss(_item("No base at all", "/news/3", "Text three.")))
    report = ingest_paths(db, [tmp_path / "base.xml", tmp_path / "channel.xml", tmp_path / "nobase.xml"])
    assert [r[:2] for r in _rows(db)] == [
        ("Relative to xml:base", "https://atom.example.org/blog/posts/9"),
        ("Relative to the channel", "https://wire.example.com/news/1"),
        ("No base at all", "/news/3"),
    ]
    assert "relative link kept as written" in report.inputs[2].message


def test_a_polled_feed_resolves_relative_links_against_its_address():
    # feedparser's test "item link relative to document URI", read as the fetcher hands it over
    data = (CORPUS / "wellformed/base/http_item_link_base_docuri.xml").read_bytes()
    data = data.replace(b"<item>", b"<item><title>Relative</title>")
    [article] = parse_bytes(data, url="http://127.0.0.1:8097/feeds/rss.xml").articles
    assert article.url == "http://127.0.0.1:8097/relative/uri"


def _wp_post(n: int) -> dict:
    return {
        "id": n, "date": f"2025-02-0{n}T09:00:00", "link": f"https://blog.example.com/{n}",
        "guid": {"rendered": f"https://blog.example.com/?p={n}"},
        "title": {"rendered": f"Post {n}: packaging news"},
        "content": {"rendered": f"<p>Paragraph one of post {n}.</p>" + f"<p>More text of post {n}.</p>" * 20},
    }


def test_a_wordpress_post_list_cut_at_60_percent_keeps_every_whole_post(db, tmp_path):
    whole = json.dumps([_wp_post(n) for n in range(1, 6)], indent=1).encode()
    cut = whole[: int(len(whole) * 0.6)]
    (tmp_path / "posts.json").write_bytes(cut)
    report = ingest_paths(db, [tmp_path / "posts.json"])
    [outcome] = report.inputs
    stored = _rows(db, "SELECT title, body, partial FROM articles ORDER BY id")
    assert [t for t, _, _ in stored] == ["Post 1: packaging news", "Post 2: packaging news", "Post 3: packaging news"]
    for n, (_, body, partial) in enumerate(stored, 1):
        assert body.startswith(f"Paragraph one of post {n}.") and body.count(f"More text of post {n}.") == 20
        assert partial == 0
    assert outcome.outcome == "warning"
    assert outcome.message == "the WordPress post list was cut off: 3 whole posts kept"
    assert outcome.describe() == "3 articles: 3 new"


def test_a_post_cut_mid_text_is_kept_as_partial_beside_the_whole_ones(db, tmp_path):
    whole = json.dumps([_wp_post(n) for n in range(1, 6)], indent=1).encode()
    cut = whole[: whole.index(b"More text of post 4.") + 400]
    (tmp_path / "posts.json").write_bytes(cut)
    report = ingest_paths(db, [tmp_path / "posts.json"])
    [outcome] = report.inputs
    stored = _rows(db, "SELECT title, body, partial FROM articles ORDER BY id")
    assert [(t, p) for t, _, p in stored] == [
        ("Post 1: packaging news", 0), ("Post 2: packaging news", 0), ("Post 3: packaging news", 0),
        ("Post 4: packaging news", 1),
    ]
    assert stored[3][1].startswith("Paragraph one of post 4.\n\nMore text of post 4.")
    assert outcome.outcome == "warning" and "partial" in outcome.message
    assert outcome.describe() == "4 articles: 4 new"


def test_a_wordpress_list_cut_before_the_next_title_keeps_the_whole_posts_and_says_so():
    whole = json.dumps([_wp_post(n) for n in range(1, 4)]).encode()
    cut = whole[: whole.index(b'"title"', whole.index(b'"id": 3'))]
    result = parse_bytes(cut)
    assert [a.title for a in result.articles] == ["Post 1: packaging news", "Post 2: packaging news"]
    assert any("cut off: 2 whole posts kept" in w for w in result.warnings)


def test_a_wordpress_list_cut_before_any_post_is_a_clear_error():
    with pytest.raises(ParseError, match="cut off before any whole post"):
        parse_bytes(b'[{"id": 1, "title": {"rendered": "Cut')
