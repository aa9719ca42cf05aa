"""Writes for threads, posts and asks: screened, sanitised once, stored, then
announced after commit."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from community import markup, ratelimit, realtime
from community.notifications.services import notification_send
from moderation.flags.services import flags_from_screening
from moderation.safety.sensitive import quoted_title
from moderation.screening import policy as screening

from .. import content_events, permissions
from ..memberships.selectors import active_members_except
from ..mentions.services import mentions_notify
from ..models import Circle, ContentStatus, Post, PostRevision, Thread, ThreadVisit
from .tree import MAX_DEPTH


def _screen_or_refuse(circle: Circle, text: str, *, field: str = "body"):
    verdict = screening.screen(circle=circle, text=text)
    if verdict.blocked:
        raise ValidationError({field: verdict.block_message})
    return verdict


def _check_post_text(body: str, *, field: str = "body") -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationError({field: "Write something first."})
    limit = markup.LIMITS["post"]
    if len(text) > limit:
        raise ValidationError(
            {field: f"That is {len(text):,} characters; the limit is {limit:,}."}
        )
    return text


def _count_post(author) -> None:
    try:
        ratelimit.hit_action("POST", str(author.pk))
    except ratelimit.RateLimited as limited:
        raise ValidationError({"body": str(limited)}) from None


@dataclass
class Written:
    """What a thread or post service made, and whether its author needs the crisis card."""

    thread: "Thread"
    post: "Post"
    crisis: str = ""  # "danger" or "concern": the author sees the crisis card


def thread_create(
    *,
    author,
    circle: Circle,
    title: str,
    body: str,
    kind: str = Thread.Kind.DISCUSSION,
    content_warning: str = "",
    needs=(),
    reply_norm: str = "",
) -> Written:
    """Start a thread (or an ask) with its opening post."""
    permissions.allow_post_in_circle(author, circle)
    title = " ".join((title or "").split())
    if not 3 <= len(title) <= 200:
        raise ValidationError({"title": "Give it a title of 3 to 200 characters."})
    text = _check_post_text(body)
    if kind not in Thread.Kind.values:
        raise ValidationError({"kind": "Choose a discussion or an ask."})
    needs = list(dict.fromkeys(needs or ()))
    if kind == Thread.Kind.ASK:
        if not needs or any(n not in Thread.Need.values for n in needs):
            raise ValidationError(
                {"needs": "Choose at least one thing that would help."}
            )
        if reply_norm not in Thread.ReplyNorm.values:
            raise ValidationError(
                {"reply_norm": "Choose how you would like people to reply."}
            )
    else:
        needs, reply_norm = [], ""
    verdict = _screen_or_refuse(circle, f"{title}\n{text}")
    _count_post(author)
    html = markup.render(text, kind="post")
    status = ContentStatus.HELD if verdict.hold else ContentStatus.VISIBLE
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(
            circle=circle,
            author=author,
            title=title,
            kind=kind,
            content_warning=content_warning.strip()[:200],
            last_activity_at=now,
            needs=needs,
            reply_norm=reply_norm,
            status=status,
        )
        post = Post.objects.create(
            thread=thread, author=author, body=text, body_html=html, status=status
        )
        flags_from_screening(screening=verdict, content=post)
        if status == ContentStatus.VISIBLE:
            transaction.on_commit(
                lambda: mentions_notify(
                    author=author,
                    circle=circle,
                    text=text,
                    url=f"{thread.get_absolute_url()}#post-{post.pk}",
                )
            )
    return Written(thread, post, crisis=verdict.crisis_level)


def _asking(allow, user, item) -> None:
    """A content rule, its `Closed` answer shown on the form as something to change
    (the words are kept); who may not write at all still gets 403 or 404."""
    try:
        allow(user, item)
    except permissions.Closed as closed:
        raise ValidationError({"body": closed.args[0]}) from None


def post_reply(
    *, author, thread: Thread, body: str, parent_id=None, content_warning=""
) -> Written:
    """Reply to a thread's opening post or to any reply in it."""
    circle = thread.circle
    # What the replier may not see answers 404 like a missing thread or parent.
    _asking(permissions.allow_reply_to_thread, author, thread)
    posts = Post.objects.filter(thread=thread).select_related("author")
    parent = (
        posts.filter(pk=parent_id).first()
        if parent_id
        else posts.filter(parent=None).first()
    )
    if parent is None:
        raise ValidationError({"parent": "That reply is not in this thread."})
    parent.thread = thread
    _asking(permissions.allow_reply_to_post, author, parent)
    text = _check_post_text(body)
    verdict = _screen_or_refuse(circle, text)
    _count_post(author)
    html = markup.render(text, kind="post")
    now = timezone.now()
    with transaction.atomic():
        post = Post.objects.create(
            thread=thread,
            parent=parent,
            author=author,
            body=text,
            body_html=html,
            content_warning=(content_warning or "").strip()[:200],
            depth=min(parent.depth + 1, MAX_DEPTH),  # deeper ones sit beside it
            status=ContentStatus.HELD if verdict.hold else ContentStatus.VISIBLE,
        )
        updates = {"reply_count": models.F("reply_count") + 1, "last_activity_at": now}
        if (
            thread.is_ask
            and thread.first_reply_at is None
            and author.pk != thread.author_id
        ):
            updates["first_reply_at"] = now
        Thread.objects.filter(pk=thread.pk).update(**updates)
        flags_from_screening(screening=verdict, content=post)
        if post.status == ContentStatus.VISIBLE:
            url = f"{thread.get_absolute_url()}#post-{post.pk}"
            told = {author.pk}
            if thread.author_id not in told:
                notification_send(
                    recipient=thread.author,
                    kind="reply",
                    text=f"{author.display_name} replied to your thread {quoted_title(thread)}.",
                    url=url,
                    circle=circle,
                    about=author,
                    # Not to their own post: one email per thread per hour at most
                    # unless they chose every reply (contract: notify_reply_scope).
                    email_group=(
                        f"thread-{thread.pk}"
                        if parent.author_id != thread.author_id
                        else ""
                    ),
                )
                told.add(thread.author_id)
            if parent.author_id not in told:
                notification_send(
                    recipient=parent.author,
                    kind="reply",
                    text=f"{author.display_name} replied to your post in "
                    f"{quoted_title(thread)}.",
                    url=url,
                    circle=circle,
                    about=author,
                )
                told.add(parent.author_id)
            transaction.on_commit(
                lambda: mentions_notify(
                    author=author, circle=circle, text=text, url=url, skip=told
                )
            )
            realtime.broadcast_on_commit(
                realtime.circle_group(circle.pk), content_events.post_created(post)
            )
    thread.refresh_from_db()
    return Written(thread, post, crisis=verdict.crisis_level)


