"""URL normalisation used to deduplicate articles across feeds, paths and tracking links."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "at_")
TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "ref", "ref_src", "ref_url",
    "cmpid", "ncid", "spm", "_ga", "_gl", "mkt_tok", "mbid", "s_cid", "src", "feature",
    "share", "smid", "from", "output",
}


def normalize_url(url: str | None) -> str | None:
    """Lower-case scheme and host, drop fragments, default ports, tracking parameters and a
    trailing slash, sort the rest: two links to one article give one string."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url if scheme == "file" else None
    host = (parts.hostname or "").lower()
    if not host:
        return None
    port = parts.port if parts.port and parts.port not in (80, 443) else None
    netloc = f"{host}:{port}" if port else host
    if host.startswith("www."):
        netloc = netloc[4:]
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    ]
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    # http and https versions of one page are the same article
    return urlunsplit(("https", netloc, path, urlencode(sorted(query)), ""))
