"""The circle's health page, for its hosts and moderators (site staff too)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import permissions
from ..http import circle_for
from . import charts, selectors


@login_required
@require_GET
def circle_health(request, slug):
    circle = circle_for(request, slug)
    permissions.allow_moderate_circle(request.user, circle)
    health = selectors.circle_health(circle=circle)
    labels = [week.strftime("%-d %b") for week in health["weeks"]]
    handled = health["handled"]
    specs = [
        ("chart-asks", "Asks per week", [("Asks", health["asks"])], "", None),
        (
            "chart-answered",
            "Share of asks with a first reply within 12 and 24 hours",
            [
                ("Within 12 hours", health["within_12h"]),
                ("Within 24 hours", health["within_24h"]),
            ],
            "%",
            100,
        ),
        (
            "chart-first-reply",
            "Median time to a first reply (hours)",
            [("Median hours", health["median_first_reply_hours"])],
            " h",
            None,
        ),
        (
            "chart-safety",
            "Safety cases per week, and items their authors said were misread",
            [
                ("Safety cases", health["safety_items"]),
                ("Said misread", health["misread"]),
            ],
            "",
            None,
        ),
        (
            "chart-safety-time",
            f"Median time until a safety case was {handled} (hours)",
            [("Median hours", health["median_handled_hours"])],
            " h",
            None,
        ),
        (
            "chart-active",
            "Active members per week (wrote a post or a chat message)",
            [("Active members", health["active_members"])],
            "",
            None,
        ),
    ]
    rendered = [
        {
            "id": chart_id,
            "title": title,
            "svg": charts.bar_chart(
                chart_id=chart_id,
                title=title,
                labels=labels,
                series=series,
                unit=unit,
                top=top,
            ),
            "legend": charts.legend(series) if len(series) > 1 else "",
            "head": [name for name, _values in series],
            "rows": [
                (label, [charts.number(values[n]) for _name, values in series])
                for n, label in enumerate(labels)
            ],
        }
        for chart_id, title, series, unit, top in specs
    ]
    context = {"circle": circle, "health": health, "charts": rendered, "labels": labels}
    return render(request, "health/page.html", context)
