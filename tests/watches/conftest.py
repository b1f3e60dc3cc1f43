"""Fixtures for watch and alert tests: services on a fixed clock, a feed server, a newsroom."""

from __future__ import annotations

import pytest

from bot.app import Services
from bot.config import Settings
from ingest.fetch import Fetcher
from tests.digests.helpers import FakeClock
from tests.fakes.feed_server import FeedServer
from tests.watches.newsroom import START, Newsroom


@pytest.fixture
def clock():
    return FakeClock(START)


@pytest.fixture
def feeds():
    with FeedServer() as server:
        yield server


def make_services(tmp_path, clock, **settings) -> Services:
    """Services over a fresh database in ``tmp_path`` that may fetch from loopback."""
    values = {"db_path": str(tmp_path / "briefbot.db"), "fetch_allow": ("127.0.0.1",), **settings}
    return Services(Settings.from_env({}, **values), clock=clock)


@pytest.fixture
def newsroom_for(feeds):
    """newsroom_for(services) → a Newsroom polling through those services."""
    fetchers = []

    def make(services) -> Newsroom:
        fetcher = Fetcher(allow=["127.0.0.1"], read_timeout=2, connect_timeout=2)
        fetchers.append(fetcher)
        return Newsroom(services, feeds, fetcher)

    yield make
    for f in fetchers:
        f.close()
