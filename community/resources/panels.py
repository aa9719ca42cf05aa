"""What the resources sidebar shows beside circles, threads and the ask composer."""

import hashlib
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from circles.permissions import visible_q

from . import index


@dataclass(frozen=True)
class SidebarEntry:
    heading: str
    resource_title: str
    excerpt: str
    url: str


MIN_ENTRIES, MAX_ENTRIES = 3, 5
# The page's words handed to the ranking: a title and a few thousand characters say
# what a page is about; a megabyte of posts costs seconds of stemming and says no more.
MAX_TEXT = 4000
CACHE_SECONDS = 60 * 60


def bounded(text: str) -> str:
    return (text or "")[:MAX_TEXT]


def _rank(library, text: str) -> list[SidebarEntry]:
    query = Counter(index.terms(bounded(text)))  # stemmed once for ranking and excerpts
    hits = [entry for _s, entry in library.search(query=query, limit=MAX_ENTRIES)]
    if len(hits) < MIN_ENTRIES:  # little to go on: start with practical tips
        for entry in library.of_kind("tip") + library.of_kind("strategy"):
            if entry.substantive and entry not in hits and len(hits) < MIN_ENTRIES:
                hits.append(entry)
    wanted = set(query)
    return [
        SidebarEntry(e.heading, e.resource_title, index.excerpt(e, wanted), e.url)
        for e in hits
    ]


def sidebar_context(*, text, cache_key: str | None = None) -> dict:
    """The 3 to 5 library sections most relevant to `text`, and today's practice.
    With `cache_key` (a key that changes when the page's words do), the ranking is
    kept in the cache: most views of a thread rank nothing. `text` may be a function
    giving the text, called only when the ranking is not cached."""
    library = index.current()
    sections = None
    if cache_key:  # per library revision: the same for every viewer of the page
        version = library.version.timestamp() if library.version else 0
        key = f"sidebar:{version}:{cache_key}"
        sections = cache.get(key)
    if sections is None:
        sections = _rank(library, text() if callable(text) else text)
        if cache_key:
            cache.set(key, sections, CACHE_SECONDS)
    practice = practice_for(timezone.localdate(), library=library)
    return {"sidebar_sections": sections, "practice_today": practice}


def thread_sidebar_context(*, thread, texts) -> dict:
    """The sidebar beside a thread: its title and the start of its posts (bounded),
    ranked once per thread activity (`last_activity_at` moves with each reply)."""

    def text() -> str:
        parts, size = [thread.title], len(thread.title)
        for words in texts:
            if size >= MAX_TEXT:
                break
            parts.append(words[: MAX_TEXT - size])
            size += len(parts[-1]) + 1
        return " ".join(parts)[:MAX_TEXT]

    stamp = thread.last_activity_at.timestamp() if thread.last_activity_at else 0
    return sidebar_context(text=text, cache_key=f"thread:{thread.pk}:{stamp}")


def practice_for(day, *, library=None) -> dict | None:
    """One affirmation or reflection question, the same all day, another tomorrow."""
    library = library or index.current()
    choices = library.of_kind("affirmation") + library.of_kind("reflection_question")
    if not choices:
        return None
    entry = choices[day.toordinal() % len(choices)]
    return {
        "text": entry.heading,
        "kind": "Affirmation" if entry.kind == "affirmation" else "A question for you",
        "source": entry.resource_title,
        "url": reverse("resources:detail", args=[entry.resource_slug]),
    }


def circle_sidebar_context(*, circle) -> dict:
    """Sidebar for a circle page: its description and recent thread titles."""
    titles = circle.threads.filter(visible_q(None, public=True)).order_by(
        "-last_activity_at"
    )
    recent = " ".join(titles.values_list("title", flat=True)[:10])
    text = f"{circle.name} {circle.description} {recent}"
    digest = hashlib.sha1(text.encode()).hexdigest()[:16]
    return sidebar_context(text=text, cache_key=f"circle:{circle.pk}:{digest}")


def ask_prompts() -> dict:
    """Gentle prompts for the ask composer: self-check questions, affirmations."""
    library = index.current()
    return {
        "self_check_questions": [
            e.heading for e in library.of_kind("reflection_question")
        ],
        "affirmations": [
            e.heading
            for e in library.of_kind("affirmation")
            if "deserv" in e.heading.lower()
        ],
    }
