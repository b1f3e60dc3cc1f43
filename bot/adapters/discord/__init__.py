"""Discord: app commands through discord.py 2.x, answers as embeds, scheduled posts."""
