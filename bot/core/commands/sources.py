"""/sources: what briefbot follows. Everyone may list; admins add, remove, pause, resume, test."""

from __future__ import annotations

import re
import shlex

from base.redact import redact_url, url_credentials
from base.reply import Answer, Reply, SourceRef
from bot.core.errors import UsageError, require_admin
from bot.core.registry import command
from ingest.kinds import KIND_NAMES
from storage.audit import record_action
from storage.sources import (
    add_source,
    find_source_by_url,
    get_source,
    list_sources,
    pause_source,
    recent_polls,
    remove_source,
    resume_source,
)

DEFAULT_INTERVAL = 3600
MIN_INTERVAL = 5 * 60
MAX_INTERVAL = 7 * 86_400
PREVIEW_ITEMS = 5
_UNITS = {"m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60, "h": 3600, "hr": 3600,
          "hrs": 3600, "hour": 3600, "hours": 3600, "d": 86_400, "day": 86_400, "days": 86_400}
_INTERVAL = re.compile(r"^(\d{1,4})\s*([a-z]+)$")
USAGE = ("[list] | add <url> [name] [every 30m|2h|1d] [topic words] | remove <id> | pause <id> | resume <id> | "
         "test <url> | errors")


def parse_interval(text: str) -> int:
    """``30m``, ``2h``, ``1d`` (or ``2 hours``) in seconds; UsageError outside 5 min … 7 days."""
    m = _INTERVAL.match(text.strip().lower())
    if not m or m.group(2) not in _UNITS:
        raise UsageError(f"“{text}” is not an interval: write it like 30m, 2h or 1d.")
    seconds = int(m.group(1)) * _UNITS[m.group(2)]
    if not MIN_INTERVAL <= seconds <= MAX_INTERVAL:
        raise UsageError("The interval must be between 5 minutes (5m) and 7 days (7d).")
    return seconds


