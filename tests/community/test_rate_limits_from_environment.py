"""Every `RATE_LIMIT_<ACTION>` an operator writes changes what the site does (issue
22, item 1): each variable in turn is set to one action per ten minutes, the
settings are read from the environment the way start-up reads them, and the second
action is refused. `RATE_LIMIT_DM` used to do nothing (the limit read a setting only
tests set)."""

import os

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from circles.chat import services as chat_services
from circles.memberships import services as membership_services
from circles.models import ChatMessage, Circle, Membership
from circles.reactions import services as reaction_services
from circles.threads import services as thread_services
from community.accounts import verification
from community.accounts.models import User
from community.conversations import services as dm_services
from community.conversations.errors import DMRefused
from community.ratelimit import RateLimited
from community.ratelimit_config import RATE_LIMIT_DEFAULTS, parse_rate_limits
from moderation.flags import services as flag_services
from moderation.safety import services as safety_services

from ..factories import (
    PASSWORD,
    CircleFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
    add_member,
)

pytestmark = pytest.mark.django_db


def _refused(outcome) -> bool:
    """An action's outcome: a refusal, a response, or what the service returned."""
    if isinstance(outcome, BaseException):
        return True
    if hasattr(outcome, "status_code"):
        return outcome.status_code == 429
    return outcome is False


def _attempt(do):
    """Run one action; a refusal for pace is returned, any other error raised."""
    try:
        return do()
    except RateLimited as exc:
        return exc
    except (chat_services.ChatRefused, DMRefused) as exc:
        if exc.code == "rate_limited":
            return exc
        raise
    except ValidationError as exc:
        if "quickly" in str(exc) or "recently" in str(exc):
            return exc
        raise


def _chat(world):
    n = world.setdefault("n", [0])
    n[0] += 1
    return chat_services.chat_message_post(
        author=world["member"], circle=world["circle"], body=f"hi {n[0]}"
    )


def _post(world):
    return thread_services.post_reply(
        author=world["member"], thread=world["thread"], body="a reply"
    )


def _flag(world):
    post = world["posts"].pop()
    return flag_services.flag_create(
        reporter=world["member"], kind="post", object_id=post.pk, reason="spam"
    )


def _signup(world):
    n = world.setdefault("n", [0])
    n[0] += 1
    world["client"].logout()  # each sign-up logs its new account in
    return world["client"].post(
        "/accounts/signup/",
        {
            "username": f"new-person-{n[0]}",
            "display_name": f"New Person {n[0]}",
            "password1": "a-long-test-password-1",
            "password2": "a-long-test-password-1",
        },
    )


def _login(next_url=""):
    def do(world):
        return world["client"].post(
            "/accounts/login/" + (f"?next={next_url}" if next_url else ""),
            {"username": world["member"].username, "password": "wrong" + PASSWORD},
        )

    return do


def _circle_create(world):
    n = world.setdefault("n", [0])
    n[0] += 1
    return membership_services.circle_create(
        creator=world["member"], name=f"Quiet Harbour {n[0]}"
    )


def _dm(world):
    return dm_services.dm_send(
        author=world["member"], conversation=world["talk"], body="hello again"
    )


def _reaction(world):
    return reaction_services.reaction_toggle(
        user=world["member"],
        circle=world["circle"],
        kind="post",
        item_id=world["posts"][0].pk,
        reaction="hear_you",  # on, off, on: each counts
    )


def _search(world):
    world["client"].force_login(world["member"])
    return world["client"].get("/search/", {"q": "harbour"})


def _password_reset(world):
    return world["client"].post(
        "/accounts/password-reset/", {"email": world["member"].email}
    )


def _not_ok(world):
    return safety_services.member_not_ok(user=world["member"], circle=world["circle"])


def _verify_email(world):
    n = world.setdefault("n", [0])
    n[0] += 1
    return verification.email_set(user=world["member"], email=f"new{n[0]}@example.org")


def _join_request(world):
    membership_services.membership_join(
        user=world["member"], circle=world["asking"], accept_guidelines=True
    )
    Membership.objects.filter(user=world["member"], circle=world["asking"]).update(
        state=Membership.State.LEFT
    )  # cancelled: asking again tells the hosts again


def _dm_report(world):
    return dm_services.dm_report(
        reporter=world["member"], message_id=world["received"].pop().pk, reason="spam"
    )


ACTIONS = {
    "CHAT": _chat,
    "POST": _post,
    "FLAG": _flag,
    "SIGNUP": _signup,
    "LOGIN_ACCOUNT": _login(),
    "LOGIN_ADDRESS": _login(),
    "ADMIN_LOGIN": _login("/admin/"),
    "CIRCLE_CREATE": _circle_create,
    "DM": _dm,
    "REACTION": _reaction,
    "SEARCH": _search,
    "PASSWORD_RESET": _password_reset,
    "NOT_OK": _not_ok,
    "VERIFY_EMAIL": _verify_email,
    "JOIN_REQUEST": _join_request,
    "DM_REPORT": _dm_report,
}
# The socket cap is a count of open sockets, tested with the sockets.
NOT_HERE = {"SOCKETS_PER_PERSON"}


def test_every_limit_is_exercised_here():
    assert set(ACTIONS) | NOT_HERE == set(RATE_LIMIT_DEFAULTS)


@pytest.fixture
def world(client, circle, member, host, settings):
    # The case's own alert cap (one alert per window) is not the limit under test.
    settings.SAFETY_ALERT_EVERY_MINUTES = 0
    User.objects.filter(pk__in=[member.pk, host.pk]).update(
        allow_messages="circle_members", email_verified_at="2026-01-01T00:00Z"
    )
    member.refresh_from_db()
    thread = ThreadFactory(circle=circle, author=host)
    asking = CircleFactory(name="Asking Room", slug="asking-room")
    Circle.objects.filter(pk=asking.pk).update(join_policy=Circle.JoinPolicy.REQUEST)
    asking.refresh_from_db()
    other = UserFactory(display_name="Dana Other")
    add_member(circle, other)
    User.objects.filter(pk=other.pk).update(allow_messages="circle_members")
    talk = dm_services.message_start(
        sender=other, recipient_id=member.pk, body="hello"
    ).message.conversation
    received = [
        dm_services.dm_send(author=other, conversation=talk, body=f"r{n}").message
        for n in range(4)
    ]
    return {
        "client": client,
        "circle": circle,
        "member": member,
        "thread": thread,
        "posts": [PostFactory(thread=thread, author=host) for _ in range(4)],
        "talk": talk,
        "received": received,
        "asking": asking,
    }


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_each_variable_changes_the_behaviour(action, world, settings, monkeypatch):
    do = ACTIONS[action]
    # Generous limits everywhere, the one under test at one per ten minutes.
    for name, (_, seconds) in RATE_LIMIT_DEFAULTS.items():
        if seconds is not None:
            monkeypatch.setenv(f"RATE_LIMIT_{name}", "1000/600")
    settings.RATE_LIMITS = parse_rate_limits(os.environ)
    first, second = _attempt(lambda: do(world)), _attempt(lambda: do(world))
    assert not _refused(first), first
    assert not _refused(second), f"{action}: two allowed at 1000/600: {second}"

    cache.clear()
    ChatMessage.objects.all().delete()  # the chat counts its own stored messages
    monkeypatch.setenv(f"RATE_LIMIT_{action}", "1/600")
    settings.RATE_LIMITS = parse_rate_limits(os.environ)
    first, second = _attempt(lambda: do(world)), _attempt(lambda: do(world))
    assert not _refused(first), first
    assert _refused(second), f"RATE_LIMIT_{action}=1/600 did nothing: {second}"
