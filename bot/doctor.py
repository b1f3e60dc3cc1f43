"""Settings check: what is configured, what is wrong with it, what to set next.

Each check is a function returning ``Check`` results; `briefbot doctor` prints them and `serve`
runs the same ones at start, refusing to start on a fatal one. Secrets are never shown whole.
The network probes are plain HTTP calls with short timeouts (urllib: no client library needed).
"""

from __future__ import annotations

import json
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from bot.config import Settings, mask_secret

TIMEOUT = 3.0
OPENAI_DEFAULT_URL = "https://api.openai.com/v1"
SLACK_DOC = "docs/slack.md"
DISCORD_DOC = "docs/discord.md"

SLACK_BOT = re.compile(r"^xoxb-[A-Za-z0-9-]+$")
SLACK_APP = re.compile(r"^xapp-[A-Za-z0-9-]+$")
SLACK_SECRET = re.compile(r"^[0-9a-f]{32}$")
# Discord bot tokens are three base64url parts: user id, timestamp, HMAC.
DISCORD_TOKEN = re.compile(r"^[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{10,}$")
SLACK_REJECTED = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
                  "not_allowed_token_type", "invalid_token"}


@dataclass
class Check:
    """One finding: ``status`` is ok, info, warn or fail; a fatal one stops `serve` starting."""

    name: str
    status: str
    message: str
    fatal: bool = False

    @property
    def line(self) -> str:
        return f"{self.status:<5} {self.name:<9} {self.message}"


def setting_rows(settings: Settings) -> list[tuple[str, str, str]]:
    """(env var, value as shown, source) for every setting; secrets masked, unset ones marked."""
    return [(env, shown or "(not set)", origin) for env, shown, origin in settings.describe()]


def _shape_problem(value: str) -> str | None:
    if value != value.strip() or any(c.isspace() for c in value):
        return "contains spaces or line breaks"
    if value[:1] in "\"'" or value[-1:] in "\"'":
        return "is wrapped in quotes; remove them"
    return None


def check_tokens(settings: Settings, platforms: tuple[str, ...] = (), *, http: bool = False) -> list[Check]:
    """Token and URL shapes, and that each served platform has what it needs. Problems are
    fatal only for a platform that is about to be served."""
    out: list[Check] = []
    slack_fatal = "slack" in platforms
    discord_fatal = "discord" in platforms

    def bad(name: str, message: str, fatal: bool) -> None:
        out.append(Check(name, "fail" if fatal else "warn", message, fatal=fatal))

    bot, app, secret = settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret
    if bot:
        problem = _shape_problem(bot)
        if problem:
            bad("slack", f"SLACK_BOT_TOKEN {problem}", slack_fatal)
        elif bot.startswith("xapp-"):
            bad("slack", "SLACK_BOT_TOKEN holds an app-level token (xapp-…); it goes in SLACK_APP_TOKEN, "
                "and SLACK_BOT_TOKEN takes the Bot User OAuth Token (xoxb-…)", slack_fatal)
        elif bot.startswith("xoxp-"):
            bad("slack", "SLACK_BOT_TOKEN is a user token (xoxp-…); use the Bot User OAuth Token (xoxb-…)", slack_fatal)
        elif not SLACK_BOT.match(bot):
            bad("slack", f"SLACK_BOT_TOKEN {mask_secret(bot)} is not a bot token: it must start with xoxb-", slack_fatal)
        else:
            out.append(Check("slack", "ok", f"SLACK_BOT_TOKEN has the bot-token shape ({mask_secret(bot)})"))
    if app:
        problem = _shape_problem(app)
        if problem:
            bad("slack", f"SLACK_APP_TOKEN {problem}", slack_fatal)
        elif app.startswith("xoxb-"):
            bad("slack", "SLACK_APP_TOKEN holds a bot token (xoxb-…); it takes the app-level token (xapp-…) "
                "with the connections:write scope", slack_fatal)
        elif not SLACK_APP.match(app):
            bad("slack", f"SLACK_APP_TOKEN {mask_secret(app)} is not an app-level token: it must start with xapp-", slack_fatal)
        else:
            out.append(Check("slack", "ok", f"SLACK_APP_TOKEN has the app-token shape ({mask_secret(app)})"))
    if secret and not SLACK_SECRET.match(secret):
        out.append(Check("slack", "warn", "SLACK_SIGNING_SECRET does not look like a Slack signing secret "
                         "(32 hexadecimal characters, from Basic Information → App Credentials)"))
    if (app or secret) and not bot:
        bad("slack", "SLACK_APP_TOKEN/SLACK_SIGNING_SECRET are set but SLACK_BOT_TOKEN (xoxb-…) is not", slack_fatal)
    elif slack_fatal and not bot:
        bad("slack", "SLACK_BOT_TOKEN is not set: Slack needs the bot token (xoxb-…) and SLACK_APP_TOKEN "
            "(xapp-…, Socket Mode) or SLACK_SIGNING_SECRET (`serve slack --http`); see "
            f"{SLACK_DOC}", True)
    if bot and slack_fatal:
        if http and not secret:
            bad("slack", "HTTP mode needs SLACK_SIGNING_SECRET to verify requests from Slack", True)
        elif not http and not app:
            bad("slack", "Socket Mode needs SLACK_APP_TOKEN (xapp-…); or set SLACK_SIGNING_SECRET and run "
                "`briefbot serve slack --http`", True)

    token = settings.discord_token
    if token:
        problem = _shape_problem(token)
        if token.lower().startswith("bot "):
            bad("discord", "DISCORD_TOKEN starts with 'Bot '; set the token alone (the prefix is added for you)", discord_fatal)
        elif problem:
            bad("discord", f"DISCORD_TOKEN {problem}", discord_fatal)
        elif not DISCORD_TOKEN.match(token):
            bad("discord", f"DISCORD_TOKEN {mask_secret(token)} is not a bot token (three dot-separated parts, "
                "from the Developer Portal → Bot → Reset Token)", discord_fatal)
        else:
            out.append(Check("discord", "ok", f"DISCORD_TOKEN has the bot-token shape ({mask_secret(token)})"))
    elif discord_fatal:
        bad("discord", "DISCORD_TOKEN is not set: Discord needs the bot token (Developer Portal → Bot "
            f"→ Reset Token); see {DISCORD_DOC}", True)
    if settings.discord_guild_id and not settings.discord_guild_id.isdigit():
        bad("discord", f"DISCORD_GUILD_ID {settings.discord_guild_id!r} is not a server ID (digits only; "
            "right-click the server with Developer Mode on → Copy Server ID)", discord_fatal)

    for env, url, fatal, name in (
        ("SLACK_API_URL", settings.slack_api_url, slack_fatal, "slack"),
        ("DISCORD_API_URL", settings.discord_api_url, discord_fatal, "discord"),
        ("OPENAI_BASE_URL", settings.openai_base_url, False, "llm"),
    ):
        if url and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            bad(name, f"{env} {url!r} is not an http(s) URL", fatal)
    if settings.log_format not in ("text", "json"):
        out.append(Check("logs", "warn", f"BRIEFBOT_LOG_FORMAT {settings.log_format!r} is neither text nor json; using text"))
    if settings.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        out.append(Check("logs", "warn", f"BRIEFBOT_LOG_LEVEL {settings.log_level!r} is not a level; using INFO"))
    return out


