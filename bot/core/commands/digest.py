"""/digest: scheduled briefings of what is new in a channel — subscribe, list, unsubscribe,
post now, preview."""

from __future__ import annotations

from datetime import timedelta

from base.reply import Answer, Reply
from bot.core.errors import UsageError, require_admin
from bot.core.registry import command
from digests.schedule import ScheduleError, interval_anchor, parse_subscribe, schedule_of
from storage import digests as store
from storage.audit import record_action
from storage.clock import iso

# A new subscription's first digest covers the last day, not the whole archive.
FIRST_DIGEST_COVERS = timedelta(days=1)
SYNOPSIS = ("subscribe [daily 09:00 | weekdays 08:30 | weekly mon 09:00 | every 6h] [tz Asia/Seoul] "
            "[topic words…] | list | unsubscribe <id> | now | preview")


def _when(dt) -> str:
    return dt.strftime("%a %d %b %Y %H:%M %Z") if dt else "never"


def subscribe(inv, ctx, words: list[str]) -> Reply:
    require_admin(inv, "subscribe a channel to digests")
    try:
        spec, tz, topics = parse_subscribe(words, ctx.settings.digest_timezone)
    except ScheduleError as exc:
        raise UsageError(str(exc)) from None
    now = ctx.clock()
    # One write transaction for the look and the insert: two admins at once make one subscription.
    with ctx.db.atomic():
        existing = store.find_subscription(ctx.db, platform=inv.platform, channel_id=inv.channel_id,
                                           schedule=spec, tz=tz, topics=topics)
        if existing is None:
            sub_id = store.add_subscription(
                ctx.db, platform=inv.platform, channel_id=inv.channel_id, schedule=spec, tz=tz,
                topics=topics, anchor=interval_anchor(now, tz), created_by=inv.actor, clock=ctx.clock,
                news_since=iso(now - FIRST_DIGEST_COVERS),
            )
    if existing is not None:
        about = f"on “{existing['topics']}”" if existing["topics"] else "on every topic"
        return Reply(
            title=f"This channel already has digest #{existing['id']}",
            lines=[f"{existing['schedule']} ({existing['tz']}) {about}. Nothing was added.",
                   f"Next digest: {_when(schedule_of(existing).next_after(now))}. "
                   f"/digest unsubscribe {existing['id']} stops it."],
            kind="info",
        )
    record_action(ctx.db, platform=inv.platform, actor=inv.actor, action="digest.subscribe",
                  detail=f"#{sub_id} {inv.channel_id} {spec} {tz} {topics}".strip(), clock=ctx.clock)
    sub = store.get_subscription(ctx.db, sub_id)
    _schedule_now(ctx, sub)
    about = f"on “{topics}”" if topics else "on every topic"
    return Reply(
        title=f"Subscribed this channel to digest #{sub_id}",
        lines=[f"{spec} ({tz}) {about}.", f"Next digest: {_when(schedule_of(sub).next_after(now))}.",
               "Only new articles are included; /digest preview shows what the next one would hold."],
        kind="info", private=False,
    )


def _schedule_now(ctx, sub) -> None:
    # A running bot picks the subscription up at once; otherwise the next start registers it.
    services = ctx.services
    scheduler = services.running_scheduler() if services is not None else None
    if scheduler is not None:
        from digests.jobs import add_job

        add_job(services, scheduler, sub)


def list_subs(inv, ctx) -> Reply:
    subs = store.list_subscriptions(ctx.db, platform=inv.platform, channel_id=inv.channel_id)
    if not subs:
        return Reply(title="No digest subscriptions in this channel",
                     lines=["An admin can add one: /digest subscribe daily 09:00 tz Asia/Seoul packaging"],
                     kind="empty")
    now = ctx.clock()
    answers = []
    for sub in subs:
        last = store.last_sent(ctx.db, sub["platform"], sub["channel_id"], sub["id"])
        answers.append(Answer(
            kind="subscription",
            title=f"#{sub['id']} {sub['schedule']} ({sub['tz']})",
            lines=[f"Topics: {sub['topics'] or 'all'}",
                   f"Next: {_when(schedule_of(sub).next_after(now))}",
                   f"Last digest: {last.period if last else 'none yet'}"],
            data={"id": sub["id"], "schedule": sub["schedule"], "tz": sub["tz"], "topics": sub["topics"]},
        ))
    return Reply(title=f"{len(subs)} digest subscription{'s' if len(subs) != 1 else ''} in this channel", answers=answers)


