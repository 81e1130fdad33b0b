"""The client's address, the same for the audit trail, the lockout and the logs.

REMOTE_ADDR is the peer of this connection. Only when that peer is one of
LIANGZE_TRUSTED_PROXIES do we read X-Forwarded-For, from the right (what our
own proxies appended) to the left, and take the first address that is not a
proxy of ours: everything further left was written by the client and may be
made up.
"""

import ipaddress
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry) for entry in entries)


def parse_address(text: str) -> Address | None:
    """An address as proxies write it: bare, "[v6]:port" or "v4:port"; None if it is not one."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted(address: Address | None, trusted: Iterable[Network] | None = None) -> bool:
    if address is None:
        return False
    networks = trusted if trusted is not None else _networks(settings.LIANGZE_TRUSTED_PROXIES)
    return any(address in network for network in networks)


def client_address(meta: Mapping[str, Any]) -> str | None:
    """The address of whoever sent this request (a WSGI environ or request.META)."""
    peer = parse_address(str(meta.get("REMOTE_ADDR", "")))
    if peer is None:
        return meta.get("REMOTE_ADDR") or None
    trusted = _networks(settings.LIANGZE_TRUSTED_PROXIES)
    if not is_trusted(peer, trusted):
        return str(peer)
    nearest = peer
    for hop in reversed(str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")):
        address = parse_address(hop)
        if address is None:
            # A trusted proxy passed on something that is no address: the client wrote it.
            break
        if not is_trusted(address, trusted):
            return str(address)
        nearest = address
    return str(nearest)


def from_trusted_proxy(meta: Mapping[str, Any]) -> bool:
    """Whether this connection comes from one of our proxies (whose headers we believe)."""
    return is_trusted(parse_address(str(meta.get("REMOTE_ADDR", ""))))
