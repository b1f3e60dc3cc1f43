"""Who can be mentioned on Slack: users are looked up with users.info (scope users:read)."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core.members import MembersUnavailable


class SlackMembers:
    """``Members`` for Slack. User groups cannot be listed without the usergroups:read scope, so
    a group mention is taken as Slack sent it (Slack only sends groups that exist)."""

    platform = "slack"

    def __init__(self, client):
        self.client = client

    def missing(self, team_id: str, mentions: list[dict]) -> list[str]:
        """A line for each mentioned user users.info does not know in this workspace."""
        out = []
        for m in mentions:
            if m.get("kind") != "user":
                continue
            try:
                user = self.client.users_info(user=m["id"]).get("user") or {}
            except SlackApiError as exc:
                error = (exc.response or {}).get("error") if exc.response is not None else None
                if error in ("user_not_found", "user_not_visible"):
                    out.append(f"{m['text']} is not a member of this workspace.")
                    continue
                raise MembersUnavailable(f"Slack would not look up {m['text']}: {error or exc}") from None
            except (SlackClientError, OSError) as exc:
                raise MembersUnavailable(f"Slack could not be reached to look up {m['text']}: {exc}") from None
            if user.get("deleted"):
                out.append(f"{m['text']} has left this workspace.")
            elif team_id and user.get("team_id") and user["team_id"] != team_id:
                out.append(f"{m['text']} is not a member of this workspace.")
        return out
