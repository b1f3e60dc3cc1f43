"""A newsroom on loopback for alert tests: outlets whose RSS feeds (on the fake feed server)
carry the seeds — real articles — as items, polled by the real poller into a real database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from ingest.fetch import Fetcher
from ingest.parse import parse_bytes
from ingest.poller import Poller
from storage.sources import add_source
from tests.conftest import SEEDS
from tests.fakes.feed_server import FeedServer, items, rss

START = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)
MONEY_SEED = "000_e6b5f402e9bfc58c.txt"  # $205M for packaging: the MOU story, another outlet
MOU_SEED = "001_694fc1f307a2a585.txt"  # the Aug. 29 packaging MOU naming SK hynix
EU_SEED = "002_77ac495237e3e222.txt"  # the EU digital partnership: another story


def seed_item(name: str, link: str, *, addendum: str = "") -> dict:
    """A feed item carrying one seed article as briefbot parses it (title and text)."""
    [article] = parse_bytes((SEEDS / name).read_bytes(), path=str(SEEDS / name)).articles
    body = article.body + (f"\n\n{addendum}" if addendum else "")
    return {"title": escape(article.title), "link": link, "guid": link, "body": escape(body),
            "date": "Mon, 01 Sep 2025 08:00:00 GMT", "plain_title": article.title}


@dataclass
class Newsroom:
    """Outlets (path → their current items) on one feed server, polled through ``services``."""

    services: object
    server: FeedServer
    fetcher: Fetcher
    outlets: dict[str, list[dict]] = field(default_factory=dict)

    def outlet(self, name: str) -> int:
        """A new outlet, followed as a source; its first poll stores two items as a baseline."""
        path = f"/{name}.xml"
        self.outlets[path] = items(2, site=f"https://{name}.example", topic="memory")
        self.server.add(path, rss(self.outlets[path], title=name))
        source_id = add_source(self.services.db, kind="rss", url=self.server.url(path), name=name,
                               clock=self.services.clock)
        return source_id

    def publish(self, name: str, *new: dict) -> None:
        """``new`` items at the top of the outlet's feed (an item with a known link replaces it:
        the publisher's edit)."""
        path = f"/{name}.xml"
        links = {i["link"] for i in new}
        self.outlets[path] = [*new, *[i for i in self.outlets[path] if i["link"] not in links]]
        self.server.add(path, rss(self.outlets[path], title=name))

    def poll(self):
        """One poll of every source, as `briefbot poll --once --all` does."""
        report = Poller(self.services, fetcher=self.fetcher).poll(include_all=True)
        assert not report.failed, [p.message for p in report.failed]
        return report
