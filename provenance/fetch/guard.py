"""The SSRF guard: which URLs and addresses requests may reach.

Only http and https. A host's addresses are resolved here, every one is checked, and the
connection is made to a checked address, in the same call: DNS cannot answer differently
between the check and the connection (rebinding). The guard sits in the connection layer
(``GuardedBackend``, httpcore's network backend), under TLS, so certificates and SNI still use
the host name, and every new connection, whichever redirect hop opens it, passes the check.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

SCHEMES = ("http", "https")


class Blocked(Exception):
    """A URL the guard refuses; the message is the reason."""


class Unresolvable(Exception):
    """A host name with no address."""


def check_scheme(scheme: str) -> None:
    if scheme.lower() not in SCHEMES:
        raise Blocked(f"scheme '{scheme}' not allowed (only http and https)")


def address_problem(address: IPAddress, allowed: Iterable[IPNetwork] = ()) -> str | None:
    """Why ``address`` may not be reached (``None``: it may). ``allowed`` networks always may.

    Addresses embedded in IPv6 (IPv4-mapped, 6to4, Teredo) are checked as the IPv4 address
    they lead to.
    """
    if any(address in network for network in allowed):
        return None
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is not None:
            problem = address_problem(embedded, allowed)
            return problem and f"{problem} (in {address})"
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(address, f"is_{kind}"):
            return f"{kind.replace('_', '-')} address {address}"
    if not address.is_global:  # e.g. shared address space 100.64.0.0/10
        return f"non-public address {address}"
    return None


class AddressPolicy:
    """Which addresses may be reached: public ones, the ``allow_networks`` (CIDR), or all of
    them with ``allow_private``."""

    def __init__(self, allow_private: bool = False, allow_networks: Iterable[str] = ()) -> None:
        self.allow_private = allow_private
        self.networks = tuple(ipaddress.ip_network(n, strict=False) for n in allow_networks)

    def check(self, address: IPAddress) -> None:
        problem = None if self.allow_private else address_problem(address, self.networks)
        if problem:
            raise Blocked(problem)


async def resolve(host: str, port: int) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Unresolvable(f"cannot resolve {host}") from error
    # scope ids (fe80::1%eth0) are dropped: such addresses are link-local, refused anyway
    found = (ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos)
    return list(dict.fromkeys(found))


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to addresses the policy allows."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await asyncio.wait_for(resolve(host, port), timeout)
        except TimeoutError as slow:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from slow
        for address in addresses:  # all of them: a refused one may be the one used next time
            self.policy.check(address)
        last: Exception = Unresolvable(f"cannot resolve {host}")
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last = error
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise Blocked("unix sockets not allowed")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a connection pool that uses ``GuardedBackend``. No proxy: one
    would be the only address checked, and it would reach the rest for us."""

    def __init__(self, policy: AddressPolicy, max_connections: int) -> None:
        super().__init__(verify=_ssl_context(), trust_env=False)
        # httpx builds its pool without a way to pass a network backend: build it again
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(policy),
        )


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One for every client: loading the certificates takes tens of milliseconds."""
    return httpx.create_ssl_context(trust_env=False)
