"""Slack: slash commands through slack-bolt (Socket Mode or HTTP), Block Kit answers, posting."""
