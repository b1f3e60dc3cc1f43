"""/watch: new articles and facts posted to this channel as they arrive — add, list, remove,
pause, resume, test."""

from __future__ import annotations

from base.reply import Answer, Reply, SourceRef
from bot.core.errors import UsageError, require_admin
from bot.core.registry import command
from storage import watches as store
from storage.audit import record_action

SYNOPSIS = ("add <filter> [mention @user|@role …] [quiet HH:MM-HH:MM tz Zone] | list | remove <id> | "
            "pause <id> | resume <id> | test <filter>")
EXAMPLE = '/watch add party:"SK hynix" kind:agreement mention @policy-team'
TEST_ARTICLES = 50
TEST_SHOWN = 10


def _filter(text: str):
    """(tree, None) or (None, error Reply) for filter text."""
    from watches.filter import FilterError, parse

    if not text.strip():
        raise UsageError("Give a filter: words, a \"phrase\", org:NAME, party:NAME, kind:agreement, amount>=1tn KRW, …")
    try:
        return parse(text), None
    except FilterError as exc:
        return None, Reply(title="I cannot read that filter", lines=[*exc.lines(text), "Nothing was changed."],
                           kind="usage")


def _audit(ctx, inv, action: str, detail: str) -> None:
    record_action(ctx.db, platform=inv.platform, actor=inv.actor, action=action, detail=detail, clock=ctx.clock)


def _check_mentions(inv, ctx, mentions: list[dict]) -> tuple[list[str], str | None]:
    """(problems, note): mentions not in the workspace or server, or why they could not be
    checked."""
    from bot.core.members import MembersUnavailable

    real = [m for m in mentions if m["kind"] != "name"]
    if not real:
        return [], None
    services = ctx.services
    members = getattr(services, "members", {}).get(inv.platform) if services is not None else None
    if members is None:
        return [], f"The mentions were not checked: briefbot is not connected to {inv.platform.capitalize()} here."
    try:
        return members.missing(inv.team_id, real), None
    except MembersUnavailable as exc:
        return [f"I could not check the mentions: {exc}."], None


def add(inv, ctx, text: str) -> Reply:
    require_admin(inv, "add watches")
    from watches.filter import to_text
    from watches.options import OptionError, describe_quiet, parse_options, split_options

    filter_text, options = split_options(text)
    tree, failure = _filter(filter_text)
    if failure is not None:
        return failure
    try:
        mentions, quiet = parse_options(options, inv.platform, ctx.settings.digest_timezone)
    except OptionError as exc:
        return Reply(title="I cannot read the options after the filter", lines=[str(exc), "Nothing was changed."],
                     kind="usage")
    problems, note = _check_mentions(inv, ctx, mentions)
    if problems:
        return Reply(title="Not added: a mention is not right", lines=[*problems, "Nothing was changed."], kind="error")
    try:
        watch_id = store.add_watch(ctx.db, platform=inv.platform, channel_id=inv.channel_id, filter_text=filter_text,
                                   tree=tree, mentions=mentions, quiet=quiet, created_by=inv.actor, clock=ctx.clock)
    except store.WatchLimit:
        return Reply(
            title="Not added: this channel has reached its limit of watches",
            lines=[f"A channel can have at most {store.MAX_PER_CHANNEL} watches. Remove one (/watch list, "
                   "/watch remove <id>) or join two filters with OR.", "Nothing was changed."],
            kind="refusal",
        )
    _audit(ctx, inv, "watch.add", f"#{watch_id} {inv.channel_id} {filter_text}")
    lines = [f"Filter: {to_text(tree)}",
             "From now on, each new article or fact it matches is posted here once; later reports of the "
             "same story go in its thread."]
    if mentions:
        lines.append("Mentions: " + " ".join(m["text"] for m in mentions))
    if quiet:
        lines.append(f"Held during {describe_quiet(quiet)[6:]}, posted when they end.")
    if note:
        lines.append(note)
    return Reply(title=f"Watch #{watch_id} added", lines=lines, kind="info", private=False)


def _watch_answer(watch: dict, last: str | None) -> Answer:
    from watches.filter import to_text
    from watches.options import describe_quiet

    lines = [f"Filter: {to_text(watch['filter'])}"]
    if watch["mentions"]:
        lines.append("Mentions: " + " ".join(m["text"] for m in watch["mentions"]))
    if watch["quiet"]:
        lines.append("Quiet hours: " + describe_quiet(watch["quiet"])[6:])
    lines.append(f"Last post: {last[:16].replace('T', ' ')} UTC" if last else "Last post: none yet")
    return Answer(kind="watch", title=f"#{watch['id']} — {watch['status']}", lines=lines, data={
        "id": watch["id"], "filter": watch["filter_text"], "tree": watch["filter"], "status": watch["status"],
        "mentions": [m["text"] for m in watch["mentions"]], "quiet": watch["quiet"], "last_post": last,
    })


