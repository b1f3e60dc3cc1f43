"""The ``briefbot`` command line: thin wrappers over the Python API.

Keep imports inside the subcommands: ``briefbot ask`` must not pay for Slack, Discord or the
LLM client.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sqlite3
import sys
import time

from bot import __version__
from bot.config import Settings

EXIT_CONFIG = 78  # sysexits EX_CONFIG: systemd's RestartPreventExitStatus can stop a restart loop
EXIT_BUSY = 75  # sysexits EX_TEMPFAIL: the database stayed busy; run the command again
EXIT_READER_GONE = 141  # as a tool killed by SIGPIPE: the reader of the output stopped (`| head`)


def _settings(args) -> Settings:
    return Settings.from_env(db_path=getattr(args, "db", None))


def _services(args):
    from bot.app import Services
    from bot.config import SETTINGS
    from bot.logs import setup_logging

    settings = _settings(args)
    quiet = getattr(args, "quiet_logs", False) and settings.sources.get("log_level") == "default"
    secrets = [getattr(settings, s.field) for s in SETTINGS if s.secret]
    setup_logging(settings.log_format, "WARNING" if quiet else settings.log_level, secrets=secrets)
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
    progress = Progress(sys.stderr) if sys.stderr.isatty() else None
    with _services(args) as services:
        report = services.ingest(args.paths, progress=progress)
    for item in report.inputs:
        what = f"  {item.describe()}" if item.titles else ""
        detail = f"  ({item.message})" if item.message else ""
        print(f"{item.outcome:<9} {item.input}{what}{detail}")
    stored = len(set(report.article_ids))
    if report.resumed:
        print(f"Also read the facts of {report.resumed} article(s) an interrupted earlier run had "
              "stored without them.")
    print(
        f"{len(report.inputs)} inputs: {report.count('new') + report.count('warning')} new, "
        f"{report.count('updated')} updated, {report.count('duplicate')} duplicate, "
        + (f"{report.count('skipped')} skipped, " if report.count("skipped") else "")
        + f"{len(report.failed)} failed; {stored} articles in {report.seconds:.2f}s "
        f"({report.articles('new')} new, {report.articles('updated')} updated, "
        f"{report.articles('duplicate')} duplicate)"
    )
    if report.failed:
        print(f"{len(report.failed)} input(s) failed; see the lines marked 'error' above.", file=sys.stderr)
    return 1 if report.failed else 0


def print_reply(reply, *, as_json: bool) -> None:
    """Print a reply as the console renders it, or as JSON."""
    if as_json:
        print(json.dumps(reply.to_json(), ensure_ascii=False, indent=2))
    else:
        from bot.adapters.console.render import render

        tty = sys.stdout.isatty()
        print(render(reply, color=tty, width=shutil.get_terminal_size().columns if tty else None))


def cmd_ask(args) -> int:
    args.quiet_logs = True
    with _services(args) as services:
        where = ask_channel(services, args)
        reply = services.ask(args.text, user_id="cli", is_admin=args.as_admin, **where)
    print_reply(reply, as_json=args.json)
    return 0 if reply.ok else 2


def cmd_serve(args) -> int:
    from bot import lifecycle
    from bot.doctor import fatal_reason, run_checks, served_platforms
    from bot.lifecycle import Stopping, critical

    settings = _settings(args)
    platforms = list(served_platforms(settings, args.platform))
    # The console's replies are the output; logs stay quiet there unless asked for.
    args.quiet_logs = platforms == ["console"] and settings.log_format != "json"
    services = _services(args)
    checks = run_checks(settings, platform=args.platform, http=args.http, console=False, deep=False)
    for check in checks:
        if check.status in ("warn", "fail") and not check.fatal:
            logging.getLogger("briefbot.serve").warning("%s: %s", check.name, check.message)
    reason = fatal_reason(checks)
    if reason:
        print(f"briefbot: not starting: {reason}", file=sys.stderr)
        return EXIT_CONFIG
    lifecycle.install_signal_handlers()
    code = 1
    try:
        _open_for_serving(services)
        from bot.serve import adapter_options, serve

        with critical():  # a stop signal waits until the scheduler and its jobs are all set up
            services.start_background()
        code = serve(services, platforms, adapter_options(services, http=args.http, port=args.port))
    except Stopping as stop:
        logging.getLogger("briefbot.serve").info("%s received; stopping", stop)
        code = 0
    finally:
        # Set before any call: a signal from here on must not interrupt the stop itself.
        lifecycle.SHUTDOWN.stopping = True
        if not lifecycle.stop_gracefully(services):
            lifecycle.exit_now(code)  # work still running would hold the exit past the stop's timeout
    return code


def _open_for_serving(services) -> None:
    """Open (or create) the database, load the seeds into an empty one and read the facts an
    interrupted run left; say on stderr where the database is and what was loaded."""
    from pathlib import Path

    from storage.articles import count_articles

    settings = services.settings
    where = Path(settings.db_path).resolve()
    created = not where.exists()
    loaded = services.load_seeds_if_empty()
    resumed = services.finish_extraction()
    if settings.log_format == "json":  # JSON logs: stderr holds JSON lines only
        return
    say = lambda line: print(line, file=sys.stderr)  # noqa: E731
    if created:
        say(f"Created a new database at {where} (--db or BRIEFBOT_DB chooses another).")
    if loaded:
        say(f"Loaded {loaded} seed articles from {services.seeds_folder()} into {settings.db_path}.")
    elif services.seeds_folder() is None and not count_articles(services.db):
        say(f"The database {where} holds no articles and the seeds folder {settings.seeds_dir} was "
            "not found (set BRIEFBOT_SEEDS); add articles with `briefbot ingest PATH...` or "
            "`/sources add URL`.")
    if resumed:
        say(f"Read the facts of {resumed} article(s) an interrupted run had stored without them.")


# --- operations: doctor, health, backup, restore, export -------------------------------------

def cmd_doctor(args) -> int:
    from bot.doctor import run_checks, setting_rows, summary

    settings = _settings(args)
    print("Settings (value, source: default, env or option):")
    rows = setting_rows(settings)
    width = max(len(env) for env, _, _ in rows)
    value_width = max(len(shown) for _, shown, _ in rows)
    for env, shown, origin in rows:
        print(f"  {env:<{width}}  {shown:<{value_width}}  {origin}")
    print("\nChecks:")
    checks = run_checks(settings, platform=args.platform, http=args.http,
                        network=not args.offline, timeout=args.timeout)
    for check in checks:
        print(f"  {check.line}")
    print(f"\n{summary(settings, checks, args.platform)}")
    return 1 if any(c.status == "fail" for c in checks) else 0


def cmd_health(args) -> int:
    from bot.health import heartbeat_path, read_health

    settings = _settings(args)
    path = args.heartbeat or heartbeat_path(settings)
    healthy, message = read_health(path, max_age=args.max_age)
    print(message, file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


def _running_pid(settings) -> int | None:
    """The pid of a `serve` whose heartbeat is fresh, if any."""
    import os

    from bot.health import heartbeat_path, read_health

    path = heartbeat_path(settings)
    healthy, _ = read_health(path)
    if not healthy:
        return None
    try:
        pid = int(json.loads(path.read_text(encoding="utf-8"))["pid"])
        os.kill(pid, 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return pid


def cmd_backup(args) -> int:
    from storage.backup import BackupError, backup_db

    settings = _settings(args)
    try:
        result = backup_db(settings.db_path, args.path)
    except BackupError as exc:
        print(f"briefbot backup: {exc}", file=sys.stderr)
        return 1
    print(f"Backed up {settings.db_path} to {result.path}: {result.articles:,} articles, "
          f"{result.bytes / 1_048_576:.1f} MiB, verified.")
    return 0


def cmd_restore(args) -> int:
    from storage.backup import BackupError, restore_db

    settings = _settings(args)
    pid = _running_pid(settings)
    if pid is not None and not args.force:
        print(f"briefbot restore: briefbot is serving this database (pid {pid}); stop it first "
              "(or use --force if that process is gone).", file=sys.stderr)
        return 1
    try:
        result = restore_db(args.path, settings.db_path)
    except BackupError as exc:
        print(f"briefbot restore: {exc}", file=sys.stderr)
        return 1
    print(f"Restored {args.path} to {result.path}: {result.articles:,} articles.")
    if result.kept:
        print(f"The previous database is kept at {result.kept}.")
    return 0


def cmd_export(args) -> int:
    from storage.backup import BackupError, export_jsonl

    settings = _settings(args)
    try:
        if args.output:
            with open(args.output, "w", encoding="utf-8") as out:
                counts = export_jsonl(settings.db_path, out)
        else:
            counts = export_jsonl(settings.db_path, sys.stdout)
    except BackupError as exc:
        print(f"briefbot export: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `briefbot export | head`
        return 0
    plural = {"entity": "entities"}
    summary = ", ".join(f"{n:,} {kind if n == 1 else plural.get(kind, kind + 's')}"
                        for kind, n in counts.items()) or "nothing"
    print(f"Exported {summary}" + (f" to {args.output}." if args.output else "."), file=sys.stderr)
    return 0


def add_ops_parsers(sub) -> None:
    """Parsers of the operations commands."""
    from bot.health import MAX_AGE_SECONDS

    p = sub.add_parser(
        "doctor", help="check the settings, tokens, database and connections",
        description="Print every setting with its source (secrets masked), check token shapes, "
                    "the database, the LLM endpoint and the Slack/Discord APIs. Exit 1 on a problem.",
        epilog="Example: briefbot doctor",
    )
    p.add_argument("platform", nargs="?", choices=["console", "slack", "discord"],
                   help="check as for `serve PLATFORM` (default: what `serve` would start)")
    p.add_argument("--http", action="store_true", help="check as for `serve slack --http`")
    p.add_argument("--offline", action="store_true", help="skip the network checks")
    p.add_argument("--timeout", type=float, default=3.0, help="seconds per network check (default 3)")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser(
        "health", help="exit 0 if the running bot is healthy (for HEALTHCHECK)",
        description="Read the heartbeat file that `serve` rewrites every 30 s. Exit 0 when it is "
                    "fresh and reports a working database and scheduler, else 1.",
        epilog="Example: briefbot health && echo up",
    )
    p.add_argument("--max-age", type=float, default=MAX_AGE_SECONDS,
                   help=f"seconds after which the heartbeat is stale (default {MAX_AGE_SECONDS})")
    p.add_argument("--heartbeat", metavar="PATH", help="heartbeat file (default: $BRIEFBOT_HEARTBEAT)")
    p.set_defaults(func=cmd_health)

    p = sub.add_parser(
        "backup", help="copy the database safely, even while the bot runs",
        description="Write a consistent, verified copy of the database (SQLite online backup). "
                    "PATH may be a folder: the file is then named briefbot-YYYYmmdd-HHMMSS.db.",
        epilog="Example: briefbot backup /backups/",
    )
    p.add_argument("path", metavar="PATH")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser(
        "restore", help="replace the database with a backup (bot stopped)",
        description="Verify PATH (integrity check, a briefbot database), then replace the database "
                    "with it; the old one is kept beside it as <name>.before-restore-<time>.",
        epilog="Example: briefbot restore /backups/briefbot-20250829-120000.db",
    )
    p.add_argument("path", metavar="PATH")
    p.add_argument("--force", action="store_true", help="restore although a fresh heartbeat says the bot runs")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "export", help="export articles and facts as JSON Lines",
        description="One JSON object per line: articles, then entities and facts when there are any.",
        epilog="Example: briefbot export --format jsonl --output briefbot.jsonl",
    )
    p.add_argument("--format", choices=["jsonl"], default="jsonl")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=cmd_export)


def cmd_sources(args) -> int:
    import getpass
    import shlex

    if args.action in ("import", "export"):
        return cmd_sources_opml(args)
    args.quiet_logs = True
    line = f"/sources {args.action} {shlex.join(args.args)}".rstrip()
    with _services(args) as services:
        # the command line is the machine's own operator: it acts as the local admin
        reply = services.ask(line, platform="cli", user_id=getpass.getuser(), is_admin=True)
    print_reply(reply, as_json=args.json)
    return 0 if reply.ok else 1


def cmd_poll(args) -> int:
    from ingest.poller import TICK_SECONDS, Poller
    from storage.sources import next_due_at

    with _services(args) as services:
        poller = Poller(services)
        include_all = args.all
        while True:
            report = poller.poll(include_all=include_all, progress=lambda p: print(p.describe(), flush=True))
            include_all = False  # --all applies to the first round only
            if report.polls:
                print(
                    f"{len(report.polls)} source(s) polled in {report.seconds:.2f}s: "
                    f"{report.total('new')} new, {report.total('updated')} updated, "
                    f"{sum(1 for p in report.polls if p.outcome == 'not_modified')} not modified, "
                    f"{len(report.failed)} failed",
                    flush=True,
                )
            elif args.once:
                nxt = next_due_at(services.db)
                if nxt is None:
                    print("No active source to poll; add one with `briefbot sources add URL`.")
                else:
                    print(f"No source is due (the next one at {nxt[:16].replace('T', ' ')} UTC); "
                          "--all polls every active source now.")
            if args.once:
                return 1 if report.failed else 0
            time.sleep(TICK_SECONDS)


def _digest_poster(services, platform: str) -> str | None:
    """Register the poster ``digest run`` needs outside ``serve``: Slack's Web API client or
    Discord's REST API (no gateway). The reason it cannot, or None."""
    settings = services.settings
    if platform == "slack":
        if not settings.slack_bot_token:
            return "SLACK_BOT_TOKEN is not set: a Slack digest needs the bot token (see docs/slack.md)"
        from bot.adapters.slack.app import web_client
        from bot.adapters.slack.poster import SlackPoster

        services.posters["slack"] = SlackPoster(web_client(settings))
    elif platform == "discord":
        if not settings.discord_token:
            return "DISCORD_TOKEN is not set: a Discord digest needs the bot token (see docs/discord.md)"
        from bot.adapters.discord.poster import DiscordRestPoster

        services.posters["discord"] = DiscordRestPoster(settings.discord_token, settings.discord_api_url)
    return None


