"""Who may message whom: the rules for messages between members, in one place.

A check-in (from a host or moderator) lives only while its starter still moderates
that circle (or is site staff; a check-in staff opened from a staff case has no
circle and lives while its starter is staff), the member is still an active member
of it, and nothing blocks them (an ignore either way, a ban between them); a message
between members is allowed only when the recipient allows messages from people who
share a circle with them, they share one now, neither ignores the other, neither is
banned from a circle where the other is a member, and the recipient did not close
the last conversation between them. Each refusal reads the same to the
sender, so an ignore stays secret.
"""

from django.db.models import Q

from circles import permissions
from circles.models import Membership
from moderation.models import Ignore

from .models import Conversation, pair_key

ACTIVE = Membership.State.ACTIVE
BANNED = Membership.State.BANNED
ALLOW_CIRCLE_MEMBERS = "circle_members"
REFUSED = "You can't send messages to this person, so nothing was sent."


def allows_messages(user) -> bool:
    """The recipient's `allow_messages` setting (off unless they chose otherwise).

    Read defensively: the setting lives on the user (or a profile) once the
    settings page lands; until then nobody allows messages.
    """
    value = getattr(user, "allow_messages", None)
    if value is None:
        value = getattr(getattr(user, "profile", None), "allow_messages", "none")
    return value == ALLOW_CIRCLE_MEMBERS


def shared_circle_ids(a_id: int, b_id: int) -> set[int]:
    """Circles where both are active members now (one query)."""
    theirs = Membership.objects.filter(user_id=a_id, state=ACTIVE).values("circle_id")
    return set(
        Membership.objects.filter(
            user_id=b_id, state=ACTIVE, circle_id__in=theirs
        ).values_list("circle_id", flat=True)
    )


def blocked_between(a_id: int, b_id: int) -> bool:
    """Either ignores the other, or either is banned where the other is a member."""
    if Ignore.objects.filter(
        Q(user_id=a_id, ignored_id=b_id) | Q(user_id=b_id, ignored_id=a_id)
    ).exists():
        return True
    a_active = Membership.objects.filter(user_id=a_id, state=ACTIVE).values("circle_id")
    b_active = Membership.objects.filter(user_id=b_id, state=ACTIVE).values("circle_id")
    return Membership.objects.filter(
        Q(user_id=a_id, state=BANNED, circle_id__in=b_active)
        | Q(user_id=b_id, state=BANNED, circle_id__in=a_active)
    ).exists()


def closed_by_recipient(*, sender_id: int, recipient_id: int) -> bool:
    """The recipient closed the latest message conversation between them: only the
    recipient may start a new one."""
    latest = (
        Conversation.objects.filter(
            kind=Conversation.Kind.MESSAGE, pair=pair_key(sender_id, recipient_id)
        )
        .order_by("-created_at", "-id")
        .only("closed_at", "closed_by_id")
        .first()
    )
    return bool(latest and latest.closed_at and latest.closed_by_id == recipient_id)


def may_start_message(sender, recipient) -> str:
    """ "ok"; "refused" (they share a circle: one neutral sentence); "hidden" (404)."""
    if not shared_circle_ids(sender.pk, recipient.pk):
        return "hidden"
    if (
        not allows_messages(recipient)
        or blocked_between(sender.pk, recipient.pk)
        or closed_by_recipient(sender_id=sender.pk, recipient_id=recipient.pk)
    ):
        return "refused"
    return "ok"


def check_in_holds(*, moderator, member, circle) -> bool:
    """A check-in may carry words: the moderator still hosts or moderates `circle`
    (or is site staff), the member is still an active member of it, and neither
    ignores the other nor a ban stands between them. A check-in with no circle is
    site staff's, from a staff case: it holds while its starter is still staff.
    Either side may still read and close it whatever this answers."""
    if not (moderator.is_active and member.is_active):
        return False
    if circle is None:
        if not permissions.is_staff(moderator):
            return False
    elif not permissions.can_moderate_circle(moderator, circle):
        return False
    elif not Membership.objects.filter(
        circle=circle, user_id=member.pk, state=ACTIVE
    ).exists():
        return False
    return not blocked_between(moderator.pk, member.pk)


def may_continue(conversation, author) -> bool:
    """The conversation still holds for `author` to write in it: for a check-in see
    `check_in_holds` (both sides stop together); for a member message both active,
    a circle shared, nothing blocks."""
    other = conversation.other(author)
    if not (author.is_active and other.is_active):
        return False
    if conversation.kind == Conversation.Kind.CHECK_IN:
        return check_in_holds(
            moderator=conversation.starter,
            member=conversation.recipient,
            circle=conversation.circle,
        )
    return bool(shared_circle_ids(author.pk, other.pk)) and not blocked_between(
        author.pk, other.pk
    )


def messageable_ids(viewer, members) -> set[int]:
    """Of a circle's `members` (memberships with users), whom `viewer` may offer to
    message: for showing the form only; the service decides (one query). Only the
    viewer's own ignores hide the form: someone ignoring the viewer must not show on
    the page, so their form stays and a send answers the one neutral sentence."""
    if not viewer.is_authenticated:
        return set()
    ids = [m.user_id for m in members if m.user_id != viewer.pk]
    hidden = set(
        Ignore.objects.filter(user_id=viewer.pk, ignored_id__in=ids).values_list(
            "ignored_id", flat=True
        )
    )
    return {
        m.user_id
        for m in members
        if m.user_id != viewer.pk
        and m.user_id not in hidden
        and allows_messages(m.user)
    }
