"""Text in any common encoding decodes correctly; bad bytes are reported, not fatal."""

from ingest.parse import parse_bytes
from ingest.parse.encoding import decode_bytes


def test_utf8(fixture_bytes):
    [article] = parse_bytes(fixture_bytes("text_utf8.txt")).articles
    assert "“We are running at full capacity,” an official said — in Korean: “풀가동 중입니다.”" in article.body


def test_utf16_with_bom(fixture_bytes):
    data = fixture_bytes("text_utf16_bom.txt")
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    result = parse_bytes(data)
    assert result.kind == "text"
    [article] = result.articles
    assert article.title == "Protec ships laser reflow tools"
    assert "Café talk in Seoul: “레이저 리플로우”." in article.body
    assert "\x00" not in article.body


def test_korean_in_euc_kr_or_cp949(fixture_bytes):
    [article] = parse_bytes(fixture_bytes("text_cp949.txt")).articles
    assert article.title == "반도체 첨단 패키징 협약 체결"
    assert "삼성전자, SK하이닉스 등과 반도체 첨단 패키징" in article.body


def test_latin1(fixture_bytes):
    [article] = parse_bytes(fixture_bytes("text_latin1.txt")).articles
    assert article.title == "Ministère et industrie : accord sur l'emballage des puces"
    assert "signé un accord avec les fabricants de semi-conducteurs à Séoul" in article.body


def test_declared_charset_is_used():
    # Browsers read the Latin-1 label as windows-1252, its superset ("’" is byte 0x92).
    text, encoding = decode_bytes("Séoul’s".encode("cp1252"), "iso-8859-1")
    assert text == "Séoul’s" and encoding == "cp1252"


def test_a_declared_charset_wins_over_detection():
    # Too short for detection to tell KOI8-R (it guesses Shift JIS); the declaration knows.
    data = "Как пережить новогоднюю ночь".encode("koi8-r")
    assert decode_bytes(data)[0] != "Как пережить новогоднюю ночь"
    assert decode_bytes(data, "KOI8-R") == ("Как пережить новогоднюю ночь", "koi8-r")
    xml = b'<?xml version="1.0" encoding="koi8-r"?><rss/>' + data
    assert decode_bytes(xml)[0].endswith("Как пережить новогоднюю ночь")


def test_invalid_utf8_keeps_the_good_text_and_warns(fixture_bytes):
    result = parse_bytes(fixture_bytes("invalid_utf8.txt"))
    [article] = result.articles
    # the valid multi-byte text around the bad bytes is not garbled by a wrong guess
    assert "citing market conditions — “지켜보겠다” said one." in article.body
    assert "The company � declined to say � how much" in article.body
    assert result.warnings == ["invalid UTF-8: 2 bad sequences replaced (shown as �)"]
