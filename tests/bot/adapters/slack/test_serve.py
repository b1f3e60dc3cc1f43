"""`briefbot serve slack --http`: the real command, started as an operator would."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading

from bot.adapters.slack.app import run
from bot.app import Services
from tests.bot.adapters.slack.conftest import slack_settings
from tests.conftest import ROOT, SEEDS
from tests.fakes.slack_api import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET

LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:\d+)/slack/events")


def _lines(stream, out: queue.Queue) -> None:
    for line in stream:
        out.put(line)
    out.put(None)


def test_serve_slack_http_answers_signed_commands_and_stops_on_sigterm(tmp_path, fake_slack):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRIEFBOT_", "DISCORD_", "OPENAI_"))}
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake_slack.api_url,
        BRIEFBOT_DB=str(tmp_path / "bot.db"), BRIEFBOT_SEEDS=str(SEEDS), BRIEFBOT_SLACK_HOST="127.0.0.1",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "slack", "--http", "--port", "0"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stderr, lines), daemon=True).start()
    seen = []
    try:
        while True:
            line = lines.get(timeout=30)
            assert line is not None, "serve exited: " + "".join(seen)
            seen.append(line)
            if match := LISTENING.search(line):
                break
        fake_slack.app_url = match.group(1)
        assert any("Loaded 4 seed articles" in s for s in seen)
        assert fake_slack.calls("auth.test")  # Bolt checked the token at start

        sent = fake_slack.command("/find neuromorphic")
        assert sent.status == 200 and sent.seconds < 1
        answer = sent.answer()
        assert answer.blocks[0]["text"]["text"] == "1 article for “neuromorphic”"
        assert "`002_77ac495237e3e222.txt`" in answer.text
        assert fake_slack.command("/find neuromorphic", signature="v0=forged").status == 401
    finally:
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=20)
    assert rc == 0
    rest = []
    while (line := lines.get(timeout=5)) is not None:
        rest.append(line)
    assert "Slack: stopped" in "".join(rest)
    assert "Traceback" not in "".join(seen + rest)


def test_missing_settings_are_named_and_nothing_starts(settings, fake_slack, capsys):
    services = Services(slack_settings(settings, fake_slack, slack_signing_secret=""))
    assert run(services, {"http": True, "port": 0}) == 2
    assert "HTTP mode needs SLACK_SIGNING_SECRET" in capsys.readouterr().err
    assert run(services, {"http": False}) == 2
    assert "Socket Mode needs SLACK_APP_TOKEN" in capsys.readouterr().err
    bad_names = Services(slack_settings(settings, fake_slack, slack_commands="find"))
    assert run(bad_names, {"http": True, "port": 0}) == 2
    assert "BRIEFBOT_SLACK_COMMANDS" in capsys.readouterr().err
    assert fake_slack.received == []
    services.close()
    bad_names.close()


def test_a_token_slack_refuses_stops_the_start_with_a_clear_message(settings, fake_slack, capsys):
    services = Services(slack_settings(settings, fake_slack, slack_bot_token="xoxb-revoked"))
    assert run(services, {"http": True, "port": 0}) == 1
    err = capsys.readouterr().err
    assert "Slack did not accept SLACK_BOT_TOKEN" in err and "invalid_auth" in err
    assert "xoxb-revoked" not in err
    services.close()


def test_run_serves_until_stopped(settings, fake_slack, capsys):
    services = Services(slack_settings(settings, fake_slack))
    stop = threading.Event()
    result = []
    thread = threading.Thread(target=lambda: result.append(run(services, {"http": True, "port": 0, "stop": stop})))
    thread.start()
    try:
        for _ in range(200):
            if LISTENING.search(capsys.readouterr().err):
                break
            stop.wait(0.05)
        else:
            raise AssertionError("the Slack HTTP server did not start")
    finally:
        stop.set()
        thread.join(timeout=10)
    assert result == [0] and "slack" in services.posters
    services.close()


def test_socket_mode_when_an_app_token_is_set(settings, fake_slack):
    services = Services(slack_settings(settings, fake_slack, slack_app_token=APP_TOKEN, slack_signing_secret=""))
    assert not services.ingest([SEEDS]).failed
    stop = threading.Event()
    result = []
    thread = threading.Thread(target=lambda: result.append(run(services, {"http": False, "stop": stop})))
    thread.start()
    try:
        sent = fake_slack.socket_command("/find neuromorphic")
        assert json.loads(sent.body)["envelope_id"] and sent.seconds < 1
        answer = sent.answer()
        assert answer.blocks[0]["text"]["text"] == "1 article for “neuromorphic”"
        (opened,) = fake_slack.calls("apps.connections.open")
        assert opened.headers["authorization"] == "Bearer " + APP_TOKEN
    finally:
        stop.set()
        thread.join(timeout=15)
    assert result == [0]
    services.close()
