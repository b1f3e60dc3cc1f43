"""OPML in and out: a reader's subscription list becomes sources with names and topics, and the
export read back gives the same feeds, names, topics and kinds."""

from __future__ import annotations

import pytest

from ingest.opml import OpmlError, import_outlines, read_opml, write_opml
from storage.sources import add_source, list_sources
from tests.clirun import briefbot, clean_env

# As feed readers write it: folders, categories, a feed listed twice, an outline without a feed.
READER_OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Subscriptions</title></head>
  <body>
    <outline text="Chips" title="Chips">
      <outline type="rss" text="Korea Herald &amp; Co" title="Korea Herald" xmlUrl="https://www.koreaherald.com/rss/020100000000.xml" htmlUrl="https://www.koreaherald.com/"/>
      <outline type="rss" text="EE Times Asia" xmlUrl="https://www.eetasia.com/feed/" category="/packaging,HBM"/>
    </outline>
    <outline text="Policy">
      <outline text="MOTIE press" type="rss" xmlUrl="https://www.motie.go.kr/rss/press.xml"/>
      <outline text="Korea Herald &amp; Co" type="rss" xmlUrl="https://www.koreaherald.com/rss/020100000000.xml"/>
    </outline>
    <outline text="KoreaPro" type="wordpress" xmlUrl="https://koreapro.org/wp-json/wp/v2/posts"/>
    <outline text="A page, not a feed" htmlUrl="https://example.org/about"/>
  </body>
</opml>
"""


def test_a_readers_list_becomes_sources_with_names_and_topics(services):
    outlines = read_opml(READER_OPML)
    assert [(o.name, o.url, o.topics, o.kind) for o in outlines] == [
        ("Korea Herald & Co", "https://www.koreaherald.com/rss/020100000000.xml", "Chips Policy", "rss"),
        ("EE Times Asia", "https://www.eetasia.com/feed/", "packaging HBM Chips", "rss"),
        ("MOTIE press", "https://www.motie.go.kr/rss/press.xml", "Policy", "rss"),
        ("KoreaPro", "https://koreapro.org/wp-json/wp/v2/posts", "", "wordpress"),
    ]
    report = import_outlines(services.db, outlines)
    assert len(report.added) == 4 and not report.refused
    rows = list_sources(services.db)
    assert [(r["name"], r["topics"], r["kind"], r["baseline_done"]) for r in rows] == [
        ("Korea Herald & Co", "Chips Policy", "rss", 0), ("EE Times Asia", "packaging HBM Chips", "rss", 0),
        ("MOTIE press", "Policy", "rss", 0), ("KoreaPro", None, "wordpress", 0)]
    again = import_outlines(services.db, outlines)
    assert len(again.existing) == 4 and not again.added  # importing twice adds nothing


def test_the_round_trip_keeps_every_feed_name_topic_kind_and_interval(services, tmp_path):
    from bot.app import Services
    from bot.config import Settings

    add_source(services.db, kind="rss", url="https://a.example/feed.xml", name="A <News> & \"Views\"", topics="packaging HBM")
    add_source(services.db, kind="atom", url="https://b.example/atom?x=1&y=2", name="한국 뉴스", topics="반도체", interval_s=7200)
    add_source(services.db, kind="jsonfeed", url="https://c.example/feed.json", name="C", topics=None, interval_s=300)
    add_source(services.db, kind="wordpress", url="https://d.example/wp-json/wp/v2/posts", name="D")
    add_source(services.db, kind="html", url="https://e.example/story", name="E")
    exported = write_opml(list_sources(services.db))
    fresh = Services(Settings.from_env({}, db_path=str(tmp_path / "fresh.db")))
    try:
        import_outlines(fresh.db, read_opml(exported.encode("utf-8")))
        keep = ("kind", "url", "name", "topics", "interval_s")
        assert [{k: r[k] for k in keep} for r in list_sources(fresh.db)] == \
               [{k: r[k] for k in keep} for r in list_sources(services.db)]
    finally:
        fresh.close()


@pytest.mark.parametrize(("data", "says"), [
    (b"<html><body>not a list</body></html>", "it is not OPML"),
    (b'<?xml version="1.0"?><opml version="2.0"><body><outline text="Empty folder"/></body></opml>', "no feeds found"),
    (b"\x89PNG\r\n", "it is not OPML"),
])
def test_a_file_that_is_not_a_feed_list_adds_nothing(data, says):
    with pytest.raises(OpmlError, match=says):
        read_opml(data)


def test_a_url_that_may_not_be_fetched_is_refused_and_the_others_are_added(services):
    outlines = read_opml(b"""<opml version="1.0"><body>
        <outline text="Local" xmlUrl="file:///etc/passwd"/>
        <outline text="Metadata" xmlUrl="http://169.254.169.254/latest/"/>
        <outline text="Fine" xmlUrl="https://fine.example/rss"/>
    </body></opml>""")
    report = import_outlines(services.db, outlines)
    assert [o.name for _, o in report.added] == ["Fine"]
    assert [(o.name, reason.split(": ", 1)[1][:40]) for o, reason in report.refused] == [
        ("Local", "only http:// and https:// URLs can be fe"), ("Metadata", "169.254.169.254 is a link-local address ")]


def test_the_command_line_imports_and_exports(tmp_path):
    db = tmp_path / "b.db"
    env = clean_env(BRIEFBOT_DB=str(db))
    path = tmp_path / "subs.opml"
    path.write_bytes(READER_OPML)
    result = briefbot("sources", "import", str(path), env=env)
    assert result.returncode == 0, result.stderr
    assert "4 feeds: 4 added, 0 already followed, 0 refused" in result.stdout
    out = briefbot("sources", "export", "--format", "opml", env=env)
    assert out.returncode == 0 and out.stdout.count("<outline ") == 4
    assert 'category="packaging,HBM,Chips"' in out.stdout
    bad = tmp_path / "bad.opml"
    bad.write_text("not xml at all")
    result = briefbot("sources", "import", str(bad), env=env)
    assert result.returncode == 1 and "nothing was added" in result.stderr and "Traceback" not in result.stderr
    missing = briefbot("sources", "import", str(tmp_path / "nope.opml"), env=env)
    assert missing.returncode == 1 and "cannot read" in missing.stderr
