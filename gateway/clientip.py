"""Who the client is: the address rate limits key on and services are told about.

The chain of addresses a request went through is X-Forwarded-For's entries followed by the
peer's address. Walking it from the right, the gateway skips:

1. peers in `trusted_proxies` (default loopback: the web front end mounted in this gateway calls
   the API over loopback and passes on the chain it received, so each web user keeps a limit of
   their own), then
2. `trusted_proxy_hops` more entries (GATEWAY_TRUSTED_PROXY_HOPS: the proxies in front of the
   gateway, e.g. 1 behind ingress-nginx; default 0, the gateway faces clients itself).

The entry reached is the client. Anything left of it was written by the client and may be
forged, so it never decides a limit. Services get X-Forwarded-For cut right after the client,
so its last entry is the address the edge vouches for; the address itself goes to services in
X-Councils-Client-Address (gateway/proxy.py), the header they believe.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK = ("127.0.0.0/8", "::1/128")


def parse_networks(specs: Iterable[str]) -> tuple[Network, ...]:
    """Networks from strings such as "127.0.0.1", "10.0.0.0/8", "::1" (ValueError if bad)."""
    return tuple(ipaddress.ip_network(spec.strip(), strict=False) for spec in specs if spec.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted(entry: str, networks: Sequence[Network]) -> bool:
    address = _address(entry)
    return address is not None and any(address in network for network in networks)


def forwarded_chain(forwarded_for: str | None, peer: str | None) -> list[str]:
    chain = [p.strip() for p in (forwarded_for or "").split(",") if p.strip()]
    chain.append(peer or "")
    return chain


def client_index(chain: Sequence[str], hops: int, trusted: Sequence[Network]) -> int:
    """The index in `chain` of the client's address."""
    i = len(chain) - 1
    while i > 0 and is_trusted(chain[i], trusted):
        i -= 1
    return max(0, i - max(0, hops))


def resolve(
    forwarded_for: str | None, peer: str | None, hops: int, trusted: Sequence[Network]
) -> tuple[str, str]:
    """(client address, X-Forwarded-For to pass on, ending with the client address)."""
    chain = forwarded_chain(forwarded_for, peer)
    i = client_index(chain, hops, trusted)
    client = chain[i]
    address = _address(client)
    if address is None:  # a proxy we trust wrote garbage: keep the peer rather than the text
        client = peer or ""
        return client, client
    return str(address), ", ".join(chain[:i] + [str(address)])
