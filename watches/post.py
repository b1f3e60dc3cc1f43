"""Alerts: what a channel's watches match among new articles, posted once each, a story's later
articles in its thread.

Two steps, as for digests (``digests/post.py``), so that a crash never costs or doubles a post:

1. **Plan** (``plan_channel``), whenever articles were stored and their facts extracted (the
   ingest and poll hook), or by ``alerts run`` and the serve job: match the articles stored after
   the channel's cursor (a source's baseline excluded; a watch only sees what was stored after it
   was made) against the channel's active watches. One post per matching article, naming every
   watch it matched; an article on a story posted earlier (digest clustering) becomes a reply in
   that story's thread; an item the channel already got (re-published under a new address) is
   not posted again; an edited article keeps its id, and ids behind the cursor are never matched
   again. The posts (each with its exact message) are recorded as pending *and* the cursor moved,
   in one transaction, before any platform is called.
2. **Send** (``send_channel``), under the digests' posting lock: each pending post goes out
   through ``digests.post.deliver`` (intent-then-post, found again with a keyed poster after a
   crash). Quiet hours hold a post until they end. At most ``alerts_per_minute`` posts a minute
   per channel; past it, the ready posts go out as one roll-up.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from base.reply import Answer, Reply, SourceRef
from digests.cluster import cluster
from digests.digest import fact_entry
from digests.post import Delivery, deliver, posting_lock
from storage import watches as store
from storage.clock import iso
from storage.digests import CursorMoved
from watches.match import ArticleView, Match, Matcher, views
from watches.options import quiet_until
from watches.text import fold

log = logging.getLogger("briefbot.alerts")

STORY_DAYS = 7  # a new article continues a story posted this recently
PLAN_CHUNK = 2000  # articles matched per planning transaction
RATE_WINDOW = timedelta(minutes=1)
DEFAULT_PER_MINUTE = 10


@dataclass
class Sent:
    """What sending one post did."""

    post: store.AlertPost
    delivery: Delivery


# --- planning ----------------------------------------------------------------------------------

def identity(row: dict) -> str:
    """What makes two stored articles the same item to a channel: one source, one title."""
    return f"{row.get('source_id') or '-'}:{' '.join(fold(row.get('title') or '').split())}"


def _source_label(row: dict) -> str:
    if row.get("source_name"):
        return row["source_name"]
    host = urlsplit(row.get("url") or "").hostname
    return re.sub(r"^www\.", "", host) if host else "a local file"


def _mentions(watches: list[dict]) -> list[dict]:
    out: list[dict] = []
    for w in watches:
        for m in w.get("mentions") or []:
            if all((x["kind"], x["id"]) != (m["kind"], m["id"]) for x in out):
                out.append(m)
    return out


def what_is_new(article: ArticleView, earlier: list[ArticleView]) -> str:
    """The line a thread reply opens with: the facts this report adds to the story, or who else
    reports it."""
    seen_parties = {fold(p) for a in earlier for f in a.news_facts if f["kind"] == "agreement" for p in f.get("parties") or []}
    seen_amounts = {(f.get("currency"), f.get("value")) for a in earlier for f in a.news_facts if f["kind"] == "investment"}
    had_agreement = any(f["kind"] == "agreement" for a in earlier for f in a.news_facts)
    new: list[str] = []
    for f in article.news_facts:
        if f["kind"] == "agreement":
            extra = [p for p in f.get("parties") or [] if fold(p) not in seen_parties]
            if not had_agreement:
                new.append(fact_entry(f)["text"])
            elif extra:
                new.append("also names " + ", ".join(extra))
        elif (f.get("currency"), f.get("value")) not in seen_amounts:
            new.append(fact_entry(f)["text"])
    if new:
        return "New in this report: " + "; ".join(dict.fromkeys(new))
    return f"Same story, also reported by {_source_label(article.row)}"


def alert_reply(article: ArticleView, matches: list[Match], *, new_line: str | None = None) -> Reply:
    """The message for one matching article: title, source and date, the matched fact in one
    line with its evidence (or the sentence the words are in), and the link."""
    row = article.row
    why = next((m.why for m in matches if m.why.fact), matches[0].why)
    fact = why.fact
    lines = [f"{_source_label(row)} · {(row.get('published') or row.get('fetched') or 'undated')[:10]}"]
    if new_line:
        lines.append(new_line)
    answer = Answer(
        kind="alert",
        title=fact_entry(fact)["text"] if fact else "Matched: " + "; ".join(dict.fromkeys(why.reasons)),
        evidence=(fact.get("evidence") if fact else why.sentence) or None,
        sources=[SourceRef.from_row(row)],
        data={"article_id": row["id"]},
    )
    ids = ", ".join(f"#{m.watch['id']}" for m in matches)
    footer = f"Watch {ids}: " + "; ".join(dict.fromkeys(r for m in matches for r in m.why.reasons))
    return Reply(title=row.get("title") or "(untitled)", lines=lines, answers=[answer], footer=footer,
                 kind="answer", private=False, command="watch")


def _threads(db, platform: str, channel_id: str, matched: list[ArticleView], now: datetime) -> dict[int, tuple[str | None, list[ArticleView]]]:
    """Article id → (the key of the story post it replies to, or None for a new story; the
    story's earlier articles), through the clustering the digests use."""
    earlier_posts = store.story_posts(db, platform, channel_id, iso(now - timedelta(days=STORY_DAYS)))
    root = {p.article_id: (p.thread_of or p.key) for p in earlier_posts if p.article_id is not None}
    earlier = [v for v in views(db, store.articles_by_id(db, list(root))) if v.id not in {a.id for a in matched}]
    everything = {v.id: v for v in [*earlier, *matched]}
    facts = [f for v in everything.values() for f in v.news_facts]
    out: dict[int, tuple[str | None, list[ArticleView]]] = {}
    for story in cluster([v.row for v in everything.values()], facts):
        ids = sorted(story.article_ids)
        old = [i for i in ids if i in root]
        parent = root[old[0]] if old else None
        before: list[ArticleView] = [everything[i] for i in old]
        for i in ids:
            if i in root:
                continue
            out[i] = (parent, list(before))
            if parent is None:
                parent = f"{platform}:{channel_id}:article:{i}"
            before.append(everything[i])
    return out


def plan_channel(services, platform: str, channel_id: str, *, now: datetime | None = None) -> tuple[int, int, list[dict]]:
    """What the channel's watches match after its cursor: (cursor, new cursor, posts), nothing
    recorded."""
    db = services.db
    now = now or services.clock()
    cursor = store.get_cursor(db, platform, channel_id)
    if cursor is None:
        return 0, 0, []
    top = store.max_article_id(db)
    until = min(top, cursor + PLAN_CHUNK)
    if until <= cursor:
        return cursor, cursor, []
    watches = store.list_watches(db, platform=platform, channel_id=channel_id, statuses=("active",))
    rows = store.new_articles(db, cursor, until) if watches else []
    if not rows:
        return cursor, until, []
    matches = Matcher(db, watches).match(views(db, rows))
    by_article: dict[int, list[Match]] = defaultdict(list)
    for m in matches:
        by_article[m.article.id].append(m)
    if not by_article:
        return cursor, until, []
    articles = {aid: ms[0].article for aid, ms in by_article.items()}
    known = store.posted_identities(db, platform, channel_id, [identity(a.row) for a in articles.values()])
    kept: list[ArticleView] = []
    for aid in sorted(articles):
        ident = identity(articles[aid].row)
        if ident in known:
            log.info("alert for article %s skipped: %s:%s already had this item", aid, platform, channel_id)
            continue
        known.add(ident)
        kept.append(articles[aid])
    threads = _threads(db, platform, channel_id, kept, now) if kept else {}
    posts = []
    for article in kept:
        ms = by_article[article.id]
        parent, earlier = threads.get(article.id, (None, []))
        watches_of = [m.watch for m in ms]
        held = [quiet_until(w.get("quiet"), now) for w in watches_of]
        if all(held):
            not_before, mentions = iso(min(held)), _mentions(watches_of)
        else:
            not_before = None
            mentions = _mentions([w for w, h in zip(watches_of, held, strict=True) if h is None])
        reply = alert_reply(article, ms, new_line=what_is_new(article, earlier) if parent else None)
        posts.append({
            "key": f"{platform}:{channel_id}:article:{article.id}", "kind": "article", "article_id": article.id,
            "thread_of": parent, "watches": [w["id"] for w in watches_of], "mentions": mentions,
            "matched": "; ".join(m.reason() for m in ms), "title": article.row.get("title"),
            "url": article.row.get("url") or article.row.get("path"), "identity": identity(article.row),
            "reply": reply.to_record(), "status": "pending", "not_before": not_before,
        })
    return cursor, until, posts


def record_channel(services, platform: str, channel_id: str, *, now: datetime | None = None) -> int:
    """Plan the channel and record the intents (cursor moved in the same transaction), until
    every stored article has been matched; how many posts were recorded."""
    recorded = 0
    for _ in range(100):
        try:
            cursor, until, posts = plan_channel(services, platform, channel_id, now=now)
            if until <= cursor:
                return recorded
            recorded += store.record_plan(services.db, platform=platform, channel_id=channel_id,
                                          from_article_id=cursor, to_article_id=until, posts=posts,
                                          clock=services.clock)
        except CursorMoved:
            continue  # another run matched them first: look again from the new cursor
    return recorded


def record_all(services, *, now: datetime | None = None) -> int:
    """Plan every watched channel (the hook after articles are stored); posts recorded."""
    return sum(record_channel(services, p, c, now=now) for p, c in store.watched_channels(services.db))


# --- sending -----------------------------------------------------------------------------------

def _per_minute(services) -> int:
    try:
        return max(1, int(getattr(services.settings, "alerts_per_minute", DEFAULT_PER_MINUTE)))
    except (TypeError, ValueError):
        return DEFAULT_PER_MINUTE


ROLLUP_SHOWN = 20  # titles shown in full in a roll-up; the rest are counted


def rollup_reply(posts: list[store.AlertPost], limit: int) -> Reply:
    """One post for the matches past the per-minute limit: each title, why and link."""
    shown, rest = posts[:ROLLUP_SHOWN], posts[ROLLUP_SHOWN:]
    answers = [Answer(kind="alert", title=p.title or "(untitled)", lines=[p.matched or ""],
                      sources=[SourceRef(title=p.title or "(untitled)", url=p.url if (p.url or "").startswith("http") else None,
                                         path=None if (p.url or "").startswith("http") else p.url)])
               for p in shown]
    footer = f"…and {len(rest)} more: " + "; ".join(p.title or "(untitled)" for p in rest[:20]) if rest else None
    return Reply(title=f"{len(posts)} more watch match{'es' if len(posts) != 1 else ''} this minute",
                 lines=[f"This channel gets at most {limit} alerts a minute; the rest come together here."],
                 answers=answers, footer=footer, kind="answer", private=False, command="watch")


def _roll_up(services, platform: str, channel_id: str, ready: list[store.AlertPost], limit: int) -> store.AlertPost:
    reply = rollup_reply(ready, limit)
    return store.record_rollup(services.db, post={
        "key": f"{platform}:{channel_id}:rollup:{ready[0].id}", "platform": platform, "channel_id": channel_id,
        "kind": "rollup", "watches": sorted({w for p in ready for w in p.watches}),
        "mentions": _mentions([{"mentions": p.mentions} for p in ready]),
        "matched": f"{len(ready)} matches past the limit of {limit} a minute", "title": reply.title,
        "reply": reply.to_record(), "status": "pending",
    }, rolled=[p.key for p in ready], clock=services.clock)


def _deliver(services, post: store.AlertPost, thread: str | None = None, thread_name: str | None = None) -> Delivery:
    return deliver(services, store, key=post.key, platform=post.platform, channel_id=post.channel_id,
                   reply=post.reply, attempts=post.attempts, last_error=post.last_error, what="alert",
                   thread=thread, thread_name=thread_name, mentions=post.mentions)


def send_channel(services, platform: str, channel_id: str, *, now: datetime | None = None) -> list[Sent]:
    """Post the channel's pending posts that are due, in order, at most once each."""
    db = services.db
    now = now or services.clock()
    limit = _per_minute(services)
    window = iso(now - RATE_WINDOW)
    out: list[Sent] = []
    with posting_lock(services):
        pending = store.channel_posts(db, platform, channel_id)
        for n, post in enumerate(pending):
            current = store.get_post(db, post.key)
            if current is None or current.status != "pending":
                continue  # rolled up or sent meanwhile
            post = current
            if post.not_before and post.not_before > iso(now):
                continue  # quiet hours
            thread = thread_name = None
            if post.thread_of:
                parent = store.get_post(db, post.thread_of)
                if parent is not None and parent.status == "pending":
                    continue  # the story's first post goes first
                if parent is not None and parent.status == "sent":
                    thread, thread_name = parent.message_id, parent.title
            if post.kind == "article" and store.sent_since(db, platform, channel_id, window) >= limit:
                if store.sent_since(db, platform, channel_id, window, kind="rollup"):
                    break  # one roll-up a minute: the rest wait for the next minute
                ready = [p for p in pending[n:] if p.kind == "article" and not (p.not_before and p.not_before > iso(now))]
                ready = [p for p in ready if (store.get_post(db, p.key) or p).status == "pending"]
                post, thread, thread_name = _roll_up(services, platform, channel_id, ready, limit), None, None
            done = _deliver(services, post, thread, thread_name)
            out.append(Sent(post, done))
            if done.status == "retry":
                break  # keep the channel's order: the rest wait until this one is confirmed
            if post.kind == "rollup":
                break
    return out


def run(services, *, platform: str | None = None, channel_id: str | None = None,
        now: datetime | None = None) -> list[Sent]:
    """``alerts run`` and the serve job: record what is new, then post what is due (one
    channel, or every channel with watches or pending posts)."""
    channels = [(platform, channel_id)] if channel_id else store.watched_channels(services.db)
    out: list[Sent] = []
    for p, c in channels:
        record_channel(services, p, c, now=now)
        out += send_channel(services, p, c, now=now)
    return out


def preview(services, platform: str, channel_id: str, *, now: datetime | None = None) -> list[dict]:
    """What would be posted now: the pending posts and what the watches match that is not
    recorded yet. Records nothing, posts nothing."""
    db = services.db
    pending = store.channel_posts(db, platform, channel_id)
    _, _, planned = plan_channel(services, platform, channel_id, now=now)
    known = {p.key for p in pending}
    rows = [{"key": p.key, "kind": p.kind, "article_id": p.article_id, "thread_of": p.thread_of, "watches": p.watches,
             "mentions": p.mentions, "matched": p.matched, "title": p.title, "url": p.url, "not_before": p.not_before}
            for p in pending]
    rows += [p for p in planned if p["key"] not in known]
    return [{"key": r["key"], "watches": r["watches"], "mentions": [m["text"] for m in r["mentions"]],
             "thread_of": r["thread_of"], "title": r["title"], "url": r["url"], "matched": r["matched"],
             "held_until": r["not_before"]} for r in rows]


# --- the hook and the serve job ----------------------------------------------------------------

JOB_ID = "briefbot.alerts"
TICK_SECONDS = 60


def articles_stored(services) -> None:
    """Called once articles were stored and their facts extracted: record the new alerts, and
    wake the sender when the bot is serving. Never raises: the articles are stored either way."""
    try:
        if record_all(services):
            scheduler = services.running_scheduler()
            if scheduler is not None and scheduler.get_job(JOB_ID) is not None:
                scheduler.modify_job(JOB_ID, next_run_time=datetime.now().astimezone())
    except Exception:
        log.exception("recording new alerts failed; the next alerts run matches these articles again")


def run_due(services) -> None:
    """The serve job: record and post what is due in every channel."""
    try:
        run(services)
    except Exception:
        log.exception("posting alerts failed")


def register_jobs(services, scheduler) -> None:
    """Add the alerts job (every minute, and at once when the hook wakes it)."""
    scheduler.add_job(run_due, "interval", seconds=TICK_SECONDS, args=[services], id=JOB_ID,
                      name="post watch alerts", replace_existing=True,
                      next_run_time=datetime.now().astimezone() + timedelta(seconds=10))
