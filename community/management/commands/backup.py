"""`python manage.py backup PATH`: the whole database in one file (docs/operating.md:
Backups). PostgreSQL: pg_dump's custom format, with a client whose major version is
the server's or newer; SQLite: a consistent copy through SQLite's online backup API,
safe while the site runs."""

import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from community.operations import backups


class Command(BaseCommand):
    help = "Write a backup of the whole database to PATH (restore it with `restore`)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        path = path.expanduser().resolve()
        if path.is_dir():
            raise CommandError(f"{path} is a directory: give the backup's file name.")
        try:
            backups.database_backup(connection, path)
        except (backups.BackupError, sqlite3.Error, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up the {connection.vendor} database to {path}.")
