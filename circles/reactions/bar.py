"""The reaction bar as HTML: the one source of its markup. The thread page calls it
while rendering in one pass, and so does the chat (circles/chat_html.py, for the
page and live frames alike); static/js/reactions.js only updates counts. Each bar
names the words it belongs to (`label`, for example "message from Sam") in every
control, for people using a screen reader.

A thread of 500 posts builds 500 bars, most alike: the buttons and counts are
memoised by their counts (a handful of distinct values a page), so a bar costs one
f-string."""

from functools import lru_cache
from html import escape

from django.urls import reverse

from .selectors import CHOICES, LABELS

LABELS_HTML = {value: escape(LABELS[value], quote=True) for value in CHOICES}
NO_COUNTS = tuple(0 for _ in CHOICES)


def e(value: str) -> str:
    return escape(value, quote=True)


@lru_cache(maxsize=512)
def _buttons(counts: tuple, mine: frozenset, label: str) -> str:
    return "".join(
        f'<button type="submit" name="reaction" value="{value}" '
        f'class="reaction{" reaction-mine" if value in mine else ""}" '
        f'aria-pressed="{"true" if value in mine else "false"}" '
        f'data-reaction="{value}">{LABELS_HTML[value]}'
        f'<span class="visually-hidden">, to {label}</span> '
        f'<span class="reaction-count" data-count>'
        f"{count or ''}</span></button>"
        for value, count in zip(CHOICES, counts, strict=True)
    )


@lru_cache(maxsize=512)
def _spans(counts: tuple) -> str:
    spans = "".join(
        f'<span class="reaction" data-reaction="{value}"'
        f"{'' if count else ' hidden'}>{LABELS_HTML[value]} "
        f'<span class="reaction-count" data-count>{count}</span></span>'
        for value, count in zip(CHOICES, counts, strict=True)
    )
    return f'<p class="reaction-static">{spans}</p>'


def reaction_bar_html(
    *,
    kind: str,
    item,
    slug: str,
    entry: dict | None,
    can_react: bool,
    csrf_input: str,
    next_url: str,
    label: str,
    heard: int | None = None,
    only: str = "",
    react_url: str = "",
    who_url: str = "",
) -> str:
    """`label` names the item ("post by Sam", "message from Sam"), escaped here; its
    every control says it. `only`: the bar's `data-only` in a live chat message
    (circles/chat_html.py). `react_url` and `who_url`, escaped, from a page that
    reversed them once for all its items; reversed here when not given."""
    # "the post by Sam", but "your message" as it is.
    label = e(label if label.startswith("your ") else f"the {label}")
    if entry:
        counts = tuple(entry["counts"].get(value, 0) for value in CHOICES)
        mine = frozenset(entry["mine"])
    else:
        counts, mine = NO_COUNTS, frozenset()
    react_url = react_url or e(reverse("circles:react", kwargs={"slug": slug}))
    who_url = who_url or e(_reactors_url(slug, kind, item.pk))
    slug = e(slug)
    head = (
        f'<div class="reaction-bar" data-reaction-bar data-kind="{kind}" '
        f'data-id="{item.pk}" data-slug="{slug}" role="group" '
        f'aria-label="Reactions to {label}"'
        + (f' data-only="{e(only)}"' if only else "")
        + (' data-heard="1">' if heard is not None else ">")
    )
    if heard is not None:
        people = "person" if heard == 1 else "people"
        body = (
            f'<p class="reaction-heard" data-heard-text>{heard} {people} heard you</p>'
        )
    elif can_react:
        body = (
            f'<form method="post" action="{react_url}" '
            f'class="reaction-form">{csrf_input}'
            f'<input type="hidden" name="kind" value="{kind}">'
            f'<input type="hidden" name="id" value="{item.pk}">'
            f'<input type="hidden" name="next" value="{e(next_url)}">'
            f"{_buttons(counts, mine, label)}</form>"
        )
    else:
        body = _spans(counts)
    who = (
        f'<a class="reaction-who" href="{who_url}" '
        f"data-who{'' if any(counts) else ' hidden'}>Who reacted"
        f'<span class="visually-hidden"> to {label}</span></a>'
    )
    return head + body + who + "</div>"


def _reactors_url(slug: str, kind: str, pk) -> str:
    """ "Who reacted" for the item."""
    return reverse(
        "circles:reactors", kwargs={"slug": slug, "kind": kind, "item_id": pk}
    )
