"""Reads for review: the queue of flagged and held items, and the staff index."""

from collections import Counter

from django.db.models import Count, Q

from circles.models import (
    AUTHOR_GONE_REASON,
    ChatMessage,
    Circle,
    ContentStatus,
    Post,
    Thread,
)
from moderation.models import Flag, ModerationAction


def review_queue(*, circle) -> list[dict]:
    """One row per flagged or held item: its text, author, reasons and count, the
    oldest first. A fixed number of queries. A worry that someone may harm themself
    is not a rule broken: it is in the person's safety case, not here (the item's
    other flags still are)."""
    open_flags = list(
        Flag.objects.filter(circle=circle, resolved_at=None)
        .exclude(reason=Flag.Reason.SELF_HARM)
        .order_by("created_at")
    )
    rows: dict[tuple[str, int], dict] = {}
    for flag in open_flags:
        row = rows.setdefault(
            (flag.kind, flag.object_id),
            {
                "kind": flag.kind,
                "id": flag.object_id,
                "reasons": Counter(),
                "notes": [],
                "first": flag.created_at,
                "count": 0,
            },
        )
        row["reasons"][flag.get_reason_display()] += 1
        row["count"] += 1
        if flag.note:
            row["notes"].append(flag.note)
    held = {
        "thread": Thread.objects.filter(circle=circle, status=ContentStatus.HELD),
        "post": Post.objects.filter(
            thread__circle=circle, status=ContentStatus.HELD, parent__isnull=False
        ),
        "message": ChatMessage.objects.filter(circle=circle, status=ContentStatus.HELD),
    }
    models = {"thread": Thread, "post": Post, "message": ChatMessage}
    related = {
        "thread": ["author"],
        "post": ["author", "thread"],
        "message": ["author"],
    }
    items = {}
    for kind, model in models.items():
        ids = [i for (k, i) in rows if k == kind]
        for item in model.objects.filter(pk__in=ids).select_related(*related[kind]):
            items[(kind, item.pk)] = item
        for item in held[kind].select_related(*related[kind]):
            items[(kind, item.pk)] = item
            rows.setdefault(
                (kind, item.pk),
                {
                    "kind": kind,
                    "id": item.pk,
                    "reasons": Counter({"Held: watched word": 1}),
                    "notes": [],
                    "first": item.created_at,
                    "count": 0,
                },
            )
    result = []
    for key, row in rows.items():
        item = items.get(key)
        if item is None:
            continue
        row["item"] = item
        row["status"] = item.status
        row["author"] = item.author
        row["text"] = item.title if key[0] == "thread" else item.body
        row["reasons"] = sorted(row["reasons"].items(), key=lambda pair: -pair[1])
        result.append(row)
    result.sort(key=lambda r: r["first"])
    return result


def circles_with_open_flags():
    """Circles with open flags or open safety cases, for site staff."""
    return (
        Circle.objects.annotate(
            open_flags=Count(
                "flags",
                filter=Q(flags__resolved_at=None)
                & ~Q(flags__reason=Flag.Reason.SELF_HARM),
                distinct=True,
            ),
            open_cases=Count(
                "safety_cases",
                filter=Q(safety_cases__resolved_at=None),
                distinct=True,
            ),
        )
        .filter(Q(open_flags__gt=0) | Q(open_cases__gt=0))
        .order_by("-open_cases", "-open_flags", "name")
    )


REMOVED_LIMIT = 200


def removed_items(*, circle, limit: int = REMOVED_LIMIT) -> dict:
    """What moderators removed in `circle`, the latest removal first: threads,
    replies and chat messages, each with who removed it (from the audit log), when,
    and the reason they typed. Words erased with their author's account are left
    out (there is nothing to bring back). Four queries, whatever the number.
    Returns `rows` and `more` (True when older removals did not fit)."""
    removed = Q(status=ContentStatus.REMOVED) & ~Q(removed_reason=AUTHOR_GONE_REASON)
    newest = ("-removed_at", "-id")
    found = [
        *Thread.objects.filter(removed, circle=circle)
        .select_related("author", "circle")
        .order_by(*newest)[: limit + 1],
        *Post.objects.filter(removed, thread__circle=circle, parent__isnull=False)
        .select_related("author", "thread__circle")
        .order_by(*newest)[: limit + 1],
        *ChatMessage.objects.filter(removed, circle=circle)
        .select_related("author", "circle")
        .order_by(*newest)[: limit + 1],
    ]
    found.sort(key=lambda item: item.removed_at or item.created_at, reverse=True)
    more, found = len(found) > limit, found[:limit]
    removers = {}
    for line in (
        ModerationAction.objects.filter(
            circle=circle,
            action=ModerationAction.Action.REMOVE,
            target_id__in={item.pk for item in found},
        )
        .select_related("actor")
        .order_by("created_at", "id")
    ):
        removers[(line.target_kind, line.target_id)] = line  # the latest wins
    rows = []
    for item in found:
        kind = item.content_kind
        line = removers.get((kind, item.pk))
        rows.append(
            {
                "kind": kind,
                "id": item.pk,
                "item": item,
                "author": item.author,
                "text": item.title if kind == "thread" else item.body,
                "removed_by": line.actor if line else None,
                "removed_at": item.removed_at or (line.created_at if line else None),
                "reason": item.removed_reason,
            }
        )
    return {"rows": rows, "more": more}
