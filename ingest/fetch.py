"""The one HTTP client for sources: http/https only, SSRF-safe, size- and time-limited, polite.

Every connection goes through ``GuardedBackend``: it resolves the host once, refuses addresses
inside the machine or its private networks (unless ``BRIEFBOT_FETCH_ALLOW`` names them), and
connects to the very address it checked, so a DNS answer that changes between the check and the
connection (DNS rebinding) cannot slip through. TLS still verifies the certificate against the
host name (SNI), because only the TCP connect is pinned.
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import re
import socket
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from base import PROJECT_URL, __version__
from ingest.parse.encoding import charset_from_content_type, decode_bytes

USER_AGENT = f"briefbot/{__version__} (+{PROJECT_URL})"
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 20.0
TOTAL_TIMEOUT = 60.0
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)
REDIRECT_CODES = {301, 302, 303, 307, 308}
# httpx logs every request at INFO; the poller already logs one line per source
logging.getLogger("httpx").setLevel(logging.WARNING)

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_HINT = "To allow a private host on purpose, add it to BRIEFBOT_FETCH_ALLOW."


class FetchError(Exception):
    """A fetch that gave no usable body; the message is a sentence a user can act on.

    ``kind``: refused, timeout, too_large, redirects, http, network, encoding.
    """

    def __init__(self, message: str, *, kind: str, url: str = "", status: int | None = None,
                 retry_after: float | None = None):
        super().__init__(message)
        self.kind = kind
        self.url = url
        self.status = status
        self.retry_after = retry_after


class FetchRefused(FetchError):
    """The URL may not be fetched at all (scheme, or an address inside our own network).

    ``reason`` is the bare reason; the message puts the URL in front of it.
    """

    def __init__(self, reason: str, *, url: str = ""):
        super().__init__(f"{url} is refused: {reason}" if url else reason, kind="refused", url=url)
        self.reason = reason


@dataclass
class FetchResult:
    """A response with its body read (and decompressed) within the limits."""

    url: str
    status: int
    headers: httpx.Headers
    content: bytes = b""
    redirects: list[str] = field(default_factory=list)
    raw_bytes: int = 0
    elapsed: float = 0.0

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional request."""
        return self.status == 304

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def max_age(self) -> float | None:
        """Cache-Control max-age in seconds, if the server sent one."""
        return cache_max_age(self.headers.get("cache-control"))

    def text(self) -> str:
        """The body decoded (BOM, then the declared charset or meta tag, then detection)."""
        return decode_bytes(self.content, charset_from_content_type(self.content_type))[0]


# ----------------------------------------------------------------------------- address policy


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refusal_reason(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why ``ip`` must not be fetched from (a phrase), or None when it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = refusal_reason(inner)
            return f"{inner} in IPv6 form, {reason}" if reason else None
        if ip.is_site_local:
            return "a site-local IPv6 address"
    if ip.is_unspecified:
        return "the unspecified address (it means this machine)"
    if ip.is_loopback:
        return "a loopback address (this machine)"
    if ip.is_link_local:
        return "a link-local address (where cloud metadata services such as 169.254.169.254 live)"
    if ip in _CGNAT:
        return "a carrier-grade NAT address (100.64.0.0/10)"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_private:
        return "a private network address"
    if ip.is_reserved:
        return "a reserved address"
    if not ip.is_global:
        return "an address that is not publicly routable"
    return None


class AddressPolicy:
    """Which hosts and addresses may be fetched: public ones, plus those in ``allow``."""

    def __init__(self, allow: Iterable[str] = ()):
        self.hosts: set[str] = set()
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in allow:
            entry = entry.strip().lower().strip("[]")
            if not entry:
                continue
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.hosts.add(entry.rstrip("."))

    def _allowed_ip(self, ip) -> bool:
        candidates = [ip]
        if isinstance(ip, ipaddress.IPv6Address) and _embedded_ipv4(ip) is not None:
            candidates.append(_embedded_ipv4(ip))
        return any(c in net for c in candidates for net in self.networks if c.version == net.version)

    def check_scheme(self, url: str) -> tuple[str, int]:
        """(host, port) of an http/https URL; FetchRefused for anything else."""
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError:
            raise FetchRefused("it is not a valid URL.", url=url) from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            shown = f"{scheme}://" if scheme else "a URL without http:// or https://"
            hint = " Local files are added with `briefbot ingest PATH`." if scheme == "file" else ""
            raise FetchRefused(f"only http:// and https:// URLs can be fetched, not {shown}.{hint}", url=url)
        host = (parts.hostname or "").rstrip(".")
        if not host:
            raise FetchRefused("it has no host name.", url=url)
        return host, port or (443 if scheme == "https" else 80)

    def resolve(self, host: str, port: int, *, url: str = "") -> list[str]:
        """The addresses of ``host`` that may be connected to; FetchRefused when there are none.

        A host listed by name in the allow list may resolve anywhere; otherwise every address is
        checked and only public (or explicitly allowed) ones are returned.
        """
        host = host.strip("[]").lower()
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            addresses = [literal]
        else:
            try:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError) as exc:
                raise FetchError(
                    f"The host name {host} could not be resolved ({getattr(exc, 'strerror', None) or exc}).",
                    kind="network", url=url,
                ) from None
            seen: dict[str, None] = {}
            for info in infos:
                seen.setdefault(info[4][0].split("%", 1)[0], None)
            addresses = [ipaddress.ip_address(a) for a in seen]
        if host in self.hosts:
            return [str(a) for a in addresses]
        usable, refused = [], []
        for ip in addresses:
            reason = None if self._allowed_ip(ip) else refusal_reason(ip)
            (refused if reason else usable).append((ip, reason))
        if usable:
            return [str(ip) for ip, _ in usable]
        ip, reason = refused[0]
        via = "" if literal is not None else f"{host} resolves to {ip}, "
        what = f"{via}{reason}" if via else f"{ip} is {reason}"
        raise FetchRefused(f"{what}. {_HINT}", url=url)

    def check_url(self, url: str) -> list[str]:
        """Check scheme, host and addresses of ``url`` (one DNS lookup); return the addresses."""
        host, port = self.check_scheme(url)
        return self.resolve(host, port, url=url)


