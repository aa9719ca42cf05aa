"""Stepping down and banning with a question first (issue 26, moderators 4): POST
/circles/<slug>/step-down/ makes a host (not the last) or a moderator a member, with
an audit line and their permissions changed at once; the last host is told to hand
over first and nothing changes. Ban forms ask first (data-confirm)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from circles import permissions
from circles.memberships import step_down
from circles.models import Membership
from moderation.models import ModerationAction
from tests.factories import UserFactory, add_member

pytestmark = pytest.mark.django_db

LAST_HOST_SENTENCE = (
    "You are this circle&#x27;s only host, so nothing has changed: a circle needs a "
    "host. Make another member host first (Make host, beside their name), then you "
    "can step down."
)


def step_down_url(circle):
    return step_down_url_for(circle.slug)


def step_down_url_for(slug):
    return reverse("circles:step_down", args=[slug])


def members_url(circle):
    return reverse("circles:members", args=[circle.slug])


def role_of(circle, user):
    return Membership.objects.get(circle=circle, user=user).role


@pytest.fixture
def co_host(circle):
    person = UserFactory(display_name="Cora Cohost")
    add_member(circle, person, role=Membership.Role.HOST)
    return person


def test_a_moderator_steps_down_and_loses_moderation_at_once(client, circle, moderator):
    client.force_login(moderator)
    assert (
        client.get(reverse("moderation_circle:queue", args=[circle.slug])).status_code
        == 200
    )
    response = client.post(step_down_url(circle), follow=True)
    assert response.redirect_chain[-1][0] == members_url(circle)
    assert "You stepped down: you are a member of this circle now." in (
        response.content.decode()
    )
    assert role_of(circle, moderator) == "member"
    permissions.forget_cached_perms(moderator)
    assert not permissions.can_moderate_circle(moderator, circle)
    assert permissions.can_post_in_circle(moderator, circle)
    assert (
        client.get(reverse("moderation_circle:queue", args=[circle.slug])).status_code
        == 403
    )
    line = ModerationAction.objects.get(action="step_down")
    assert (line.actor, line.target_user, line.detail) == (
        moderator,
        moderator,
        "was moderator",
    )


def test_a_host_with_another_host_steps_down(client, circle, host, co_host):
    client.force_login(host)
    client.post(step_down_url(circle))
    assert role_of(circle, host) == "member"
    permissions.forget_cached_perms(host)
    assert not permissions.can_manage_circle(host, circle)
    assert not permissions.can_moderate_circle(host, circle)
    assert ModerationAction.objects.get(action="step_down").detail == "was host"
    assert role_of(circle, co_host) == "host"


def test_the_last_host_is_told_to_hand_over_first_and_nothing_changes(
    client, circle, host, moderator
):
    client.force_login(host)
    response = client.post(step_down_url(circle), follow=True)
    assert response.redirect_chain[-1][0] == members_url(circle)
    assert LAST_HOST_SENTENCE in response.content.decode()
    assert role_of(circle, host) == "host"
    permissions.forget_cached_perms(host)
    assert permissions.can_manage_circle(host, circle)
    assert not ModerationAction.objects.filter(action="step_down").exists()


def test_two_hosts_cannot_both_step_down(circle, host, co_host):
    step_down.membership_step_down(actor=host, circle=circle)
    with pytest.raises(ValidationError, match="only host"):
        step_down.membership_step_down(actor=co_host, circle=circle)
    assert role_of(circle, co_host) == "host"


def test_a_plain_member_is_refused(client, circle, member):
    client.force_login(member)
    assert client.post(step_down_url(circle)).status_code == 403
    assert not ModerationAction.objects.exists()


def test_staff_without_a_role_here_are_told_so(client, circle, staff):
    client.force_login(staff)
    response = client.post(step_down_url(circle), follow=True)
    assert step_down.NO_ROLE in response.content.decode()
    assert not ModerationAction.objects.exists()


def test_others_get_the_404_of_a_missing_circle(client, private_circle, outsider):
    client.force_login(outsider)
    assert client.post(step_down_url(private_circle)).status_code == 404
    assert client.post(step_down_url_for("no-such-circle")).status_code == 404


def test_step_down_needs_the_csrf_token_and_a_post(circle, moderator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    assert client.post(step_down_url(circle)).status_code == 403
    assert client.get(step_down_url(circle)).status_code == 405
    assert role_of(circle, moderator) == "moderator"


def test_not_logged_in_is_sent_to_log_in(client, circle):
    response = client.post(step_down_url(circle))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the members page ---------------------------------------------------------------------
def _step_down_form(html):
    match = re.search(r'<form[^>]*id="step-down"[^>]*>', html)
    return match.group(0) if match else None


def test_a_moderator_sees_step_down_that_asks_first(client, circle, moderator):
    client.force_login(moderator)
    form = _step_down_form(client.get(members_url(circle)).content.decode())
    assert f'action="{step_down_url(circle)}"' in form
    assert 'data-confirm-title="Step down as moderator?"' in form
    assert "data-confirm=" in form


def test_a_host_with_a_co_host_sees_step_down_that_asks_first(
    client, circle, host, co_host
):
    client.force_login(host)
    form = _step_down_form(client.get(members_url(circle)).content.decode())
    assert 'data-confirm-title="Step down as host?"' in form


def test_the_last_host_sees_step_down_without_a_question(client, circle, host):
    """Pressing it changes nothing, so it does not ask: the page says why instead."""
    client.force_login(host)
    form = _step_down_form(client.get(members_url(circle)).content.decode())
    assert form is not None and "data-confirm" not in form


def test_a_member_sees_no_step_down(client, circle, member):
    client.force_login(member)
    assert _step_down_form(client.get(members_url(circle)).content.decode()) is None


def test_every_ban_form_asks_first(client, circle, host, member, moderator):
    from circles.chat import services as chat_services
    from moderation.flags import services as flag_services

    message = chat_services.chat_message_post(
        author=member, circle=circle, body="spam spam"
    ).message
    flag_services.flag_create(
        reporter=moderator, kind="message", object_id=message.pk, reason="spam"
    )
    client.force_login(host)
    for page in (
        members_url(circle),
        reverse("moderation_circle:queue", args=[circle.slug]),
    ):
        html = client.get(page).content.decode()
        ban_url = reverse("circles:ban", args=[circle.slug, member.pk])
        forms = re.findall(rf'<form[^>]*action="{re.escape(ban_url)}"[^>]*>', html)
        assert forms, page
        for form in forms:
            assert 'data-confirm-title="Ban Mira Member?"' in form
            assert "They lose access to Morning Light at once" in form
