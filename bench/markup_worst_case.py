"""Markup cost at the length cap: pathological inputs through the one render path
(markdown-it-py, then bleach), against plain prose of the same length rendered by
the same path, in the same run.

    python bench/markup_worst_case.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from community import markup  # noqa: E402

CAP = markup.LIMITS["post"]


def fill(unit: str) -> str:
    return (unit * (CAP // len(unit) + 1))[:CAP]


CASES = {
    "plain prose (baseline)": fill("Some ordinary words in a sentence. "),
    "thousands of [": fill("["),
    "thousands of [x](": fill("[x]("),
    "nested quotes": fill(">"),
    "nested quotes with text": fill("> a\n"),
    "unclosed emphasis": fill("*a _b "),
    "emphasis runs": fill("*_"),
    "backticks": fill("`a"),
    "link chains": fill("[a](http://x.org/)"),
    "autolink-like text": fill("www.a.b "),
    "html-like text": fill("<a href=x>"),
    "list nesting": fill("- "),
    "entities": fill("&#x6A;"),
    "emails to linkify": fill("a@b.co "),
}


def timed(text: str, repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        markup.render(text, kind="post")
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> int:
    baseline = timed(CASES["plain prose (baseline)"])
    print(f"{'input (20,000 characters)':<28} {'median ms':>10} {'x baseline':>11}")
    worst = ("", 0.0)
    for name, text in CASES.items():
        seconds = timed(text)
        print(f"{name:<28} {seconds * 1000:>10.1f} {seconds / baseline:>11.2f}")
        if seconds > worst[1]:
            worst = (name, seconds)
    print(
        f"\nworst case: {worst[0]}: {worst[1] * 1000:.1f} ms, "
        f"{worst[1] / baseline:.2f}x plain prose of the same length"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
