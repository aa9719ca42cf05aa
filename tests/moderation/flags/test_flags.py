"""Flags as members raise them: who may, once per item, rate limits, auto-hide."""

import pytest

from community.ratelimit_config import Rate
from moderation.models import Flag, ModerationAction

from ...factories import ChatMessageFactory
from ..helpers import flag

pytestmark = pytest.mark.django_db


# --- flags -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "who,status",
    [
        ("member", 302),
        ("muted", 302),
        ("moderator", 302),
        ("host", 302),
        ("staff", 302),
        ("banned", 404),
        ("other_moderator", 404),
    ],
)
def test_who_may_flag(client, people, post, who, status):
    response = flag(client, people[who], "post", post.pk)
    assert response.status_code == status
    assert Flag.objects.filter(reporter=people[who]).exists() == (status == 302)


def test_one_flag_per_member_per_item_and_never_your_own(client, people, post):
    assert flag(client, people["member"], "post", post.pk).status_code == 302
    again = flag(client, people["member"], "post", post.pk)
    assert again.status_code == 400 and "already flagged" in again.content.decode()
    own = flag(client, people["author"], "post", post.pk)
    assert own.status_code == 400 and "your own words" in own.content.decode()
    assert Flag.objects.count() == 1


def test_a_flag_needs_a_known_reason_and_keeps_the_note_on_error(client, people, post):
    response = flag(
        client, people["member"], "post", post.pk, reason="rude", note="my note"
    )
    assert response.status_code == 400
    assert (
        "my note" in response.content.decode()
        and "errorlist" in response.content.decode()
    )


def test_flags_are_rate_limited(client, people, circle, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "FLAG": Rate(2, 3600)}
    messages = [
        ChatMessageFactory(circle=circle, author=people["author"]) for _ in range(3)
    ]
    codes = [
        flag(client, people["member"], "message", m.pk).status_code for m in messages
    ]
    assert codes == [302, 302, 400]


def test_enough_distinct_flags_hide_an_item_until_a_moderator_decides(
    client, circle, people, post, django_capture_on_commit_callbacks
):
    circle.flag_auto_hide_threshold = 2
    circle.save()
    flag(client, people["member"], "post", post.pk)
    post.refresh_from_db()
    assert post.status == "visible"
    flag(client, people["muted"], "post", post.pk)
    post.refresh_from_db()
    assert post.status == "hidden"
    client.force_login(people["member"])
    html = client.get(post.thread.get_absolute_url()).content.decode()
    assert "Hidden while moderators review it" in html and "unkind words" not in html
    client.force_login(people["moderator"])
    assert "unkind words" in client.get(post.thread.get_absolute_url()).content.decode()
    assert ModerationAction.objects.filter(
        action="auto_hide", target_id=post.pk
    ).exists()
