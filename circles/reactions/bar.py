"""The reaction bar as HTML, built in Python for pages rendered in one pass (the
thread page): the same markup as `templates/reactions/_bar.html`."""

from django.utils.html import escape

from .selectors import CHOICES, LABELS, empty_counts


def reaction_bar_html(
    *,
    kind: str,
    item,
    slug: str,
    entry: dict | None,
    can_react: bool,
    csrf_input: str,
    next_url: str,
    heard: int | None = None,
) -> str:
    entry = entry or {"counts": empty_counts(), "mine": set()}
    counts, mine = entry["counts"], entry["mine"]
    total = sum(counts.values())
    head = (
        f'<div class="reaction-bar" data-reaction-bar data-kind="{kind}" '
        f'data-id="{item.pk}" data-slug="{escape(slug)}"'
        + (' data-heard="1">' if heard is not None else ">")
    )
    if heard is not None:
        people = "person" if heard == 1 else "people"
        body = (
            f'<p class="reaction-heard" data-heard-text>{heard} {people} heard you</p>'
        )
    elif can_react:
        buttons = "".join(
            f'<button type="submit" name="reaction" value="{value}" '
            f'class="reaction{" reaction-mine" if value in mine else ""}" '
            f'aria-pressed="{"true" if value in mine else "false"}" '
            f'data-reaction="{value}">{escape(LABELS[value])} '
            f'<span class="reaction-count" data-count>'
            f"{counts[value] or ''}</span></button>"
            for value in CHOICES
        )
        body = (
            f'<form method="post" action="/circles/{escape(slug)}/react/" '
            f'class="reaction-form">{csrf_input}'
            f'<input type="hidden" name="kind" value="{kind}">'
            f'<input type="hidden" name="id" value="{item.pk}">'
            f'<input type="hidden" name="next" value="{escape(next_url)}">'
            f"{buttons}</form>"
        )
    else:
        spans = "".join(
            f'<span class="reaction" data-reaction="{value}"'
            f"{'' if counts[value] else ' hidden'}>{escape(LABELS[value])} "
            f'<span class="reaction-count" data-count>{counts[value]}</span></span>'
            for value in CHOICES
        )
        body = f'<p class="reaction-static">{spans}</p>'
    who = (
        f'<a class="reaction-who" href="/circles/{escape(slug)}/react/{kind}/'
        f'{item.pk}/" data-who{"" if total else " hidden"}>Who reacted</a>'
    )
    return head + body + who + "</div>"