def cmd_digest(args) -> int:
    args.quiet_logs = True
    with _services(args) as services:
        from bot.digest_cli import digest_platform, digest_preview, digest_run

        if args.action == "preview":
            return digest_preview(services, args)
        if args.channel:
            problem = _digest_poster(services, digest_platform(services, args))
            if problem:
                print(f"briefbot digest run: {problem}", file=sys.stderr)
                return 2
        return digest_run(services, args)


# --- watches, alerts and OPML ------------------------------------------------------------------

def ask_channel(services, args) -> dict:
    """Where ``ask`` runs the command: ``--channel`` on ``--platform`` (default the first
    configured platform with a channel, else the console); on Slack or Discord the mentions of
    /watch are checked over the platform's API when its token is set."""
    channel = getattr(args, "channel", None)
    platform = getattr(args, "platform", None) or (
        (services.settings.platforms[0] if services.settings.platforms else "console") if channel else "console")
    settings = services.settings
    if platform == "slack" and settings.slack_bot_token:
        from bot.adapters.slack.app import web_client
        from bot.adapters.slack.members import SlackMembers

        services.members["slack"] = SlackMembers(web_client(settings))
    elif platform == "discord" and settings.discord_token:
        from bot.adapters.discord.members import DiscordMembers
        from bot.adapters.discord.poster import DiscordRestPoster

        services.members["discord"] = DiscordMembers(DiscordRestPoster(settings.discord_token, settings.discord_api_url).run_http)
    return {"platform": platform, "channel_id": channel or "console"}


