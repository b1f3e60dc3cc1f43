"""Slack payloads → Invocations: command names, renames, and who is an admin."""

from __future__ import annotations

import pytest

from bot.adapters.slack.app import web_client
from bot.adapters.slack.translate import AdminCheck, CommandNames, from_command
from tests.bot.adapters.slack.conftest import slack_settings


def test_a_slash_command_payload_becomes_an_invocation(fake_slack):
    payload = fake_slack.command_payload("/ws packaging MOU", user_id="U0ADMIN01", user_name="ann",
                                         channel_id="C0DEALS01", channel_name="deals")
    inv = from_command(payload, CommandNames.parse("who-signed=ws"), AdminCheck(["U0ADMIN01"]))
    assert (inv.command, inv.text, inv.platform) == ("who-signed", "packaging MOU", "slack")
    assert (inv.user_id, inv.user_name, inv.channel_id, inv.team_id) == ("U0ADMIN01", "ann", "C0DEALS01", "T0BRIEF01")
    assert inv.is_admin and not inv.public
    assert inv.extra["channel_name"] == "deals" and inv.extra["slack_command"] == "/ws"


def test_command_renames():
    names = CommandNames.parse(" who-signed=ws , /find=/search ")
    assert names.slack("who-signed") == "/ws" and names.slack("latest") == "/latest"
    assert names.core("/ws") == "who-signed" and names.core("/SEARCH") == "find" and names.core("/latest") == "latest"
    assert CommandNames.parse("").renames == {}


@pytest.mark.parametrize("spec", ["find", "find=", "find=Has Space", "find=a,latest=a", "find=" + "x" * 33])
def test_bad_renames_are_refused_with_the_setting_named(spec):
    with pytest.raises(ValueError, match="BRIEFBOT_SLACK_COMMANDS"):
        CommandNames.parse(spec)


def test_workspace_admins_and_owners_from_users_info_cached(settings, fake_slack):
    fake_slack.add_user("U0OWNER01", is_owner=True)
    fake_slack.add_user("U0WSADM01", is_admin=True)
    fake_slack.add_user("U0MEMBER1")
    client = web_client(slack_settings(settings, fake_slack))
    check = AdminCheck(["U0LISTED1"], lambda uid: client.users_info(user=uid)["user"])

    assert check.is_admin("U0LISTED1")
    assert check.is_admin("U0OWNER01") and check.is_admin("U0WSADM01")
    assert not check.is_admin("U0MEMBER1")
    assert not check.is_admin("U0NOBODY1")  # users.info: user_not_found
    calls = len(fake_slack.calls("users.info"))
    assert calls == 4  # the listed admin needs no lookup
    for _ in range(3):
        assert check.is_admin("U0OWNER01") and not check.is_admin("U0MEMBER1")
    assert len(fake_slack.calls("users.info")) == calls  # cached


def test_without_workspace_admins_only_the_listed_users_are_admins():
    check = AdminCheck(["U0LISTED1"])
    assert check.is_admin("U0LISTED1") and not check.is_admin("U0OWNER01") and not check.is_admin("")
