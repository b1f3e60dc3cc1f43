"""Inputs are recognised by content, not extension; unusable inputs give a clear reason."""

import pytest

from ingest.parse import MAX_INPUT_BYTES, ParseError, parse_bytes, sniff
from ingest.pipeline import read_input
from tests.conftest import SEEDS


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("wp_post.json", "wordpress"),
        ("wp_posts_list.json", "wordpress"),
        ("feed.json", "jsonfeed"),
        ("feed_rss.xml", "feed"),
        ("feed_atom.xml", "feed"),
        ("article_with_comments.html", "html"),
        ("text_utf8.txt", "text"),
        ("text_utf16_bom.txt", "text"),
        ("text_cp949.txt", "text"),
        ("garbage.bin", "binary"),
    ],
)
def test_kind_is_chosen_by_content(fixture_bytes, name, kind):
    assert sniff(fixture_bytes(name)) == kind


def test_seed_kinds_do_not_depend_on_their_txt_extension():
    kinds = [sniff(p.read_bytes()) for p in sorted(SEEDS.iterdir())]
    assert kinds == ["wordpress", "text", "text", "text"]


def test_a_feed_saved_as_txt_is_still_a_feed(fixture_bytes, tmp_path):
    path = tmp_path / "saved.txt"
    path.write_bytes(fixture_bytes("feed_rss.xml"))
    assert parse_bytes(read_input(str(path)), path=str(path)).kind == "feed"


@pytest.mark.parametrize("name", ["empty.txt", "blank.txt"])
def test_empty_input_is_a_clear_error(fixture_bytes, name):
    with pytest.raises(ParseError, match="empty input"):
        parse_bytes(fixture_bytes(name))


def test_binary_garbage_is_a_clear_error(fixture_bytes):
    with pytest.raises(ParseError, match="binary data, not text"):
        parse_bytes(fixture_bytes("garbage.bin"))


def test_a_20_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        line = b"Samsung Electronics signed an MOU on advanced packaging in Seoul.\n"
        fh.write(line * (20 * 1024 * 1024 // len(line) + 1))
    assert path.stat().st_size > 20 * 1024 * 1024 > MAX_INPUT_BYTES
    with pytest.raises(ParseError, match=r"over the 10 MiB limit"):
        read_input(str(path))
    with pytest.raises(ParseError, match=r"over the 10 MiB limit"):
        parse_bytes(path.read_bytes())


def test_too_little_text_is_a_clear_error():
    with pytest.raises(ParseError, match="too little text"):
        parse_bytes(b"Menu\nHome\nshort")


@pytest.mark.parametrize("text", ["[보도자료] 반도체 첨단 패키징 업무협약", "[Press release] Chip MOU signed"])
def test_a_text_opening_with_a_bracketed_label_is_text(text):
    assert sniff(text.encode()) == "text"
    assert sniff(b'[{"id": 1}]') == sniff(b"[ ]") == "wordpress"


def test_the_structure_decides_however_long_the_prolog():
    comment = b"<!-- " + b"licence text " * 2000 + b"-->\n"
    assert sniff(comment + b"<rss version='2.0'><channel></channel></rss>") == "feed"
    assert sniff(b"<?xml version='1.0'?>" + comment + b"<feed xmlns='http://www.w3.org/2005/Atom'/>") == "feed"
    assert sniff(b"<style>" + b"p { margin: 0 } " * 2000 + b"</style><p>Text</p>") == "html"
    assert sniff(b"<!DOCTYPE html [" + b"<!-- x -->" * 10 + b"]>" + comment + b"<html></html>") == "html"
    assert sniff(comment) == "comment"
    assert sniff(b'<?xml version="1.0"?>\n' + comment) == "comment"


def test_text_that_mentions_markup_stays_text():
    assert sniff(b"Browsers start every page with <html> and close it with </html>.") == "text"
    assert sniff(b"<Revenue> rose 3% in the quarter, the company said.") == "text"
    assert sniff(b"PHP Warning: headers already sent on line 3\n<!DOCTYPE html><html><body>x</body></html>") == "html"
