"""Writes for circles and memberships. Each function checks, writes in a transaction,
grants or revokes guardian permissions, and schedules its broadcast after commit."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from community import markup, ratelimit, realtime

from . import events, permissions, selectors
from .models import (
    ChatMessage,
    ChatPresence,
    Circle,
    ContentStatus,
    Membership,
    Post,
    PostRevision,
    Thread,
    ThreadVisit,
)

State = Membership.State
Role = Membership.Role


class JoinOutcome:
    JOINED = "joined"
    PENDING = "pending"
    WAITLISTED = "waitlisted"
    ALREADY = "already"


def _unique_slug(name: str) -> str:
    base = slugify(name)[:80] or "circle"
    slug, n = base, 2
    while Circle.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def circle_create(
    *,
    creator,
    name: str,
    description: str = "",
    guidelines: str = "",
    join_policy: str = Circle.JoinPolicy.OPEN,
    visibility: str = Circle.Visibility.LISTED,
    capacity: int = 12,
) -> Circle:
    """Create a circle; its creator becomes its host."""
    if not creator.is_authenticated:
        raise PermissionDenied("Log in to create a circle.")
    for _ in range(3):
        try:
            with transaction.atomic():
                circle = Circle(
                    name=name.strip(),
                    slug=_unique_slug(name),
                    description=description.strip(),
                    guidelines=guidelines.strip() or DEFAULT_GUIDELINES,
                    join_policy=join_policy,
                    visibility=visibility,
                    capacity=capacity,
                    created_by=creator,
                )
                circle.full_clean()
                circle.save()
                now = timezone.now()
                Membership.objects.create(
                    circle=circle,
                    user=creator,
                    role=Role.HOST,
                    state=State.ACTIVE,
                    joined_at=now,
                    guidelines_accepted_at=now,
                )
                permissions.grant_role(user=creator, circle=circle, role=Role.HOST)
                return circle
        except IntegrityError:  # two circles raced for one slug; pick again
            continue
    raise ValidationError({"name": "Could not make a unique address for that name."})


DEFAULT_GUIDELINES = (
    "Speak from your own experience. Listen before you advise, and ask first.\n"
    "What is shared here stays here.\n"
    "Be gentle: everyone is practising something hard.\n"
    "If you are in danger, contact local emergency services."
)


def _lock_circle(circle: Circle) -> Circle:
    """Lock the circle row: joins, leaves and approvals are serialised per circle,
    so that the capacity count cannot be raced."""
    return Circle.objects.select_for_update().get(pk=circle.pk)


def _active_count(circle: Circle) -> int:
    return Membership.objects.filter(circle=circle, state=State.ACTIVE).count()


def _activate(membership: Membership, *, now) -> None:
    membership.state = State.ACTIVE
    membership.role = Role.MEMBER if membership.role == "" else membership.role
    membership.joined_at = now
    membership.left_at = None
    membership.waitlisted_at = None
    membership.save(
        update_fields=["state", "role", "joined_at", "left_at", "waitlisted_at"]
    )
    permissions.grant_role(
        user=membership.user, circle=membership.circle, role=membership.role
    )
    realtime.broadcast_on_commit(
        events.circle_group(membership.circle_id),
        events.members_changed(membership.circle_id),
    )


def membership_join(
    *, user, circle: Circle, accept_guidelines: bool, invite_token: str | None = None
) -> tuple[Membership, str]:
    """Join a circle, ask to join, or take a waitlist place when it is full.

    Returns the membership and one of `JoinOutcome`.
    """
    permissions.check_see_circle(user, circle, invite_token=invite_token)
    if not user.is_authenticated:
        raise PermissionDenied("Log in to join a circle.")
    if not accept_guidelines:
        raise ValidationError(
            {"accept_guidelines": "Please read and accept the circle's guidelines."}
        )
    invited = invite_token is not None and invite_token == circle.invite_token
    if circle.join_policy == Circle.JoinPolicy.INVITE and not invited:
        raise PermissionDenied("This circle is invite-only: ask a host for a link.")

    with transaction.atomic():
        circle = _lock_circle(circle)
        now = timezone.now()
        membership, _ = Membership.objects.select_for_update().get_or_create(
            circle=circle, user=user, defaults={"state": State.LEFT}
        )
        if membership.state == State.BANNED:
            raise PermissionDenied("You cannot join this circle.")
        if membership.state in (State.ACTIVE, State.PENDING, State.WAITLISTED):
            outcome = {
                State.ACTIVE: JoinOutcome.ALREADY,
                State.PENDING: JoinOutcome.PENDING,
                State.WAITLISTED: JoinOutcome.WAITLISTED,
            }[membership.state]
            return membership, outcome

        membership.role = Role.MEMBER
        membership.guidelines_accepted_at = now
        membership.save(update_fields=["role", "guidelines_accepted_at"])
        if circle.join_policy == Circle.JoinPolicy.REQUEST and not invited:
            membership.state = State.PENDING
            membership.requested_at = now
            membership.save(update_fields=["state", "requested_at"])
            realtime.broadcast_on_commit(
                events.circle_group(circle.id), events.members_changed(circle.id)
            )
            return membership, JoinOutcome.PENDING
        if _active_count(circle) >= circle.capacity:
            membership.state = State.WAITLISTED
            membership.waitlisted_at = now
            membership.save(update_fields=["state", "waitlisted_at"])
            return membership, JoinOutcome.WAITLISTED
        _activate(membership, now=now)
        return membership, JoinOutcome.JOINED


def _fill_free_seats(circle: Circle, *, now) -> list[Membership]:
    """Let people in from the waitlist, in order, while there is room.
    The caller holds the circle's lock."""
    promoted = []
    free = circle.capacity - _active_count(circle)
    if free <= 0:
        return promoted
    waiting = (
        Membership.objects.select_for_update()
        .filter(circle=circle, state=State.WAITLISTED)
        .select_related("user", "circle")
        .order_by("waitlisted_at", "id")[:free]
    )
    for membership in waiting:
        _activate(membership, now=now)
        promoted.append(membership)
    return promoted


