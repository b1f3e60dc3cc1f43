"""``briefbot digest preview|run``: the command line over digests.post (here, above the
adapters, because it prints with the console renderer)."""

from __future__ import annotations

import json
import sys

from digests.post import preview, run_channel, targets_for_channel
from digests.select import parse_since


def digest_platform(services, args) -> str:
    """The platform of ``--channel``: ``--platform``, else the first configured, else console."""
    return args.platform or (services.settings.platforms[0] if services.settings.platforms else "console")


def digest_preview(services, args) -> int:
    """Print the channel's next digest(s); exit 2 on a bad --since."""
    platform = digest_platform(services, args)
    channel = args.channel or "console"
    since = None
    if args.since:
        try:
            since = parse_since(args.since)
        except ValueError as exc:
            print(f"briefbot digest preview: {exc}", file=sys.stderr)
            return 2
    digests = []
    for target in targets_for_channel(services, platform, channel):
        digest = preview(services, target, since=since)
        digests.append((target, digest))
    if args.json:
        out = []
        for target, digest in digests:
            data = digest.to_json()
            data["subscription"] = target.subscription_id or None
            out.append(data)
        print(json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=2))
        return 0
    from bot.adapters.console.render import render

    for target, digest in digests:
        heading = f"Preview for {target.label()}"
        reply = digest.to_reply(private=True, heading=heading)
        if digest.empty:
            reply.lines = ["Nothing new" + (f" since {since}." if since else " since the last digest.")]
        print(render(reply, color=sys.stdout.isatty()))
        if digest.usage.calls or digest.usage.cached:
            u = digest.usage
            print(f"\nLLM: {u.calls} call(s), {u.cached} cached, {u.total_tokens} tokens, {u.fallbacks} extractive fallback(s)")
        print()
    return 0


def digest_run(services, args) -> int:
    """Post the channel's digests for the current period; exit 1 if a post was not confirmed."""
    if not args.channel:
        print("briefbot digest run: --channel ID is required (e.g. --channel console)", file=sys.stderr)
        return 2
    if args.since or args.json:
        print("briefbot digest run: --since and --json are for preview", file=sys.stderr)
        return 2
    platform = digest_platform(services, args)
    code = 0
    for target, result in run_channel(services, platform, args.channel):
        where = target.label()
        if result.status == "sent":
            extra = (" (found already posted after a restart)" if result.recovered
                     else " (sent again: an earlier attempt was not confirmed)" if result.resent else "")
            print(f"posted {where}: {result.items} stories, message {result.message_id}{extra}", file=sys.stderr)
        elif result.status == "already":
            print(f"already posted {where} for this period (message {result.message_id or 'none: nothing was new'})", file=sys.stderr)
        elif result.status == "empty":
            print(f"nothing new for {where}; nothing posted", file=sys.stderr)
        else:
            code = 1
            print(f"not posted {where}: {result.error} ({result.status})", file=sys.stderr)
    return code
