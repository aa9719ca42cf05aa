"""Shared fixtures for moderation tests: a circle with every kind of person in it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from circles.models import Membership
from circles.threads import services as thread_services

from ..factories import UserFactory, add_member


@pytest.fixture
def people(circle, member, moderator, host, staff, other_moderator):
    banned = UserFactory(display_name="Bo Banned")
    add_member(circle, banned, state=Membership.State.BANNED)
    muted = UserFactory(display_name="Mo Muted")
    add_member(circle, muted)
    Membership.objects.filter(user=muted).update(
        muted_until=timezone.now() + timedelta(hours=1)
    )
    author = UserFactory(display_name="Ari Author")
    add_member(circle, author)
    return {
        "member": member,
        "moderator": moderator,
        "host": host,
        "staff": staff,
        "other_moderator": other_moderator,
        "banned": banned,
        "muted": muted,
        "author": author,
    }


@pytest.fixture
def post(circle, people):
    thread = thread_services.thread_create(
        author=people["host"], circle=circle, title="A thread", body="opening"
    ).thread
    return thread_services.post_reply(
        author=people["author"], thread=thread, body="unkind words"
    ).post