def _end_membership(membership: Membership, *, state: str, now) -> None:
    """Leave or ban: revoke permissions and close the person's open sockets."""
    was_active = membership.state == State.ACTIVE
    membership.state = state
    membership.left_at = now
    membership.waitlisted_at = None
    membership.save(update_fields=["state", "left_at", "waitlisted_at"])
    permissions.revoke_all(user=membership.user, circle=membership.circle)
    realtime.broadcast_on_commit(
        events.user_group(membership.user_id),
        events.access_revoked(membership.circle_id),
    )
    if was_active:
        realtime.broadcast_on_commit(
            events.circle_group(membership.circle_id),
            events.members_changed(membership.circle_id),
        )


def membership_leave(*, user, circle: Circle) -> Membership:
    with transaction.atomic():
        circle = _lock_circle(circle)
        membership = (
            Membership.objects.select_for_update()
            .filter(circle=circle, user=user)
            .exclude(state__in=[State.LEFT, State.BANNED])
            .first()
        )
        if membership is None:
            raise PermissionDenied("You are not in this circle.")
        if membership.role == Role.HOST and membership.state == State.ACTIVE:
            other_hosts = Membership.objects.filter(
                circle=circle, role=Role.HOST, state=State.ACTIVE
            ).exclude(pk=membership.pk)
            if not other_hosts.exists():
                raise ValidationError(
                    "You are this circle's only host: make someone else host first."
                )
        now = timezone.now()
        _end_membership(membership, state=State.LEFT, now=now)
        membership.role = Role.MEMBER
        membership.save(update_fields=["role"])
        _fill_free_seats(circle, now=now)
        return membership


def membership_approve(*, actor, circle: Circle, user_id: int) -> Membership:
    permissions.check_moderate_circle(actor, circle)
    with transaction.atomic():
        circle = _lock_circle(circle)
        membership = (
            Membership.objects.select_for_update()
            .select_related("user", "circle")
            .filter(circle=circle, user_id=user_id, state=State.PENDING)
            .first()
        )
        if membership is None:
            raise ValidationError("There is no pending request from that person.")
        if _active_count(circle) >= circle.capacity:
            raise ValidationError(
                f"The circle is full ({circle.capacity} members): "
                "make room or raise its capacity first."
            )
        _activate(membership, now=timezone.now())
        return membership


