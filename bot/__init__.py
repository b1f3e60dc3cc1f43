"""briefbot: a briefing bot for Slack, Discord and the console."""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/briefbot/briefbot"