def cmd_sources_opml(args) -> int:
    """``sources import FILE.opml`` and ``sources export --format opml``."""
    import getpass

    from ingest.opml import OpmlError, import_outlines, kind_name, read_opml, write_opml
    from storage.audit import record_action
    from storage.sources import list_sources

    args.quiet_logs = True
    with _services(args) as services:
        if args.action == "export":
            if args.args:
                print("briefbot sources export: takes no arguments (use --output FILE)", file=sys.stderr)
                return 2
            text = write_opml(list_sources(services.db), now=services.clock())
            if args.output:
                with open(args.output, "w", encoding="utf-8") as out:
                    out.write(text)
                print(f"Exported {text.count('<outline ')} sources to {args.output}.", file=sys.stderr)
            else:
                sys.stdout.write(text)
            return 0
        if len(args.args) != 1:
            print("briefbot sources import: give one OPML file, e.g. briefbot sources import feeds.opml", file=sys.stderr)
            return 2
        try:
            with open(args.args[0], "rb") as fh:
                data = fh.read()
            outlines = read_opml(data)
        except OSError as exc:
            print(f"briefbot sources import: cannot read {args.args[0]}: {exc.strerror or exc}; nothing was added",
                  file=sys.stderr)
            return 1
        except OpmlError as exc:
            print(f"briefbot sources import: {args.args[0]}: {exc}; nothing was added", file=sys.stderr)
            return 1
        actor = f"cli:{getpass.getuser()}"
        report = import_outlines(services.db, outlines, allow=services.settings.fetch_allow, created_by=actor,
                                 clock=services.clock)
        for source_id, o in report.added:
            topics = f" · topics: {o.topics}" if o.topics else ""
            print(f"added    #{source_id} {o.name} ({kind_name(o.kind)}) {o.url}{topics}")
        for source_id, o in report.existing:
            print(f"already  #{source_id} {o.name} {o.url}")
        for o, reason in report.refused:
            print(f"refused  {o.name} {o.url}: {reason}")
        record_action(services.db, platform="cli", actor=actor, action="sources.import",
                      detail=f"{args.args[0]}: {len(report.added)} added, {len(report.existing)} already followed, "
                             f"{len(report.refused)} refused", clock=services.clock)
        print(f"{len(outlines)} feeds: {len(report.added)} added, {len(report.existing)} already followed, "
              f"{len(report.refused)} refused. Each new source's first poll stores a baseline (not news).")
        return 1 if report.refused else 0


