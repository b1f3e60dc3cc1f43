"""Credentials in URLs: found, refused where a URL is stored, hidden wherever one is shown.

A source URL is shown to every user (``/sources list``, citations) and written to logs and the
audit log, so a password in it (``https://alice:secret@host/feed``) would be too. Such URLs are
refused when a source is added; a token in the query (``?token=…``), which private feeds need to
be polled, is kept for fetching and shown as ``token=…``.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

HIDDEN = "…"
# Query parameter names (or parts of them, split at _ - .) that carry a secret.
SECRET_WORDS = {
    "token", "accesstoken", "apitoken", "authtoken", "key", "apikey", "secret", "password",
    "passwd", "pwd", "pass", "sig", "signature", "auth", "credential", "credentials", "session",
    "sessionid", "sid", "jwt", "otp",
}
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"'`|]+")
_SPLIT = re.compile(r"[_.\-]+")


def url_credentials(url: str | None) -> str | None:
    """The user name in ``url`` when it carries one (``user:password@``), else None."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.username is None and parts.password is None:
        return None
    return parts.username or ""


def secret_param(name: str) -> bool:
    """True for a query parameter whose value is a secret (token, api_key, sig, …)."""
    name = unquote(name).lower()
    return name in SECRET_WORDS or any(w in SECRET_WORDS for w in _SPLIT.split(name) if w)


def redact_url(url: str | None) -> str | None:
    """``url`` as it may be shown: user and password replaced by ``…@``, the values of
    secret query parameters by ``…``; anything else exactly as it was."""
    if not url or ("@" not in url and "?" not in url):  # no user, no query: nothing to hide
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{HIDDEN}@{netloc.rpartition('@')[2]}"
    query = parts.query
    if query:
        out = []
        for piece in query.split("&"):
            name, eq, value = piece.partition("=")
            out.append(f"{name}={HIDDEN}" if eq and value and secret_param(name) else piece)
        query = "&".join(out)
    if netloc == parts.netloc and query == parts.query:
        return url
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def redact_urls(text: str | None) -> str | None:
    """Every URL in free text (a log line, an error message, an audit entry) redacted."""
    if not text or "://" not in text:
        return text
    def one(m: re.Match) -> str:
        url = m.group(0)
        tail = len(url) - len(url.rstrip(".,:;!?)]}"))  # sentence punctuation after a URL
        return (redact_url(url[:len(url) - tail]) or "") + url[len(url) - tail:]

    return _URL.sub(one, text)
