"""Moderation reads."""


def ignored_user_ids(*, user) -> set[int]:
    """People whose writing `user` chose to collapse, for themself alone."""
    from .models import Ignore

    if not user.is_authenticated:
        return set()
    return set(Ignore.objects.filter(user=user).values_list("ignored_id", flat=True))


def review_queue(*, circle) -> list[dict]:
    """One row per flagged or held item: its text, author, reasons and count; items
    flagged for self-harm first, then the oldest. A fixed number of queries."""
    from collections import Counter

    from circles.models import ChatMessage, Post, Thread

    from .models import Flag

    open_flags = list(
        Flag.objects.filter(circle=circle, resolved_at=None).order_by("created_at")
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
                "self_harm": False,
            },
        )
        row["reasons"][flag.get_reason_display()] += 1
        row["count"] += 1
        row["self_harm"] |= flag.reason == "self_harm"
        if flag.note:
            row["notes"].append(flag.note)
    held = {
        "thread": Thread.objects.filter(circle=circle, status="held"),
        "post": Post.objects.filter(
            thread__circle=circle, status="held", parent__isnull=False
        ),
        "message": ChatMessage.objects.filter(circle=circle, status="held"),
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
                    "self_harm": False,
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
    result.sort(key=lambda r: (not r["self_harm"], r["first"]))
    return result


def audit_log(*, circle, limit: int = 200):
    from .models import ModerationAction

    return ModerationAction.objects.filter(circle=circle).select_related(
        "actor", "target_user"
    )[:limit]


def circles_with_open_flags():
    from django.db.models import Count, Q

    from circles.models import Circle

    return (
        Circle.objects.annotate(
            open_flags=Count("flags", filter=Q(flags__resolved_at=None))
        )
        .filter(open_flags__gt=0)
        .order_by("-open_flags", "name")
    )


def watched_words(*, circle) -> dict:
    """The circle's own watched words and the site-wide ones, for the queue page."""
    from .models import WatchedWord

    return {
        "words": WatchedWord.objects.filter(circle=circle),
        "site_words": WatchedWord.objects.filter(circle=None),
    }
