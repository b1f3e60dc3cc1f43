"""Slack drives the bot over HTTP: signed slash commands in, answers at response_url out."""

from __future__ import annotations

import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from bot.core.registry import all_commands
from tests.bot.adapters.slack.conftest import READER, assert_refused
from tests.conftest import MOU_FILE, SIGNATORIES
from tests.fakes.slack_api import block_errors

NEUROMORPHIC_FILE = "002_77ac495237e3e222.txt"
PACKAGING_URL = "https://koreapro.org/2024/09/south-korea-bets-205m-on-semiconductor-packaging-to-maintain-competitiveness/"
PACKAGING_TITLE = "South Korea bets $205M on semiconductor packaging to maintain competitiveness"
MENTIONS = ("<!channel>", "<!here>", "<!everyone>", "<@U123ABC>", "<#C0SECRET", "<https://evil", "<!subteam")


def header(message) -> str:
    return message.blocks[0]["text"]["text"]


def test_every_registered_command_is_acknowledged_and_answered_in_slack(slack):
    for cmd in all_commands():
        sent = slack.command(cmd.example)
        assert sent.status == 200 and sent.body == "", cmd.name
        answer = sent.answer()
        assert answer.response_type == "ephemeral"
        assert block_errors(answer.blocks) == []
        assert not header(answer).startswith(("Sorry", "Unknown command")), (cmd.name, header(answer))


def test_who_signed_packaging_mou_is_acked_at_once_and_names_the_eleven_signatories(slack):
    sent = slack.command("/who-signed packaging MOU")
    assert sent.status == 200 and sent.seconds < 1
    answer = sent.answer()
    assert all(name in answer.text for name in SIGNATORIES)
    assert "Aug. 29" in answer.text and "Eltower, Seoul" in answer.text
    assert f"`{MOU_FILE}`" in answer.text  # the citation: the seed file (it has no URL)
    assert block_errors(answer.blocks) == []


def test_find_neuromorphic_answers_at_response_url_with_the_citation(slack):
    sent = slack.command("/find neuromorphic")
    assert sent.status == 200 and sent.seconds < 1
    answer = sent.answer()
    assert header(answer) == "1 article for “neuromorphic”"
    assert "South Korea and the European Union have embarked" in answer.text
    assert f"`{NEUROMORPHIC_FILE}`" in answer.text  # the citation of a file without a URL
    assert "*neuromorphic*" in answer.text  # the matched word in bold
    assert answer.response_type == "ephemeral"
    assert [b["text"]["text"] for b in answer.buttons] == ["Share in channel"]


def test_a_stored_url_becomes_the_citation_link(slack):
    answer = slack.ask("/find packaging competitiveness")
    assert (PACKAGING_URL, PACKAGING_TITLE) in answer.links


def test_the_umbrella_command_gives_the_same_answer(slack):
    direct = slack.ask("/find neuromorphic")
    umbrella = slack.ask("/briefbot find neuromorphic")
    assert umbrella.blocks == direct.blocks
    listing = slack.ask("/briefbot help")
    for cmd in all_commands():
        if cmd.name != "briefbot":
            assert f"/{cmd.name}" in listing.text


def test_public_answers_go_to_the_channel_saying_who_asked(slack):
    answer = slack.ask("/latest 2 public")
    assert answer.response_type == "in_channel"
    assert header(answer) == "Latest 2 articles"
    assert f"<@{READER}> asked `/latest 2 public`" in answer.text
    assert not answer.buttons


def test_share_in_channel_reposts_publicly_and_removes_the_private_copy(slack):
    sent = slack.command("/find neuromorphic")
    private = sent.answer()
    click = slack.fake.click(private, sent, user_id="U0SHARER1")
    assert click.status == 200 and click.seconds < 1
    shared, cleanup = click.answers(2)
    assert shared.response_type == "in_channel" and shared.data["replace_original"] is False
    assert shared.blocks[:-1] == private.blocks[:-1]  # the same answer, without the button
    assert "Shared by <@U0SHARER1>" in shared.text and not shared.buttons
    assert cleanup.data == {"text": "", "delete_original": True}


def test_bad_or_stale_signatures_get_401_and_run_nothing(slack):
    import time

    bad = slack.command("/find neuromorphic", signature="v0=" + "0" * 64)
    stale = slack.command("/find neuromorphic", timestamp=int(time.time()) - 6 * 60)
    future = slack.command("/find neuromorphic", timestamp=int(time.time()) + 6 * 60)
    for refused in (bad, stale, future):
        assert refused.status == 401, refused.body
        assert json.loads(refused.body) == {"error": "invalid request"}
    # A good request after them is answered; the refused ones never were.
    assert slack.command("/find neuromorphic").answer()
    for refused in (bad, stale, future):
        assert slack.fake.messages_at(refused.payload["response_url"]) == []


