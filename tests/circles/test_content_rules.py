"""The content rules of circles/permissions.py: filter_visible() (allow_see_item as
a query) and the reply and edit rules the services and the thread page share."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from circles import permissions
from circles.models import ChatMessage, ContentStatus, Post, Thread
from tests.factories import (
    ChatMessageFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
    add_member,
)

pytestmark = pytest.mark.django_db
S = ContentStatus


@pytest.fixture
def threads(circle, member, host):
    """One thread of each status, by someone else, and one held thread of member's."""
    made = {
        status: ThreadFactory(circle=circle, author=host, status=status)
        for status in (S.VISIBLE, S.HELD, S.HIDDEN, S.REMOVED)
    }
    made["mine_held"] = ThreadFactory(circle=circle, author=member, status=S.HELD)
    return made


def _ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_a_member_sees_visible_threads_and_their_own_held_one(circle, member, threads):
    seen = _ids(permissions.filter_visible(Thread.objects.all(), member, circle=circle))
    assert seen == {threads[S.VISIBLE].pk, threads["mine_held"].pk}


def test_the_circles_moderators_see_everything_in_it(circle, moderator, threads):
    seen = _ids(
        permissions.filter_visible(Thread.objects.all(), moderator, circle=circle)
    )
    assert seen == {t.pk for t in threads.values()}


def test_across_circles_a_moderator_sees_what_a_member_sees(moderator, threads):
    seen = _ids(permissions.filter_visible(Thread.objects.all(), moderator))
    assert seen == {threads[S.VISIBLE].pk}


def test_who_may_not_read_the_circle_sees_nothing(circle, outsider, threads):
    assert not permissions.filter_visible(Thread.objects.all(), outsider, circle=circle)
    assert not permissions.filter_visible(Thread.objects.all(), outsider)


def test_public_keeps_what_every_reader_reads_now(circle, member, host):
    thread = ThreadFactory(circle=circle, author=host)
    kept = PostFactory(thread=thread, author=host)
    PostFactory(thread=thread, author=member, status=S.HELD)
    PostFactory(thread=thread, author=host, deleted_at=timezone.now())
    ChatMessageFactory(circle=circle, author=host, status=S.HIDDEN)
    shown = ChatMessageFactory(circle=circle, author=host)
    posts = permissions.filter_visible(
        Post.objects.exclude(parent=None), member, circle=circle, public=True
    )
    assert _ids(posts) == {kept.pk}
    messages = permissions.filter_visible(
        ChatMessage.objects.all(), member, public=True, hide_authors=()
    )
    assert _ids(messages) == {shown.pk}
    hidden = permissions.filter_visible(
        ChatMessage.objects.all(), member, public=True, hide_authors=[host.pk]
    )
    assert not hidden


def test_a_member_replies_to_visible_words_in_an_open_thread(circle, member, host):
    thread = ThreadFactory(circle=circle, author=host)
    post = PostFactory(thread=thread, author=host)
    assert permissions.can_reply_to_post(member, post)
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    post.thread.refresh_from_db()
    with pytest.raises(permissions.Closed, match="locked"):
        permissions.allow_reply_to_post(member, post)


def test_replies_under_held_words_their_author_and_moderators_only(
    circle, member, moderator, host
):
    thread = ThreadFactory(circle=circle, author=host)
    held = PostFactory(thread=thread, author=member, status=S.HELD)
    other = UserFactory()
    add_member(circle, other)
    assert permissions.can_reply_to_post(member, held)
    assert permissions.can_reply_to_post(moderator, held)
    with pytest.raises(Http404):
        permissions.allow_reply_to_post(other, held)
    for user, moderates in ((member, False), (moderator, True), (other, False)):
        assert permissions.takes_replies(
            held, user_id=user.pk, moderates=moderates
        ) == permissions.can_reply_to_post(user, held)


def test_removed_and_deleted_replies_take_no_replies(circle, moderator, host):
    thread = ThreadFactory(circle=circle, author=host)
    removed = PostFactory(thread=thread, author=host, status=S.REMOVED)
    deleted = PostFactory(thread=thread, author=host, deleted_at=timezone.now())
    with pytest.raises(permissions.Closed, match="removed"):
        permissions.allow_reply_to_post(moderator, removed)
    with pytest.raises(permissions.Closed, match="deleted"):
        permissions.allow_reply_to_post(moderator, deleted)


def test_only_the_author_edits_and_not_once_a_moderator_hid_it(circle, member, host):
    thread = ThreadFactory(circle=circle, author=host)
    post = PostFactory(thread=thread, author=member)
    assert permissions.can_edit_post(member, post)
    with pytest.raises(PermissionDenied, match="Only its author"):
        permissions.allow_edit_post(host, post)
    post.status = S.HIDDEN
    with pytest.raises(permissions.Closed, match="hidden"):
        permissions.allow_edit_post(member, post)
    assert not permissions.takes_edits(post)
