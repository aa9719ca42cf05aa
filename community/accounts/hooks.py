"""Other rooms add to "export my data" and "delete my account" without this app
knowing them: an installed app may have a module `account_data` with

    def export(*, user) -> dict            # sections added to the export
    def erase(*, user, content, now)       # inside the deletion's transaction

(private conversations, reactions, saved items, drafts...)."""

import importlib
import importlib.util

from django.apps import apps


def _modules():
    for config in apps.get_app_configs():
        name = f"{config.name}.account_data"
        if importlib.util.find_spec(name) is not None:
            yield importlib.import_module(name)


def export_sections(*, user) -> dict:
    sections = {}
    for module in _modules():
        if hasattr(module, "export"):
            sections.update(module.export(user=user))
    return sections


def erase_everywhere(*, user, content: str, now) -> None:
    for module in _modules():
        if hasattr(module, "erase"):
            module.erase(user=user, content=content, now=now)
