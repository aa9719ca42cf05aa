"""Moderation rows of a person, for export and deletion (community/accounts/
registry.py): the flags they made (exported; with `remove` the notes of resolved
ones go, open ones stay for the moderators until resolved) and ignores, which go
both ways. The audit log, safety cases and their items are kept as the record
(see the allowlist in tests/community/accounts/test_registry.py): they are the
moderators' record of who may have needed someone, how gravely, and who held and
closed the case, so export leaves them out, and after deletion they name the anonymised account,
whether the person deleted theirs or a moderator did."""

from django.db.models import Q

from .models import Flag, Ignore
from .safety.selectors import IGNORED

MODELS = {
    "moderation.Flag": ("reporter",),
    "moderation.Ignore": ("user", "ignored"),
}


def export(*, user) -> dict:
    return {
        "flags_made": [
            {
                "kind": f.kind,
                "id": f.object_id,
                "circle": f.circle.name,
                "circle_slug": f.circle.slug,
                "reason": f.reason,
                "note": f.note,
                "created_at": f.created_at.isoformat(),
                "resolved": f.resolved_at is not None,
            }
            for f in Flag.objects.filter(reporter=user)
            .select_related("circle")
            .order_by("id")
        ]
    }


def erase(*, user, content: str, now, former: str) -> None:
    rows = Ignore.objects.filter(Q(user=user) | Q(ignored=user))
    for person_id in {user.pk, *rows.values_list("user_id", flat=True)}:
        IGNORED.forget(person_id)
    rows.delete()
    if content == "remove":
        Flag.objects.filter(reporter=user, resolved_at__isnull=False).update(note="")