def format_interval(seconds: int) -> str:
    """3600 → ``1h``; 5400 → ``90m``."""
    for unit, size in (("d", 86_400), ("h", 3600)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds // 60}m"


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # an unbalanced quote or apostrophe ("Kim's blog"): plain words
        return text.split()


def parse_add(text: str) -> tuple[str, str | None, int, str | None]:
    """``<url> [name] [every 30m] [topic words]`` → (url, name, interval, topics).

    Words before ``every`` are the name; after the interval, topic words. Without ``every`` the
    first word (quote a name of several words) is the name and the rest are topics.
    """
    words = _words(text)
    if not words:
        raise UsageError("Give the URL of a feed, a WordPress site or an article page.")
    url, rest = words[0], words[1:]
    interval = DEFAULT_INTERVAL
    lowered = [w.lower() for w in rest]
    if "every" in lowered:
        i = lowered.index("every")
        after = rest[i + 1:]
        if not after:
            raise UsageError("Say how often after “every”, like every 30m, every 2h or every 1d.")
        spec, after = after[0], after[1:]
        if spec.isdigit() and after:  # "every 2 hours"
            spec, after = spec + after[0], after[1:]
        interval = parse_interval(spec)
        name_words, topic_words = rest[:i], after
    else:
        name_words, topic_words = rest[:1], rest[1:]
    name = " ".join(name_words).strip() or None
    topics = " ".join(topic_words).strip() or None
    return url, name, interval, topics


def _source_id(text: str, action: str) -> int:
    word = text.strip().split()[0] if text.strip() else ""
    if not word.lstrip("#").isdigit():
        raise UsageError(f"Which source? Give its number from /sources list, e.g. /sources {action} 3.")
    return int(word.lstrip("#"))


def _when(ts: str | None) -> str:
    return f"{ts[:16].replace('T', ' ')} UTC" if ts else "never"


def _poll_phrase(poll: dict) -> str:
    when = (poll["at"] or "")[:16].replace("T", " ")
    outcome = poll["outcome"]
    if outcome == "not_modified":
        what = "not modified (304)"
    elif outcome == "error":  # the whole message is on the "Last error" line
        what = f"failed (HTTP {poll['http_status']})" if poll["http_status"] else "failed"
    else:
        what = f"{poll['new']} new, {poll['updated']} updated, {poll['duplicate']} already stored"
    return f"{when} {what}"


def _unknown(source_id: int) -> Reply:
    return Reply(title=f"There is no source #{source_id}", lines=["See /sources list for the numbers."], kind="error")


def _audit(ctx, inv, action: str, detail: str) -> None:
    record_action(ctx.db, platform=inv.platform, actor=inv.actor, action=action, detail=detail, clock=ctx.clock)


def _fetcher(ctx):
    from ingest.fetch import Fetcher

    return Fetcher.from_settings(ctx.settings)


def _detect(ctx, url: str):
    """(detection, None) or (None, failure Reply) for ``url``."""
    from ingest.fetch import FetchError, FetchRefused
    from ingest.parse import ParseError
    from ingest.sources import SourceError, detect_source

    with _fetcher(ctx) as fetcher:
        try:
            return detect_source(fetcher, url), None
        except FetchRefused as exc:
            return None, Reply(title=f"Refused: {url}", lines=[str(exc)], kind="refusal")
        except (FetchError, SourceError) as exc:
            return None, Reply(title=f"Could not read {url}", lines=[str(exc)], kind="error")
        except ParseError as exc:
            return None, Reply(title=f"Could not read {url}", lines=[f"It answered, but: {exc}."], kind="error")


# ----------------------------------------------------------------------------- subcommands


def _with_credentials(url: str, action: str) -> Reply | None:
    """The refusal of a URL that carries a user name and password, or None."""
    user = url_credentials(url)
    if user is None:
        return None
    shown = redact_url(url)
    return Reply(
        title=f"Refused: {shown}",
        lines=[f"This URL holds a user name and password ({user or 'no name'}:…). Source URLs are "
               "shown to everyone in /sources list and in citations, so briefbot does not keep "
               "passwords in them.",
               "Use the feed's URL without them; a private feed whose URL carries its own token "
               "(…?token=…) is fine: the token is hidden wherever the URL is shown.",
               f"Nothing was {action}."],
        kind="refusal",
    )


def _add(inv, ctx, text: str) -> Reply:
    require_admin(inv, "add sources")
    url, name, interval, topics = parse_add(text)
    refused = _with_credentials(url, "added")
    if refused is not None:
        _audit(ctx, inv, "sources.add.refused", f"{url}: a user name and password in the URL")
        return refused
    existing = find_source_by_url(ctx.db, url)
    if existing:
        return _already(existing)
    detection, failure = _detect(ctx, url)
    if failure is not None:
        failure.lines.append("Nothing was added.")
        _audit(ctx, inv, "sources.add.refused", f"{url}: {failure.lines[0]}")
        return failure
    existing = find_source_by_url(ctx.db, detection.url)
    if existing:
        return _already(existing)
    name = name or detection.title or redact_url(detection.url)
    source_id = add_source(
        ctx.db, kind=detection.kind, url=detection.url, name=name, topics=topics, interval_s=interval,
        created_by=inv.actor, cursor=None, clock=ctx.clock,
    )
    _audit(ctx, inv, "sources.add", f"#{source_id} {detection.kind} {detection.url}")
    found = f" (found on {detection.found_on})" if detection.found_on else ""
    lines = [
        f"Type: {detection.kind_name}{found}",
        f"URL: {detection.url}",
        f"Polled every {format_interval(interval)}; the first poll is due now.",
        f"The first poll stores its {len(detection.articles)} current item(s) as a baseline: searchable, "
        "but not news for digests.",
    ]
    if topics:
        lines.append(f"Topics: {topics}")
    lines += [f"Warning: {w}" for w in dict.fromkeys(detection.warnings)]
    return Reply(title=f"Added source #{source_id}: {name}", lines=lines, kind="answer")


def _already(row: dict) -> Reply:
    return Reply(
        title=f"Already followed as source #{row['id']}: {row['name'] or row['url']}",
        lines=[f"URL: {row['url']}", "Nothing was added. See /sources list."],
        kind="info",
    )


def _test(inv, ctx, text: str) -> Reply:
    require_admin(inv, "test sources")
    words = _words(text)
    if not words:
        raise UsageError("Give the URL to test.")
    url = words[0]
    refused = _with_credentials(url, "stored")
    if refused is not None:
        return refused
    detection, failure = _detect(ctx, url)
    _audit(ctx, inv, "sources.test", f"{url}: {'refused or failed' if failure else detection.kind}")
    if failure is not None:
        failure.lines.append("Nothing was stored.")
        return failure
    found = f" (found on {detection.found_on})" if detection.found_on else ""
    answers = [
        Answer(
            kind="article",
            title=a.title,
            lines=[(a.published or "undated")[:16].replace("T", " ")],
            sources=[SourceRef(title=a.title, url=a.url, published=a.published)],
            data={"published": a.published, "snippet": a.body[:200]},
        )
        for a in detection.articles[:PREVIEW_ITEMS]
    ]
    more = len(detection.articles) - len(answers)
    lines = [f"Type: {detection.kind_name}{found}", f"Would poll: {detection.url}"]
    if detection.title:
        lines.append(f"Name: {detection.title}")
    lines.append(f"{len(detection.articles)} item(s) now" + (f"; the first {len(answers)}:" if more > 0 else ":"))
    lines += [f"Warning: {w}" for w in dict.fromkeys(detection.warnings)]
    return Reply(title=f"Test of {url}: {detection.kind_name}", lines=lines, answers=answers,
                 footer="Dry run: nothing was stored.", kind="answer")


def _list(inv, ctx) -> Reply:
    rows = list_sources(ctx.db)
    if not rows:
        return Reply(title="No sources yet", lines=["Admins add one with /sources add <url>."], kind="empty")
    answers = []
    for row in rows:
        polls = recent_polls(ctx.db, row["id"], limit=3)
        status = "active" if row["status"] == "active" else "paused"
        lines = [
            f"{KIND_NAMES.get(row['kind'], row['kind'])} · every {format_interval(row['interval_s'])} · "
            f"{row['article_count']} article(s) · {row['poll_count']} poll(s)",
            row["url"],
        ]
        if row["topics"]:
            lines.append(f"Topics: {row['topics']}")
        if row["status"] == "paused":
            lines.append(f"Paused: {row['paused_reason'] or 'by an admin'}")
        lines.append(f"Last success: {_when(row['last_success_at'])}")
        if row["last_error"]:
            lines.append(f"Last error: {_when(row['last_error_at'])}: {row['last_error']}")
        if row["status"] == "active":
            lines.append(f"Next poll: {_when(row['next_poll_at'])}")
        if polls:
            lines.append("Recent polls: " + "; ".join(_poll_phrase(p) for p in polls))
        answers.append(Answer(
            kind="source",
            title=f"#{row['id']} {row['name'] or row['url']} — {status}",
            lines=lines,
            data={
                "id": row["id"], "source_kind": row["kind"], "url": row["url"], "name": row["name"],
                "topics": row["topics"], "status": row["status"], "paused_reason": row["paused_reason"],
                "interval": format_interval(row["interval_s"]), "last_poll": row["last_poll_at"],
                "last_success": row["last_success_at"], "last_error": row["last_error"],
                "last_error_at": row["last_error_at"], "failures": row["failures"],
                "next_poll": row["next_poll_at"] if row["status"] == "active" else None,
                "article_count": row["article_count"], "poll_count": row["poll_count"],
                "recent_polls": [
                    {k: p[k] for k in ("at", "outcome", "http_status", "new", "updated", "duplicate", "message")}
                    for p in polls
                ],
            },
        ))
    paused = sum(1 for r in rows if r["status"] == "paused")
    title = f"{len(rows)} source{'s' if len(rows) != 1 else ''}" + (f", {paused} paused" if paused else "")
    return Reply(title=title, answers=answers)


def _errors(inv, ctx) -> Reply:
    from storage.sources import failing_sources

    rows = failing_sources(ctx.db)
    if not rows:
        return Reply(title="No source is failing or paused", lines=["Every source's last poll worked."], kind="empty")
    answers = []
    for row in rows:
        paused = row["status"] == "paused"
        lines = [row["url"]]
        if row["last_error"]:
            lines.append(f"Last error: {_when(row['last_error_at'])}: {row['last_error']}")
        lines.append(f"Failures in a row: {row['failures']}" if row["failures"] else "Failures in a row: 0")
        if paused:
            lines.append(f"Paused: {row['paused_reason'] or 'by an admin'}")
            lines.append(f"Next try: none while paused; /sources resume {row['id']} polls it again now")
        else:
            lines.append(f"Next try: {_when(row['next_poll_at'])}")
        lines.append(f"Last success: {_when(row['last_success_at'])}")
        answers.append(Answer(
            kind="source_error", title=f"#{row['id']} {row['name'] or row['url']} — {'paused' if paused else 'failing'}",
            lines=lines,
            data={"id": row["id"], "url": row["url"], "name": row["name"], "status": row["status"],
                  "paused_reason": row["paused_reason"], "last_error": row["last_error"],
                  "last_error_at": row["last_error_at"], "failures": row["failures"],
                  "next_try": None if paused else row["next_poll_at"], "last_success": row["last_success_at"]},
        ))
    paused = sum(1 for r in rows if r["status"] == "paused")
    return Reply(title=f"{len(rows) - paused} failing, {paused} paused", answers=answers)


def _remove(inv, ctx, text: str) -> Reply:
    require_admin(inv, "remove sources")
    source_id = _source_id(text, "remove")
    row = get_source(ctx.db, source_id)
    if row is None:
        return _unknown(source_id)
    from storage.sources import count_source_articles

    kept = count_source_articles(ctx.db, source_id)
    remove_source(ctx.db, source_id)
    _audit(ctx, inv, "sources.remove", f"#{source_id} {row['url']}")
    return Reply(
        title=f"Removed source #{source_id}: {row['name'] or row['url']}",
        lines=[f"It will not be polled again; its {kept} stored article(s) stay searchable."],
        kind="answer",
    )


def _pause(inv, ctx, text: str) -> Reply:
    require_admin(inv, "pause sources")
    source_id = _source_id(text, "pause")
    row = get_source(ctx.db, source_id)
    if row is None:
        return _unknown(source_id)
    note = " ".join(text.split()[1:])
    reason = f"paused by {inv.user_name or inv.actor}" + (f": {note}" if note else "")
    pause_source(ctx.db, source_id, reason)
    _audit(ctx, inv, "sources.pause", f"#{source_id} {row['url']}")
    return Reply(title=f"Paused source #{source_id}: {row['name'] or row['url']}",
                 lines=[f"Resume it with /sources resume {source_id}."], kind="answer")


def _resume(inv, ctx, text: str) -> Reply:
    require_admin(inv, "resume sources")
    source_id = _source_id(text, "resume")
    row = get_source(ctx.db, source_id)
    if row is None:
        return _unknown(source_id)
    resume_source(ctx.db, source_id, clock=ctx.clock)
    _audit(ctx, inv, "sources.resume", f"#{source_id} {row['url']}")
    return Reply(title=f"Resumed source #{source_id}: {row['name'] or row['url']}",
                 lines=["Its next poll is due now; its failure count starts again from zero."], kind="answer")


@command(
    "sources",
    usage=USAGE,
    help="the feeds, sites and pages briefbot follows",
    example="/sources add https://example.com/feed.xml \"Example News\" every 2h packaging",
    admin_note="Everyone can list sources; add, remove, pause, resume and test are admin-only.",
    max_text=2500,  # a feed's URL may be long; with its name, schedule and topics
    budget_s=30.0,  # add and test fetch the URL (the fetcher has its own time limits)
)
def sources(inv, ctx) -> Reply:
    action, _, rest = inv.text.strip().partition(" ")
    action = action.lower() or "list"
    if action in ("list", "ls"):
        return _list(inv, ctx)
    if action in ("errors", "failing"):
        return _errors(inv, ctx)
    handlers = {"add": _add, "remove": _remove, "rm": _remove, "delete": _remove, "pause": _pause,
                "resume": _resume, "test": _test}
    if action not in handlers:
        raise UsageError(f"I don't know “/sources {action}”.")
    return handlers[action](inv, ctx, rest.strip())
