"""The ``briefbot`` command line: thin wrappers over the Python API.

Keep imports inside the subcommands: ``briefbot ask`` must not pay for Slack, Discord or the
LLM client.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from bot import __version__
from bot.config import Settings


def _settings(args) -> Settings:
    return Settings.from_env(db_path=getattr(args, "db", None))


def _services(args):
    from bot.app import Services
    from bot.logs import setup_logging

    settings = _settings(args)
    quiet = getattr(args, "quiet_logs", False) and settings.sources.get("log_level") == "default"
    setup_logging(settings.log_format, "WARNING" if quiet else settings.log_level)
    return Services(settings)


class Progress:
    """A one-line progress bar on a terminal: files done, articles/s, time left."""

    def __init__(self, stream):
        self.stream = stream
        self.started = time.perf_counter()
        self.last = 0.0

    def __call__(self, done: int, total: int, stored: int) -> None:
        now = time.perf_counter()
        if done != total and now - self.last < 0.1:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = stored / elapsed
        left = (total - done) * elapsed / done if done else 0
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(
            f"\r[{bar}] {done}/{total} files  {rate:,.0f} articles/s  {left:,.0f}s left "
        )
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


def cmd_ingest(args) -> int:
    services = _services(args)
    progress = Progress(sys.stderr) if sys.stderr.isatty() else None
    report = services.ingest(args.paths, progress=progress)
    for item in report.inputs:
        title = item.titles[0] if len(item.titles) == 1 else (f"{len(item.titles)} articles" if item.titles else "")
        detail = f"  ({item.message})" if item.message else ""
        print(f"{item.outcome:<9} {item.input}  {title}{detail}".rstrip())
    stored = len(set(report.article_ids))
    print(
        f"{len(report.inputs)} inputs: {report.count('new') + report.count('warning')} new, "
        f"{report.count('updated')} updated, {report.count('duplicate')} duplicate, "
        f"{len(report.failed)} failed; {stored} articles in {report.seconds:.2f}s"
    )
    if report.failed:
        print(f"{len(report.failed)} input(s) failed; see the lines marked 'error' above.", file=sys.stderr)
    services.close()
    return 1 if report.failed else 0


def cmd_ask(args) -> int:
    args.quiet_logs = True
    services = _services(args)
    reply = services.ask(args.text, platform="console", user_id="cli", is_admin=args.as_admin)
    if args.json:
        print(json.dumps(reply.to_json(), ensure_ascii=False, indent=2))
    else:
        from bot.adapters.console.render import render

        print(render(reply, color=sys.stdout.isatty()))
    services.close()
    return 0 if reply.ok else 2


def cmd_serve(args) -> int:
    args.quiet_logs = True
    services = _services(args)
    settings = services.settings
    loaded = services.load_seeds_if_empty()
    if loaded:
        print(f"Loaded {loaded} seed articles from {settings.seeds_dir} into {settings.db_path}.", file=sys.stderr)
    platforms = [args.platform] if args.platform else list(settings.platforms) or ["console"]
    from bot.serve import serve

    services.start_background()
    try:
        return serve(services, platforms, {"http": args.http, "port": args.port})
    finally:
        services.close()


def cmd_reextract(args) -> int:
    from ingest.extract.run import reextract_all
    from storage.facts import fact_counts

    services = _services(args)
    db = services.db

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{done}/{total} articles")
            sys.stderr.flush()

    report = reextract_all(db, progress=progress, clock=services.clock)
    if sys.stderr.isatty() and report.articles:
        sys.stderr.write("\n")
    counts = ", ".join(f"{n} {kind}s" for kind, n in sorted(fact_counts(db).items())) or "no facts"
    print(f"re-extracted {report.articles} articles in {report.seconds:.2f}s: {counts}")
    services.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="briefbot",
        description="A briefing bot for Slack, Discord and the console.",
        epilog='Example: briefbot ask "/who-signed packaging MOU"',
    )
    parser.add_argument("--db", metavar="PATH", help="database file (default: $BRIEFBOT_DB or ./data/briefbot.db)")
    parser.add_argument("--version", action="version", version=f"briefbot {__version__}")
    sub = parser.add_subparsers(dest="cmd", metavar="COMMAND")

    p = sub.add_parser(
        "ingest", help="store article files and folders",
        description="Parse and store files and folders (recursively). Exit 1 if any input failed.",
        epilog="Example: briefbot ingest seeds/ ~/Downloads/article.html",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser(
        "ask", help="run one slash command and print the answer",
        description="Run one command exactly as a chat user would type it.",
        epilog='Example: briefbot ask "/latest 10" --json',
    )
    p.add_argument("text", metavar="TEXT", help='the command line, e.g. "/find packaging"')
    p.add_argument("--json", action="store_true", help="print the reply as JSON")
    p.add_argument("--as-admin", action="store_true", help="run with admin rights")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser(
        "serve", help="start the bot (Slack/Discord when configured, else the console)",
        description="Load the seeds into an empty database, then serve commands.",
        epilog="Example: briefbot serve console",
    )
    p.add_argument("platform", nargs="?", choices=["console", "slack", "discord"])
    p.add_argument("--http", action="store_true", help="Slack: serve HTTP instead of Socket Mode")
    p.add_argument("--port", type=int, default=3000, help="Slack HTTP port (default 3000)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "reextract", help="run fact extraction again over every stored article",
        description="Re-run the extraction rules over the whole database, replacing each "
                    "article's stored facts (aliases learnt and added by admins are kept).",
        epilog="Example: briefbot reextract",
    )
    p.set_defaults(func=cmd_reextract)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``briefbot`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