def check_database(settings: Settings, *, deep: bool = True) -> Check:
    """The database can be created or opened and written; which migrations start will apply.
    ``deep`` (`doctor`) also reads the whole file; `serve` checks what takes the same time at any
    size (a daily job reads the whole file while it runs)."""
    from storage.health import probe_database

    status = probe_database(settings.db_path, deep=deep)
    where = str(Path(settings.db_path).resolve())
    if not status.ok:
        return Check("database", "fail", status.error, fatal=True)
    if status.unknown:
        return Check("database", "fail", f"{where} was written by a newer briefbot (migrations "
                     f"{', '.join(status.unknown)}); upgrade briefbot or restore a backup", fatal=True)
    if not status.exists:
        return Check("database", "ok", f"{where} does not exist yet; `serve` creates it, migrates it "
                     "and loads the seeds (the folder is writable)")
    migrated = (f"{len(status.pending)} migration(s) to apply at the next start: {', '.join(status.pending)}"
                if status.pending else f"migrated ({len(status.applied)} migrations)")
    counted = f", {status.articles:,} articles" if status.articles is not None else ""
    return Check("database", "ok", f"{where}: writable, {migrated}{counted}")


def check_facts(settings: Settings) -> Check | None:
    """Articles stored without their facts (an ingest or poll killed between the two), and
    what to run; None when the database has no extraction state yet (not migrated)."""
    import sqlite3
    from contextlib import closing

    path = Path(settings.db_path)
    if not path.is_file():
        return None
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "article_extraction" not in tables:
                return None
            from storage.extraction import count_unread

            unread = count_unread(conn)  # a plain connection answers execute() too
    except sqlite3.Error as exc:
        return Check("facts", "warn", f"could not count the articles without facts: {exc}")
    if unread:
        return Check("facts", "warn", f"{unread:,} article(s) are stored without their facts (an ingest "
                     "was interrupted): run `briefbot reextract --pending`; the next `briefbot ingest` "
                     "or `serve` start reads them too")
    return Check("facts", "ok", "every stored article's facts are stored")


