"""Watches: filters a channel keeps on new articles and facts, matched as they arrive and posted once."""