def test_unsigned_and_malformed_requests_are_refused(slack):
    body = "command=%2Ffind&text=chips"
    assert slack.fake.post_to_app(body, {})[0] == 401
    assert slack.fake.post_to_app(body, {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=1"})[0] == 401
    assert slack.fake.post_to_app(body, slack.fake.sign(body), path="/elsewhere")[0] == 404


def _get_health(slack) -> tuple[int, dict]:
    parts = urlsplit(slack.fake.app_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    conn.request("GET", "/healthz")
    resp = conn.getresponse()
    try:
        return resp.status, json.loads(resp.read())
    finally:
        conn.close()


def test_healthz_reports_database_and_scheduler(slack):
    status, report = _get_health(slack)
    assert status == 503  # the scheduler has not been started yet
    assert report["database"]["ok"] is True and report["scheduler"]["running"] is False
    slack.services.start_background()
    status, report = _get_health(slack)
    assert status == 200 and report["status"] == "running"
    assert report["database"]["ok"] is True and report["scheduler"]["running"] is True


def test_oversized_bodies_are_refused(slack):
    parts = urlsplit(slack.fake.app_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    conn.putrequest("POST", "/slack/events")
    conn.putheader("Content-Length", str(50 << 20))
    conn.endheaders()
    assert conn.getresponse().status == 413
    conn.close()


def test_a_non_admins_sources_add_is_refused_and_adds_nothing(slack):
    assert_refused(slack, "/sources add https://example.org/feed.xml")
    db = slack.services.db
    assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == 0


def test_an_unknown_command_gets_a_polite_answer(slack):
    answer = slack.ask("/weather tomorrow")
    assert header(answer) == "Unknown command /weather"
    assert "/briefbot help" in answer.text


def test_usage_errors_stay_private_even_when_public_is_asked(slack):
    answer = slack.ask("/latest 999 public")
    assert answer.response_type == "ephemeral"
    assert "n must be between 1 and 50" in answer.text and "Usage: /latest" in answer.text
    assert not answer.buttons


def test_renamed_commands(make_slack):
    slack = make_slack(slack_commands="find=news-search")
    answer = slack.ask("/news-search neuromorphic")
    assert header(answer) == "1 article for “neuromorphic”"
    assert json.loads(answer.buttons[0]["value"]) == {"command": "find", "text": "neuromorphic"}


def test_mentions_and_markup_from_articles_never_go_live(make_slack, tmp_path):
    slack = make_slack()
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Wire",
        "items": [{
            "id": "1",
            "url": "https://news.example/breaking?a=1&b=<!channel>|x",
            "title": "<!channel> Breaking",
            "content_text": "<!here> <@U123ABC> said in <#C0SECRET|general> that zeolite wafers "
                            "<https://evil.example|are safe> for <!everyone> and <!subteam^S0TEAM>.",
        }],
    }
    (tmp_path / "wire.json").write_text(json.dumps(feed))
    assert not slack.services.ingest([tmp_path / "wire.json"]).failed

    found = slack.ask("/find zeolite")
    latest = slack.ask("/latest 1 public")
    poster = slack.services.posters["slack"]
    ts = poster.post("C0NEWS001", slack.services.ask("/find zeolite"))
    assert ts

    # The reader sees the article's words as written …
    assert "*&lt;!channel&gt; Breaking*" in found.text
    assert "&lt;@U123ABC&gt;" in found.text and "&lt;!everyone&gt;" in found.text
    assert header(latest) == "Latest 1 article"
    # … the link is the stored URL, made safe …
    assert ("https://news.example/breaking?a=1&b=%3C!channel%3E%7Cx", "&lt;!channel&gt; Breaking") in found.links
    # … and nothing Slack received could ping anyone or link anywhere else.
    for received in slack.fake.received:
        for markup in MENTIONS:
            assert markup not in received.text, (received.path, markup)
    posted = slack.fake.calls("chat.postMessage")[-1].data
    assert "link_names" not in posted and "parse" not in posted


def test_an_answer_longer_than_slack_allows_is_cut_with_and_n_more(make_slack, tmp_path):
    slack = make_slack()
    items = [
        {"id": str(i), "url": f"https://wire.example/{i}", "title": f"Zeolite supply story number {i}",
         "content_text": f"Story {i} about zeolite supply. " * 20,
         "date_published": f"2025-01-{1 + i % 28:02d}T{i % 24:02d}:00:00Z"}
        for i in range(60)
    ]
    (tmp_path / "many.json").write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}))
    assert not slack.services.ingest([tmp_path / "many.json"]).failed

    answer = slack.ask("/latest 50")
    assert header(answer) == "Latest 50 articles"
    assert len(answer.blocks) <= 50 and block_errors(answer.blocks) == []
    shown = sum(1 for b in answer.blocks if b["type"] == "section" and b["text"]["text"].startswith("*"))
    assert 10 < shown < 50
    assert f"…and {50 - shown} more" in answer.text
    assert answer.buttons  # the share button survives the cut


def test_fifty_concurrent_commands_are_all_acknowledged_within_3_seconds(slack):
    lines = ["/find neuromorphic", "/latest 3", "/briefbot find packaging", "/find MOU"] * 13
    lines = lines[:50]
    gate = threading.Barrier(len(lines))

    def send(line):
        gate.wait()
        return line, slack.command(line)

    with ThreadPoolExecutor(len(lines)) as pool:
        results = list(pool.map(send, lines))
    assert [sent.status for _, sent in results] == [200] * 50
    assert max(sent.seconds for _, sent in results) < 3
    for line, sent in results:
        answer = sent.answer(timeout=20)
        assert not header(answer).startswith(("Sorry", "Unknown")), line
