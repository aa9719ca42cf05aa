"""The main journeys in a real browser against a live daphne: chat between two
people, a dropped connection, live replies, flag and removal, an ask to "this
helped", hostile text, and the layout at phone and desktop width."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from circles.chat import services as chat_services
from circles.models import ChatMessage, Post, Thread
from circles.threads import services as thread_services
from tests.e2e.conftest import (
    no_horizontal_overflow,
    screenshot,
    serious_axe_violations,
)

ACTIVE = """document.querySelectorAll(
  'main img, main [onerror], main iframe, main svg, main a[href^="javascript"],'
  + ' main script:not([src^="/static/"]):not([type="application/json"])').length"""
XSS = '<img src=x onerror="alert(1)"><script>alert(2)</script>[x](javascript:alert(3))'


def chat_ready(page):
    expect(page.locator("#chat-status")).to_have_text("Connected.", timeout=5000)


def send_chat(page, text):
    page.locator("#chat-input").fill(text)
    page.locator("#chat-input").press("Enter")


def test_a_chat_message_reaches_the_other_member_and_clears_only_when_confirmed(
    page_for, live, circle, member, host
):
    alice, bob = page_for(member), page_for(host)
    for page in (alice, bob):
        page.goto(f"{live.url}/circles/{circle.slug}/")
        chat_ready(page)
    send_chat(alice, "Hello, I am here today.")
    expect(
        bob.locator("#chat-log li", has_text="Hello, I am here today.")
    ).to_be_visible(timeout=1000)
    expect(alice.locator("#chat-input")).to_have_value("")
    message = ChatMessage.objects.get()
    assert bob.locator(f'#chat-log li[data-message-id="{message.pk}"]').count() == 1
    expect(bob.locator("#chat-presence-names")).to_contain_text("Mira Member")

    # While the socket is down the text stays in the box; it goes when confirmed.
    alice.evaluate("window.__blocked = true")
    live.stop()
    expect(alice.locator("#chat-status")).to_contain_text("Reconnecting", timeout=5000)
    send_chat(alice, "Sent while the server was away")
    expect(alice.locator("#chat-input")).to_have_value("Sent while the server was away")
    live.start()
    expect(alice.locator("#chat-input")).to_have_value("", timeout=15000)
    expect(
        bob.locator("#chat-log li", has_text="Sent while the server was away")
    ).to_have_count(1, timeout=15000)
    assert (
        ChatMessage.objects.filter(body="Sent while the server was away").count() == 1
    )
    screenshot(alice, "chat-desktop")


def test_after_a_restart_the_page_catches_up_once_each(
    page_for, live, circle, member, host
):
    page = page_for(member)
    page.goto(f"{live.url}/circles/{circle.slug}/")
    chat_ready(page)
    live.stop()
    for n in range(5):
        chat_services.chat_message_post(
            author=host, circle=circle, body=f"while away {n}", client_id=f"w{n}"
        )
    live.start()
    for n in range(5):
        expect(page.locator("#chat-log li", has_text=f"while away {n}")).to_have_count(
            1, timeout=15000
        )
    seqs = page.locator("#chat-log li").evaluate_all(
        "els => els.map(e => +e.dataset.seq)"
    )
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs)) == 5


def test_a_reply_appears_live_and_nested_under_its_parent(
    page_for, live, circle, member, host
):
    thread = thread_services.thread_create(
        author=member, circle=circle, title="Live replies", body="Root"
    ).thread
    first = thread_services.post_reply(
        author=host, thread=thread, body="First reply"
    ).post
    watcher = page_for(member)
    watcher.goto(f"{live.url}{thread.get_absolute_url()}")
    writer = page_for(host)
    writer.goto(f"{live.url}{thread.get_absolute_url()}")
    watcher.wait_for_timeout(500)  # its socket is open
    writer.locator(f"#post-{first.pk} > a.post-reply").click()
    reply_box = writer.locator(f"#post-{first.pk} > #reply")  # the one form, moved
    expect(reply_box.get_by_label("Your reply")).to_be_focused()
    reply_box.get_by_label("Your reply").fill("A nested answer")
    reply_box.get_by_role("button", name="Send reply").click()
    nested = watcher.locator(
        f"#post-{first.pk} > article.post", has_text="A nested answer"
    )
    expect(nested).to_be_visible(timeout=3000)
    reply = Post.objects.get(body="A nested answer")
    assert reply.parent_id == first.pk
    screenshot(watcher, "thread-live-reply")


def test_flag_then_removal_disappears_from_the_open_page(
    page_for, live, circle, member, host, moderator
):
    message = chat_services.chat_message_post(
        author=host, circle=circle, body="A harsh message", client_id="h1"
    ).message
    reader = page_for(member)
    reader.goto(f"{live.url}/circles/{circle.slug}/")
    chat_ready(reader)
    item = reader.locator(f'#chat-log li[data-message-id="{message.pk}"]')
    item.get_by_role("link", name=re.compile("Flag")).click()
    reader.get_by_label("Harassment").check()
    reader.get_by_label(re.compile("Anything the moderators")).fill("It hurt")
    reader.get_by_role("button", name="Send to the moderators").click()
    expect(
        reader.get_by_text("Thank you. The moderators will look at it")
    ).to_be_visible()
    chat_ready(reader)

    mod = page_for(moderator)
    mod.goto(f"{live.url}/circles/{circle.slug}/moderation/")
    assert serious_axe_violations(mod) == []
    screenshot(mod, "review-queue")
    row = mod.locator(f'.queue-row[data-kind="message"][data-id="{message.pk}"]')
    row.get_by_label("Reason, told to the author privately").fill("Unkind to a member")
    row.get_by_role("button", name="Remove").click()
    expect(mod.get_by_text(re.compile("Removed. Others see only"))).to_be_visible()
    expect(
        reader.locator(f'#chat-log li[data-message-id="{message.pk}"]')
    ).to_contain_text("Removed by the circle's moderators", timeout=3000)
    expect(reader.locator("#chat-log")).not_to_contain_text("Unkind to a member")
    expect(reader.locator("#chat-log")).not_to_contain_text("A harsh message")


def test_an_ask_from_the_composer_to_this_helped(page_for, live, circle, member, host):
    call_command("import_resources", verbosity=0)
    asker = page_for(member)
    asker.goto(f"{live.url}/circles/{circle.slug}/")
    asker.get_by_role("link", name="Ask for help").first.click()
    assert serious_axe_violations(asker) == []
    screenshot(asker, "ask-composer")
    asker.get_by_label("Title").fill("I feel I do not deserve support")
    asker.get_by_label("What is going on?").fill("I never ask anyone for help.")
    asker.get_by_label("Someone to listen").check()
    asker.get_by_label(re.compile("Just listen")).check()
    asker.get_by_role("button", name="Post my ask").click()
    thread = Thread.objects.get()
    expect(asker).to_have_url(f"{live.url}{thread.get_absolute_url()}")
    assert serious_axe_violations(asker) == []

    helper = page_for(host)
    helper.goto(f"{live.url}{thread.get_absolute_url()}")
    expect(helper.locator(".reply-end .norm-reminder")).to_contain_text(
        "asked to be heard, not advised"
    )
    helper.locator(".reply-end").get_by_label("Your reply").fill(
        "I hear you. You are not alone."
    )
    helper.locator(".reply-end").get_by_role("button", name="Send reply").click()

    asker.reload()
    reply = Post.objects.get(body="I hear you. You are not alone.")
    asker.locator(f"#post-{reply.pk} > a.post-more").click()  # the post's menu
    asker.locator("#post-menu").get_by_role("button", name="This helped").click()
    expect(asker.locator(f"#post-{reply.pk} .helped-tag")).to_have_text("This helped")
    thread.refresh_from_db()
    assert thread.answered_at is not None
    screenshot(asker, "ask-answered")


def test_hostile_text_shows_as_text_and_runs_nothing(
    page_for, live, circle, member, host
):
    member.display_name = '<img src=x onerror="alert(9)">'
    member.save()
    thread = thread_services.thread_create(
        author=member, circle=circle, title=XSS[:150], body=XSS
    ).thread
    chat_services.chat_message_post(
        author=member, circle=circle, body=XSS, client_id="x1"
    )
    page = page_for(host)  # any dialog fails the test
    for url in (
        f"/circles/{circle.slug}/",
        thread.get_absolute_url(),
        f"/circles/{circle.slug}/members/",
    ):
        page.goto(f"{live.url}{url}")
        page.wait_for_timeout(300)
        assert page.evaluate(ACTIVE) == 0, url
    page.goto(f"{live.url}/circles/{circle.slug}/")
    chat_ready(page)
    send_chat(page, XSS)
    expect(page.locator("#chat-log li")).to_have_count(2)
    page.wait_for_timeout(300)
    assert (
        page.evaluate(
            "document.querySelectorAll('#chat-log img, #chat-log script').length"
        )
        == 0
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_main_pages_fit_the_screen_and_pass_axe(
    page_for, live, circle, member, moderator, width
):
    call_command("import_resources", verbosity=0)
    thread = thread_services.thread_create(
        author=member,
        circle=circle,
        title="Setting boundaries with my partner",
        body="A long word: " + "x" * 120,
        content_warning="relationships",
    ).thread
    chat_services.chat_message_post(
        author=member,
        circle=circle,
        body="https://example.org/" + "a" * 150,
        client_id="w",
    )
    page = page_for(moderator, width=width)
    pages = {
        "circle-list": "/circles/",
        "circle-home": f"/circles/{circle.slug}/",
        "thread": thread.get_absolute_url(),
        "ask-composer": f"/circles/{circle.slug}/threads/new/?kind=ask",
        "review-queue": f"/circles/{circle.slug}/moderation/",
        "resources": "/resources/",
        "resource": "/resources/trust-issues-a-comprehensive-guide-to-recovery/",
        "members": f"/circles/{circle.slug}/members/",
        "notifications": "/notifications/",
        "my-asks": "/asks/mine/",
    }
    for name, url in pages.items():
        response = page.goto(f"{live.url}{url}")
        assert response.status == 200, url
        assert no_horizontal_overflow(page), f"{name} overflows at {width}px"
        assert serious_axe_violations(page) == [], name
        screenshot(page, f"{name}-{width}")


def test_circle_page_is_tabs_on_a_phone(page_for, live, circle, member):
    page = page_for(member, width=375)
    page.goto(f"{live.url}/circles/{circle.slug}/")
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_count(3)
    expect(page.locator("#chat-log")).to_be_visible()
    expect(page.locator("aside#resources")).to_be_hidden()
    page.get_by_role("tab", name="Resources").click()
    expect(page.locator("aside#resources")).to_be_visible()
    expect(page.locator("#chat-log")).to_be_hidden()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("tab", name="Threads")).to_have_attribute(
        "aria-selected", "true"
    )
    desktop = page_for(member, width=1280)
    desktop.goto(f"{live.url}/circles/{circle.slug}/")
    expect(desktop.get_by_role("tab", name="Chat")).to_be_hidden()
    expect(desktop.locator("aside#resources")).to_be_visible()
    expect(desktop.locator("#chat-log")).to_be_visible()


def test_no_page_asks_another_site_for_anything(page_for, live, circle, member):
    page = page_for(member)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live.url}/circles/{circle.slug}/")
    chat_ready(page)
    page.goto(f"{live.url}/circles/")
    foreign = [
        u
        for u in requested
        if not u.startswith((live.url, live.url.replace("http", "ws")))
    ]
    assert foreign == []
