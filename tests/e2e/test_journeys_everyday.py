"""Everyday journeys from issue 15 in a real browser: typing on while a message is
confirmed, a long paste, line breaks, one time format, confirmations, and the layout
of the pages people meet first (phone and desktop, light and dark)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from circles.memberships import services as membership_services
from circles.models import ChatMessage, Membership, Post
from community.resources.models import Resource
from moderation.flags import services as flag_services
from tests.e2e.conftest import (
    no_horizontal_overflow,
    screenshot,
    serious_axe_violations,
)
from tests.factories import ChatMessageFactory, PostFactory, ThreadFactory, UserFactory

READER_ZONE = "Asia/Bangkok"  # far from UTC, so a time printed in UTC would show


def chat_ready(page):
    expect(page.locator("#chat-status")).to_have_text("Connected.", timeout=5000)


@pytest.fixture
def reader_page(browser, live, session_cookie_for):
    """A page for `user` (None: a visitor) reading in Bangkok with British
    conventions (24-hour)."""
    contexts = []

    def make(user, *, width=1280, javascript=True):
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            locale="en-GB",
            timezone_id=READER_ZONE,
            java_script_enabled=javascript,
        )
        contexts.append(context)
        if user is not None:
            context.add_cookies([session_cookie_for(user)])
        page = context.new_page()
        page.set_default_timeout(5000)
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors
        return page

    yield make
    for context in contexts:
        context.close()


def test_chat_keeps_what_is_typed_and_never_cuts_a_long_message(
    reader_page, live, circle, member
):
    page = reader_page(member)
    page.goto(f"{live.url}/circles/{circle.slug}/")
    chat_ready(page)
    box = page.locator("#chat-input")

    # Enter, then straight on with the next thought before the server confirms.
    box.fill("first thought")
    page.evaluate(
        """() => {
          const box = document.getElementById("chat-input");
          box.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", bubbles: true}));
          box.value += " my next thought";
          box.dispatchEvent(new Event("input", {bubbles: true}));
        }"""
    )
    expect(page.locator("#chat-log li", has_text="first thought")).to_have_count(1)
    expect(box).to_have_value("my next thought")
    assert list(ChatMessage.objects.values_list("body", flat=True)) == ["first thought"]

    # Shift+Enter is a line break, on the page too.
    box.fill("")
    box.type("line one")
    box.press("Shift+Enter")
    box.type("line two")
    box.press("Enter")
    body = page.locator("#chat-log li", has_text="line two").locator(".chat-body")
    expect(body).to_have_count(1)
    assert body.inner_text().strip().splitlines() == ["line one", "line two"]
    expect(box).to_have_value("")

    # A long paste is kept whole, counted, and refused with the count shown.
    long_text = ("I want to say this properly. " * 148)[:4290]
    box.focus()
    page.keyboard.insert_text(long_text)
    assert len(box.input_value()) == 4290
    count = page.locator("#chat-count")
    expect(count).to_be_visible()
    expect(count).to_contain_text("4,290 of 4,000 characters")
    box.press("Enter")
    expect(page.locator("#chat-error")).to_contain_text("4,290")
    expect(page.locator("#chat-error")).to_contain_text("Nothing was cut")
    assert box.input_value() == long_text
    page.wait_for_timeout(300)
    assert ChatMessage.objects.count() == 2  # the two above; nothing of the paste
    screenshot(page, "chat-too-long-1280")

    # Offline, a message waits in the box; what is typed after it and sent goes as
    # its own message, and the first is not sent twice.
    box.fill("")
    live.stop()
    expect(page.locator("#chat-status")).to_contain_text("Reconnecting", timeout=5000)
    box.fill("waiting one")
    box.press("Enter")
    box.press("End")
    box.type(" and two")
    box.press("Enter")
    expect(box).to_have_value("waiting one and two")
    live.start()
    expect(box).to_have_value("", timeout=15000)
    bodies = list(ChatMessage.objects.order_by("seq").values_list("body", flat=True))
    assert bodies[-2:] == ["waiting one", "and two"]
    assert page.js_errors == []


def test_times_read_the_same_in_history_live_and_after_a_reload(
    reader_page, live, circle, member, host
):
    earlier = ChatMessageFactory(circle=circle, author=host, body="from the history")
    page, other = reader_page(member), reader_page(host)
    for each in (page, other):
        each.goto(f"{live.url}/circles/{circle.slug}/")
        chat_ready(each)
    other.locator("#chat-input").fill("arrived live")
    other.locator("#chat-input").press("Enter")
    live_time = page.locator("#chat-log li", has_text="arrived live").locator("time")
    history_time = page.locator("#chat-log li", has_text="from the history").locator(
        "time"
    )
    expect(live_time).to_have_count(1)
    zone = ZoneInfo(READER_ZONE)
    for time, message in (
        (history_time, earlier),
        (live_time, ChatMessage.objects.get(body="arrived live")),
    ):
        assert time.inner_text() == message.created_at.astimezone(zone).strftime(
            "%H:%M"
        )
        assert "Indochina" in time.get_attribute("title") or "GMT+7" in (
            time.get_attribute("title")
        )
    before = live_time.inner_text()
    page.reload()
    chat_ready(page)
    assert live_time.inner_text() == before

    # Recent moments read as words, older ones as a date; never "0 minutes" or
    # "1 minutes".
    texts = page.evaluate(
        """() => {
          const now = new Date("2026-11-29T12:00:00Z");
          const ago = (s) => window.circlesTime.text(new Date(now - s * 1000), "auto", now);
          return [ago(0), ago(30), ago(61), ago(5 * 60 + 10), ago(3600), ago(3 * 86400)];
        }"""
    )
    assert texts[:5] == [
        "just now",
        "just now",
        "1 minute ago",
        "5 minutes ago",
        "1 hour ago",
    ]
    assert texts[5] == "26 Nov, 19:00"  # the exact time, in the reader's zone

    # A reply on a thread page uses the same function, with the exact time on hover.
    thread = ThreadFactory(circle=circle, author=host, title="Today")
    reply = PostFactory(thread=thread, author=member, body="A reply")
    Post.objects.filter(pk=reply.pk).update(
        created_at=datetime.now(UTC) - timedelta(minutes=5, seconds=5)
    )
    page.goto(f"{live.url}/circles/{circle.slug}/threads/{thread.pk}/")
    reply_time = page.locator(f"#post-{reply.pk} time").first
    expect(reply_time).to_have_text("5 minutes ago")
    assert str(datetime.now(UTC).year) in reply_time.get_attribute("title")
    assert page.js_errors == []


def test_leaving_a_full_circle_and_deleting_a_reply_ask_first(
    reader_page, live, circle, member, host
):
    circle.capacity = 2  # host and member: full
    circle.save(update_fields=["capacity"])
    waiting = UserFactory(display_name="Wren Waiting")
    membership_services.membership_join(
        user=waiting, circle=circle, accept_guidelines=True
    )
    page = reader_page(member)
    page.goto(f"{live.url}/circles/{circle.slug}/")
    page.get_by_role("button", name="Leave this circle").click()
    dialog = page.get_by_role("dialog", name=f"Leave {circle.name}?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("your seat is given away")
    screenshot(page, "confirm-leave-full-1280")
    dialog.get_by_role("button", name="Stay").click()
    expect(dialog).to_have_count(0)
    assert Membership.objects.get(circle=circle, user=member).state == "active"
    page.get_by_role("button", name="Leave this circle").click()
    page.get_by_role("dialog").get_by_role("button", name="Leave the circle").click()
    page.wait_for_load_state()
    expect(page.get_by_role("button", name="Leave this circle")).to_have_count(0)
    assert Membership.objects.get(circle=circle, user=member).state == "left"
    assert Membership.objects.get(circle=circle, user=waiting).state == "active"

    thread = ThreadFactory(circle=circle, author=host, title="A thread")
    reply = PostFactory(thread=thread, author=host, body="My reply")
    page = reader_page(host)
    page.goto(f"{live.url}/circles/{circle.slug}/threads/{thread.pk}/")
    page.locator(f"#post-{reply.pk} > a.post-more").click()  # its one menu
    page.locator("#post-menu").get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog", name="Delete this reply?")
    expect(dialog).to_contain_text("Deleted by its author")
    screenshot(page, "confirm-delete-reply-1280")
    page.keyboard.press("Escape")  # the safe choice
    expect(dialog).to_have_count(0)
    reply.refresh_from_db()
    assert reply.deleted_at is None
    page.locator("#post-menu").get_by_role("button", name="Delete").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete the reply").click()
    expect(page.locator(f"#post-{reply.pk} .tombstone")).to_be_visible()
    reply.refresh_from_db()
    assert reply.deleted_at is not None

    # Without JavaScript More opens the post's page, whose Delete asks on a page
    # that posts to the same URL (issue 28).
    other = PostFactory(thread=thread, author=host, body="Another reply")
    plain = reader_page(host, javascript=False)
    plain.goto(f"{live.url}/circles/{circle.slug}/threads/{thread.pk}/")
    plain.locator(f"#post-{other.pk} > a.post-more").click()
    plain.get_by_role("link", name="Delete").click()
    expect(plain.get_by_role("heading", name="Delete this reply?")).to_be_visible()
    plain.get_by_role("button", name="Delete the reply").click()
    plain.wait_for_load_state()
    other.refresh_from_db()
    assert other.deleted_at is not None


BLANK_BELOW_FOOTER = """() => {
  const footer = document.querySelector(".site-footer").getBoundingClientRect();
  const bottom = footer.bottom + window.scrollY;
  return Math.max(0, document.documentElement.scrollHeight - Math.max(bottom, window.innerHeight));
}"""


def check_page(page, name, width, scheme):
    assert serious_axe_violations(page) == [], name
    assert no_horizontal_overflow(page), name
    assert page.evaluate(BLANK_BELOW_FOOTER) <= 2, name
    screenshot(page, f"{name}-{width}-{scheme}")


@pytest.mark.parametrize("width", [375, 1280])
def test_everyday_pages_fit_read_well_and_pass_axe(
    reader_page, live, circle, member, host, width
):
    call_command("import_resources", verbosity=0)
    for n in range(60):  # enough chat to scroll its log
        ChatMessageFactory(circle=circle, author=host, body=f"message number {n}")
    flagged = ChatMessageFactory(circle=circle, author=member, body="a flagged one")
    flag_services.flag_create(
        reporter=host, kind="message", object_id=flagged.pk, reason="harmful"
    )
    outsider = UserFactory(display_name="Nell Newcomer")
    thread = ThreadFactory(circle=circle, author=host, title="Boundaries")
    two_lines = PostFactory(thread=thread, author=member, body="line one\nline two")
    pages = {
        "home": (None, "/"),
        "home-signed-in": (outsider, "/"),
        "privacy": (outsider, "/privacy/"),
        "circle-join": (outsider, f"/circles/{circle.slug}/"),
        "circle": (member, f"/circles/{circle.slug}/"),
        "queue": (host, f"/circles/{circle.slug}/moderation/"),
        "resources": (member, "/resources/"),
        "resource": (member, "/resources/" + first_resource_slug() + "/"),
        "thread": (member, f"/circles/{circle.slug}/threads/{thread.pk}/"),
        "members": (member, f"/circles/{circle.slug}/members/"),
        "notifications": (member, "/notifications/"),
        "my-asks": (member, "/asks/mine/"),
        "not-found": (member, "/circles/no-such-circle/"),
    }
    opened = {}
    for scheme in ("light", "dark"):
        for name, (user, path) in pages.items():
            key = user.pk if user else None
            page = opened.get(key) or reader_page(user, width=width)
            opened[key] = page
            page.emulate_media(color_scheme=scheme)
            page.goto(live.url + path)
            check_page(page, name, width, scheme)
            assert page.js_errors == [], name

    page = opened[None]
    page.emulate_media(color_scheme="light")
    page.goto(live.url + "/")
    assert page.locator(".site-nav").bounding_box()["height"] < 56, "the header wraps"

    page = opened[member.pk]
    page.emulate_media(color_scheme="light")
    # One header line on a phone; the account things sit in one menu.
    page.goto(f"{live.url}/circles/{circle.slug}/")
    nav = page.locator(".site-nav")
    assert nav.bounding_box()["height"] < 56, "the header wraps"
    summary = page.locator(".account-menu > summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("link", name="Password")).to_be_visible()
    screenshot(page, f"account-menu-{width}")
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Log out")).to_be_hidden()
    if width == 1280:
        # Chat is the conversation: it gets the widest column.
        chat = page.locator("#chat-panel").bounding_box()["width"]
        main = page.locator("main").bounding_box()["width"]
        assert chat > 0.55 * main, (chat, main)

    # A post keeps its line breaks too.
    page.goto(f"{live.url}/circles/{circle.slug}/threads/{thread.pk}/")
    body = page.locator(f"#post-{two_lines.pk} > p").inner_text()
    assert body.strip().splitlines() == ["line one", "line two"]

    # Library text runs 60 to 80 characters a line.
    page.goto(live.url + "/resources/" + first_resource_slug() + "/")
    per_line = page.evaluate(
        """() => {
          const p = document.querySelector(".resource-section p");
          const probe = document.createElement("span");
          probe.textContent = "abcdefghijklmnopqrstuvwxyz".repeat(4);
          p.appendChild(probe);
          const perChar = probe.getBoundingClientRect().width / 104;
          probe.remove();
          return p.getBoundingClientRect().width / perChar;
        }"""
    )
    if width == 1280:
        assert 60 <= per_line <= 80, per_line
    else:
        assert per_line <= 80, per_line

    # The join checkbox sits on its label's line, at its start.
    page = opened[outsider.pk]
    page.goto(f"{live.url}/circles/{circle.slug}/")
    box = page.locator(".join-form input[type=checkbox]").bounding_box()
    label = page.locator(".join-form input[type=checkbox] + label").bounding_box()
    middle = box["y"] + box["height"] / 2
    assert label["y"] <= middle <= label["y"] + 30, (box, label)  # its first line
    assert box["x"] < label["x"]

    # In the dark the queue's reason box is dark too.
    page = opened[host.pk]
    page.emulate_media(color_scheme="dark")
    page.goto(f"{live.url}/circles/{circle.slug}/moderation/")
    background = page.locator(".queue-actions input[name=reason]").first.evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert background != "rgb(255, 255, 255)"


def first_resource_slug() -> str:
    return Resource.objects.order_by("pk").values_list("slug", flat=True)[0]
