"""A Korean source end to end: /sources add, polls over loopback HTTP, then /find, /latest,
/who-signed and the digest in Korean. Feeds and pages in EUC-KR/CP949 included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.app import Services
from bot.config import Settings
from ingest.fetch import Fetcher
from ingest.poller import Poller
from tests.fakes.feed_server import FeedServer, Response, article_page, rss

ADMIN = {"platform": "slack", "user_id": "U_ADMIN", "is_admin": True, "channel_id": "C1"}
MOU = ("산업통상자원부는 29일 서울 엘타워에서 삼성전자, SK하이닉스와 반도체 첨단 패키징 업무협약을 "
       "체결했다. 이날 협약식에는 삼성전자, SK하이닉스, LG화학 등이 참여해 서명했다.")
FAB = "SK하이닉스는 3일 이천 공장에 고대역폭메모리 생산 설비를 늘린다고 밝혔다."


def item(i: int, title: str, body: str, day: int) -> dict:
    return {"title": title, "link": f"https://ko.example/news/{i}", "guid": f"https://ko.example/news/{i}",
            "body": body, "date": f"Tue, {day:02d} Aug 2023 10:00:00 +0900"}


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2023, 8, 30, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def svc(tmp_path, clock):
    services = Services(Settings.from_env({}, db_path=str(tmp_path / "b.db"), fetch_allow=("127.0.0.1",)),
                        clock=clock)
    yield services
    services.close()


@pytest.fixture
def server():
    with FeedServer() as srv:
        yield srv


def poll(svc) -> None:
    with Fetcher(allow=["127.0.0.1"], read_timeout=2, connect_timeout=2) as fetcher:
        report = Poller(svc, fetcher=fetcher).poll(include_all=True)
    assert not report.failed, [p.describe() for p in report.polls]


def test_a_korean_feed_in_euc_kr_from_add_to_digest(svc, server, clock):
    feed = [item(1, "반도체 첨단 패키징 업무협약", MOU, 29)]
    server.route("/feed.xml", lambda req: Response(200, rss(feed, title="산업부 보도자료", encoding="euc-kr"),
                                                   {"Content-Type": "application/rss+xml"}))
    added = svc.ask(f'/sources add {server.url("/feed.xml")} "산업부 보도자료" every 1h', **ADMIN)
    assert added.kind == "answer", added.plain_text()
    poll(svc)  # the first poll is the baseline: searchable, not news
    assert [a.title for a in svc.ask("/find 하이닉스").answers] == ["반도체 첨단 패키징 업무협약"]
    assert svc.db.execute("SELECT lang FROM articles").fetchall() == [("ko",)]
    signed = svc.ask("/who-signed 반도체 첨단 패키징 업무협약").answers[0].to_json()
    assert {"Ministry of Trade, Industry and Energy", "Samsung Electronics", "SK hynix", "LG Chem"} == set(signed["parties"])
    feed.insert(0, item(2, "SK하이닉스, 이천 HBM 설비 증설", FAB, 30))
    clock.now += timedelta(hours=2)
    poll(svc)
    assert [a.title for a in svc.ask("/latest 1 하이닉스").answers] == ["SK하이닉스, 이천 HBM 설비 증설"]
    preview = svc.ask("/digest preview", **ADMIN)
    assert [a.title for a in preview.answers] == ["SK하이닉스, 이천 HBM 설비 증설"]
    assert FAB in preview.plain_text()  # its summary: the Korean report's own sentence


def test_a_korean_page_in_cp949_without_a_declaration(svc, server):
    page = article_page("반도체 첨단 패키징 업무협약", [MOU, FAB], charset="cp949").replace(b'<meta charset="cp949">', b"")
    server.route("/news/1.html", lambda req: Response(200, page, {"Content-Type": "text/html"}))
    assert svc.ask(f"/sources add {server.url('/news/1.html')}", **ADMIN).kind == "answer"
    poll(svc)
    [hit] = svc.ask("/find 엘타워").answers
    assert hit.title == "반도체 첨단 패키징 업무협약" and "엘타워" in hit.data["snippet"]


def test_a_korean_feed_in_cp949_without_a_declaration(svc, server):
    data = rss([item(1, "반도체 첨단 패키징 업무협약", MOU, 29)], encoding="cp949")
    data = data.replace(b' encoding="cp949"', b"")
    server.route("/feed.xml", lambda req: Response(200, data, {"Content-Type": "application/rss+xml"}))
    assert svc.ask(f"/sources add {server.url('/feed.xml')}", **ADMIN).kind == "answer"
    poll(svc)
    assert [a.title for a in svc.ask("/find 하이닉스").answers] == ["반도체 첨단 패키징 업무협약"]
