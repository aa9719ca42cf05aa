"""Backing up and restoring the database (`manage.py backup` / `restore`)."""

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """Why a backup or restore was not done, in a sentence for the operator."""


def _kind(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(16)
    if head.startswith(PG_MAGIC):
        return "postgresql"
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    return "unknown"


# --- SQLite: the online backup API -------------------------------------------------


def _sqlite_connection(connection) -> sqlite3.Connection:
    connection.ensure_connection()
    return connection.connection


def _sqlite_backup(connection, path: Path) -> None:
    tmp = path.with_name(path.name + ".partial")
    tmp.unlink(missing_ok=True)
    target = sqlite3.connect(tmp)
    try:
        _sqlite_connection(connection).backup(target)
    finally:
        target.close()
    tmp.replace(path)


def _sqlite_restore(connection, path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(
                f"{path} is damaged (its integrity check failed). Nothing was changed."
            )
        source.backup(_sqlite_connection(connection))
    finally:
        source.close()


# --- PostgreSQL: pg_dump / pg_restore, custom format ----------------------------------


def _pg_env(settings_dict: dict) -> dict:
    env = dict(os.environ)
    options = settings_dict.get("OPTIONS", {})
    for key, value in (
        ("PGHOST", settings_dict.get("HOST")),
        ("PGPORT", settings_dict.get("PORT")),
        ("PGUSER", settings_dict.get("USER")),
        ("PGPASSWORD", settings_dict.get("PASSWORD")),
        ("PGDATABASE", settings_dict.get("NAME")),
        ("PGSSLMODE", options.get("sslmode")),
    ):
        if value:
            env[key] = str(value)
    return env


def _client_major(tool: str) -> int:
    if not shutil.which(tool):
        raise BackupError(
            f"{tool} is not installed: install the PostgreSQL client of the "
            "server's major version (the image carries it). Nothing was changed."
        )
    out = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match[1]) if match else 0


def _check_client(connection, tool: str) -> None:
    connection.ensure_connection()
    server = connection.pg_version // 10000
    client = _client_major(tool)
    if client < server:
        raise BackupError(
            f"{tool} is version {client} but the server is PostgreSQL {server}: "
            f"install postgresql-client-{server}. Nothing was changed."
        )


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        raise BackupError(f"{command[0]} failed: {detail[0]}")


def _pg_backup(connection, path: Path) -> None:
    _check_client(connection, "pg_dump")
    tmp = path.with_name(path.name + ".partial")
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(tmp),
        ],
        _pg_env(connection.settings_dict),
    )
    tmp.replace(path)


def _pg_restore(connection, path: Path) -> None:
    _check_client(connection, "pg_restore")
    env = _pg_env(connection.settings_dict)
    # No connection of ours may hold a lock on what is dropped and made again.
    connections.close_all()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            env["PGDATABASE"],
            str(path),
        ],
        env,
    )


# --- Both --------------------------------------------------------------------------


def database_backup(connection, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        _sqlite_backup(connection, path)
    elif connection.vendor == "postgresql":
        _pg_backup(connection, path)
    else:
        raise BackupError(
            f"Backups of a {connection.vendor} database are not supported."
        )


def database_restore(connection, path: Path) -> None:
    kind = _kind(path)
    if kind != connection.vendor:
        found = (
            "not a backup made by `backup`" if kind == "unknown" else f"a {kind} backup"
        )
        raise BackupError(
            f"{path} is {found}, and this site's database is {connection.vendor}. "
            "Nothing was changed."
        )
    if kind == "sqlite":
        _sqlite_restore(connection, path)
    else:
        _pg_restore(connection, path)
