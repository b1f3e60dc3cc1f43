"""`briefbot digest preview|run` as a user runs it, in a real process."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEEDS
from tests.fakes.discord_api import CHANNEL_ID, FakeDiscord, embed_text
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack

CLEAN = ("OPENAI_", "SLACK_", "DISCORD_", "BRIEFBOT_")


def briefbot(tmp_path, *args, env=None):
    base = {k: v for k, v in os.environ.items() if not k.startswith(CLEAN)}
    base.update({"BRIEFBOT_DB": str(tmp_path / "cli.db"), **(env or {})})
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=base,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def ingested(tmp_path):
    assert briefbot(tmp_path, "ingest", str(SEEDS)).returncode == 0
    return tmp_path


def by_seed(sources):
    return sorted(os.path.basename(s["path"])[:3] for s in sources)


def test_preview_over_the_seeds_shows_the_three_stories_with_their_sources(ingested):
    done = briefbot(ingested, "digest", "preview", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [by_seed(i["sources"]) for i in data["items"]] == [["000", "001"], ["002"], ["003"]]
    first = data["items"][0]
    assert set(first) >= {"title", "summary", "facts", "sources"}
    # the facts ingestion extracted: the signed agreement (001) and the investment (000)
    facts = {f["kind"]: f for f in first["facts"]}
    assert len(first["facts"]) == 2 and len(facts["agreement"]["parties"]) == 11
    assert (facts["agreement"]["date"], facts["agreement"]["place"]) == ("Aug. 29", "Eltower, Seoul")
    assert by_seed(facts["agreement"]["sources"]) == ["001"]
    assert facts["investment"]["amount"] == "$205 million (274.4 billion won)"
    assert by_seed(facts["investment"]["sources"]) == ["000"]
    assert "Signatories to the agreement included the MOTIE" in first["summary"]
    assert [i["facts"] for i in data["items"][1:]] == [[], []]
    assert first["title"] == "South Korea bets $205M on semiconductor packaging to maintain competitiveness"
    assert first["sources"][0]["url"].startswith("https://koreapro.org/") and first["sources"][0]["published"]
    assert set(first["sources"][1]) == {"title", "url", "path", "published"}
    assert (data["summarizer"], data["tokens"]) == ("extractive", 0)


def test_preview_with_an_llm_shows_its_summaries(ingested):
    with FakeOpenAI("good") as fake:
        done = briefbot(ingested, "digest", "preview", "--json",
                        env={"OPENAI_BASE_URL": fake.base_url, "OPENAI_API_KEY": "sk-test"})
    data = json.loads(done.stdout)
    assert done.returncode == 0 and data["summarizer"] == "llm:gpt-4o-mini"
    assert all(i["summary"].startswith("LLM summary: ") for i in data["items"])
    assert data["tokens"] > 0 and fake.calls == 3


def test_preview_with_a_failing_llm_still_succeeds_with_extractive_summaries(ingested):
    with FakeOpenAI("error") as fake:
        done = briefbot(ingested, "digest", "preview", "--json",
                        env={"OPENAI_BASE_URL": fake.base_url, "OPENAI_API_KEY": "sk-test"})
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [i["summarizer"] for i in data["items"]] == ["extractive"] * 3
    assert "$205 million" in data["items"][0]["summary"]
    assert "sk-test" not in done.stderr + done.stdout


def test_two_runs_in_the_same_period_post_once(ingested):
    first = briefbot(ingested, "digest", "run", "--channel", "console")
    second = briefbot(ingested, "digest", "run", "--channel", "console")
    assert first.returncode == second.returncode == 0
    assert "briefbot digest: 3 stories from 4 new articles" in first.stdout
    assert "posted console:console (all topics): 3 stories" in first.stderr
    assert second.stdout == "" and "already posted" in second.stderr
    after = json.loads(briefbot(ingested, "digest", "preview", "--json").stdout)
    assert after["items"] == []  # the cursor moved: nothing new for the console channel
    since = json.loads(briefbot(ingested, "digest", "preview", "--json", "--since", "2000-01-01").stdout)
    assert len(since["items"]) == 3


def test_bad_options_say_what_is_wrong(ingested):
    bad = briefbot(ingested, "digest", "preview", "--since", "last tuesday")
    assert bad.returncode == 2 and "--since must be an ISO date" in bad.stderr and "Traceback" not in bad.stderr
    no_channel = briefbot(ingested, "digest", "run")
    assert no_channel.returncode == 2 and "--channel ID is required" in no_channel.stderr


def test_run_posts_to_slack_from_the_command_line_once(ingested):
    with FakeSlack() as fake:
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": fake.api_url}
        first = briefbot(ingested, "digest", "run", "--platform", "slack", "--channel", "C0NEWS001", env=env)
        second = briefbot(ingested, "digest", "run", "--platform", "slack", "--channel", "C0NEWS001", env=env)
        messages = fake.messages_in("C0NEWS001")
    assert first.returncode == 0, first.stderr
    assert "posted slack:C0NEWS001 (all topics): 3 stories, message 1700000000.000001" in first.stderr
    assert second.returncode == 0 and "already posted" in second.stderr
    [message] = messages
    assert message["text"] == "briefbot digest: 3 stories from 4 new articles"
    assert message["metadata"]["event_type"] == "briefbot_digest"
    assert message["metadata"]["event_payload"]["key"].startswith("slack:C0NEWS001:0:")
    assert BOT_TOKEN not in first.stderr + first.stdout


def test_run_posts_to_discord_over_rest_without_the_gateway(ingested):
    fake = FakeDiscord().start()
    try:
        env = {"DISCORD_TOKEN": fake.token, "DISCORD_API_URL": fake.api_url}
        args = ("digest", "run", "--platform", "discord", "--channel", str(CHANNEL_ID))
        first = briefbot(ingested, *args, env=env)
        second = briefbot(ingested, *args, env=env)
        messages = fake.messages_in(CHANNEL_ID)
    finally:
        fake.close()
    assert first.returncode == 0, first.stderr
    assert f"posted discord:{CHANNEL_ID} (all topics): 3 stories, message {messages[0]['id']}" in first.stderr
    assert second.returncode == 0 and "already posted" in second.stderr
    assert len(messages) == 1 and "South Korea bets $205M" in embed_text(messages[0])
    assert fake.connections == 0  # REST only: no gateway session was opened


def test_run_to_a_platform_without_its_token_says_what_to_set(ingested):
    done = briefbot(ingested, "digest", "run", "--platform", "slack", "--channel", "C0NEWS001")
    assert done.returncode == 2 and "SLACK_BOT_TOKEN is not set" in done.stderr and "Traceback" not in done.stderr
    done = briefbot(ingested, "digest", "run", "--platform", "discord", "--channel", "123")
    assert done.returncode == 2 and "DISCORD_TOKEN is not set" in done.stderr
    # nothing was recorded: a later run with the token posts the whole period
    again = json.loads(briefbot(ingested, "digest", "preview", "--json", "--platform", "slack",
                                "--channel", "C0NEWS001").stdout)
    assert len(again["items"]) == 3
