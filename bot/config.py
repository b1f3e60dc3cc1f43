"""Settings: the one place that reads the environment.

Every setting is declared once in ``SETTINGS`` as (field, env var, default, help); the README's
configuration table and ``briefbot doctor`` are generated from that list.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Setting:
    """One configurable value: its field on Settings, its env var, default and meaning."""

    field: str
    env: str
    default: str
    help: str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("db_path", "BRIEFBOT_DB", "./data/briefbot.db", "SQLite database file."),
    Setting(
        "seeds_dir",
        "BRIEFBOT_SEEDS",
        "./seeds",
        "Folder loaded into an empty database when `serve` starts (when the default is missing: "
        "the seeds of the source checkout briefbot runs from).",
    ),
    Setting(
        "admins",
        "BRIEFBOT_ADMINS",
        "",
        "Comma-separated Slack/Discord user IDs allowed to run admin commands.",
    ),
    Setting(
        "fetch_allow",
        "BRIEFBOT_FETCH_ALLOW",
        "",
        "Comma-separated hosts or networks the fetcher may reach although private (e.g. 127.0.0.1).",
    ),
    Setting(
        "admin_channel",
        "BRIEFBOT_ADMIN_CHANNEL",
        "",
        "Where admin notices (e.g. a source paused after repeated failures) are posted, as "
        "`platform:channel_id` (e.g. `slack:C0123ABCD`); empty: only logged.",
    ),
    Setting(
        "busy_timeout",
        "BRIEFBOT_BUSY_TIMEOUT",
        "30",
        "Seconds a write waits for another briefbot process (an ingest, the running bot) to finish "
        "its own before giving up with a message; nothing is lost either way.",
    ),
    Setting("log_format", "BRIEFBOT_LOG_FORMAT", "text", "`text` for human lines, `json` for one object per line."),
    Setting("log_level", "BRIEFBOT_LOG_LEVEL", "INFO", "Logging level (DEBUG, INFO, WARNING, ERROR)."),
    Setting(
        "heartbeat",
        "BRIEFBOT_HEARTBEAT",
        "",
        "Heartbeat file `serve` rewrites every 30 s and `briefbot health` reads (default: heartbeat.json beside the database).",
    ),
    Setting("slack_bot_token", "SLACK_BOT_TOKEN", "", "Slack bot token (xoxb-…); enables Slack.", secret=True),
    Setting("slack_app_token", "SLACK_APP_TOKEN", "", "Slack app-level token (xapp-…); enables Socket Mode.", secret=True),
    Setting("slack_signing_secret", "SLACK_SIGNING_SECRET", "", "Slack signing secret (HTTP mode).", secret=True),
    Setting("slack_api_url", "SLACK_API_URL", "https://slack.com/api/", "Slack Web API base URL."),
    Setting(
        "slack_commands",
        "BRIEFBOT_SLACK_COMMANDS",
        "",
        "Rename Slack slash commands: `command=slack-name` pairs, e.g. `who-signed=ws,find=search`.",
    ),
    Setting(
        "slack_workspace_admins",
        "BRIEFBOT_SLACK_WORKSPACE_ADMINS",
        "false",
        "`true`: Slack workspace admins and owners (from users.info) are briefbot admins too.",
    ),
    Setting("slack_http_host", "BRIEFBOT_SLACK_HOST", "0.0.0.0", "Address `serve slack --http` listens on."),
    Setting("discord_token", "DISCORD_TOKEN", "", "Discord bot token; enables Discord.", secret=True),
    Setting("discord_guild_id", "DISCORD_GUILD_ID", "", "Sync commands to this server only (instant updates)."),
    Setting("discord_api_url", "DISCORD_API_URL", "https://discord.com/api/v10", "Discord REST API base URL."),
    Setting("openai_api_key", "OPENAI_API_KEY", "", "Key for an OpenAI-compatible LLM; optional.", secret=True),
    Setting("openai_base_url", "OPENAI_BASE_URL", "", "Base URL of an OpenAI-compatible server (Ollama, vLLM, …)."),
    Setting("llm_model", "BRIEFBOT_LLM_MODEL", "gpt-4o-mini", "Model name for LLM summaries."),
    Setting("llm_timeout", "BRIEFBOT_LLM_TIMEOUT", "30", "Seconds to wait for one LLM answer (one retry) before the extractive summary is used."),
    Setting("digest_timezone", "BRIEFBOT_DIGEST_TZ", "UTC", "Time zone of `/digest subscribe` schedules given without `tz`."),
    Setting("digest_empty", "BRIEFBOT_DIGEST_EMPTY", "skip", "A digest period with nothing new: `skip` posts nothing, `line` posts one line."),
    Setting("alerts_per_minute", "BRIEFBOT_ALERTS_PER_MINUTE", "10", "Watch alerts posted to one channel in a minute at most; past it, one roll-up post."),
)


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """Frozen configuration; build it with ``Settings.from_env()`` or directly in tests."""

    db_path: str = "./data/briefbot.db"
    seeds_dir: str = "./seeds"
    admins: tuple[str, ...] = ()
    fetch_allow: tuple[str, ...] = ()
    admin_channel: str = ""
    busy_timeout: str = "30"
    log_format: str = "text"
    log_level: str = "INFO"
    heartbeat: str = ""
    slack_bot_token: str = ""
    slack_app_token: str = ""
    slack_signing_secret: str = ""
    slack_api_url: str = "https://slack.com/api/"
    slack_commands: str = ""
    slack_workspace_admins: str = "false"
    slack_http_host: str = "0.0.0.0"
    discord_token: str = ""
    discord_guild_id: str = ""
    discord_api_url: str = "https://discord.com/api/v10"
    openai_api_key: str = ""
    openai_base_url: str = ""
    llm_model: str = "gpt-4o-mini"
    llm_timeout: str = "30"
    digest_timezone: str = "UTC"
    digest_empty: str = "skip"
    alerts_per_minute: str = "10"
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Read every declared setting from ``environ`` (default ``os.environ``)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        origin: dict[str, str] = {}
        for s in SETTINGS:
            raw = env.get(s.env)
            origin[s.field] = "env" if raw not in (None, "") else "default"
            raw = s.default if raw in (None, "") else raw.strip()
            values[s.field] = _split(raw) if s.field in ("admins", "fetch_allow") else raw
        for key, value in overrides.items():
            if value is not None:
                values[key] = value
                origin[key] = "option"
        return cls(**values, sources=origin)

    @property
    def llm_enabled(self) -> bool:
        """True when an OpenAI-compatible endpoint is configured."""
        return bool(self.openai_api_key or self.openai_base_url)

    @property
    def busy_timeout_ms(self) -> int:
        """BRIEFBOT_BUSY_TIMEOUT in milliseconds (the default when it is not a number)."""
        try:
            seconds = float(self.busy_timeout)
        except ValueError:
            return 30_000
        return int(min(max(seconds, 0.0), 3600.0) * 1000) if seconds == seconds else 30_000

    @property
    def platforms(self) -> tuple[str, ...]:
        """Platforms whose tokens are set, in start order; empty means the console."""
        out = []
        if self.slack_bot_token:
            out.append("slack")
        if self.discord_token:
            out.append("discord")
        return tuple(out)

    def describe(self) -> list[tuple[str, str, str]]:
        """(env var, shown value, origin) for every setting; secrets masked."""
        rows = []
        for s in SETTINGS:
            value = getattr(self, s.field)
            if isinstance(value, tuple):
                value = ",".join(value)
            shown = mask_secret(value) if s.secret else value
            rows.append((s.env, shown, self.sources.get(s.field, "default")))
        return rows


def mask_secret(value: str) -> str:
    """Show a secret as its prefix and last four characters (``xoxb-…a1b2``), never whole."""
    if not value:
        return ""
    # Only a known kind prefix is shown: any other start may be part of the secret itself.
    prefix = next((p for p in TOKEN_PREFIXES if value.startswith(p)), "")
    return f"{prefix}…{value[-4:]}" if len(value) > 8 else "…"


TOKEN_PREFIXES = ("xoxb-", "xoxp-", "xoxa-", "xoxe-", "xoxr-", "xapp-", "sk-")


assert {s.field for s in SETTINGS} <= {f.name for f in fields(Settings)}