def unsubscribe(inv, ctx, words: list[str]) -> Reply:
    require_admin(inv, "unsubscribe a channel from digests")
    if len(words) != 1 or not words[0].lstrip("#").isdigit():
        raise UsageError("Give the number of the subscription, as /digest list shows it: /digest unsubscribe 3")
    sub_id = int(words[0].lstrip("#"))
    sub = store.get_subscription(ctx.db, sub_id)
    if sub is None or not sub["active"] or (sub["platform"], sub["channel_id"]) != (inv.platform, inv.channel_id):
        raise UsageError(f"This channel has no digest subscription #{sub_id}; /digest list shows its subscriptions.")
    store.deactivate_subscription(ctx.db, sub_id)
    record_action(ctx.db, platform=inv.platform, actor=inv.actor, action="digest.unsubscribe",
                  detail=f"#{sub_id} {inv.channel_id}", clock=ctx.clock)
    if ctx.services is not None:
        from digests.jobs import remove_job

        remove_job(ctx.services, sub_id)
    return Reply(title=f"Unsubscribed digest #{sub_id}", lines=[f"It was {sub['schedule']} ({sub['tz']})."], kind="info", private=False)


def now_cmd(inv, ctx) -> Reply:
    require_admin(inv, "post a digest now")
    from digests.post import run_now, targets_for_channel

    lines = []
    failed = False
    for target in targets_for_channel(ctx.services, inv.platform, inv.channel_id):
        result = run_now(ctx.services, target, now=ctx.clock())
        name = f"Digest #{target.subscription_id}" if target.subscription else "The digest"
        if result.status == "sent":
            lines.append(f"{name}: posted {result.items} stor{'y' if result.items == 1 else 'ies'} to this channel.")
        elif result.status == "empty":
            lines.append(f"{name}: nothing new since the last digest; nothing posted.")
        elif result.status == "already":
            lines.append(f"{name}: already posted a minute ago.")
        else:
            failed = True
            lines.append(f"{name}: the platform did not confirm the post ({result.error}). "
                         "Nothing was lost: it is retried on the next run.")
    record_action(ctx.db, platform=inv.platform, actor=inv.actor, action="digest.now",
                  detail=inv.channel_id, clock=ctx.clock)
    return Reply(title="Digest now", lines=lines, kind="error" if failed else "info")


def preview_cmd(inv, ctx) -> Reply:
    from digests.post import preview, targets_for_channel

    targets = targets_for_channel(ctx.services, inv.platform, inv.channel_id)
    digests = [(t, preview(ctx.services, t)) for t in targets]
    if len(digests) == 1:
        target, digest = digests[0]
        reply = digest.to_reply(private=True, heading="Preview: " + digest.heading())
        if digest.empty:
            reply.lines = ["Nothing new since the last digest."]
        reply.lines.append("Only you can see this; nothing was posted or marked as read.")
        return reply
    answers = []
    for target, digest in digests:
        for item in digest.items:
            answer = item.to_answer()
            answer.title = f"[#{target.subscription_id}] {answer.title}"
            answers.append(answer)
    stories = len(answers)
    return Reply(
        title=f"Preview: {stories} stor{'y' if stories == 1 else 'ies'} for {len(digests)} subscriptions",
        lines=["Only you can see this; nothing was posted or marked as read."],
        answers=answers, kind="answer" if answers else "empty",
    )


@command(
    "digest",
    usage=SYNOPSIS,
    help="scheduled briefings of what is new in this channel",
    example="/digest subscribe weekdays 08:30 tz Asia/Seoul packaging HBM",
    admin_note="subscribe, unsubscribe and now are admin-only; list and preview are for everyone.",
    max_text=500,
    budget_s=10.0,  # `now` builds and posts a whole digest
)
def digest(inv, ctx) -> Reply:
    words = inv.text.split()
    sub = words[0].lower() if words else ""
    rest = words[1:]
    if sub == "subscribe":
        return subscribe(inv, ctx, rest)
    if sub == "list":
        return list_subs(inv, ctx)
    if sub == "unsubscribe":
        return unsubscribe(inv, ctx, rest)
    if sub == "now":
        return now_cmd(inv, ctx)
    if sub == "preview":
        return preview_cmd(inv, ctx)
    raise UsageError("Say what to do: subscribe, list, unsubscribe, now or preview." if not sub
                     else f"I don't know /digest {sub}.")
