"""Slack payloads → Invocations: which command, who, where, with what rights."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable

from bot.core.invocation import Invocation

log = logging.getLogger("briefbot.slack")

# Slack slash command names: lower case letters, digits, - and _, at most 32 characters.
_SLACK_NAME = re.compile(r"^[a-z0-9_-]{1,32}$")
TRUE_WORDS = ("1", "true", "yes", "on")


class CommandNames:
    """Core command name ↔ Slack slash command, with the renames of BRIEFBOT_SLACK_COMMANDS."""

    def __init__(self, renames: dict[str, str] | None = None):
        self.renames = dict(renames or {})
        self._core = {slack: core for core, slack in self.renames.items()}

    @classmethod
    def parse(cls, spec: str) -> CommandNames:
        """``"who-signed=ws,find=search"`` → renames; raise ValueError naming a bad pair."""
        renames: dict[str, str] = {}
        for pair in (p.strip() for p in spec.split(",")):
            if not pair:
                continue
            core, sep, slack = (x.strip().lstrip("/").lower() for x in pair.partition("="))
            if not sep or not core or not _SLACK_NAME.match(slack):
                raise ValueError(
                    f"BRIEFBOT_SLACK_COMMANDS: {pair!r} is not command=slack-name "
                    "(slack-name: up to 32 of a-z 0-9 - _)"
                )
            if slack in renames.values():
                raise ValueError(f"BRIEFBOT_SLACK_COMMANDS: /{slack} is given to two commands")
            renames[core] = slack
        return cls(renames)

    def slack(self, core: str) -> str:
        """The Slack command (with slash) for a core command name."""
        return "/" + self.renames.get(core, core)

    def core(self, slack_command: str) -> str:
        """The core command name for a Slack command as it arrives (``"/ws"`` → ``"who-signed"``)."""
        name = slack_command.strip().lstrip("/").lower()
        return self._core.get(name, name)


class AdminCheck:
    """Who may run admin commands: BRIEFBOT_ADMINS, and optionally workspace admins and owners.

    Workspace roles come from ``users.info`` and are cached, so a busy channel does not spend the
    Web API rate limit; a failed lookup is cached briefly and counts as "not an admin".
    """

    def __init__(self, admins, users_info: Callable[[str], dict] | None = None, *,
                 ttl: float = 600.0, failure_ttl: float = 30.0, clock: Callable[[], float] = time.monotonic):
        self.admins = frozenset(admins)
        self.users_info = users_info
        self.ttl = ttl
        self.failure_ttl = failure_ttl
        self.clock = clock
        self._cache: dict[str, tuple[float, bool]] = {}
        self._lock = threading.Lock()

    def is_admin(self, user_id: str) -> bool:
        """True when ``user_id`` may run admin commands."""
        if user_id in self.admins:
            return True
        if self.users_info is None or not user_id:
            return False
        now = self.clock()
        with self._lock:
            hit = self._cache.get(user_id)
        if hit is not None and hit[0] > now:
            return hit[1]
        try:
            user = self.users_info(user_id) or {}
            answer = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
            expires = now + self.ttl
        except Exception as exc:  # the Web API failing must not break the command
            log.warning("users.info for %s failed (%s); treating them as not an admin", user_id, exc)
            answer, expires = False, now + self.failure_ttl
        with self._lock:
            self._cache[user_id] = (expires, answer)
        return answer


def unescape(text: str) -> str:
    """Command text as the user typed it: Slack sends ``&``, ``<`` and ``>`` as entities (so
    ``amount>=1tn`` arrives as ``amount&gt;=1tn``); mention markup (``<@U…|name>``) stays."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def from_command(payload: dict, names: CommandNames, admins: AdminCheck) -> Invocation:
    """A slash command payload (as Slack posts it) → Invocation."""
    user_id = payload.get("user_id", "")
    return Invocation(
        command=names.core(payload.get("command", "")),
        text=unescape((payload.get("text") or "").strip()),
        platform="slack",
        user_id=user_id,
        user_name=payload.get("user_name", ""),
        channel_id=payload.get("channel_id", ""),
        team_id=payload.get("team_id", ""),
        is_admin=admins.is_admin(user_id),
        extra={
            "slack_command": payload.get("command", ""),
            "channel_name": payload.get("channel_name", ""),
            "team_domain": payload.get("team_domain", ""),
            "enterprise_id": payload.get("enterprise_id", ""),
        },
    )


def from_share(body: dict, command: str, text: str, admins: AdminCheck) -> Invocation:
    """A click on "Share in channel" (a block_actions payload) → the same command, public."""
    user = body.get("user") or {}
    channel = body.get("channel") or {}
    user_id = user.get("id", "")
    return Invocation(
        command=command,
        text=text,
        platform="slack",
        user_id=user_id,
        user_name=user.get("username") or user.get("name", ""),
        channel_id=channel.get("id", ""),
        team_id=(body.get("team") or {}).get("id", ""),
        is_admin=admins.is_admin(user_id),
        public=True,
        extra={"channel_name": channel.get("name", ""), "shared": True},
    )
