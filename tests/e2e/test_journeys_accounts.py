"""Account journeys in a real browser: reset a forgotten password from the email
file, export my data, delete my account with each choice, after which another
member's pages, fragments and export hold nothing the person wrote (remove) or
nothing that names them (keep)."""

import json
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from circles.models import Membership
from community.notifications import preferences
from community.notifications.services import notification_send
from tests.e2e.conftest import no_horizontal_overflow, serious_axe_violations
from tests.factories import (
    PASSWORD,
    ChatMessageFactory,
    PostFactory,
    ThreadFactory,
)

CANARY = "canary-2c9d-words"
NEW_PASSWORD = "a-fresh-long-passphrase-42"


@pytest.fixture
def mail_dir(tmp_path, monkeypatch):
    """Where the live daphne (tasks run in-process there) writes email files."""
    path = tmp_path / "mail"
    monkeypatch.setenv("EMAIL_URL", f"file://{path}")
    return path


def read_mail(mail_dir) -> str:
    return "\n".join(p.read_text() for p in sorted(mail_dir.glob("*")))


@pytest.mark.parametrize("width", [375, 1280])
def test_reset_a_forgotten_password_from_the_email(
    mail_dir, page_for, live, member, width
):
    member.email = "mira@example.org"
    member.email_verified_at = timezone.now()
    member.save(update_fields=["email", "email_verified_at"])
    page = page_for(width=width)
    page.goto(f"{live.url}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    assert serious_axe_violations(page) == []
    assert no_horizontal_overflow(page)
    page.get_by_label("Email").fill("mira@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.locator("#reset-requested")).to_be_visible()

    link = re.search(r"https?://\S+/accounts/reset/\S+/", read_mail(mail_dir)).group(0)
    # The link is built from SITE_URL, never from the Host the request named; the
    # live server runs on another port, so follow its path there.
    site, path = re.match(r"(https?://[^/]+)(/.*)", link).groups()
    assert site == settings.SITE_URL
    page.goto(f"{live.url}{path}")
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert serious_axe_violations(page) == []
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save my new password").click()
    expect(page.locator("#reset-complete")).to_be_visible()

    page.goto(f"{live.url}/accounts/login/")
    page.get_by_label("Username").fill(member.username)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/circles/$"))


def test_export_my_data(page_for, live, circle, member):
    ThreadFactory(circle=circle, author=member, title=f"Mine {CANARY}")
    page = page_for(member)
    page.goto(f"{live.url}/accounts/settings/")
    assert serious_axe_violations(page) == []
    with page.expect_download() as download:
        page.locator("#export-link").click()
    data = json.loads(open(download.value.path()).read())
    assert data["profile"]["display_name"] == member.display_name
    assert data["threads"][0]["title"] == f"Mine {CANARY}"


@pytest.fixture
def world(circle, member, host):
    """The member wrote in every place; the host answered and was notified."""
    thread = ThreadFactory(
        circle=circle, author=member, title=f"Thread {CANARY}", body=f"Root {CANARY}"
    )
    reply = PostFactory(thread=thread, author=host, body="A host reply")
    mine = PostFactory(thread=thread, author=member, body=f"Reply {CANARY}")
    PostFactory(thread=thread, author=host, body="Answer to it", parent=mine)
    ChatMessageFactory(circle=circle, author=member, body=f"Chat {CANARY}")
    notification_send(
        recipient=host,
        kind="reply",
        text=f"{member.display_name} replied to your post in “Thread {CANARY}”.",
        url=f"{thread.get_absolute_url()}#post-{mine.pk}",
        circle=circle,
    )
    return {"thread": thread, "reply": reply}


def other_member_sees(page, live, circle, thread) -> str:
    """Every page and fragment another member may open, every socket frame they
    receive there, and their export."""
    seen = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda payload: seen.append(str(payload))),
    )
    for path in (
        f"/circles/{circle.slug}/",
        f"/circles/{circle.slug}/threads/{thread.pk}/",
        f"/circles/{circle.slug}/members/",
        "/circles/",
        "/notifications/",
    ):
        page.goto(live.url + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)  # the chat socket's catch-up frames
        seen.append(page.content())
    seen.append(page.request.get(f"{live.url}/accounts/export/").text())
    return "\n".join(seen)


def delete_account(page, live, choice):
    page.goto(f"{live.url}/accounts/settings/")
    delete = page.locator("#delete-account")
    delete.get_by_label("Password").fill(PASSWORD)
    delete.locator(f'input[name="content"][value="{choice}"]').check()
    delete.get_by_role("button", name="Delete my account").click()
    expect(page.locator("#account-deleted")).to_be_visible()


def test_delete_and_remove_leaves_no_word_of_theirs_anywhere(
    page_for, live, circle, member, host, world
):
    other = page_for(host)
    before = other_member_sees(other, live, circle, world["thread"])
    assert f"Reply {CANARY}" in before and f"Chat {CANARY}" in before  # canary works
    assert '"type":"presence"' in before  # socket frames are in what we read

    delete_account(page_for(member), live, "remove")
    after = other_member_sees(other, live, circle, world["thread"])
    assert CANARY not in after
    assert "A host reply" in after and "Answer to it" in after  # the shape stays


def test_delete_and_keep_leaves_their_words_but_nothing_that_names_them(
    page_for, live, circle, member, host, world
):
    other = page_for(host)
    name = member.display_name
    assert name in other_member_sees(other, live, circle, world["thread"])

    delete_account(page_for(member), live, "keep")
    after = other_member_sees(other, live, circle, world["thread"])
    assert name not in after
    assert member.username not in after
    assert f"Reply {CANARY}" in after and "a former member" in after
    assert not Membership.objects.filter(user=member, state="active").exists()


def test_a_deleted_person_is_logged_out_in_every_open_tab(page_for, live, member):
    first, second = page_for(member), page_for(member)
    delete_account(first, live, "keep")
    second.goto(f"{live.url}/accounts/settings/")
    expect(second).to_have_url(re.compile(r"/accounts/login/"))


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_account_pages_fit_and_pass_axe(page_for, live, member, width, scheme):
    page = page_for(member, width=width)
    page.emulate_media(color_scheme=scheme)
    token = preferences.unsubscribe_token(member, "reply")
    for path in (
        "/accounts/settings/",
        f"/unsubscribe/{token}/",
        "/accounts/password-reset/",
        "/notifications/",
    ):
        page.goto(live.url + path)
        assert serious_axe_violations(page) == [], path
        assert no_horizontal_overflow(page), f"{path} overflows at {width}px"
    page.goto(f"{live.url}/accounts/settings/")
    # The time zone comes from the browser when the person has none.
    expect(page.locator("#id_time_zone")).not_to_have_value("")