def membership_decline(*, actor, circle: Circle, user_id: int) -> Membership:
    permissions.check_moderate_circle(actor, circle)
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .filter(circle=circle, user_id=user_id, state=State.PENDING)
            .first()
        )
        if membership is None:
            raise ValidationError("There is no pending request from that person.")
        membership.state = State.LEFT
        membership.save(update_fields=["state"])
        return membership


def membership_set_role(
    *, actor, circle: Circle, user_id: int, role: str
) -> Membership:
    """Appoint or demote a moderator (hosts only)."""
    permissions.check_manage_circle(actor, circle)
    if role not in (Role.MODERATOR, Role.MEMBER):
        raise ValidationError({"role": "Choose moderator or member."})
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("user", "circle")
            .filter(circle=circle, user_id=user_id, state=State.ACTIVE)
            .first()
        )
        if membership is None:
            raise ValidationError("That person is not a member of this circle.")
        if membership.role == Role.HOST:
            raise ValidationError("A host's role cannot be changed here.")
        membership.role = role
        membership.save(update_fields=["role"])
        permissions.grant_role(user=membership.user, circle=circle, role=role)
        realtime.broadcast_on_commit(
            events.circle_group(circle.id), events.members_changed(circle.id)
        )
        return membership


def _target_membership(circle: Circle, user_id: int) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .select_related("user", "circle")
        .filter(circle=circle, user_id=user_id)
        .first()
    )
    if membership is None:
        raise ValidationError("That person is not in this circle.")
    return membership


def _check_may_act_on(actor, membership: Membership) -> None:
    if membership.user_id == actor.pk:
        raise ValidationError("You cannot do that to yourself.")
    if membership.role == Role.HOST and not permissions.is_staff(actor):
        raise PermissionDenied("A host cannot be muted or banned by a moderator.")
    if membership.role == Role.MODERATOR and not (
        permissions.can_manage_circle(actor, membership.circle)
        or permissions.is_staff(actor)
    ):
        raise PermissionDenied("Only a host can mute or ban a moderator.")


def membership_mute(
    *, actor, circle: Circle, user_id: int, minutes: int, reason: str = ""
) -> Membership:
    """Mute: the member can still read, but cannot post or chat until then."""
    permissions.check_moderate_circle(actor, circle)
    if not 1 <= minutes <= 60 * 24 * 30:
        raise ValidationError({"minutes": "Mute for 1 minute to 30 days."})
    with transaction.atomic():
        membership = _target_membership(circle, user_id)
        if membership.state != State.ACTIVE:
            raise ValidationError("Only active members can be muted.")
        _check_may_act_on(actor, membership)
        membership.muted_until = timezone.now() + timedelta(minutes=minutes)
        membership.mute_reason = reason.strip()[:500]
        membership.save(update_fields=["muted_until", "mute_reason"])
        realtime.broadcast_on_commit(
            events.user_group(membership.user_id),
            events.mute_changed(circle.id, membership.muted_until),
        )
        return membership


def membership_unmute(*, actor, circle: Circle, user_id: int) -> Membership:
    permissions.check_moderate_circle(actor, circle)
    with transaction.atomic():
        membership = _target_membership(circle, user_id)
        membership.muted_until = None
        membership.mute_reason = ""
        membership.save(update_fields=["muted_until", "mute_reason"])
        realtime.broadcast_on_commit(
            events.user_group(membership.user_id), events.mute_changed(circle.id, None)
        )
        return membership


def membership_ban(
    *, actor, circle: Circle, user_id: int, reason: str = ""
) -> Membership:
    """Ban: access ends at once and every open socket of theirs here is closed."""
    permissions.check_moderate_circle(actor, circle)
    with transaction.atomic():
        circle = _lock_circle(circle)
        membership = _target_membership(circle, user_id)
        if membership.state == State.BANNED:
            return membership
        _check_may_act_on(actor, membership)
        now = timezone.now()
        _end_membership(membership, state=State.BANNED, now=now)
        membership.banned_at = now
        membership.ban_reason = reason.strip()[:500]
        membership.role = Role.MEMBER
        membership.save(update_fields=["banned_at", "ban_reason", "role"])
        _fill_free_seats(circle, now=now)
        return membership


