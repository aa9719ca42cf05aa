"""Per-address limits read X-Forwarded-For only from TRUSTED_PROXIES, and nothing
runs daphne with --proxy-headers (which believes the header from any peer)."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from community import proxies
from community.ratelimit import client_address

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "remote,forwarded,counted",
    [
        ("203.0.113.9", "1.2.3.4", "203.0.113.9"),  # not a proxy: header ignored
        ("127.0.0.1", "198.51.100.7", "198.51.100.7"),
        ("172.30.83.5", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # rightmost
        ("172.30.83.5", "198.51.100.7, 127.0.0.1", "198.51.100.7"),  # skip trusted
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "garbage", "127.0.0.1"),
        ("127.0.0.1", "2001:db8::1", "2001:db8::/64"),
    ],
)
def test_x_forwarded_for_only_from_a_trusted_proxy(rf, remote, forwarded, counted):
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == counted


def test_trusted_proxies_are_a_setting(rf):
    request = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.1.2.3"
    with override_settings(TRUSTED_PROXIES="10.0.0.0/8"):
        assert client_address(request) == "1.2.3.4"


def test_a_bad_entry_fails_with_a_sentence():
    with pytest.raises(ImproperlyConfigured, match="not an address or a network"):
        proxies.parse("127.0.0.1, not-a-network")


def test_no_process_runs_daphne_with_proxy_headers():
    for name in ("Procfile", "Dockerfile", "docker-compose.yml", "Makefile"):
        text = (ROOT / name).read_text()
        commands = [line for line in text.splitlines() if "daphne" in line]
        commands += [
            line for line in text.splitlines() if line.strip().startswith('"--')
        ]
        assert not any("--proxy-headers" in line for line in commands), name


def test_compose_declares_the_trusted_network():
    text = (ROOT / "docker-compose.yml").read_text()
    assert "subnet: 172.30.83.0/24" in text
    assert "172.30.83.0/24" in proxies.DEFAULT