def check_console(settings: Settings) -> Check:
    """Run `/find` the way the console does, on the seeds in a scratch database."""
    from bot.app import Services

    seeds = Services(settings).seeds_folder()  # opens nothing: connections are made on use
    if seeds is None:
        return Check("console", "warn", f"the seeds folder {settings.seeds_dir} is missing; load articles with "
                     "`briefbot ingest PATH...` and try `briefbot ask \"/find <words>\"`")
    with tempfile.TemporaryDirectory(prefix="briefbot-doctor-") as tmp:
        services = Services(replace(settings, db_path=str(Path(tmp) / "scratch.db")))
        try:
            report = services.ingest([seeds])
            reply = services.ask("/find packaging", platform="console", user_id="doctor")
        finally:
            services.close()
    stored = len(set(report.article_ids))
    if not reply.ok or not reply.answers:
        return Check("console", "fail", f"`/find packaging` on the {stored} seed articles found nothing: {reply.title}")
    return Check("console", "ok", f"works: `/find packaging` on the {stored} seed articles answers "
                 f"{len(reply.answers)} (scratch copy). Try it: `briefbot serve console` or "
                 "`briefbot ask \"/find packaging\"`")


def _request(method: str, url: str, headers: dict, timeout: float, data: bytes | None = None):
    """(status, parsed JSON or None, error text or None) for one HTTP call."""
    req = urllib.request.Request(url, data=data, method=method, headers={"User-Agent": "briefbot-doctor", **headers})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            status, body = resp.status, resp.read(1_000_000)
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read(1_000_000) if exc.fp else b""
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, None, f"cannot reach {url}: {reason}"
    try:
        return status, json.loads(body or b"null"), None
    except ValueError:
        return status, None, None


def probe_slack(settings: Settings, *, timeout: float = TIMEOUT, app_token: bool = False) -> list[Check]:
    """auth.test with the bot token (and, if asked, apps.connections.open with the app token)."""
    base = settings.slack_api_url.rstrip("/") + "/"
    out = []
    status, body, error = _request(
        "POST", base + "auth.test", {"Authorization": f"Bearer {settings.slack_bot_token}",
                                     "Content-Type": "application/x-www-form-urlencoded"}, timeout, b"")
    if error:
        return [Check("slack", "fail", error)]
    if isinstance(body, dict) and body.get("ok"):
        out.append(Check("slack", "ok", f"Slack API answers at {base}: bot @{body.get('user')} in "
                         f"{body.get('team')} ({body.get('team_id')})"))
    else:
        reason = body.get("error") if isinstance(body, dict) else f"HTTP {status}"
        rejected = reason in SLACK_REJECTED or status == 401
        out.append(Check("slack", "fail", f"Slack rejected SLACK_BOT_TOKEN: {reason}" if rejected
                         else f"Slack auth.test failed at {base}: {reason}", fatal=rejected))
    if app_token and settings.slack_app_token:
        status, body, error = _request(
            "POST", base + "apps.connections.open", {"Authorization": f"Bearer {settings.slack_app_token}",
                                                     "Content-Type": "application/x-www-form-urlencoded"}, timeout, b"")
        if error:
            out.append(Check("slack", "fail", error))
        elif isinstance(body, dict) and body.get("ok"):
            out.append(Check("slack", "ok", "SLACK_APP_TOKEN opens Socket Mode connections"))
        else:
            reason = body.get("error") if isinstance(body, dict) else f"HTTP {status}"
            out.append(Check("slack", "fail", f"Slack rejected SLACK_APP_TOKEN for Socket Mode: {reason}"))
    return out


def probe_discord(settings: Settings, *, timeout: float = TIMEOUT) -> list[Check]:
    """GET /users/@me with the bot token."""
    base = settings.discord_api_url.rstrip("/")
    status, body, error = _request("GET", base + "/users/@me", {"Authorization": f"Bot {settings.discord_token}"}, timeout)
    if error:
        return [Check("discord", "fail", error)]
    if status == 200 and isinstance(body, dict) and body.get("id"):
        return [Check("discord", "ok", f"Discord API answers at {base}: bot {body.get('username')} ({body.get('id')})")]
    rejected = status == 401
    reason = (body or {}).get("message") if isinstance(body, dict) else None
    return [Check("discord", "fail", f"Discord rejected DISCORD_TOKEN: HTTP {status} {reason or ''}".rstrip()
                  if rejected else f"Discord GET /users/@me failed at {base}: HTTP {status} {reason or ''}".rstrip(),
                  fatal=rejected)]


