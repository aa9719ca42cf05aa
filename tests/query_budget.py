"""Query budgets of pages (issue 28): one helper for every page's budget test.

A page costs a constant number of queries whatever its rows: `assert_budget` asks
the page with N rows, adds 2N more (`grow`), asks again, and wants both counts equal
and within the budget. Each request is made twice, the first to warm what the
site keeps in the shared cache (the library's revision, the sidebar, the header's
unread count). Budgets are for the steady state: a notification's write leaves its
"changing" mark on the person's unread count for a few seconds
(community/person_cache.py), during which their pages count it in the
database (one query more); here writes only drop the count, so the pages asked
right after them meet the state every page meets seconds later."""

from contextlib import contextmanager
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from community import person_cache


@contextmanager
def settled_counts():
    with mock.patch.object(person_cache, "CHANGING_SECONDS", 0):
        yield


def page_queries(client, url: str) -> list[str]:
    """The SQL of one warm request for `url` (which must answer 200)."""
    with settled_counts():
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries]


def assert_budget(client, url, budget: int, *, grow, rows: int = 5) -> int:
    """`grow(n)` adds n rows of what the page lists; the page's queries with
    `rows` and with 3 x `rows` are the same number, exactly `budget` (a page that
    got cheaper lowers its budget, so the next rise is seen). Returns it."""
    with settled_counts():
        grow(rows)
    few = page_queries(client, url() if callable(url) else url)
    with settled_counts():
        grow(2 * rows)
    many = page_queries(client, url() if callable(url) else url)
    assert len(few) == len(many), (len(few), len(many), many)
    assert len(many) == budget, [q[:90] for q in many]
    return len(many)
