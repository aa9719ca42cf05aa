"""Small bar charts drawn on the server as inline SVG: no scripts, numbers only.
Each chart carries its numbers as text too (a <title> per bar and a table), so a
screen reader gets the same facts."""

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 360, 150
LEFT, BOTTOM, TOP = 34, 22, 10
COLOURS = ("#2f6f9f", "#c0622b")


def _nice_max(values: list[float]) -> float:
    top = max([v for v in values if v is not None] or [0])
    if top <= 0:
        return 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000, 2000, 5000):
        if top <= step:
            return step
    return top


def bar_chart(
    *,
    chart_id: str,
    title: str,
    labels: list[str],
    series: list[tuple[str, list]],
    unit: str = "",
    top: float | None = None,
) -> SafeString:
    """Grouped bars: `series` is [(name, values)], None is "no data" (no bar)."""
    every = [v for _name, values in series for v in values if v is not None]
    top = top or _nice_max(every)
    plot_w, plot_h = WIDTH - LEFT - 6, HEIGHT - BOTTOM - TOP
    group_w = plot_w / max(1, len(labels))
    bar_w = max(2.0, (group_w - 6) / max(1, len(series)))
    parts = [
        format_html(
            '<svg class="health-chart" id="{}" viewBox="0 0 {} {}" width="100%" '
            'role="img" aria-labelledby="{}-t" focusable="false">'
            '<title id="{}-t">{}</title>',
            chart_id,
            WIDTH,
            HEIGHT,
            chart_id,
            chart_id,
            title,
        ),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor" '
            'stroke-width="1"/>',
            LEFT,
            TOP + plot_h,
            WIDTH - 6,
            TOP + plot_h,
        ),
        format_html(
            '<text x="{}" y="{}" font-size="10" text-anchor="end" '
            'fill="currentColor">{}{}</text>',
            LEFT - 4,
            TOP + 8,
            _num(top),
            unit,
        ),
        format_html(
            '<text x="{}" y="{}" font-size="10" text-anchor="end" '
            'fill="currentColor">0</text>',
            LEFT - 4,
            TOP + plot_h,
        ),
    ]
    for n, label in enumerate(labels):
        x0 = LEFT + n * group_w + 3
        for s, (name, values) in enumerate(series):
            value = values[n]
            if value is None:
                continue
            h = plot_h * min(value, top) / top
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" '
                    'fill="{}"><title>{}, week of {}: {}{}</title></rect>',
                    _px(x0 + s * bar_w),
                    _px(TOP + plot_h - h),
                    _px(bar_w - 1),
                    _px(max(h, 0.5)),
                    COLOURS[s % len(COLOURS)],
                    name,
                    label,
                    _num(value),
                    unit,
                )
            )
        if (len(labels) - 1 - n) % 2 == 0 or len(labels) <= 6:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="9" text-anchor="middle" '
                    'fill="currentColor">{}</text>',
                    _px(x0 + group_w / 2 - 3),
                    HEIGHT - 6,
                    label,
                )
            )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - built by format_html


def _px(value: float) -> str:
    return f"{value:.1f}"


def _num(value) -> str:
    if value is None:
        return "no data"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def legend(series: list[tuple[str, list]]) -> SafeString:
    items = [
        format_html(
            '<li><svg width="10" height="10" aria-hidden="true" focusable="false">'
            '<rect width="10" height="10" fill="{}"/></svg> {}</li>',
            COLOURS[s % len(COLOURS)],
            name,
        )
        for s, (name, _values) in enumerate(series)
    ]
    return mark_safe('<ul class="health-legend">' + "".join(items) + "</ul>")  # noqa: S308


def number(value) -> str:
    return escape(_num(value))