def membership_unban(*, actor, circle: Circle, user_id: int) -> Membership:
    """Lift a ban. The person may join again; they are not let back in by this."""
    permissions.check_moderate_circle(actor, circle)
    with transaction.atomic():
        membership = _target_membership(circle, user_id)
        if membership.state != State.BANNED:
            raise ValidationError("That person is not banned.")
        membership.state = State.LEFT
        membership.ban_reason = ""
        membership.save(update_fields=["state", "ban_reason"])
        return membership


def invite_link_reset(*, actor, circle: Circle) -> Circle:
    """Revoke the current invite link and make a new one."""
    from .models import new_invite_token

    permissions.check_manage_circle(actor, circle)
    circle.invite_token = new_invite_token()
    circle.save(update_fields=["invite_token"])
    return circle


# --- chat ---
class ChatRefused(Exception):
    """A chat frame refused, with the contract's error code and words for the person."""

    def __init__(self, code: str, detail: str):
        self.code, self.detail = code, detail
        super().__init__(detail)


@dataclass
class ChatPosted:
    message: "ChatMessage"
    created: bool
    crisis: bool = False
    delivered_live: bool = True


def _check_may_chat(author, circle: Circle) -> None:
    permissions.forget_cached_perms(author)
    if not permissions.can_read_circle(author, circle):
        raise ChatRefused("forbidden", "You are no longer a member of this circle.")
    membership = permissions.membership_of(author, circle)
    if permissions.is_muted(membership):
        until = timezone.localtime(membership.muted_until).strftime("%d %b %H:%M")
        raise ChatRefused(
            "muted", f"You are muted in this circle until {until}. You can still read."
        )
    if not permissions.can_post_in_circle(author, circle):
        raise ChatRefused("forbidden", "Only members of this circle can chat here.")


def _check_chat_pace(author, circle: Circle, *, now) -> None:
    """The per-member rate limit and the circle's slow mode, from the database, so
    every process agrees."""
    from django.db.models import Count, Max, Q

    # Asked fresh: a socket's circle object is as old as the connection.
    slow = Circle.objects.filter(pk=circle.pk).values_list(
        "slow_mode_seconds", flat=True
    )[0]
    window = timedelta(seconds=settings.CHAT_RATE_LIMIT_SECONDS)
    horizon = now - max(window, timedelta(seconds=slow))  # an index range, not history
    recent = ChatMessage.objects.filter(
        circle=circle, author=author, created_at__gt=horizon
    ).aggregate(
        in_window=Count("id", filter=Q(created_at__gt=now - window)),
        last=Max("created_at"),
    )
    if recent["in_window"] >= settings.CHAT_RATE_LIMIT_COUNT:
        raise ChatRefused(
            "rate_limited",
            "You are sending messages very quickly. Take a breath; your text is still here.",
        )
    if slow and recent["last"]:
        wait = recent["last"] + timedelta(seconds=slow) - now
        if wait.total_seconds() > 0:
            raise ChatRefused(
                "rate_limited",
                f"Slow mode is on: one message every {slow} seconds. "
                f"You can send again in {int(wait.total_seconds()) + 1} seconds.",
            )


