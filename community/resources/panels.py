"""What the resources sidebar shows beside circles, threads and the ask composer."""

from dataclasses import dataclass

from django.utils import timezone

from circles.models import ContentStatus

from . import index


@dataclass(frozen=True)
class SidebarEntry:
    heading: str
    resource_title: str
    excerpt: str
    url: str


MIN_ENTRIES, MAX_ENTRIES = 3, 5


def sidebar_context(*, text: str) -> dict:
    """The 3 to 5 library sections most relevant to `text`, and today's practice."""
    library = index.current()
    hits = [entry for _score, entry in library.search(text, limit=MAX_ENTRIES)]
    if len(hits) < MIN_ENTRIES:  # little to go on: start with the introductions
        for entry in library.of_kind("introduction") + library.of_kind("tip"):
            if entry not in hits and len(hits) < MIN_ENTRIES:
                hits.append(entry)
    sections = [
        SidebarEntry(e.heading, e.resource_title, index.excerpt(e, text), e.url)
        for e in hits
    ]
    practice = practice_for(timezone.localdate(), library=library)
    return {"sidebar_sections": sections, "practice_today": practice}


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
        "url": f"/resources/{entry.resource_slug}/",
    }


def circle_sidebar_context(*, circle) -> dict:
    """Sidebar for a circle page: its description and recent thread titles."""
    titles = circle.threads.filter(status=ContentStatus.VISIBLE).order_by(
        "-last_activity_at"
    )
    recent = " ".join(titles.values_list("title", flat=True)[:10])
    return sidebar_context(text=f"{circle.name} {circle.description} {recent}")


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