def cmd_alerts(args) -> int:
    """``alerts preview`` and ``alerts run``."""
    args.quiet_logs = True
    with _services(args) as services:
        from watches.cli import alerts_preview, alerts_run

        if args.action == "preview":
            return alerts_preview(services, args)
        platforms = [args.platform or (services.settings.platforms[0] if services.settings.platforms else "console")]
        if not args.channel:
            from storage.watches import watched_channels

            platforms = sorted({p for p, _ in watched_channels(services.db)})
        for platform in platforms:
            problem = _digest_poster(services, platform)
            if problem and args.channel:
                print(f"briefbot alerts run: {problem}", file=sys.stderr)
                return 2
        return alerts_run(services, args)


def add_alerts_parser(sub) -> None:
    """The parser of ``briefbot alerts``."""
    p = sub.add_parser(
        "alerts", help="preview or post what a channel's watches matched",
        description="preview: what the channel's watches would post now (records and posts nothing). "
                    "run: record what is new and post what is due, each item once (every watched "
                    "channel without --channel); the console prints it when no platform is configured.",
        epilog="Example: briefbot alerts preview --channel C0123ABCD --json",
    )
    p.add_argument("action", choices=["preview", "run"])
    p.add_argument("--channel", metavar="ID", help="channel id (preview: default console; run: default every channel)")
    p.add_argument("--platform", choices=["console", "slack", "discord"],
                   help="platform of the channel (default: the first configured, else console)")
    p.add_argument("--json", action="store_true", help="preview: print the posts as JSON")
    p.set_defaults(func=cmd_alerts)