def chat_message_post(*, author, circle: Circle, body, client_id="") -> ChatPosted:
    """Store a chat message with the circle's next `seq`, then broadcast it.

    A resend with the same `client_id` returns the stored message and stores nothing.
    """
    from moderation import screening

    if not isinstance(body, str) or not isinstance(client_id, str):
        raise ChatRefused(
            "invalid", "A message needs a text `body` and a text `client_id`."
        )
    if len(client_id) > 64:
        raise ChatRefused("invalid", "`client_id` is at most 64 characters.")
    _check_may_chat(author, circle)
    if client_id:
        existing = (
            ChatMessage.objects.filter(
                circle=circle, author=author, client_id=client_id
            )
            .select_related("author")
            .first()
        )
        if existing is not None:
            return ChatPosted(existing, created=False)
    text = body.strip()
    if not text:
        raise ChatRefused("invalid", "Write something before sending.")
    limit = markup.LIMITS["chat"]
    if len(text) > limit:
        raise ChatRefused(
            "too_long",
            f"That is {len(text):,} characters; a message can have {limit:,}.",
        )
    now = timezone.now()
    _check_chat_pace(author, circle, now=now)
    verdict = screening.screen(circle=circle, text=text)
    if verdict.blocked:
        raise ChatRefused("invalid", verdict.block_message)
    html = markup.render(text, kind="chat")
    posted = ChatPosted(None, created=True, crisis=verdict.self_harm)

    def undelivered():
        posted.delivered_live = False

    try:
        with transaction.atomic():
            locked = (
                Circle.objects.select_for_update()
                .only("id", "chat_seq")
                .get(pk=circle.pk)
            )
            locked.chat_seq += 1
            Circle.objects.filter(pk=circle.pk).update(chat_seq=locked.chat_seq)
            message = ChatMessage.objects.create(
                circle=circle,
                author=author,
                seq=locked.chat_seq,
                body=text,
                body_html=html,
                client_id=client_id,
                status=ContentStatus.HELD if verdict.hold else ContentStatus.VISIBLE,
            )
            screening.after_write(screening=verdict, content=message)
            if verdict.hold:
                # Held: only the author's own sockets hear of it; others see a tombstone.
                realtime.broadcast_on_commit(
                    events.user_group(author.pk),
                    events.chat_message(message, for_author=True),
                    on_failure=undelivered,
                )
            else:
                realtime.broadcast_on_commit(
                    events.circle_group(circle.pk),
                    events.chat_message(message),
                    on_failure=undelivered,
                )
    except IntegrityError:
        # The same client_id raced in from another socket: that one was stored.
        existing = ChatMessage.objects.select_related("author").get(
            circle=circle, author=author, client_id=client_id
        )
        return ChatPosted(existing, created=False)
    posted.message = message
    return posted


def chat_presence_enter(*, user, circle: Circle, channel_name: str) -> list[str]:
    ChatPresence.objects.update_or_create(
        channel_name=channel_name,
        defaults={"circle": circle, "user": user, "seen_at": timezone.now()},
    )
    names = selectors.chat_present_names(circle=circle)
    realtime.broadcast_on_commit(events.circle_group(circle.pk), events.presence(names))
    return names


def chat_presence_refresh(*, channel_name: str) -> None:
    ChatPresence.objects.filter(channel_name=channel_name).update(
        seen_at=timezone.now()
    )


def chat_presence_leave(*, circle: Circle, channel_name: str) -> None:
    ChatPresence.objects.filter(channel_name=channel_name).delete()
    names = selectors.chat_present_names(circle=circle)
    realtime.broadcast_on_commit(events.circle_group(circle.pk), events.presence(names))


# --- threads, posts and asks ---
def _screen_or_refuse(circle: Circle, text: str, *, field: str = "body"):
    from moderation import screening

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
        ratelimit.hit("post", str(author.pk), ratelimit.POSTS_PER_USER)
    except ratelimit.RateLimited as limited:
        raise ValidationError({"body": str(limited)}) from None


@dataclass
class Written:
    """What a thread or post service made, and whether its author needs the crisis card."""

    thread: "Thread"
    post: "Post"
    crisis: bool = False


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
    from moderation import screening

    permissions.check_post_in_circle(author, circle)
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
        screening.after_write(screening=verdict, content=post)
    return Written(thread, post, crisis=verdict.self_harm)