class GuardedBackend(httpcore.SyncBackend):
    """A network backend that resolves once, checks, and connects to the checked address."""

    def __init__(self, policy: AddressPolicy):
        self.policy = policy

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = self.policy.resolve(host, port)
        last: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with its connection pool on the guarded backend (no proxies)."""

    def __init__(self, policy: AddressPolicy, *, limits: httpx.Limits):
        super().__init__(trust_env=False, limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(policy),
        )


# ----------------------------------------------------------------------------- headers


def cache_max_age(value: str | None) -> float | None:
    """``max-age`` (or ``s-maxage``) of a Cache-Control header, in seconds."""
    if not value:
        return None
    m = re.search(r"(?:^|[,\s])(?:s-)?max-age\s*=\s*\"?(\d+)", value, re.I)
    return float(m.group(1)) if m else None


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A Retry-After header (seconds or an HTTP date) as seconds from now."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


# ----------------------------------------------------------------------------- body decoding


class _Decoder:
    """gzip/deflate decoding that never produces more than ``limit`` bytes at once."""

    def __init__(self, encoding: str):
        self.encoding = encoding
        self._first = True
        if encoding in ("gzip", "x-gzip"):
            self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._obj = None  # zlib-wrapped or raw: decided on the first bytes
        elif encoding in ("", "identity"):
            self._obj = False
        else:
            raise FetchError(
                f"the server sent the body as {encoding!r}, an encoding briefbot did not ask for.",
                kind="encoding",
            )

    def decode(self, data: bytes, limit: int) -> bytes:
        if self._obj is False:
            return data
        if self._obj is None:
            # RFC 9110 "deflate" is zlib-wrapped; some servers send raw deflate.
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._obj = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        out = bytearray()
        try:
            chunk = self._obj.decompress(data, limit + 1)
            out += chunk
            while self._obj.unconsumed_tail and len(out) <= limit:
                out += self._obj.decompress(self._obj.unconsumed_tail, limit + 1 - len(out))
            if self.encoding != "deflate" and self._obj.eof and self._obj.unused_data:
                # a second gzip member follows
                rest = self._obj.unused_data
                self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
                if len(out) <= limit:
                    out += self.decode(rest, limit - len(out))
        except zlib.error as exc:
            raise FetchError(f"the compressed body is corrupt ({exc}).", kind="encoding") from None
        return bytes(out)


# ----------------------------------------------------------------------------- the client


class Fetcher:
    """Fetches URLs within the limits and the address policy. Thread-safe; close it when done."""

    def __init__(
        self,
        *,
        allow: Iterable[str] = (),
        max_bytes: int = MAX_BYTES,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        total_timeout: float = TOTAL_TIMEOUT,
        max_redirects: int = MAX_REDIRECTS,
        user_agent: str = USER_AGENT,
        max_connections: int = 20,
    ):
        self.policy = AddressPolicy(allow)
        self.max_bytes = max_bytes
        self.total_timeout = total_timeout
        self.max_redirects = max_redirects
        self.read_timeout = read_timeout
        self.connect_timeout = connect_timeout
        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
        self._client = httpx.Client(
            transport=GuardedTransport(self.policy, limits=limits),
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,
            trust_env=False,
        )

    @classmethod
    def from_settings(cls, settings, **options) -> Fetcher:
        """A fetcher honouring ``settings.fetch_allow``."""
        return cls(allow=settings.fetch_allow, **options)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close pooled connections."""
        self._client.close()

    def check(self, url: str) -> None:
        """Raise FetchRefused unless ``url`` could be fetched (scheme, host, addresses)."""
        self.policy.check_url(url)

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = ACCEPT,
    ) -> FetchResult:
        """GET ``url`` (conditionally when ``etag``/``last_modified`` are given), following up to
        ``max_redirects`` redirects, each re-checked. Raises FetchError with a clear reason."""
        started = time.monotonic()
        deadline = started + self.total_timeout
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        visited: list[str] = []
        current = url
        while True:
            try:
                self.policy.check_scheme(current)
            except FetchRefused as exc:
                raise _refused_hop(exc, current, url) from None
            if current in visited:
                raise FetchError(
                    f"redirect loop: {current} redirects back to itself (via {len(visited)} hops).",
                    kind="redirects", url=url,
                )
            visited.append(current)
            result = self._get(current, headers, deadline, url)
            if result.status in REDIRECT_CODES and result.headers.get("location"):
                if len(visited) > self.max_redirects:
                    raise FetchError(
                        f"more than {self.max_redirects} redirects, stopped at {current}.",
                        kind="redirects", url=url,
                    )
                current = urljoin(current, result.headers["location"].strip())
                continue
            result.redirects = visited[:-1]
            result.elapsed = time.monotonic() - started
            if result.status == 304 or 200 <= result.status < 300:
                return result
            raise _http_error(result, url)

    def _get(self, url: str, headers: dict, deadline: float, original: str) -> FetchResult:
        host = urlsplit(url).netloc
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                result = FetchResult(url=str(response.url), status=response.status_code, headers=response.headers)
                if response.status_code in REDIRECT_CODES or response.status_code == 304:
                    return result
                if response.status_code >= 400:
                    # a short look at an error page is enough; never read a whole one
                    return result
                length = response.headers.get("content-length", "")
                if length.isdigit() and int(length) > self.max_bytes:
                    raise FetchError(
                        f"the response is {int(length) / 1_048_576:.1f} MiB, over the "
                        f"{self._limit_text()} limit; not downloaded.",
                        kind="too_large", url=original,
                    )
                encoding = response.headers.get("content-encoding", "").strip().lower()
                decoder = _Decoder(encoding)
                body = bytearray()
                for raw in response.iter_raw():
                    result.raw_bytes += len(raw)
                    body += decoder.decode(raw, self.max_bytes - len(body))
                    if len(body) > self.max_bytes:
                        packed = " after decompression (a possible compression bomb)" if encoding not in ("", "identity") else ""
                        raise FetchError(
                            f"the response is larger than the {self._limit_text()} limit{packed}; "
                            "stopped reading.",
                            kind="too_large", url=original,
                        )
                    if time.monotonic() > deadline:
                        raise FetchError(
                            f"{host} took longer than {self.total_timeout:g} s in total; stopped reading.",
                            kind="timeout", url=original,
                        )
                result.content = bytes(body)
                return result
        except httpx.ConnectTimeout:
            raise FetchError(
                f"could not connect to {host} within {self.connect_timeout:g} s.", kind="timeout", url=original
            ) from None
        except httpx.TimeoutException:
            raise FetchError(
                f"{host} did not answer within {self.read_timeout:g} s (read timeout).", kind="timeout", url=original
            ) from None
        except httpx.ConnectError as exc:
            raise FetchError(f"could not connect to {host} ({_short(exc)}).", kind="network", url=original) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            raise FetchError(f"the connection to {host} failed ({_short(exc)}).", kind="network", url=original) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"fetching {url} failed ({_short(exc)}).", kind="network", url=original) from None
        except FetchRefused as exc:
            raise _refused_hop(exc, url, original) from None

    def _limit_text(self) -> str:
        mib = self.max_bytes / 1_048_576
        return f"{mib:g} MiB" if mib >= 1 else f"{self.max_bytes:,} bytes"


def _refused_hop(exc: FetchRefused, hop: str, original: str) -> FetchRefused:
    """The refusal of a redirect target, told from the URL the user gave."""
    refused = FetchRefused(exc.reason, url=original)
    if hop != original:
        refused.args = (f"{original} redirects to {hop}, which is refused: {exc.reason}",)
    return refused


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    m = re.search(r"\[Errno -?\d+\] (.+?)['\"]?\)?$", text)
    return (m.group(1) if m else text)[:200]


def _http_error(result: FetchResult, url: str) -> FetchError:
    from http import HTTPStatus

    try:
        phrase = HTTPStatus(result.status).phrase
    except ValueError:
        phrase = "error"
    retry = retry_after_seconds(result.headers.get("retry-after"))
    message = f"HTTP {result.status} {phrase}"
    if retry is not None:
        message += f" (the server asks to retry after {retry:.0f} s)"
    return FetchError(message + ".", kind="http", url=url, status=result.status, retry_after=retry)
