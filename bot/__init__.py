"""briefbot: a briefing bot for Slack, Discord and the console."""

from base import PROJECT_URL, __version__

__all__ = ["PROJECT_URL", "__version__"]
