"""Which address a request came from, trusting `X-Forwarded-For` only from the
proxies named in TRUSTED_PROXIES (addresses or networks; README: Trusted proxies).

A peer that is not a trusted proxy is the client, whatever headers it sends. From a
trusted proxy the header is read right to left, each trusted hop skipped: the first
address that is not a trusted proxy is the client. This replaces daphne's
`--proxy-headers`, which believes the header from any peer."""

import ipaddress
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT = "127.0.0.0/8,::1/128,172.30.83.0/24"  # loopback, the compose network


def parse(value: str) -> tuple:
    """ "10.0.0.1, 172.30.83.0/24" -> networks; a bad entry fails at start-up."""
    networks = []
    for entry in (value or "").split(","):
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES holds {entry!r}, which is not an address or a "
                "network such as 10.0.0.0/8. Fix it or unset it to use the default."
            ) from None
    return tuple(networks)


@cache
def _networks(value: str) -> tuple:
    return parse(value)


def _ip(text: str):
    try:
        ip = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def _trusted(ip) -> bool:
    networks = _networks(getattr(settings, "TRUSTED_PROXIES", DEFAULT))
    return any(ip.version == n.version and ip in n for n in networks)


def client_ip(meta) -> str:
    """The client's address for `request.META`; "unknown" when there is none."""
    peer = _ip(meta.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return meta.get("REMOTE_ADDR", "") or "unknown"
    if not _trusted(peer):
        return str(peer)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    client = peer
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        ip = _ip(hop)
        if ip is None:  # garbage: the last hop we trust is all we know
            break
        client = ip
        if not _trusted(ip):
            break
    return str(client)
