"""The migration that groups today's open safety items into cases."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from moderation.models import SafetyCase, SafetyItem

pytestmark = pytest.mark.django_db

migration = importlib.import_module("moderation.migrations.0005_safety_cases")


def item(circle, person, level, source="words", **extra):
    return SafetyItem.objects.create(
        circle=circle,
        kind="message",
        object_id=SafetyItem.objects.count() + 1,
        person=person,
        level=level,
        source=source,
        **extra,
    )


def test_open_items_become_one_case_per_person_per_circle(circle, other_circle, people):
    author, member = people["author"], people["member"]
    now = timezone.now()
    item(circle, author, "concern")
    item(circle, author, "danger", picked_up_by=people["host"], picked_up_at=now)
    item(other_circle, author, "concern", source="not_ok")
    item(circle, member, "concern", source="flag")
    item(circle, member, "danger", resolved_at=now)  # closed: stays out
    migration.group_open_items_into_cases(apps, None)
    cases = {(c.circle_id, c.person_id): c for c in SafetyCase.objects.all()}
    assert len(cases) == 3
    mine = cases[(circle.pk, author.pk)]
    assert (mine.level, mine.levels) == ("danger", "danger concern")
    assert mine.picked_up_by == people["host"] and mine.grave_at is not None
    assert cases[(other_circle.pk, author.pk)].grave_at is not None  # "I'm not OK"
    worry = cases[(circle.pk, member.pk)]
    assert worry.level == "concern" and worry.grave_at is None
    assert SafetyItem.objects.filter(case=None).count() == 1