def cmd_reextract(args) -> int:
    with _services(args) as services:
        return _reextract(services, args)


def _reextract(services, args) -> int:
    from ingest.extract.run import reextract_all
    from storage.facts import fact_counts

    reader = None
    if args.llm:
        if not services.settings.llm_enabled:
            print("briefbot: --llm needs an OpenAI-compatible server: set OPENAI_BASE_URL (and "
                  "OPENAI_API_KEY if it wants one), then run again; nothing was changed",
                  file=sys.stderr)
            return 2
        from digests.summarize import chat_json, make_client
        from ingest.extract.llm import LLMReader

        client, model = make_client(services.settings), services.settings.llm_model
        reader = LLMReader(lambda system, user, schema: chat_json(
            client, model=model, system=system, user=user, schema=schema, max_tokens=1500).data,
            db=services.db, model=model, clock=services.clock)
    db = services.db

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{done}/{total} articles" if total else f"\r{done} articles")
            sys.stderr.flush()

    if args.pending:
        from ingest.extract.run import extract_unread

        report = extract_unread(db, progress=lambda done: progress(done, 0), clock=services.clock,
                                also=reader)
    else:
        report = reextract_all(db, progress=progress, clock=services.clock, also=reader)
    if sys.stderr.isatty() and report.articles:
        sys.stderr.write("\n")
    counts = ", ".join(f"{n} {kind}s" for kind, n in sorted(fact_counts(db).items())) or "no facts"
    if args.pending:
        print(f"read {report.articles} article(s) stored without facts in {report.seconds:.2f}s: {counts}"
              if report.articles else f"every article's facts are stored; nothing to read ({counts})")
    else:
        print(f"re-extracted {report.articles} articles in {report.seconds:.2f}s: {counts}")
    if reader is not None:
        r = reader.report
        print(f"LLM ({model}): read {r.articles} articles, added {r.agreements} agreements and "
              f"{r.investments} amounts the rules missed")
        if reader.rejected:
            print(f"LLM: {reader.rejected} answer(s) not used: they named {len(r.dropped)} name(s) or amount(s) "
                  "the articles do not contain")
        if reader.failed:
            print(f"LLM: no usable answer for {reader.failed} articles; they keep the rules' facts")
        if reader.stopped:
            print(f"LLM: stopped asking ({reader.stopped}); every article has the rules' facts. "
                  "Check the server (briefbot doctor) and run again.")
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
    p.add_argument("--channel", metavar="ID", help="the channel the command is typed in (default: console)")
    p.add_argument("--platform", choices=["console", "slack", "discord"],
                   help="platform of --channel (default: the first configured with --channel, else console)")
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
        "sources", help="add, list, remove, pause, resume or test sources (as the local admin)",
        description="Manage the feeds, WordPress sites and pages briefbot polls; the same as "
        "/sources in chat. Exit 1 when the action was refused or failed (nothing is stored then).",
        epilog='Example: briefbot sources add https://example.com/feed.xml "Example News" every 2h packaging',
    )
    p.add_argument("action", choices=["add", "list", "remove", "pause", "resume", "test", "errors", "import", "export"])
    p.add_argument("args", nargs="*", metavar="ARG",
                   help="URL, name, every 30m|2h|1d, topics; or an id; import: FILE.opml")
    p.add_argument("--json", action="store_true", help="print the reply as JSON")
    p.add_argument("--format", choices=["opml"], default="opml", help="export: the format (OPML 2.0)")
    p.add_argument("--output", "-o", metavar="FILE", help="export: write to FILE instead of stdout")
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser(
        "poll", help="poll the sources that are due (in a loop, or once)",
        description="Poll due sources: new items are stored, unchanged feeds cost a 304. Without "
        "--once, keep polling until interrupted. With --once, exit 1 if any source failed.",
        epilog="Example: briefbot poll --once --all",
    )
    p.add_argument("--once", action="store_true", help="one round, then exit")
    p.add_argument("--all", action="store_true", help="poll every active source now, due or not")
    p.set_defaults(func=cmd_poll)

    add_ops_parsers(sub)

    p = sub.add_parser(
        "digest", help="preview or post a channel's digest of what is new",
        description="preview: show the channel's next digest (advances nothing). run: post each of "
                    "the channel's digests for the current period, at most once; the console "
                    "prints it when no platform is configured.",
        epilog="Example: briefbot digest preview --json",
    )
    p.add_argument("action", choices=["preview", "run"])
    p.add_argument("--channel", metavar="ID", help="channel id (default: console)")
    p.add_argument("--platform", choices=["console", "slack", "discord"],
                   help="platform of the channel (default: the first configured, else console)")
    p.add_argument("--since", metavar="ISO", help="preview: articles stored since this date-time, not since the cursor")
    p.add_argument("--json", action="store_true", help="preview: print the digest as JSON")
    p.set_defaults(func=cmd_digest)

    add_alerts_parser(sub)

    p = sub.add_parser(
        "reextract", help="run fact extraction again over every stored article",
        description="Re-run the extraction rules over the whole database, replacing each "
                    "article's stored facts (aliases learnt and added by admins are kept).",
        epilog="Example: briefbot reextract --llm",
    )
    p.add_argument("--llm", action="store_true",
                   help="also ask the configured LLM for agreements and amounts the rules missed "
                        "(only what the article itself says is kept)")
    p.add_argument("--pending", action="store_true",
                   help="only the articles stored without facts (an interrupted ingest) or changed "
                        "since their facts were read; `briefbot doctor` counts them")
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
        code = args.func(args)
        sys.stdout.flush()  # a reader that has gone shows here, not as a traceback at exit
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_gone()
    except sqlite3.DatabaseError as exc:
        from storage.db import describe_error, is_busy, is_database_problem

        if not is_database_problem(exc):
            raise
        path = _settings(args).db_path
        print(f"briefbot {args.cmd}: {describe_error(path, exc)}", file=sys.stderr)
        return EXIT_BUSY if is_busy(exc) else EXIT_CONFIG


def _reader_gone() -> int:
    """The reader of our output stopped reading (`briefbot … | head`): end quietly. Output
    still buffered goes nowhere instead of raising again when Python exits."""
    from bot.adapters.console.poster import discard_output

    discard_output(sys.stdout)
    return EXIT_READER_GONE


if __name__ == "__main__":
    sys.exit(main())