def substantive(old: str, new: str) -> bool:
    """An edit that changes the words, not only spacing: it makes a new revision,
    which members who flagged an earlier one may flag again."""
    return " ".join(old.split()) != " ".join(new.split())


def post_edit(*, author, post: Post, body: str) -> Written:
    """Edit your own post; the previous version is kept for moderators."""
    _asking(permissions.allow_edit_post, author, post)
    text = _check_post_text(body)
    if text == post.body:
        return Written(post.thread, post)
    verdict = _screen_or_refuse(post.thread.circle, text)
    html = markup.render(text, kind="post")
    circle_group = realtime.circle_group(post.thread.circle_id)
    with transaction.atomic():
        fields = ["body", "body_html"]
        if substantive(post.body, text):
            PostRevision.objects.create(
                post=post, body=post.body, body_html=post.body_html
            )
            post.edited_at = timezone.now()
            fields.append("edited_at")
        post.body, post.body_html = text, html
        if verdict.hold and post.status == ContentStatus.VISIBLE:
            post.status = ContentStatus.HELD
            fields.append("status")
            realtime.broadcast_on_commit(
                circle_group,
                content_events.post_removed(post, reason=ContentStatus.HELD.label),
            )
        elif post.status == ContentStatus.VISIBLE:
            realtime.broadcast_on_commit(circle_group, content_events.post_edited(post))
        post.save(update_fields=fields)
        flags_from_screening(screening=verdict, content=post)
    return Written(post.thread, post, crisis=verdict.crisis_level)


