"""Flags: raised by members, or by screening, and resolved by review."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from circles import permissions
from circles.models import ContentStatus, PostRevision
from community import ratelimit
from community.notifications.services import notification_send
from moderation.audit.services import audit_record
from moderation.content import broadcast_gone, content_get, content_set_status
from moderation.models import Flag, ModerationAction, SafetyItem
from moderation.safety.cases import safety_item_open

HIDDEN_REASON = "Hidden while moderators review it"


def content_revision(content) -> int:
    """Which version of the item this is: a post counts its earlier versions (each
    substantive edit keeps one); threads and chat messages are never edited."""
    if content.content_kind != "post":
        return 0
    return PostRevision.objects.filter(post_id=content.pk).count()


def already_flagged(*, reporter, content, revision: int) -> bool:
    return Flag.objects.filter(
        kind=content.content_kind,
        object_id=content.pk,
        reporter=reporter,
        revision=revision,
    ).exists()


def flag_system(*, content, reason: str, note: str) -> Flag:
    """A flag raised by screening, not by a person: it goes to the queue as it is."""
    circle = content.content_circle
    flag = Flag.objects.create(
        circle=circle,
        kind=content.content_kind,
        object_id=content.pk,
        reporter=None,
        reason=reason,
        note=note[:1000],
        revision=content_revision(content),
    )
    return flag


def flags_from_screening(*, screening, content) -> None:
    """Record what screening found about stored `content` (a message, thread or
    post), inside the writer's transaction. Crisis words are never a rule broken:
    they join the author's safety case, not the flag queue."""
    if screening.crisis_level:
        safety_item_open(
            circle=content.content_circle,
            kind=content.content_kind,
            object_id=content.pk,
            person=content.author,
            level=screening.crisis_level,
            source=SafetyItem.Source.WORDS,
        )
    if screening.flag_words:
        flag_system(
            content=content,
            reason=Flag.Reason.OTHER,
            note="Watched word: " + ", ".join(sorted(screening.flag_words)),
        )


def flaggable_get(*, reporter, kind: str, object_id):
    """The item a member may flag, or 404 exactly like a missing one."""
    content = content_get(kind, object_id)
    circle = content.content_circle
    if not permissions.can_read_circle(reporter, circle):
        raise Http404("No such item.")
    if content.status == ContentStatus.HELD and not permissions.can_see_item(
        reporter, content
    ):
        raise Http404("No such item.")  # held words are the author's and moderators'
    return content


def flag_create(*, reporter, kind: str, object_id, reason: str, note: str = "") -> Flag:
    """A member flags an item of their circle: once per item revision (a post edited
    since they flagged it may be flagged again), never their own."""
    content = flaggable_get(reporter=reporter, kind=kind, object_id=object_id)
    circle = content.content_circle
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": "Choose a reason from the list."})
    if content.status == ContentStatus.REMOVED:
        raise ValidationError("A moderator has already removed this.")
    if content.author_id == reporter.pk:
        raise ValidationError(
            "You cannot flag your own words. You can edit or delete them."
        )
    note = (note or "").strip()
    if len(note) > 1000:
        raise ValidationError({"note": "A note can have 1,000 characters."})
    revision = content_revision(content)
    if already_flagged(reporter=reporter, content=content, revision=revision):
        raise ValidationError("You have already flagged this. The moderators have it.")
    try:
        ratelimit.hit_action("FLAG", str(reporter.pk))
    except ratelimit.RateLimited as limited:
        raise ValidationError(str(limited)) from None
    with transaction.atomic():
        flag = Flag.objects.create(
            circle=circle,
            kind=kind,
            object_id=content.pk,
            reporter=reporter,
            reason=reason,
            note=note,
            revision=revision,
        )
        if reason == Flag.Reason.SELF_HARM:
            # A worry, not a rule broken: it opens or joins the author's case at
            # `concern`, whose alert tells the keepers.
            safety_item_open(
                circle=circle,
                kind=kind,
                object_id=content.pk,
                person=content.author,
                level=SafetyItem.Level.CONCERN,
                source=SafetyItem.Source.FLAG,
            )
        flaggers = (
            Flag.objects.filter(kind=kind, object_id=content.pk, resolved_at=None)
            .exclude(reporter=None)
            .values("reporter")
            .distinct()
            .count()
        )
        if (
            content.status == ContentStatus.VISIBLE
            and flaggers >= circle.flag_auto_hide_threshold
        ):
            content_set_status(content, ContentStatus.HIDDEN)
            audit_record(
                circle=circle,
                actor=None,
                action=ModerationAction.Action.AUTO_HIDE,
                target_user=content.author,
                target_kind=kind,
                target_id=content.pk,
                detail=f"{flaggers} members flagged it",
            )
            broadcast_gone(content, HIDDEN_REASON)
    return flag


def flags_resolve(content, resolution: str, *, outcome: str) -> None:
    """Close the item's open flags; each reporter is told the outcome."""
    flags = Flag.objects.filter(
        kind=content.content_kind, object_id=content.pk, resolved_at=None
    )
    reporters = {f.reporter for f in flags.select_related("reporter") if f.reporter_id}
    flags.update(resolved_at=timezone.now(), resolution=resolution)
    for reporter in reporters:
        notification_send(
            recipient=reporter,
            kind="flag_outcome",
            text=outcome,
            url=content.get_content_url(),
            circle=content.content_circle,
        )