def list_cmd(inv, ctx) -> Reply:
    watches = store.list_watches(ctx.db, platform=inv.platform, channel_id=inv.channel_id)
    if not watches:
        return Reply(title="No watches in this channel", lines=[f"An admin can add one: {EXAMPLE}"], kind="empty")
    last = store.last_posts_of_watches(ctx.db, [w["id"] for w in watches])
    paused = sum(1 for w in watches if w["status"] == "paused")
    title = f"{len(watches)} watch{'es' if len(watches) != 1 else ''} in this channel" + (f", {paused} paused" if paused else "")
    return Reply(title=title, answers=[_watch_answer(w, last.get(w["id"])) for w in watches])


def _own(inv, ctx, text: str, action: str) -> dict:
    word = text.strip().split()[0] if text.strip() else ""
    if not word.lstrip("#").isdigit():
        raise UsageError(f"Which watch? Give its number from /watch list, e.g. /watch {action} 3.")
    watch = store.get_watch(ctx.db, int(word.lstrip("#")))
    if watch is None or watch["status"] == "removed" or (watch["platform"], watch["channel_id"]) != (inv.platform, inv.channel_id):
        raise UsageError(f"This channel has no watch #{word.lstrip('#')}; /watch list shows its watches.")
    return watch


def remove(inv, ctx, text: str) -> Reply:
    require_admin(inv, "remove watches")
    watch = _own(inv, ctx, text, "remove")
    store.set_watch_status(ctx.db, watch["id"], "removed", clock=ctx.clock)
    _audit(ctx, inv, "watch.remove", f"#{watch['id']} {inv.channel_id}")
    return Reply(title=f"Watch #{watch['id']} removed", lines=[f"It was: {watch['filter_text']}"], kind="info", private=False)


def pause(inv, ctx, text: str) -> Reply:
    require_admin(inv, "pause watches")
    watch = _own(inv, ctx, text, "pause")
    store.set_watch_status(ctx.db, watch["id"], "paused", clock=ctx.clock)
    _audit(ctx, inv, "watch.pause", f"#{watch['id']} {inv.channel_id}")
    return Reply(title=f"Watch #{watch['id']} paused",
                 lines=[f"Nothing it matches is posted until /watch resume {watch['id']}."], kind="info", private=False)


def resume(inv, ctx, text: str) -> Reply:
    require_admin(inv, "resume watches")
    watch = _own(inv, ctx, text, "resume")
    store.set_watch_status(ctx.db, watch["id"], "active", clock=ctx.clock)
    _audit(ctx, inv, "watch.resume", f"#{watch['id']} {inv.channel_id}")
    return Reply(title=f"Watch #{watch['id']} resumed",
                 lines=["It starts again from now: articles stored while it was paused are not posted."],
                 kind="info", private=False)


def test(inv, ctx, text: str) -> Reply:
    from watches.filter import to_text
    from watches.match import Matcher, views
    from watches.options import split_options

    filter_text, _ = split_options(text)
    tree, failure = _filter(filter_text)
    if failure is not None:
        return failure
    rows = store.latest_articles(ctx.db, TEST_ARTICLES)
    matches = Matcher(ctx.db, [{"id": 0, "filter": tree, "after_article_id": 0}]).match(views(ctx.db, rows))
    answers = []
    for m in matches[:TEST_SHOWN]:
        lines = ["Why: " + "; ".join(dict.fromkeys(m.why.reasons))]
        if m.fact_line():
            lines.append(m.fact_line())
        answers.append(Answer(kind="article", title=m.article.row.get("title") or "(untitled)", lines=lines,
                              evidence=(m.why.fact or {}).get("evidence") or m.why.sentence,
                              sources=[SourceRef.from_row(m.article.row)],
                              data={"published": m.article.row.get("published"), "why": m.why.reasons}))
    head = [f"Filter: {to_text(tree)}",
            f"{len(matches)} of the last {len(rows)} stored articles would have matched" +
            (f"; the newest {len(answers)}:" if len(matches) > len(answers) else ("." if not matches else ":"))]
    return Reply(title="Test of a watch filter", lines=head, answers=answers,
                 footer="A test posts nothing and stores nothing.", kind="answer" if matches else "empty")


@command(
    "watch",
    usage=SYNOPSIS,
    help="post new articles and facts that match a filter to this channel",
    example=EXAMPLE,
    admin_note="add, remove, pause and resume are admin-only; list and test are for everyone.",
    max_text=1500,  # a filter (at most 1,000: watches/filter.py says so) with mentions and quiet hours
    budget_s=5.0,  # add asks the platform whether the mentioned people are in the channel
)
def watch(inv, ctx) -> Reply:
    action, _, rest = inv.text.strip().partition(" ")
    action = action.lower() or "list"
    if action in ("list", "ls"):
        return list_cmd(inv, ctx)
    handlers = {"add": add, "remove": remove, "rm": remove, "delete": remove, "pause": pause, "resume": resume,
                "test": test}
    if action not in handlers:
        raise UsageError(f"I don't know “/watch {action}”.")
    return handlers[action](inv, ctx, rest.strip())
