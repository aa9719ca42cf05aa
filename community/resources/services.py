"""Importing documents into the library: all files parsed first, then written in one
transaction, so a bad file leaves the library exactly as it was."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from community import markup

from . import index
from .models import Resource, Section
from .parser import ParsedDocument, ParseError, parse

BUNDLED = Path(settings.BASE_DIR) / "community" / "documents"


@dataclass
class Imported:
    resource: Resource
    created: bool
    sections: int


def bundled_paths() -> list[Path]:
    return sorted(BUNDLED.glob("*.txt"))


def _read(path: Path) -> ParsedDocument:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ParseError(
            0, f"cannot read the file ({exc.strerror})", source=str(path)
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ParseError(line, "not UTF-8 text", source=str(path)) from None
    return parse(text, source=path.name)


def resources_import(paths) -> list[Imported]:
    """(Re)import documents; matched by slug, updated in place, never duplicated."""
    parsed = [(Path(p), _read(Path(p))) for p in paths]
    done = []
    now = timezone.now()
    with transaction.atomic():
        for path, document in parsed:
            slug = slugify(document.title)[:100]
            resource, created = Resource.objects.update_or_create(
                slug=slug,
                defaults={
                    "title": document.title,
                    "summary": document.summary,
                    "source_name": path.name,
                    "imported_at": now,
                },
            )
            resource.sections.all().delete()
            Section.objects.bulk_create(
                Section(
                    resource=resource,
                    position=position,
                    anchor=section.anchor,
                    heading=section.heading[:300],
                    kind=section.kind,
                    body=section.body,
                    body_html=markup.render(section.body, kind="post")
                    if section.body
                    else "",
                )
                for position, section in enumerate(document.sections)
            )
            done.append(Imported(resource, created, len(document.sections)))
        transaction.on_commit(index.forget)
    return done
