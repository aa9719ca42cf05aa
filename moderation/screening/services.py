"""Moderators manage their circle's watched words; each change is audited."""

from django.core.exceptions import ValidationError

from circles import permissions
from moderation.audit.services import audit_record
from moderation.models import ModerationAction, WatchedWord


def watched_word_add(*, actor, circle, phrase: str, action: str) -> WatchedWord:
    permissions.allow_moderate_circle(actor, circle)
    phrase = " ".join((phrase or "").split())[:100]
    if len(phrase) < 2:
        raise ValidationError({"phrase": "A watched word has at least 2 characters."})
    if action not in WatchedWord.Action.values:
        raise ValidationError({"action": "Choose block, hold or flag."})
    word, _ = WatchedWord.objects.update_or_create(
        circle=circle, phrase=phrase, defaults={"action": action}
    )
    audit_record(
        circle=circle,
        actor=actor,
        action=ModerationAction.Action.WATCHED_WORD,
        detail=f"{action}: {phrase}",
    )
    return word


def watched_word_remove(*, actor, circle, word_id: int) -> None:
    permissions.allow_moderate_circle(actor, circle)
    word = WatchedWord.objects.filter(pk=word_id, circle=circle).first()
    if word is not None:
        audit_record(
            circle=circle,
            actor=actor,
            action=ModerationAction.Action.WATCHED_WORD,
            detail=f"removed: {word.phrase}",
        )
        word.delete()
