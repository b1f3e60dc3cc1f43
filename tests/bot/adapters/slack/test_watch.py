"""/watch through the real Slack adapter: the text arrives as Slack sends it (``&``, ``<``, ``>``
as entities; mentions as ``<@U…|name>``), the mention is checked with users.info."""

from __future__ import annotations

from storage.watches import list_watches
from tests.bot.adapters.slack.conftest import ADMIN


def test_a_watch_typed_in_slack_keeps_its_comparison_and_its_checked_mention(slack):
    slack.fake.add_user("U0POLICY1", "policy")
    answer = slack.ask("/watch add kind:investment amount&gt;=1tn KRW mention <@U0POLICY1|policy>", user_id=ADMIN)
    assert "Watch #1 added" in answer.text and "amount&gt;=1tn KRW" in answer.text  # mrkdwn shows ">"
    [watch] = list_watches(slack.services.db)
    assert watch["filter_text"] == "kind:investment amount>=1tn KRW"
    assert watch["mentions"] == [{"kind": "user", "id": "U0POLICY1", "text": "<@U0POLICY1>", "platform": "slack"}]
    assert [c.data["user"] for c in slack.fake.calls("users.info")] == ["U0POLICY1"]


def test_a_mention_of_someone_outside_the_workspace_is_refused(slack):
    answer = slack.ask("/watch add packaging mention <@U0NOBODY1|ghost>", user_id=ADMIN)
    assert "not a member of this workspace" in answer.text and "Nothing was changed." in answer.text
    assert list_watches(slack.services.db) == []
