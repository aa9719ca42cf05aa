"""Display names cannot impersonate (issue 14, item 14): NFKC, no invisible or
direction-changing characters, unique site-wide by confusables skeleton."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from community.accounts.models import User
from community.accounts.names import display_name_skeleton, normalise_display_name
from community.accounts.services import (
    NAME_TAKEN,
    NAME_TOO_CLOSE,
    display_name_conflict,
)
from tests.factories import UserFactory

PASSWORD = "a-long-test-password-1"


def sign_up(client, display_name, username="newcomer"):
    return client.post(
        "/accounts/signup/",
        {
            "username": username,
            "display_name": display_name,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def errors_of(response) -> str:
    return " ".join(str(e) for e in response.context["form"].errors["display_name"])


@pytest.fixture
def alice(db):
    return UserFactory(display_name="Alice D")


@pytest.mark.parametrize(
    "name",
    [
        "Alice D\u200b",  # zero-width space
        "Alice\u200d D",  # zero-width joiner
        "\u202eAlice D",  # right-to-left override
        "Alice \u2067D",  # right-to-left isolate
        "Alice D\u200f",  # right-to-left mark
        "Ali\u00adce D",  # soft hyphen
        "Alice\u3164D",  # Hangul filler (looks like a space)
        "Alice D\U000e0041",  # tag character
        "Alice D\ufe0f",  # variation selector
    ],
)
def test_invisible_and_direction_characters_are_refused(client, alice, name):
    response = sign_up(client, name)
    assert response.status_code == 400
    message = errors_of(response)
    assert "invisible characters or characters that change the direction" in message
    assert not User.objects.filter(username="newcomer").exists()


@pytest.mark.parametrize(
    "name",
    [
        "\u0410lice D",  # Cyrillic capital A
        "Alic\u0435 D",  # Cyrillic small ie
        "AIice D",  # capital I for small l
        "A1ice D",  # digit one for small l
    ],
)
def test_a_name_that_looks_like_another_members_is_refused_without_naming_them(
    client, alice, name
):
    response = sign_up(client, name)
    assert response.status_code == 400
    message = errors_of(response)
    assert message.startswith("That name is too close to another member's name:")
    assert "Alice" not in message
    assert not User.objects.filter(username="newcomer").exists()


@pytest.mark.parametrize(
    "name", ["alice d", "ALICE D", "\uff21lice D", "\U0001d400lice D", " Alice   D "]
)
def test_the_same_name_in_another_case_or_width_is_taken(client, alice, name):
    response = sign_up(client, name)
    assert response.status_code == 400
    assert errors_of(response) == NAME_TAKEN


def test_a_dotless_i_is_refused_too(client, alice):
    # PostgreSQL's upper() makes it the same name in another case; either way, no.
    response = sign_up(client, "Al\u0131ce D")
    assert response.status_code == 400
    assert errors_of(response) in (NAME_TAKEN, NAME_TOO_CLOSE)


def test_names_are_stored_nfkc_normalised(client, db):
    response = sign_up(client, "\uff2d\uff41\uff50\uff4c\uff45 \u2460")
    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    assert user.display_name == "Maple 1"
    assert user.display_name_skeleton == display_name_skeleton("Maple 1")


def test_different_looking_names_are_welcome(client, alice):
    for n, name in enumerate(["Alice B", "Alicia D", "Ali D", "Алиса Д", "愛麗絲"]):
        assert sign_up(client, name, f"someone{n}").status_code == 302
        client.logout()


def test_letters_with_accents_are_fine_but_not_piles_of_them(client, db):
    assert sign_up(client, "Zoë Ngozi Nguyễn", "a").status_code == 302
    client.logout()
    response = sign_up(client, "Zo\u0308\u0301\u0300\u0302e", "b")
    assert response.status_code == 400
    assert "at most 3 accents" in errors_of(response)


def test_a_deactivated_accounts_lookalike_does_not_block(db, alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert display_name_conflict(display_name="\u0410lice D") is None
    assert display_name_conflict(display_name="alice d") == NAME_TAKEN


def test_a_rename_keeps_the_skeleton_in_step_and_is_checked(db, alice):
    bob = UserFactory(display_name="Bob")
    assert display_name_conflict(display_name="B\u043eb", exclude_user_id=bob.pk) is (
        None
    )
    assert (
        display_name_conflict(display_name="\u0410lice D", exclude_user_id=bob.pk)
        == NAME_TOO_CLOSE
    )
    bob.display_name = "Robin \uff32"
    bob.save(update_fields=["display_name"])
    bob.refresh_from_db()
    assert bob.display_name == "Robin R"
    assert bob.display_name_skeleton == display_name_skeleton("Robin R")
    assert User.objects.filter(display_name_skeleton=display_name_skeleton("R0bin R"))


def test_skeletons_follow_unicode_confusables():
    assert display_name_skeleton("paypal") == display_name_skeleton("p\u0430yp\u0430l")
    assert display_name_skeleton("Bill") == display_name_skeleton("BiII")
    assert display_name_skeleton("Oscar") == display_name_skeleton("0scar")
    assert display_name_skeleton("Mira") != display_name_skeleton("Nora")
    assert normalise_display_name("  \uff21  b\u3000c ") == "A b c"


def test_the_skeleton_column_is_indexed():
    field = User._meta.get_field("display_name_skeleton")
    assert field.db_index


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_names_their_skeleton():
    before = [("accounts", "0001_initial")]
    after = [("accounts", "0002_display_name_skeleton")]
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model("accounts", "User")
        old.objects.create(username="old", display_name="\u0410lice D", password="!")
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps.get_model("accounts", "User")
        assert new.objects.get(username="old").display_name_skeleton == (
            display_name_skeleton("Alice D")
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(leaves)
