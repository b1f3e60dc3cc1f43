"""`briefbot doctor` and the same checks at `serve` start: what is set, what is wrong, what next."""

from __future__ import annotations

import re
import shutil
import socket

import pytest

from bot.config import SETTINGS, Settings
from bot.doctor import check_tokens, fatal_reason, run_checks
from tests.clirun import briefbot, clean_env
from tests.conftest import SEEDS
from tests.fakes import json_api
from tests.fakes.json_api import FakeApis


@pytest.fixture
def fresh_checkout(tmp_path):
    """A working directory holding only the seeds, as after `git clone`."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path


@pytest.fixture
def apis():
    with FakeApis() as fake:
        yield fake


def closed_port_url(path: str = "") -> str:
    """An http URL on loopback where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


def test_fresh_checkout_explains_what_to_set_and_shows_the_console_works(fresh_checkout):
    result = briefbot("doctor", cwd=fresh_checkout)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    for s in SETTINGS:
        assert s.env in out
    assert re.search(r"BRIEFBOT_DB\s+\./data/briefbot\.db\s+default", out)
    assert "SLACK_BOT_TOKEN (xoxb-…)" in out and "SLACK_APP_TOKEN (xapp-…" in out
    assert "set DISCORD_TOKEN" in out
    assert "console   works: `/find packaging` on the 4 seed articles answers" in out
    assert "ready: `briefbot serve` starts console" in out
    # Looking is not touching: no database was created.
    assert not (fresh_checkout / "data").exists()


def test_settings_show_their_source_and_secrets_are_masked(apis, tmp_path):
    env = clean_env(BRIEFBOT_LOG_FORMAT="json", **apis.env())
    result = briefbot("--db", str(tmp_path / "b.db"), "doctor", env=env)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ") and line.split()}
    assert lines["BRIEFBOT_DB"].rstrip().endswith("option")
    assert lines["BRIEFBOT_LOG_FORMAT"].rstrip().endswith("env")
    assert lines["BRIEFBOT_LLM_MODEL"].rstrip().endswith("default")
    for secret in (json_api.SLACK_BOT_TOKEN, json_api.SLACK_APP_TOKEN, json_api.DISCORD_TOKEN, json_api.OPENAI_API_KEY):
        assert secret not in out + result.stderr
    assert f"xoxb-…{json_api.SLACK_BOT_TOKEN[-4:]}" in lines["SLACK_BOT_TOKEN"]
    assert f"xapp-…{json_api.SLACK_APP_TOKEN[-4:]}" in lines["SLACK_APP_TOKEN"]
    assert f"…{json_api.DISCORD_TOKEN[-4:]}" in lines["DISCORD_TOKEN"]


def test_configured_apis_are_reached_and_named(apis, tmp_path):
    result = briefbot("--db", str(tmp_path / "b.db"), "doctor", env=clean_env(**apis.env()))
    out = result.stdout
    assert result.returncode == 0, out
    assert "ok    slack     Slack API answers at" in out and "bot @briefbot in Chip Desk (T0FAKE)" in out
    assert "ok    slack     SLACK_APP_TOKEN opens Socket Mode connections" in out
    assert "ok    discord   Discord API answers at" in out and "bot briefbot (1098765432109876543)" in out
    assert "ok    llm       " in out and "answers; model gpt-4o-mini" in out
    assert "ready: `briefbot serve` starts slack and discord" in out
    called = {(method, path) for method, path, _ in apis.requests}
    assert called == {("POST", "/slack/api/auth.test"), ("POST", "/slack/api/apps.connections.open"),
                      ("GET", "/discord/api/v10/users/@me"), ("GET", "/openai/v1/models")}


def test_rejected_tokens_are_reported_and_serve_refuses_to_start(apis, tmp_path):
    env = clean_env(**{**apis.env(), "SLACK_BOT_TOKEN": "xoxb-2718281828-3141592653589-RevokedRevokedRevoked"})
    db = tmp_path / "b.db"
    doctor = briefbot("--db", str(db), "doctor", "slack", env=env)
    assert doctor.returncode == 1
    assert "Slack rejected SLACK_BOT_TOKEN: invalid_auth" in doctor.stdout
    serve = briefbot("--db", str(db), "serve", "slack", env=env)
    assert serve.returncode == 78
    assert serve.stderr.strip() == "briefbot: not starting: slack: Slack rejected SLACK_BOT_TOKEN: invalid_auth"
    assert "Revoked" not in doctor.stdout + serve.stderr


@pytest.mark.parametrize(
    "setting, value, reason",
    [
        ("SLACK_BOT_TOKEN", "xoxp-2718281828-3141592653589-QwErTyUiOp",
         "slack: SLACK_BOT_TOKEN is a user token (xoxp-…); use the Bot User OAuth Token (xoxb-…)"),
        ("SLACK_BOT_TOKEN", json_api.SLACK_APP_TOKEN,
         "slack: SLACK_BOT_TOKEN holds an app-level token (xapp-…); it goes in SLACK_APP_TOKEN, "
         "and SLACK_BOT_TOKEN takes the Bot User OAuth Token (xoxb-…)"),
        ("SLACK_BOT_TOKEN", '"' + json_api.SLACK_BOT_TOKEN + '"',
         "slack: SLACK_BOT_TOKEN is wrapped in quotes; remove them"),
        ("DISCORD_TOKEN", "Bot " + json_api.DISCORD_TOKEN,
         "discord: DISCORD_TOKEN starts with 'Bot '; set the token alone (the prefix is added for you)"),
        ("DISCORD_TOKEN", "not-a-discord-token",
         "discord: DISCORD_TOKEN …oken is not a bot token (three dot-separated parts, from the "
         "Developer Portal → Bot → Reset Token)"),
    ],
)
def test_serve_refuses_a_bad_token_shape_with_one_line_and_creates_nothing(tmp_path, setting, value, reason):
    second = {"SLACK_APP_TOKEN": json_api.SLACK_APP_TOKEN} if setting.startswith("SLACK") else {}
    env = clean_env(**{setting: value, **second,
                       "SLACK_API_URL": closed_port_url("/"), "DISCORD_API_URL": closed_port_url()})
    db = tmp_path / "data" / "briefbot.db"
    result = briefbot("--db", str(db), "serve", env=env, timeout=30)
    assert result.returncode == 78
    assert result.stderr.splitlines() == [f"briefbot: not starting: {reason}"]
    assert value.strip('"').removeprefix("Bot ") not in result.stderr
    assert not db.exists()


