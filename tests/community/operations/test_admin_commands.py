"""`create_admin` (the first administrator, display name set, address verified) and
`seed_demo` refusing outside local mode (INTERFACE.md Third round: Operations)."""

import io

import pytest
from django.core.management import CommandError, call_command

from community.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
STRONG = "a long admin passphrase 2026"


def create(**options):
    out = io.StringIO()
    call_command(
        "create_admin",
        username=options.pop("username", "ada"),
        email=options.pop("email", "ada@example.org"),
        display_name=options.pop("display_name", "Ada Admin"),
        stdout=out,
    )
    return out.getvalue()


def test_create_admin_makes_a_verified_superuser_with_a_display_name(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", STRONG)
    out = create()
    user = User.objects.get(username="ada")
    assert user.is_staff and user.is_superuser
    assert user.display_name == "Ada Admin"
    assert user.email == "ada@example.org" and user.email_verified_at is not None
    assert user.check_password(STRONG)
    assert "ada@example.org counts as verified" in out


def test_create_admin_without_a_password_or_terminal_creates_nobody(monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO())
    with pytest.raises(CommandError, match="Set ADMIN_PASSWORD"):
        create()
    assert not User.objects.exists()


def test_create_admin_refuses_a_weak_password_and_a_taken_name(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "password")
    with pytest.raises(CommandError, match="Nobody was created"):
        create()
    monkeypatch.setenv("ADMIN_PASSWORD", STRONG)
    UserFactory(display_name="Ada Admin")
    with pytest.raises(CommandError, match="That display name is taken. Nobody"):
        create(username="ada2")
    assert not User.objects.filter(is_superuser=True).exists()


def test_seed_demo_refuses_outside_local_mode(settings):
    settings.LOCAL_MODE = False
    with pytest.raises(CommandError, match=r"runs only in local mode \(LOCAL_MODE=1"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(username="demo-host").exists()


def test_seed_demo_runs_in_local_mode(settings):
    settings.LOCAL_MODE = True
    call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.filter(username="demo-host").exists()
