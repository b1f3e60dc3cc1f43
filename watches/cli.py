"""``briefbot alerts preview|run``: the command line over watches.post."""

from __future__ import annotations

import json
import sys

from watches.post import preview, run


def alerts_platform(services, args) -> str:
    """The platform of ``--channel``: ``--platform``, else the first configured, else console."""
    return args.platform or (services.settings.platforms[0] if services.settings.platforms else "console")


def alerts_preview(services, args) -> int:
    """Print what the channel's watches would post now; nothing is recorded or posted."""
    platform = alerts_platform(services, args)
    posts = preview(services, platform, args.channel or "console")
    if args.json:
        print(json.dumps({"posts": posts}, ensure_ascii=False, indent=2))
        return 0
    if not posts:
        print(f"Nothing to post in {platform}:{args.channel or 'console'}.")
        return 0
    for p in posts:
        where = f"  (reply in the thread of {p['thread_of']})" if p["thread_of"] else ""
        held = f"  (held until {p['held_until']})" if p.get("held_until") else ""
        print(f"{p['title']}{where}{held}\n  {p['url'] or ''}\n  {p['matched']}"
              + (f"\n  mentions: {' '.join(p['mentions'])}" if p["mentions"] else ""))
    return 0


def alerts_run(services, args) -> int:
    """Record and post what is due; exit 1 when a post was not confirmed."""
    if args.json:
        print("briefbot alerts run: --json is for preview", file=sys.stderr)
        return 2
    platform = alerts_platform(services, args) if args.channel else None
    results = run(services, platform=platform, channel_id=args.channel)
    code = 0
    for sent in results:
        post, done = sent.post, sent.delivery
        what = "roll-up" if post.kind == "rollup" else f"“{post.title}”"
        where = f"{post.platform}:{post.channel_id}"
        if done.status == "sent":
            extra = (" (found already posted after a restart)" if done.recovered
                     else " (sent again: an earlier attempt was not confirmed)" if done.resent else "")
            print(f"posted {what} to {where} as {done.message_id}{extra}", file=sys.stderr)
        else:
            code = 1
            print(f"not posted {what} to {where}: {done.error} ({done.status})", file=sys.stderr)
    if not results:
        print("nothing new to post", file=sys.stderr)
    return code
