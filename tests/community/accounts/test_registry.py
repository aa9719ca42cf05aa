"""One account-data registry (issue 22, item 2): every row that points at a person
is answered for by some app's `account_data` module (exported and erased), or is
named below with the reason it needs none. A new foreign key to the user model with
neither fails here."""

from django.apps import apps
from django.contrib.auth import get_user_model

from community.accounts import registry

# (model label, field): why export and deletion leave these rows as they are.
ALLOWLIST = {
    ("admin.LogEntry", "user"): "staff's admin history, kept as the record of "
    "what staff changed",
    ("guardian.UserObjectPermission", "user"): "guardian's generic table: this site "
    "keeps circle roles in circles.CircleUserObjectPermission",
    ("circles.Circle", "created_by"): "a circle belongs to its members, not to "
    "whoever started it; the name shown is the anonymised account's",
    ("moderation.ModerationAction", "actor"): "the circle's audit log is "
    "append-only; it shows the anonymised account",
    ("moderation.ModerationAction", "target_user"): "the circle's audit log is "
    "append-only; it shows the anonymised account",
    ("moderation.SafetyItem", "person"): "the safety record of a case stays for "
    "the moderators who held it; it names the anonymised account",
    ("moderation.SafetyItem", "picked_up_by"): "who cared for a case stays on the "
    "record; it names the anonymised account",
    # A safety case is the moderators' record around its items, kept like them: not
    # exported (how grave the moderators judged it and who held and closed it is
    # their record, not the person's; the person was told at the time that the
    # moderators know), and left to name the anonymised account, whoever deleted
    # theirs.
    ("moderation.SafetyCase", "person"): "the case gathering a person's safety "
    "items stays for the moderators, like its items; it names the anonymised account",
    ("moderation.SafetyCase", "picked_up_by"): "who held a case stays on the "
    "record; it names the anonymised account",
    ("moderation.SafetyCase", "resolved_by"): "who closed a case stays on the "
    "record; it names the anonymised account",
}


def user_foreign_keys() -> set[tuple[str, str]]:
    user_model = get_user_model()
    return {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and (field.many_to_one or field.one_to_one)
        and field.related_model is user_model
    }


def test_every_user_foreign_key_is_in_the_registry_or_the_allowlist():
    missing = user_foreign_keys() - registry.covered() - set(ALLOWLIST)
    assert not missing, (
        "These rows point at a person but no account_data module exports and "
        f"erases them, and the allowlist gives no reason: {sorted(missing)}"
    )


def test_the_registry_and_the_allowlist_name_only_real_foreign_keys():
    real = user_foreign_keys()
    assert registry.covered() <= real
    assert set(ALLOWLIST) <= real
    assert not registry.covered() & set(ALLOWLIST)
    assert all(len(reason) > 20 for reason in ALLOWLIST.values())


def test_every_module_exports_and_erases():
    names = {module.__name__ for module in registry.modules()}
    assert {
        "circles.account_data",
        "circles.reactions.account_data",
        "circles.saved.account_data",
        "community.conversations.account_data",
        "community.notifications.account_data",
        "community.outbox.account_data",
        "moderation.account_data",
    } <= names
    for module in registry.modules():
        assert callable(module.export) and callable(module.erase), module.__name__
