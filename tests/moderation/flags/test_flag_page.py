"""The flag page says what will really happen and shows what is flagged (15.16,
14.15); one flag per member per item *revision* (14.10, "Flags after an edit")."""

import pytest

from circles.models import ContentStatus
from circles.threads import services as thread_services
from moderation.models import Flag
from moderation.review.services import flags_dismiss

from ...factories import ChatMessageFactory
from ..helpers import flag

pytestmark = pytest.mark.django_db


def flag_page(client, user, kind, item_id):
    client.force_login(user)
    response = client.get(f"/moderation/flag/?kind={kind}&id={item_id}")
    assert response.status_code == 200
    return response.content.decode()


def test_a_visible_post_stays_visible_and_the_page_shows_it(
    client, circle, people, post
):
    circle.flag_auto_hide_threshold = 3
    circle.save()
    html = flag_page(client, people["member"], "post", post.pk)
    assert "unkind words" in html and "Ari Author" in html
    assert "Hidden while moderators review it" not in html
    assert "It stays visible while the moderators look at it" in html
    assert "If 3 members flag it, it is hidden from members" in html


def test_a_hidden_post_is_said_to_be_hidden_and_its_text_is_not_shown(
    client, people, post
):
    post.status = ContentStatus.HIDDEN
    post.save()
    html = flag_page(client, people["member"], "post", post.pk)
    assert "already hidden from members" in html
    assert "unkind words" not in html and "Ari Author" not in html
    moderator_view = flag_page(client, people["moderator"], "post", post.pk)
    assert "unkind words" in moderator_view


def test_a_removed_chat_message_shows_no_author_where_chat_shows_none(
    client, circle, people
):
    message = ChatMessageFactory(
        circle=circle, author=people["author"], status=ContentStatus.REMOVED
    )
    html = flag_page(client, people["member"], "message", message.pk)
    assert "Ari Author" not in html
    assert "Removed by the circle" in html and "Send to the moderators" not in html


def test_a_thread_shows_its_title(client, people, post):
    html = flag_page(client, people["member"], "thread", post.thread.pk)
    assert "A thread" in html and "a thread by Hazel Host" in html


def test_after_a_dismissal_a_substantive_edit_may_be_flagged_again(
    client, people, post
):
    assert flag(client, people["member"], "post", post.pk).status_code == 302
    flags_dismiss(actor=people["moderator"], content=post)
    again = flag(client, people["member"], "post", post.pk)
    assert again.status_code == 400 and "already flagged" in again.content.decode()
    # Spacing alone is not a new revision.
    thread_services.post_edit(author=people["author"], post=post, body="unkind  words ")
    assert flag(client, people["member"], "post", post.pk).status_code == 400
    thread_services.post_edit(
        author=people["author"], post=post, body="far worse words"
    )
    assert flag(client, people["member"], "post", post.pk).status_code == 302
    assert list(
        Flag.objects.filter(reporter=people["member"]).values_list(
            "revision", flat=True
        )
    ) == [0, 1]
    # And once per revision still.
    assert flag(client, people["member"], "post", post.pk).status_code == 400
