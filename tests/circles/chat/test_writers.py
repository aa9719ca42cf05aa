"""Chat writer threads keep their database connection between writes and drop it
only when it broke."""

import pytest
from asgiref.sync import async_to_sync
from django.db import DatabaseError, connection

from circles.chat.writers import on_writer

pytestmark = pytest.mark.django_db(transaction=True)


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def run(func):
    return async_to_sync(on_writer(0, func))()


def test_a_writer_keeps_its_connection_between_writes(postgres):
    assert run(backend_pid) == run(backend_pid)


def test_a_broken_connection_fails_one_write_and_the_next_reconnects(postgres):
    first = run(backend_pid)
    with connection.cursor() as cursor:  # the test's own connection ends the writer's
        cursor.execute("SELECT pg_terminate_backend(%s)", [first])
    with pytest.raises(DatabaseError):
        run(backend_pid)
    assert run(backend_pid) != first
