"""Posting to a Slack channel (digests, notices) through chat.postMessage.

A keyed post (``post_keyed``, the ``KeyedPoster`` protocol) carries its idempotency key in the
message's metadata (``event_type`` ``briefbot_digest``, ``event_payload`` ``{"key": …}``), which
readers never see; ``find_post`` reads the channel's recent history with
``include_all_metadata`` to find it again after a crash. Reading history needs the
``channels:history`` (public) and ``groups:history`` (private channels) scopes.
"""

from __future__ import annotations

import re
from dataclasses import replace

from slack_sdk.errors import SlackApiError, SlackClientError

from base.reply import Reply
from bot.adapters.slack.render import render
from bot.core.poster import PostError

EVENT_TYPE = "briefbot_digest"
HISTORY_PAGE = 200  # messages per conversations.history call
HISTORY_PAGES = 5  # a keyed post is looked for among the channel's last 1,000 messages
_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")
_GROUP = re.compile(r"^S[A-Z0-9]{2,}$")


def mention_markup(mentions) -> str:
    """Slack's own mention syntax for a watch's mentions (users ``<@U…>``, user groups
    ``<!subteam^S…>``); anything else is dropped, so no article text can become a ping."""
    out = []
    for m in mentions or ():
        ident = str(m.get("id") or "")
        if m.get("kind") == "user" and _USER.match(ident):
            out.append(f"<@{ident}>")
        elif m.get("kind") == "group" and _GROUP.match(ident):
            out.append(f"<!subteam^{ident}>")
    return " ".join(out)


class SlackPoster:
    """Posts a Reply with chat.postMessage and returns the message ``ts`` once Slack confirmed it.

    The WebClient's RateLimitErrorRetryHandler waits out a 429's Retry-After and tries again.
    """

    platform = "slack"

    def __init__(self, client):
        self.client = client

    def post(self, channel_id: str, reply: Reply, *, thread: str | None = None, mentions=(), **_) -> str:
        """Post ``reply`` to ``channel_id`` (in the thread of the message ``thread``, with
        ``mentions`` pinged); raise PostError unless Slack answered ok with a ts."""
        return self._post(channel_id, reply, None, thread, mentions)

    def post_keyed(self, channel_id: str, reply: Reply, key: str, *, thread: str | None = None,
                   mentions=(), **_) -> str:
        """Post like ``post``, with ``key`` in the message metadata for ``find_post``."""
        return self._post(channel_id, reply, {"event_type": EVENT_TYPE, "event_payload": {"key": key}}, thread, mentions)

    def _post(self, channel_id: str, reply: Reply, metadata: dict | None, thread: str | None = None,
              mentions=()) -> str:
        message = render(replace(reply, private=False))
        extra: dict = {"metadata": metadata} if metadata else {}
        if thread:
            extra["thread_ts"] = thread
        pings = mention_markup(mentions)
        if pings:
            # Our own markup, built from validated IDs: the one place a mention is made.
            message["text"] = f"{pings} {message['text']}"
            message["blocks"].insert(1, {"type": "section", "text": {"type": "mrkdwn", "text": pings}})
        try:
            # Never link_names or parse=full: article text must not turn into mentions.
            response = self.client.chat_postMessage(
                channel=channel_id,
                text=message["text"],
                blocks=message["blocks"],
                unfurl_links=False,
                unfurl_media=False,
                **extra,
            )
        except SlackApiError as exc:
            raise PostError(f"Slack refused the post to {channel_id}: {_error(exc)}") from None
        except (SlackClientError, OSError) as exc:
            raise PostError(f"Slack could not be reached to post to {channel_id}: {exc}") from None
        ts = response.get("ts")
        if not response.get("ok") or not ts:
            raise PostError(f"Slack did not confirm the post to {channel_id}: {response.get('error')}")
        return ts

    def find_post(self, channel_id: str, key: str, *, thread: str | None = None) -> str | None:
        """The ``ts`` of a message in the channel's recent history (or in the thread of
        ``thread``) carrying ``key``, or None. Raises PostError when Slack cannot be asked (e.g.
        a missing history scope)."""
        cursor = None
        for _ in range(HISTORY_PAGES):
            try:
                if thread:
                    response = self.client.conversations_replies(
                        channel=channel_id, ts=thread, include_all_metadata=True, limit=HISTORY_PAGE, cursor=cursor,
                    )
                else:
                    response = self.client.conversations_history(
                        channel=channel_id, include_all_metadata=True, limit=HISTORY_PAGE, cursor=cursor,
                    )
            except SlackApiError as exc:
                raise PostError(f"Slack would not show the history of {channel_id}: {_error(exc)}") from None
            except (SlackClientError, OSError) as exc:
                raise PostError(f"Slack could not be reached to read {channel_id}: {exc}") from None
            for message in response.get("messages") or []:
                meta = message.get("metadata") or {}
                if meta.get("event_type") == EVENT_TYPE and (meta.get("event_payload") or {}).get("key") == key:
                    return message.get("ts")
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not response.get("has_more") or not cursor:
                return None
        return None


def _error(exc: SlackApiError) -> str:
    response = exc.response
    if response is None:
        return "no answer"
    error = response.get("error")
    if error == "missing_scope" and response.get("needed"):
        return f"missing_scope (the app needs {response.get('needed')}; see docs/slack.md)"
    return error or f"HTTP {response.status_code}"