@pytest.mark.parametrize("layout", ["parent is a file", "path is a folder"])
def test_serve_refuses_an_unusable_database_path(tmp_path, layout):
    if layout == "parent is a file":
        (tmp_path / "notes.txt").write_text("not a folder")
        db = tmp_path / "notes.txt" / "briefbot.db"
        reason = f"database: cannot create {db}: {tmp_path / 'notes.txt'} is a file, not a folder"
    else:
        db = tmp_path / "data"
        db.mkdir()
        reason = f"database: {db} is a folder; BRIEFBOT_DB must name a file inside it (e.g. {db / 'briefbot.db'})"
    result = briefbot("serve", "console", env=clean_env(BRIEFBOT_DB=str(db)), input="/find chips\n")
    assert result.returncode == 78
    assert result.stderr.splitlines() == [f"briefbot: not starting: {reason}"]
    assert result.stdout == ""
    doctor = briefbot("doctor", "--offline", env=clean_env(BRIEFBOT_DB=str(db)))
    assert doctor.returncode == 1 and reason.removeprefix("database: ") in doctor.stdout


def test_a_file_that_is_not_a_database_is_fatal(tmp_path):
    db = tmp_path / "briefbot.db"
    db.write_text("these are my notes, not a database\n" * 100)
    result = briefbot("--db", str(db), "serve", "console", input="")
    assert result.returncode == 78
    assert "is not an SQLite database (its header is not SQLite's)" in result.stderr
    assert db.read_text().startswith("these are my notes")


def test_existing_database_reports_migrations_and_articles(seeded):
    result = briefbot("--db", seeded.settings.db_path, "doctor", "--offline")
    assert result.returncode == 0
    from storage.health import migration_names

    n = len(migration_names())
    assert f"writable, migrated ({n} migrations), 4 articles" in result.stdout


def test_unreachable_llm_is_a_warning_and_unreachable_slack_a_problem(tmp_path):
    env = clean_env(OPENAI_BASE_URL=closed_port_url("/v1"), SLACK_BOT_TOKEN=json_api.SLACK_BOT_TOKEN,
                    SLACK_APP_TOKEN=json_api.SLACK_APP_TOKEN, SLACK_API_URL=closed_port_url("/api/"))
    result = briefbot("--db", str(tmp_path / "b.db"), "doctor", "--timeout", "2", env=env)
    assert result.returncode == 1
    assert "warn  llm       cannot reach" in result.stdout and "summaries fall back to extractive ones" in result.stdout
    assert "fail  slack     cannot reach" in result.stdout
    # Unreachable is not fatal (the network may come back; the adapter retries).
    assert "ready: `briefbot serve` starts slack; 1 problem(s) above need attention" in result.stdout


def test_llm_that_does_not_list_the_model_is_a_warning(tmp_path):
    with FakeApis(models=("llama3", "mistral")) as fake:
        env = {"OPENAI_API_KEY": json_api.OPENAI_API_KEY, "OPENAI_BASE_URL": fake.base + "/openai/v1"}
        checks = run_checks(Settings.from_env(env, db_path=str(tmp_path / "b.db")), console=False)
    llm = [c for c in checks if c.name == "llm"]
    assert [c.status for c in llm] == ["warn"]
    assert "does not list BRIEFBOT_LLM_MODEL 'gpt-4o-mini' (it lists llama3, mistral)" in llm[0].message


def test_token_problems_for_a_platform_not_served_are_warnings():
    settings = Settings.from_env({"DISCORD_TOKEN": "short", "SLACK_BOT_TOKEN": json_api.SLACK_BOT_TOKEN,
                                  "SLACK_APP_TOKEN": json_api.SLACK_APP_TOKEN})
    serving_slack = check_tokens(settings, ("slack",))
    assert fatal_reason(serving_slack) is None
    assert [c.status for c in serving_slack if c.name == "discord"] == ["warn"]
    assert fatal_reason(check_tokens(settings, ("discord",))).startswith("discord: DISCORD_TOKEN")


def test_slack_modes_need_their_second_credential():
    bot_only = Settings.from_env({"SLACK_BOT_TOKEN": json_api.SLACK_BOT_TOKEN})
    assert "Socket Mode needs SLACK_APP_TOKEN" in fatal_reason(check_tokens(bot_only, ("slack",)))
    assert "HTTP mode needs SLACK_SIGNING_SECRET" in fatal_reason(check_tokens(bot_only, ("slack",), http=True))
    http = Settings.from_env({"SLACK_BOT_TOKEN": json_api.SLACK_BOT_TOKEN,
                              "SLACK_SIGNING_SECRET": json_api.SLACK_SIGNING_SECRET})
    assert fatal_reason(check_tokens(http, ("slack",), http=True)) is None
    guild = Settings.from_env({"DISCORD_TOKEN": json_api.DISCORD_TOKEN, "DISCORD_GUILD_ID": "my server"})
    assert "DISCORD_GUILD_ID 'my server' is not a server ID" in fatal_reason(check_tokens(guild, ("discord",)))
