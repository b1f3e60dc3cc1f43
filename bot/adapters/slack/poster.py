"""Posting to a Slack channel (digests, notices) through chat.postMessage."""

from __future__ import annotations

from dataclasses import replace

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.adapters.slack.render import render
from bot.core.poster import PostError
from bot.core.reply import Reply


class SlackPoster:
    """Posts a Reply with chat.postMessage and returns the message ``ts`` once Slack confirmed it.

    The WebClient's RateLimitErrorRetryHandler waits out a 429's Retry-After and tries again.
    """

    platform = "slack"

    def __init__(self, client):
        self.client = client

    def post(self, channel_id: str, reply: Reply) -> str:
        """Post ``reply`` to ``channel_id``; raise PostError unless Slack answered ok with a ts."""
        message = render(replace(reply, private=False))
        try:
            # Never link_names or parse=full: article text must not turn into mentions.
            response = self.client.chat_postMessage(
                channel=channel_id,
                text=message["text"],
                blocks=message["blocks"],
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            status = exc.response.status_code if exc.response is not None else "?"
            raise PostError(f"Slack refused the post to {channel_id}: {error or 'HTTP ' + str(status)}") from None
        except (SlackClientError, OSError) as exc:
            raise PostError(f"Slack could not be reached to post to {channel_id}: {exc}") from None
        ts = response.get("ts")
        if not response.get("ok") or not ts:
            raise PostError(f"Slack did not confirm the post to {channel_id}: {response.get('error')}")
        return ts