def probe_llm(settings: Settings, *, timeout: float = TIMEOUT) -> list[Check]:
    """GET {base}/models on the OpenAI-compatible endpoint. Never fatal: summaries fall back."""
    base = (settings.openai_base_url or OPENAI_DEFAULT_URL).rstrip("/")
    headers = {"Authorization": f"Bearer {settings.openai_api_key}"} if settings.openai_api_key else {}
    status, body, error = _request("GET", base + "/models", headers, timeout)
    fallback = "; summaries fall back to extractive ones"
    if error:
        return [Check("llm", "warn", error + fallback)]
    if status != 200:
        reason = ((body or {}).get("error") or {}) if isinstance(body, dict) else {}
        message = reason.get("message") if isinstance(reason, dict) else reason
        return [Check("llm", "warn", f"{base}/models answered HTTP {status} {message or ''}".rstrip() + fallback)]
    models = [m.get("id") for m in (body or {}).get("data", []) if isinstance(m, dict)] if isinstance(body, dict) else []
    if models and settings.llm_model not in models:
        return [Check("llm", "warn", f"{base} answers, but does not list BRIEFBOT_LLM_MODEL "
                      f"{settings.llm_model!r} (it lists {', '.join(models[:5])}{'…' if len(models) > 5 else ''})")]
    return [Check("llm", "ok", f"{base} answers; model {settings.llm_model}")]


def not_configured(settings: Settings) -> list[Check]:
    """What to set to reach Slack, Discord and an LLM, for whatever is not configured."""
    out = []
    if not settings.slack_bot_token:
        out.append(Check("slack", "info", "not configured. To reach Slack, create a Slack app "
                         f"(see {SLACK_DOC}) and set SLACK_BOT_TOKEN (xoxb-…) plus "
                         "SLACK_APP_TOKEN (xapp-…, Socket Mode), or SLACK_SIGNING_SECRET for "
                         "`briefbot serve slack --http`"))
    if not settings.discord_token:
        out.append(Check("discord", "info", "not configured. To reach Discord, create a bot in "
                         "the Developer Portal and set DISCORD_TOKEN (and DISCORD_GUILD_ID for "
                         f"instant command updates); see {DISCORD_DOC}"))
    if not settings.llm_enabled:
        out.append(Check("llm", "info", "not configured (optional): digests use extractive "
                         "summaries. Set OPENAI_API_KEY and/or OPENAI_BASE_URL to use an LLM"))
    return out


def served_platforms(settings: Settings, platform: str | None = None) -> tuple[str, ...]:
    """The platforms `serve` would start: the one asked for, else those configured, else the console."""
    if platform:
        return (platform,)
    return settings.platforms or ("console",)


def run_checks(
    settings: Settings,
    *,
    platform: str | None = None,
    http: bool = False,
    network: bool = True,
    console: bool = True,
    deep: bool = True,
    timeout: float = TIMEOUT,
) -> list[Check]:
    """Every check, in the order `doctor` prints them. ``deep`` adds the probes `serve` skips
    (opening a Socket Mode connection); ``console`` runs `/find` on the seeds."""
    platforms = served_platforms(settings, platform)
    checks = [check_database(settings, deep=deep)]
    facts = check_facts(settings) if checks[0].status == "ok" else None
    if facts is not None:
        checks.append(facts)
    checks += check_tokens(settings, platforms, http=http)
    if network:
        probes = []
        if settings.slack_bot_token and not any(c.name == "slack" and c.status == "fail" for c in checks):
            probes.append(lambda: probe_slack(settings, timeout=timeout, app_token=deep))
        if settings.discord_token and not any(c.name == "discord" and c.status == "fail" for c in checks):
            probes.append(lambda: probe_discord(settings, timeout=timeout))
        if settings.llm_enabled:
            probes.append(lambda: probe_llm(settings, timeout=timeout))
        if probes:
            with ThreadPoolExecutor(max_workers=len(probes)) as pool:
                for found in pool.map(lambda probe: probe(), probes):
                    checks += found
    checks += not_configured(settings)
    if console and checks[0].status == "ok":
        checks.append(check_console(settings))
    # A platform that is not being served cannot stop `serve`.
    for c in checks:
        if c.fatal and c.name in ("slack", "discord") and c.name not in platforms:
            c.fatal, c.status = False, "warn"
    return checks


def fatal_reason(checks: list[Check]) -> str | None:
    """The first fatal finding as one line, or None."""
    return next((f"{c.name}: {c.message}" for c in checks if c.fatal), None)


def summary(settings: Settings, checks: list[Check], platform: str | None = None) -> str:
    """The last line of `doctor`: ready or not, and what `serve` will start."""
    reason = fatal_reason(checks)
    if reason:
        return f"not ready: `briefbot serve` would refuse to start ({reason})"
    platforms = served_platforms(settings, platform)
    failed = sum(1 for c in checks if c.status == "fail")
    ready = f"ready: `briefbot serve` starts {' and '.join(platforms)}"
    return ready + (f"; {failed} problem(s) above need attention" if failed else "")
