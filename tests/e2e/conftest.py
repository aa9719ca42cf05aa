"""Browser tests: a real daphne serving the test database, driven by Debian's
Chromium through Playwright."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from tests.conftest import IN_CI
from tests.live_server import LiveDaphne

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _sync_orm_beside_playwright(monkeypatch):
    """Playwright's sync API runs an event loop in this thread; the test's own ORM
    calls are still ordinary blocking calls, so Django's guard is lifted here only."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _database_before_the_browser(django_db_setup):
    """Create the test database before Playwright starts its event loop, which would
    otherwise make Django refuse the synchronous setup."""


@pytest.fixture(scope="session", autouse=True)
def _need_chromium():
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is required for the browser tests under CI=true")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def live(transactional_db):
    """A daphne for this test (the database is flushed after each test)."""
    server = LiveDaphne().start()
    yield server
    server.stop()


@pytest.fixture
def session_cookie_for(live):
    """A logged-in session for `user`, as a cookie for a browser context."""

    def make(user):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return {
            "name": settings.SESSION_COOKIE_NAME,
            "value": store.session_key,
            "url": live.url,
        }

    return make


@pytest.fixture
def page_for(browser, live, session_cookie_for):
    """A new browser page logged in as `user`; any JavaScript dialog fails the test."""
    contexts = []

    def make(user=None, *, width=1280, height=900):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        if user is not None:
            context.add_cookies([session_cookie_for(user)])
        page = context.new_page()
        page.set_default_timeout(5000)

        def on_dialog(dialog):
            dialog.dismiss()
            raise AssertionError(f"a dialog opened: {dialog.message!r} (script ran)")

        page.on("dialog", on_dialog)
        page.dialogs = []
        page.on("dialog", lambda d: page.dialogs.append(d.message))
        return page

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n.get("target")) for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


def no_horizontal_overflow(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
