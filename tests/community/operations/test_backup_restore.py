"""`manage.py backup PATH` and `restore PATH` (issue 27, "Done when"): back up,
change the data, restore, and find it as it was. SQLite here through the online
backup API; PostgreSQL through pg_dump/pg_restore when the tests run against it."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from community.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def names() -> list[str]:
    return sorted(User.objects.values_list("display_name", flat=True))


def backup_change_restore(tmp_path):
    UserFactory(display_name="Before Backup")
    kept = UserFactory(display_name="Kept Name")
    before = names()
    path = tmp_path / "backups" / "site.backup"
    out = io.StringIO()
    call_command("backup", str(path), stdout=out)
    assert path.exists() and f"to {path}" in out.getvalue()

    UserFactory(display_name="After Backup")
    kept.display_name = "Renamed Later"
    kept.save(update_fields=["display_name"])
    User.objects.filter(display_name="Before Backup").delete()
    assert names() != before

    call_command("restore", str(path), interactive=False, stdout=io.StringIO())
    assert names() == before
    assert User.objects.get(pk=kept.pk).display_name == "Kept Name"


def test_sqlite_backup_and_restore_put_the_data_back(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path; PostgreSQL has its own test")
    backup_change_restore(tmp_path)


@pytest.mark.postgres
def test_postgres_backup_and_restore_put_the_data_back(tmp_path, postgres):
    backup_change_restore(tmp_path)
    assert (tmp_path / "backups" / "site.backup").read_bytes().startswith(b"PGDMP")


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    UserFactory(display_name="Still Here")
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    with pytest.raises(CommandError, match="is not a backup made by `backup`"):
        call_command("restore", str(bogus), interactive=False)
    assert names() == ["Still Here"]


def test_restore_without_a_terminal_asks_for_noinput(tmp_path, monkeypatch):
    path = tmp_path / "site.backup"
    call_command("backup", str(path), stdout=io.StringIO())
    monkeypatch.setattr("sys.stdin", io.StringIO())
    with pytest.raises(CommandError, match="add --noinput. Nothing was changed."):
        call_command("restore", str(path))


def test_restore_of_a_missing_file_changes_nothing(tmp_path):
    with pytest.raises(CommandError, match="There is no backup file at"):
        call_command("restore", str(tmp_path / "missing"), interactive=False)
