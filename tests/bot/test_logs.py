"""Logs: human lines or JSON lines; a configured secret never appears, whoever logs it."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot.logs import setup_logging
from tests.clirun import briefbot, clean_env
from tests.fakes import json_api


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_secret_in_any_log_line_or_traceback_is_masked(restore_logging, fmt):
    stream = io.StringIO()
    secret = json_api.SLACK_BOT_TOKEN
    setup_logging(fmt, "INFO", stream, secrets=[secret, "", json_api.DISCORD_TOKEN])
    lib = logging.getLogger("slack_sdk.web.base_client")
    lib.info("Sending a request - headers: {'Authorization': 'Bearer %s'}", secret)
    try:
        raise RuntimeError(f"auth failed for {json_api.DISCORD_TOKEN}")
    except RuntimeError:
        lib.exception("request failed")
    text = stream.getvalue()
    assert secret not in text and json_api.DISCORD_TOKEN not in text
    assert f"Bearer xoxb-…{secret[-4:]}" in text
    assert f"auth failed for …{json_api.DISCORD_TOKEN[-4:]}" in text
    lines = text.splitlines()
    if fmt == "json":
        records = [json.loads(line) for line in lines]
        assert [r["level"] for r in records] == ["info", "error"]
        assert records[1]["exc"].startswith("Traceback")
    else:
        assert lines[0].split(" ", 3)[2] == "INFO"


def test_ask_logs_the_invocation_as_one_json_object(seeded):
    env = clean_env(BRIEFBOT_LOG_FORMAT="json", BRIEFBOT_LOG_LEVEL="INFO",
                    SLACK_BOT_TOKEN=json_api.SLACK_BOT_TOKEN, DISCORD_TOKEN=json_api.DISCORD_TOKEN)
    result = briefbot("--db", seeded.settings.db_path, "ask", "/find neuromorphic", env=env)
    assert result.returncode == 0 and "neuromorphic" in result.stdout.lower()
    records = [json.loads(line) for line in result.stderr.splitlines()]
    [record] = [r for r in records if r["logger"] == "briefbot.commands"]
    assert {k: record[k] for k in ("platform", "user_id", "command", "outcome")} == {
        "platform": "console", "user_id": "cli", "command": "find", "outcome": "answer"}
    assert record["latency_ms"] >= 0
    assert json_api.SLACK_BOT_TOKEN not in result.stderr + result.stdout
    assert json_api.DISCORD_TOKEN not in result.stderr + result.stdout


def test_text_logs_are_human_lines(seeded):
    env = clean_env(BRIEFBOT_LOG_LEVEL="INFO")
    result = briefbot("--db", seeded.settings.db_path, "ask", "/latest 1", env=env)
    [line] = [ln for ln in result.stderr.splitlines() if "briefbot.commands" in ln]
    assert " INFO briefbot.commands: command /latest by cli on console: answer in " in line