def post_delete(*, author, post: Post) -> Post:
    """Delete your own post: it reads "deleted by its author", its replies stay.
    The text stays stored (moderation never loses evidence) but is never shown."""
    _asking(permissions.allow_delete_post, author, post)
    with transaction.atomic():
        post.deleted_at = timezone.now()
        post.save(update_fields=["deleted_at"])
        realtime.broadcast_on_commit(
            realtime.circle_group(post.thread.circle_id),
            content_events.post_removed(post, reason="Deleted by its author"),
        )
    return post


# A reply's activity time is taken just before its transaction; one that commits
# later than this after it could fall before a visit that did not see it.
VISIT_SKEW = timedelta(seconds=10)


def thread_visit_record(*, user, thread: Thread, seen_at=None) -> None:
    """The member has seen the thread as it is now. One upsert, one round trip: a
    thread page's cost does not depend on whether it is a first visit. (The ORM's
    bulk_create wraps the same statement in a transaction of its own: two more
    round trips.) Nothing is written when their last visit (`seen_at`, read with
    the page) already came after the thread's last activity: what counts as new
    on their next visit is the same either way."""
    if (
        seen_at is not None
        and thread.last_activity_at is not None
        and thread.last_activity_at <= seen_at - VISIT_SKEW
    ):
        return
    if user.is_authenticated:
        table = ThreadVisit._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (thread_id, user_id, seen_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (thread_id, user_id) DO UPDATE SET seen_at = excluded.seen_at",
                [
                    thread.pk,
                    user.pk,
                    connection.ops.adapt_datetimefield_value(timezone.now()),
                ],
            )


def ask_mark_helped(*, user, post: Post) -> Thread:
    """The ask's author marks the reply that helped: the ask is answered."""
    thread = post.thread
    permissions.allow_read_circle(user, thread.circle)
    if not thread.is_ask or thread.author_id != user.pk:
        raise PermissionDenied("Only the person who asked can mark a reply as helpful.")
    if post.parent_id is None or post.author_id == user.pk or post.deleted_at:
        raise ValidationError("Choose someone else's reply in this ask.")
    with transaction.atomic():
        now = timezone.now()
        thread.helped_post = post
        thread.answered_at = thread.answered_at or now
        thread.save(update_fields=["helped_post", "answered_at"])
        notification_send(
            recipient=post.author,
            kind="reply",
            text=f"{user.display_name} said your reply helped in {quoted_title(thread)}.",
            url=f"{thread.get_absolute_url()}#post-{post.pk}",
            circle=thread.circle,
            about=user,
        )
    return thread


def asks_nudge_overdue(*, now=None) -> int:
    """Tell each circle's members, once, about asks still waiting for a first reply."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.ASK_NUDGE_AFTER_HOURS)
    overdue = Thread.objects.filter(
        kind=Thread.Kind.ASK,
        status=ContentStatus.VISIBLE,
        first_reply_at__isnull=True,
        nudged_at__isnull=True,
        created_at__lte=cutoff,
    ).select_related("circle", "author")
    nudged = 0
    for thread in overdue:
        with transaction.atomic():
            claimed = Thread.objects.filter(
                pk=thread.pk, nudged_at__isnull=True
            ).update(nudged_at=now)
            if not claimed:
                continue
            members = active_members_except(
                circle=thread.circle, user_id=thread.author_id
            )
            title = quoted_title(thread)
            for membership in members:
                notification_send(
                    recipient=membership.user,
                    kind="ask_waiting",
                    text=f"{thread.author.display_name}'s ask {title} is "
                    "still waiting for a first reply.",
                    url=thread.get_absolute_url(),
                    circle=thread.circle,
                    about=thread.author,
                )
            nudged += 1
    return nudged
