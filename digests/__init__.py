"""Digests: what is new since a channel's cursor, grouped by story, summarised and posted once."""