def post_reply(
    *, author, thread: Thread, body: str, parent_id=None, content_warning=""
) -> Written:
    """Reply to a thread's opening post or to any reply in it."""
    from community.notifications.services import notification_send
    from moderation import screening

    circle = thread.circle
    permissions.check_post_in_circle(author, circle)
    if thread.locked:
        raise ValidationError(
            {"body": "This thread is locked: it takes no more replies."}
        )
    if thread.status == ContentStatus.REMOVED:
        raise ValidationError({"body": "This thread was removed by a moderator."})
    posts = Post.objects.filter(thread=thread)
    parent = (
        posts.filter(pk=parent_id).first()
        if parent_id
        else posts.filter(parent=None).first()
    )
    if parent is None:
        raise ValidationError({"parent": "That reply is not in this thread."})
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
            depth=parent.depth + 1,
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
        screening.after_write(screening=verdict, content=post)
        if post.status == ContentStatus.VISIBLE:
            url = f"{thread.get_absolute_url()}#post-{post.pk}"
            told = {author.pk}
            if thread.author_id not in told:
                notification_send(
                    recipient=thread.author,
                    kind="reply",
                    text=f"{author.display_name} replied to your thread “{thread.title}”.",
                    url=url,
                    circle=circle,
                )
                told.add(thread.author_id)
            if parent.author_id not in told:
                notification_send(
                    recipient=parent.author,
                    kind="reply",
                    text=f"{author.display_name} replied to your post in “{thread.title}”.",
                    url=url,
                    circle=circle,
                )
            realtime.broadcast_on_commit(
                events.circle_group(circle.pk), events.post_created(post)
            )
    thread.refresh_from_db()
    return Written(thread, post, crisis=verdict.self_harm)


def _own_post(author, post: Post) -> Post:
    permissions.check_read_circle(author, post.thread.circle)
    if post.author_id != author.pk:
        raise PermissionDenied("Only its author can change a post.")
    if post.deleted_at is not None:
        raise ValidationError({"body": "That post was deleted."})
    return post


def post_edit(*, author, post: Post, body: str) -> Written:
    """Edit your own post; the previous version is kept for moderators."""
    from moderation import screening

    _own_post(author, post)
    permissions.check_post_in_circle(author, post.thread.circle)
    text = _check_post_text(body)
    if text == post.body:
        return Written(post.thread, post)
    verdict = _screen_or_refuse(post.thread.circle, text)
    html = markup.render(text, kind="post")
    with transaction.atomic():
        PostRevision.objects.create(post=post, body=post.body, body_html=post.body_html)
        post.body, post.body_html, post.edited_at = text, html, timezone.now()
        fields = ["body", "body_html", "edited_at"]
        if verdict.hold and post.status == ContentStatus.VISIBLE:
            post.status = ContentStatus.HELD
            fields.append("status")
        post.save(update_fields=fields)
        screening.after_write(screening=verdict, content=post)
    return Written(post.thread, post, crisis=verdict.self_harm)


def post_delete(*, author, post: Post) -> Post:
    """Delete your own post: it reads "deleted by its author", its replies stay.
    The text stays stored (moderation never loses evidence) but is never shown."""
    _own_post(author, post)
    with transaction.atomic():
        post.deleted_at = timezone.now()
        post.save(update_fields=["deleted_at"])
        realtime.broadcast_on_commit(
            events.circle_group(post.thread.circle_id),
            events.post_removed(post, reason="Deleted by its author"),
        )
    return post


def thread_visit_record(*, user, thread: Thread) -> None:
    """One upsert: a thread page's cost does not depend on whether it is a first visit."""
    if user.is_authenticated:
        ThreadVisit.objects.bulk_create(
            [ThreadVisit(thread=thread, user=user, seen_at=timezone.now())],
            update_conflicts=True,
            unique_fields=["thread", "user"],
            update_fields=["seen_at"],
        )


def ask_mark_helped(*, user, post: Post) -> Thread:
    """The ask's author marks the reply that helped: the ask is answered."""
    from community.notifications.services import notification_send

    thread = post.thread
    permissions.check_read_circle(user, thread.circle)
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
            text=f"{user.display_name} said your reply helped in “{thread.title}”.",
            url=f"{thread.get_absolute_url()}#post-{post.pk}",
            circle=thread.circle,
        )
    return thread


def asks_nudge_overdue(*, now=None) -> int:
    """Tell each circle's members, once, about asks still waiting for a first reply."""
    from community.notifications.services import notification_send

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
            members = (
                Membership.objects.filter(circle=thread.circle, state=State.ACTIVE)
                .exclude(user=thread.author)
                .select_related("user")
            )
            for membership in members:
                notification_send(
                    recipient=membership.user,
                    kind="ask_waiting",
                    text=f"{thread.author.display_name}'s ask “{thread.title}” is still "
                    "waiting for a first reply.",
                    url=thread.get_absolute_url(),
                    circle=thread.circle,
                )
            nudged += 1
    return nudged
