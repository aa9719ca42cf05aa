"""RATE_LIMITS from the environment, hit_action for every action, and the growing
backoff that log-ins use."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from community import ratelimit
from community.ratelimit_config import RATE_LIMIT_DEFAULTS, Rate, parse_rate_limits

ROOT = Path(__file__).resolve().parents[2]
RATES = [action for action, (_, seconds) in RATE_LIMIT_DEFAULTS.items() if seconds]


def test_every_contract_action_has_a_default():
    assert set(RATE_LIMIT_DEFAULTS) == {
        "CHAT", "POST", "FLAG", "SIGNUP", "LOGIN_ACCOUNT", "LOGIN_ADDRESS",
        "ADMIN_LOGIN", "CIRCLE_CREATE", "DM", "REACTION", "SEARCH",
        "PASSWORD_RESET", "NOT_OK", "SOCKETS_PER_PERSON",
        "VERIFY_EMAIL", "JOIN_REQUEST", "DM_REPORT",
    }  # fmt: skip
    assert set(ratelimit.ACTION_SENTENCES) == set(RATES)


def test_defaults_without_environment():
    limits = parse_rate_limits({})
    assert limits["CHAT"] == Rate(8, 10.0)
    assert limits["LOGIN_ACCOUNT"] == Rate(5, 60.0)
    assert limits["SOCKETS_PER_PERSON"] == Rate(20, None)
    assert set(limits) == set(RATE_LIMIT_DEFAULTS)


def test_count_and_seconds_from_the_environment():
    limits = parse_rate_limits(
        {"RATE_LIMIT_POST": " 3 / 90 ", "RATE_LIMIT_SOCKETS_PER_PERSON": "4"}
    )
    assert limits["POST"] == Rate(3, 90.0)
    assert limits["SOCKETS_PER_PERSON"] == Rate(4, None)
    assert limits["FLAG"] == Rate(30, 3600.0)


def test_old_chat_variables_keep_working_and_the_new_name_wins():
    old = {"CHAT_RATE_LIMIT_COUNT": "3", "CHAT_RATE_LIMIT_SECONDS": "2.5"}
    assert parse_rate_limits(old)["CHAT"] == Rate(3, 2.5)
    both = {**old, "RATE_LIMIT_CHAT": "6/30"}
    assert parse_rate_limits(both)["CHAT"] == Rate(6, 30.0)


@pytest.mark.parametrize(
    "name, value",
    [
        ("RATE_LIMIT_CHAT", "eight"),
        ("RATE_LIMIT_CHAT", "8"),
        ("RATE_LIMIT_POST", "0/10"),
        ("RATE_LIMIT_POST", "-2/10"),
        ("RATE_LIMIT_POST", "5/0"),
        ("RATE_LIMIT_POST", "5/soon"),
        ("RATE_LIMIT_POST", "5/nan"),
        ("RATE_LIMIT_POST", "2.5/10"),
        ("RATE_LIMIT_SOCKETS_PER_PERSON", "20/60"),
        ("RATE_LIMIT_SOCKETS_PER_PERSON", "0"),
        ("RATE_LIMIT_POSTS", "5/10"),
        ("CHAT_RATE_LIMIT_COUNT", "many"),
        ("CHAT_RATE_LIMIT_SECONDS", "-1"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(name, value):
    with pytest.raises(ImproperlyConfigured) as refused:
        parse_rate_limits({name: value})
    assert name in str(refused.value)


def test_a_bad_value_stops_the_site_at_start_up():
    env = {**os.environ, "RATE_LIMIT_FLAG": "lots", "TESTING": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "RATE_LIMIT_FLAG must be <count>/<seconds>" in done.stderr


@pytest.mark.parametrize("action", RATES)
def test_hit_action_refuses_past_the_count_in_words(action, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, action: Rate(2, 600.0)}
    with time_machine.travel(1_800_000_000.0, tick=False):  # a window boundary
        ratelimit.hit_action(action, "someone")
        ratelimit.hit_action(action, "someone")
        ratelimit.hit_action(action, "someone else")
        with pytest.raises(ratelimit.RateLimited) as limited:
            ratelimit.hit_action(action, "someone")
    message = limited.value.limit.message
    assert message.startswith(ratelimit.ACTION_SENTENCES[action])
    assert message.endswith("Please try again in 10 minutes.")
    assert limited.value.retry_after == 600


def test_hit_action_opens_again_in_the_next_window(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "SEARCH": Rate(1, 60.0)}
    with time_machine.travel(1_800_000_000.0, tick=False) as clock:
        ratelimit.hit_action("SEARCH", "7")
        with pytest.raises(ratelimit.RateLimited) as limited:
            ratelimit.hit_action("SEARCH", "7")
        assert "in 1 minute." in str(limited.value)
        clock.shift(60)
        ratelimit.hit_action("SEARCH", "7")


def test_a_count_only_cap_is_not_a_rate():
    with pytest.raises(ValueError):
        ratelimit.hit_action("SOCKETS_PER_PERSON", "7")
