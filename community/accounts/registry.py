"""The one registry of what people made or were sent. Every installed app that
stores rows pointing at a person has a module `account_data` saying how they are
exported and erased; "export my data" and "delete my account" iterate it and know
no app's models themselves (tests/community/accounts/test_registry.py fails on a
user foreign key that no module answers for and no allowlist excuses).

An `account_data` module holds:

    MODELS = {"app_label.Model": ("user_field", ...)}   # the rows it answers for
    ORDER = 50                                          # erase order, lower first
    def export(*, user) -> dict        # sections of the export, by name
    def erase(*, user, content, now, former)
        # inside the deletion's transaction, before the account is stripped (the
        # person's display name is still theirs); `content` is "remove" or "keep";
        # `former` is how others now see them
    def sweep(*, now) -> int           # optional: finish erasures held back
"""

import importlib
import importlib.util
from types import ModuleType

from django.apps import apps

FORMER = "a former member"
MODULE = "account_data"


def modules() -> list[ModuleType]:
    """Every installed app's `account_data` module, in erase order."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.{MODULE}"
        if importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name))
    return sorted(found, key=lambda module: getattr(module, "ORDER", 50))


def covered() -> set[tuple[str, str]]:
    """(model label, field name) of every row some module answers for."""
    return {
        (label, field)
        for module in modules()
        for label, fields in module.MODELS.items()
        for field in fields
    }


def export_sections(*, user) -> dict:
    sections = {}
    for module in modules():
        sections.update(module.export(user=user))
    return sections


def erase_everywhere(*, user, content: str, now) -> None:
    for module in modules():
        module.erase(user=user, content=content, now=now, former=FORMER)


def sweep_everywhere(*, now) -> int:
    return sum(
        module.sweep(now=now) for module in modules() if hasattr(module, "sweep")
    )
