"""The Slack app manifest and guide a workspace admin installs from."""

from __future__ import annotations

import re

from bot.config import SETTINGS
from bot.core.registry import all_commands
from tests.conftest import ROOT

MANIFEST = (ROOT / "docs" / "slack-manifest.yaml").read_text()
GUIDE = (ROOT / "docs" / "slack.md").read_text()
ISSUE_COMMANDS = ["who-signed", "how-much", "whois", "timeline", "find", "latest", "brief", "sources", "digest",
                  "watch", "briefbot"]


def manifest_commands() -> list[str]:
    return re.findall(r"^\s*- command: /(\S+)$", MANIFEST, re.M)


def test_the_manifest_declares_every_command():
    declared = manifest_commands()
    assert declared == ISSUE_COMMANDS
    for cmd in all_commands():
        assert cmd.name in declared, f"/{cmd.name} is registered but missing from docs/slack-manifest.yaml"
    # /watch takes mentions: Slack sends them as <@U…|name> only with should_escape on.
    assert MANIFEST.count("should_escape: false") == len(declared) - 1
    assert re.search(r"- command: /watch\n(?:\s+\w+: .*\n)*?\s+should_escape: true", MANIFEST)


def test_the_manifest_asks_only_for_the_scopes_it_needs_and_uses_socket_mode():
    scopes = re.search(r"bot:\n((?:\s+- \S+\n)+)", MANIFEST).group(1).split()
    assert [s for s in scopes if s != "-"] == ["commands", "chat:write", "users:read", "channels:history", "groups:history"]
    assert "socket_mode_enabled: true" in MANIFEST
    assert re.search(r"interactivity:\n\s+is_enabled: true", MANIFEST)  # the Share button


def test_the_guide_covers_both_modes_and_every_slack_setting():
    for needle in ("slack-manifest.yaml", "Socket Mode", "connections:write", "--http", "/slack/events",
                   "/healthz", "Share in channel", "public"):
        assert needle in GUIDE, needle
    for s in SETTINGS:
        if s.env.startswith("SLACK_") or s.env.startswith("BRIEFBOT_SLACK") or s.env == "BRIEFBOT_ADMINS":
            assert s.env in GUIDE, s.env
