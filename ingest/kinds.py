"""The kinds of source briefbot follows, with their names for people (no heavy imports here)."""

FEED_KINDS = ("rss", "atom", "jsonfeed")
KIND_NAMES = {
    "rss": "RSS feed",
    "atom": "Atom feed",
    "jsonfeed": "JSON Feed",
    "wordpress": "WordPress site (REST API)",
    "html": "HTML article page",
    "file": "local file",
}
