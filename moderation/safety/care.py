"""Care: the moderator holding a safety case moves one post or chat message that
shares method or means detail out of other members' view. Nothing is deleted and no
rule was broken: the author keeps seeing her words, gets a private note signed by
that moderator with a link to their check-in, and the audit log records it."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from circles import permissions
from circles.models import ContentStatus
from community import realtime
from community.conversations.models import Conversation
from community.notifications.services import notification_send
from moderation.audit.services import audit_record
from moderation.content import content_get, content_set_status
from moderation.models import ModerationAction, SafetyCase

from .services import safety_case_touch

CARE_PUBLIC_TEXT = ContentStatus.CARED.label  # "Moved out of view by the moderators."


def care_note(*, holder, circle, what: str) -> str:
    """The author's private note, in the holder's voice: what happened to her words,
    that she broke no rule, and what happens next."""
    return (
        f"I moved your {what} out of other members' view, only because it has "
        "details of ways to hurt yourself that others may find hard to read. You "
        "broke no rule and you still see it. I'd like to hear how you are; our "
        f"private check-in is open whenever you want. – {holder.display_name}"
    )


def _what(content) -> str:
    return "chat message" if content.content_kind == "message" else "post"


@transaction.atomic
def safety_care(*, actor, kind: str, object_id):
    """Only the host or moderator holding the author's case: others who may
    moderate get 403, anyone else 404, like a missing item."""
    if kind not in ("post", "message"):
        raise Http404("No such item.")
    content = content_get(kind, object_id)
    circle = content.content_circle
    if not permissions.can_read_circle(actor, circle):
        raise Http404("No such item.")
    now = timezone.now()
    case = (
        SafetyCase.objects.select_for_update(of=("self",))
        .filter(circle=circle, person_id=content.author_id, resolved_at=None)
        .first()
    )
    holds = case is not None and case.picked_up_by_id == actor.pk and case.held_at(now)
    if not holds or content.author_id == actor.pk:
        if permissions.can_moderate_circle(actor, circle):
            raise PermissionDenied(
                "Only the moderator holding this person's case can use care. Pick "
                "the case up first."
            )
        raise Http404("No such item.")
    if content.status == ContentStatus.CARED:
        return content  # already out of view: no second note
    if content.status != ContentStatus.VISIBLE:
        raise PermissionDenied("Only words other members can see can be moved.")
    content_set_status(content, ContentStatus.CARED)
    permissions.allow_moderate_circle(actor, circle)
    conversation = Conversation.objects.open_between(
        kind=Conversation.Kind.CHECK_IN,
        starter=actor,
        recipient=content.author,
        circle=circle,
    )
    notification_send(
        recipient=content.author,
        kind="moderation",
        text=care_note(holder=actor, circle=circle, what=_what(content)),
        url=conversation.get_absolute_url(),
        circle=circle,
    )
    audit_record(
        circle=circle,
        actor=actor,
        action=ModerationAction.Action.CARE,
        target_user=content.author,
        target_kind=kind,
        target_id=content.pk,
    )
    safety_case_touch(case=case, actor=actor)
    if kind == "message":
        # Its author's page keeps her words: the client skips a cared removal of
        # its own message and marks it from `chat.cared` instead.
        gone = realtime.client_event(
            "chat.removed",
            {
                "id": content.pk,
                "reason": CARE_PUBLIC_TEXT,
                "cared": True,
                "author_id": content.author_id,
            },
        )
        realtime.broadcast_on_commit(realtime.circle_group(circle.pk), gone)
        cared = realtime.client_event(
            "chat.cared", {"id": content.pk, "text": CARE_PUBLIC_TEXT}
        )
        cared["circle"] = circle.pk  # her socket in this circle forwards it
        realtime.broadcast_on_commit(realtime.user_group(content.author_id), cared)
    return content
