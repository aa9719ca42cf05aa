"""Which Origins may open a WebSocket: the site's own, compared by scheme, host and
port (a host alone would let any other server on the same machine in, such as
`http://127.0.0.1:9999` beside a site on port 8000).

The site's own origins are:
- the origin the browser is talking to: the Host header of this very connection
  (when ALLOWED_HOSTS accepts it) with the connection's scheme, and, when that Host
  carries no port (a proxy in front), `https://<host>` too (TLS ends at the proxy,
  so the process sees plain `ws`);
- without a Host header (test harnesses; browsers always send one), each
  ALLOWED_HOSTS name on its scheme's default port, `http` only on a plain connection;
- every entry of CSRF_TRUSTED_ORIGINS (`*.` wildcards as Django reads them).
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain

DEFAULT_PORTS = {"http": "80", "https": "443"}


def parse_origin(value: str) -> tuple[str, str, str] | None:
    """(scheme, host, port) of a serialised origin, or None for anything else:
    `null`, a path, user info, control characters, a bad port."""
    if not value or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in value):
        return None
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or "@" in parts.netloc:
        return None
    if parts.path or parts.query or parts.fragment or not parts.netloc:
        return None
    host, _ = split_domain_port(parts.netloc)
    if not host:
        return None
    return parts.scheme, host, str(port) if port else DEFAULT_PORTS[parts.scheme]


def _trusted(origin: tuple[str, str, str]) -> bool:
    scheme, host, port = origin
    for entry in settings.CSRF_TRUSTED_ORIGINS:
        trusted = parse_origin(entry.replace("://*.", "://wildcard.", 1))
        if trusted is None or (trusted[0], trusted[2]) != (scheme, port):
            continue
        if "://*." in entry:
            if is_same_domain(host, "." + trusted[1].removeprefix("wildcard.")):
                return True
        elif trusted[1] == host:
            return True
    return False


def _own_origins(host_header: str, secure: bool) -> set[tuple[str, str, str]]:
    """The origins the Host header of this connection stands for, if it is ours."""
    own = parse_origin(f"{'https' if secure else 'http'}://{host_header}")
    if own is None or not validate_host(own[1], settings.ALLOWED_HOSTS):
        return set()
    origins = {own}
    if ":" not in host_header.rsplit("]", 1)[-1]:
        # No port: a proxy in front, which may terminate TLS on 443.
        origins.add(("https", own[1], "443"))
    return origins


def origin_allowed(scope) -> bool:
    headers = dict(scope.get("headers", []))
    try:
        origin = parse_origin(headers.get(b"origin", b"").decode("latin-1"))
        host_header = headers.get(b"host", b"").decode("latin-1")
    except UnicodeDecodeError:
        return False
    if origin is None:
        return False
    secure = scope.get("scheme") == "wss"
    if host_header:
        if origin in _own_origins(host_header, secure):
            return True
    else:
        # No Host header (never from a browser): ALLOWED_HOSTS on default ports.
        scheme, host, port = origin
        if port == DEFAULT_PORTS[scheme] and (scheme == "https" or not secure):
            if validate_host(host, settings.ALLOWED_HOSTS):
                return True
    return _trusted(origin)


class SiteOriginValidator:
    """Refuse (close before accepting) a WebSocket whose Origin is not the site's."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
