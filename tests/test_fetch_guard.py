"""The SSRF guard: the address policy on its own (no network), and against the test server,
where 127.0.0.1 stands for an allowed public address and anything else on loopback for a
private one."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from provenance.fetch import AddressPolicy, address_problem, fetch_all
from provenance.fetch.guard import Blocked
from tests.test_fetch import FAST
from tests.webserver import Site, serve

GUARDED = replace(FAST, allow_private=False)
ONLY_127_0_0_1 = replace(GUARDED, allow_networks=("127.0.0.1/32",))


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("10.1.2.3", "private address 10.1.2.3"),
        ("172.16.0.1", "private address 172.16.0.1"),
        ("172.31.255.254", "private address 172.31.255.254"),
        ("192.168.1.1", "private address 192.168.1.1"),
        ("127.0.0.1", "loopback address 127.0.0.1"),
        ("169.254.169.254", "link-local address 169.254.169.254"),  # cloud metadata
        ("224.0.0.251", "multicast address 224.0.0.251"),
        ("0.0.0.0", "unspecified address 0.0.0.0"),
        ("240.0.0.1", "reserved address 240.0.0.1"),
        ("100.64.0.1", "non-public address 100.64.0.1"),  # carrier-grade NAT
        ("::1", "loopback address ::1"),
        ("::", "unspecified address ::"),
        ("fe80::1", "link-local address fe80::1"),
        ("fc00::1", "private address fc00::1"),
        ("ff02::1", "multicast address ff02::1"),
        ("::ffff:127.0.0.1", "loopback address 127.0.0.1 (in ::ffff:7f00:1)"),
        ("::ffff:10.0.0.1", "private address 10.0.0.1 (in ::ffff:a00:1)"),
        ("2002:a9fe:a9fe::1", "link-local address 169.254.169.254 (in 2002:a9fe:a9fe::1)"),
    ],
)
def test_addresses_that_are_not_public_are_refused(address: str, problem: str) -> None:
    assert address_problem(ipaddress.ip_address(address)) == problem


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.215.14", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_problem(ipaddress.ip_address(address)) is None


def test_allowed_networks_and_allow_private_override_the_rules() -> None:
    policy = AddressPolicy(allow_networks=["127.0.0.1/32", "10.0.0.0/8"])
    policy.check(ipaddress.ip_address("127.0.0.1"))
    policy.check(ipaddress.ip_address("10.9.8.7"))
    with pytest.raises(Blocked, match=r"loopback address 127\.0\.0\.2"):
        policy.check(ipaddress.ip_address("127.0.0.2"))
    AddressPolicy(allow_private=True).check(ipaddress.ip_address("169.254.169.254"))


def test_a_private_address_is_refused_before_any_request(site: Site) -> None:
    result = fetch_all([site.base + "/articles/article-1.html"], options=GUARDED)[0]
    assert (result.status, result.reason) == ("refused", "loopback address 127.0.0.1")
    assert result.attempts == 0
    assert site.requests == []  # not even robots.txt


def test_a_host_name_is_checked_by_its_addresses(site: Site) -> None:
    port = site.base.rsplit(":", 1)[1]
    result = fetch_all([f"http://localhost:{port}/articles/article-1.html"], options=GUARDED)[0]
    assert result.status == "refused"
    assert result.reason is not None and "loopback address" in result.reason
    assert site.requests == []


def test_an_allowed_network_is_reached(site: Site) -> None:
    result = fetch_all([site.base + "/articles/article-1.html"], options=ONLY_127_0_0_1)[0]
    assert result.status == "fetched"


def test_a_redirect_to_a_private_address_is_refused_at_the_hop(site: Site) -> None:
    result = fetch_all([site.base + "/to-private"], options=ONLY_127_0_0_1)[0]
    assert (result.status, result.reason) == ("refused", "loopback address 127.0.0.2")
    assert result.final_url == site.base.replace("127.0.0.1", "127.0.0.2") + (
        "/articles/article-1.html"
    )
    assert "/articles/article-1.html" not in site.paths()


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Names under ``.test`` resolve to the addresses this dict gives them."""
    names: dict[str, list[str]] = {}
    real = asyncio.BaseEventLoop.getaddrinfo

    async def getaddrinfo(self: Any, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, str) and host.endswith(".test"):
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
                for address in names[host]
            ]
        return await real(self, host, port, *args, **kwargs)

    monkeypatch.setattr(asyncio.BaseEventLoop, "getaddrinfo", getaddrinfo)
    return names


def test_the_connection_goes_to_the_checked_address(
    site: Site, fake_dns: dict[str, list[str]]
) -> None:
    fake_dns["news.test"] = ["127.0.0.1"]
    port = site.base.rsplit(":", 1)[1]
    result = fetch_all([f"http://news.test:{port}/articles/article-1.html"], options=ONLY_127_0_0_1)
    assert result[0].status == "fetched"
    assert site.requests[-1].headers["host"] == f"news.test:{port}"


def test_every_address_of_a_name_is_checked(site: Site, fake_dns: dict[str, list[str]]) -> None:
    fake_dns["mixed.test"] = ["127.0.0.1", "127.0.0.2"]
    port = site.base.rsplit(":", 1)[1]
    result = fetch_all(
        [f"http://mixed.test:{port}/articles/article-1.html"], options=ONLY_127_0_0_1
    )
    assert (result[0].status, result[0].reason) == ("refused", "loopback address 127.0.0.2")
    assert site.requests == []
