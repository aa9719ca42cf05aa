"""`python manage.py restore PATH`: put back a backup written by `backup`, replacing
everything in the database (docs/operating.md: Restore). Stop web, worker and
scheduler first; run the migrate job after if the backup is from an older version."""

import sqlite3
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from community.operations import backups


class Command(BaseCommand):
    help = "Replace the whole database with the backup at PATH (written by `backup`)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask before replacing the database",
        )

    def handle(self, *args, path: Path, interactive: bool, **options):
        path = path.expanduser().resolve()
        if not path.is_file():
            raise CommandError(
                f"There is no backup file at {path}. Nothing was changed."
            )
        if interactive:
            if not sys.stdin.isatty():
                raise CommandError(
                    "restore replaces everything in the database: run it in a "
                    "terminal to confirm, or add --noinput. Nothing was changed."
                )
            answer = input(
                f"This replaces everything in the {connection.vendor} database with "
                f"{path}. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Not restored. Nothing was changed.")
        try:
            backups.database_restore(connection, path)
        except (backups.BackupError, sqlite3.Error, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored the {connection.vendor} database from {path}.")
