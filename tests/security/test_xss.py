"""Hostile input through every field a person can type into: what is stored and
shown holds no active content."""

import pytest

from circles.chat import services as chat_services
from circles.models import Circle
from community import markup
from community.accounts.models import User
from community.ratelimit_config import Rate

from ..factories import UserFactory, add_member
from .xss_payloads import PAYLOADS, active_content, page_active_content

pytestmark = pytest.mark.django_db


def test_the_corpus_is_large_enough():
    assert len(PAYLOADS) >= 60


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("kind", ["post", "chat"])
def test_markdown_fields_store_inert_html(payload, kind):
    assert active_content(markup.render(payload, kind=kind)) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plain_text_fields_store_inert_html(payload):
    assert active_content(markup.render_plain(payload)) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_display_name_is_shown_as_text(client, circle, payload):
    """Through the sign-up form when the name is valid there; otherwise as stored."""
    name = " ".join(payload.replace("\x00", "\ufffd").split())[:32]  # PG stores no NUL
    response = client.post(
        "/accounts/signup/",
        {
            "username": f"x{abs(hash(payload)) % 10**9}",
            "display_name": name,
            "password1": "a-long-test-password-1",
            "password2": "a-long-test-password-1",
        },
    )
    user = User.objects.filter(display_name=name).first()
    if user is None:
        assert response.status_code in (200, 400)  # refused with a form error
        assert page_active_content(response.content.decode()) == []
        user = UserFactory(display_name=name)
    add_member(circle, user)
    client.force_login(user)
    for url in (
        "/circles/",
        f"/circles/{circle.slug}/",
        f"/circles/{circle.slug}/members/",
    ):
        page = client.get(url).content.decode()
        assert page_active_content(page) == [], url


@pytest.mark.parametrize("payload", PAYLOADS)
def test_circle_name_and_description_are_shown_as_text(client, payload):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/circles/new/",
        {
            "name": (" ".join(payload.split())[:70] or "x") + " circle",
            "description": payload,
            "join_policy": "open",
            "visibility": "listed",
            "capacity": 12,
        },
    )
    assert response.status_code in (200, 302, 400)
    assert page_active_content(response.content.decode()) == []
    circle = Circle.objects.order_by("-pk").first()
    if circle is not None and response.status_code == 302:
        for url in (
            "/circles/",
            circle.get_absolute_url(),
            f"/circles/{circle.slug}/members/",
        ):
            assert page_active_content(client.get(url).content.decode()) == [], url


@pytest.mark.parametrize("payload", PAYLOADS)
def test_thread_post_chat_flag_note_and_mute_reason_show_no_active_content(
    client, circle, member, moderator, payload, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "POST": Rate(10**6, 60)}
    text = payload.replace("\x00", "\ufffd")
    client.force_login(member)
    client.post(
        f"/circles/{circle.slug}/threads/new/",
        {"kind": "discussion", "title": ("T " + text)[:200], "body": text},
    )
    thread = circle.threads.order_by("-pk").first()
    message = chat_services.chat_message_post(
        author=member, circle=circle, body=text, client_id="x"
    ).message
    assert active_content(message.body_html) == []
    client.force_login(moderator)
    client.post(
        "/moderation/flag/",
        {"kind": "message", "id": message.pk, "reason": "other", "note": text[:1000]},
    )
    client.post(
        f"/circles/{circle.slug}/members/{member.pk}/mute/",
        {"minutes": 5, "reason": text[:500]},
    )
    pages = [
        circle.get_absolute_url(),
        f"/circles/{circle.slug}/members/",
        f"/circles/{circle.slug}/moderation/",
        "/notifications/",
    ]
    if thread is not None:
        pages.append(thread.get_absolute_url())
        assert all(active_content(p.body_html) == [] for p in thread.posts.all())
    for url in pages:
        assert page_active_content(client.get(url).content.decode()) == [], url
