"""A command as a user typed it, whatever the platform."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Invocation:
    """One command call: name (no slash), argument text, who, where, and with what rights."""

    command: str
    text: str = ""
    platform: str = "console"
    user_id: str = "console"
    user_name: str = ""
    channel_id: str = "console"
    team_id: str = ""
    is_admin: bool = False
    public: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def actor(self) -> str:
        """Who, for the audit log: platform:user id."""
        return f"{self.platform}:{self.user_id}"
