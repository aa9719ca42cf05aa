"""Reactions, search, drafts, mentions and circle health in a real browser against a
live daphne: phone and desktop width, light and dark, axe on each new page."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from circles.models import ChatMessage
from community.accounts.models import User
from tests.e2e.conftest import (
    no_horizontal_overflow,
    screenshot,
    serious_axe_violations,
)

from ..factories import ChatMessageFactory, PostFactory, ThreadFactory

WIRED = "document.querySelector('script[src$=\"/js/reactions.js\"]') !== null"


def open_circle(page, live, circle):
    page.goto(f"{live.url}/circles/{circle.slug}/")
    if not page.evaluate(WIRED):
        pytest.skip("base.html does not include forum/_scripts.html yet (lead wiring)")
    expect(page.locator("#chat-status")).to_have_text("Connected.", timeout=5000)


def test_a_reaction_shows_live_in_another_members_window(
    page_for, live, circle, member, host
):
    message = ChatMessageFactory(
        circle=circle, author=host, body="I finally slept well."
    )
    mira, hazel = page_for(member), page_for(host, width=375, height=800)
    for page in (mira, hazel):
        open_circle(page, live, circle)
    item = f'#chat-log li[data-message-id="{message.pk}"]'
    button = mira.locator(
        f'{item} [data-reaction-bar] button[data-reaction="hear_you"]'
    )
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    # The author sees the count arrive without a reload.
    count = hazel.locator(f'{item} [data-reaction="hear_you"] [data-count]')
    expect(count).to_have_text("1", timeout=3000)
    # A message that arrives live gets its bar too.
    hazel.locator("#chat-input").fill("Thank you all.")
    hazel.locator("#chat-input").press("Enter")
    live_item = mira.locator("#chat-log li", has_text="Thank you all.")
    expect(live_item.locator('button[data-reaction="thanks"]')).to_be_visible(
        timeout=3000
    )
    assert serious_axe_violations(mira) == []
    screenshot(hazel, "forum-reaction-phone")


def test_search_finds_a_chat_message_and_a_post_and_jumps_to_each(
    page_for, live, circle, member, host
):
    thread = ThreadFactory(circle=circle, author=host, title="Evenings")
    post = PostFactory(
        thread=thread, author=host, body="The heron came back to the pond."
    )
    message = ChatMessageFactory(circle=circle, author=host, body="Saw a heron today!")
    page = page_for(member)
    open_circle(page, live, circle)
    page.goto(f"{live.url}/search/")
    page.get_by_label("Words to find").fill("heron")
    page.get_by_role("button", name="Search").click()
    results = page.locator("#search-results li")
    expect(results).to_have_count(2)
    expect(page.locator("#search-results mark").first).to_have_text("heron")
    assert serious_axe_violations(page) == []
    page.locator(f'#search-results li[data-result="message:{message.pk}"] a').click()
    target = page.locator(f'#chat-log li[data-message-id="{message.pk}"]')
    expect(target).to_have_class("chat-msg chat-msg-target")
    expect(target).to_be_focused()
    page.go_back()
    page.locator(f'#search-results li[data-result="post:{post.pk}"] a').click()
    expect(page).to_have_url(
        f"{live.url}/circles/{circle.slug}/threads/{thread.pk}/#post-{post.pk}"
    )
    expect(page.locator(f"#post-{post.pk}")).to_be_in_viewport()


def test_a_draft_survives_a_reload_and_goes_once_sent_or_logged_out(
    page_for, live, circle, member, host
):
    thread = ThreadFactory(circle=circle, author=host, title="Small wins")
    page = page_for(member, width=375, height=800)
    open_circle(page, live, circle)
    page.goto(f"{live.url}/circles/{circle.slug}/threads/{thread.pk}/")
    box = page.locator("textarea[data-draft-key]").last
    box.fill("I made a phone call I was dreading.")
    expect(page.get_by_text("Draft saved on this device.")).to_be_visible()
    page.reload()
    box = page.locator("textarea[data-draft-key]").last
    expect(box).to_have_value("I made a phone call I was dreading.")
    expect(page.get_by_text("Draft restored from this device.")).to_be_visible()
    assert no_horizontal_overflow(page)
    page.get_by_role("button", name="Send reply").last.click()
    sent = page.locator(
        "article.post > p", has_text="I made a phone call I was dreading."
    )
    expect(sent).to_be_visible()
    page.reload()
    expect(page.locator("textarea[data-draft-key]").last).to_have_value("")
    # The chat box keeps a draft too; logging out forgets every draft here.
    page.goto(f"{live.url}/circles/{circle.slug}/")
    page.locator("#chat-input").fill("half a thought")
    page.wait_for_timeout(500)
    assert (
        page.evaluate(
            "Object.keys(localStorage).filter(k => k.startsWith('circles-draft:')).length"
        )
        == 1
    )
    page.locator(".account-menu > summary").click()  # log out lives in the menu
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    assert (
        page.evaluate(
            "Object.keys(localStorage).filter(k => k.startsWith('circles-draft:')).length"
        )
        == 0
    )


def test_a_mention_completes_from_member_names(page_for, live, circle, member, host):
    page = page_for(member)
    open_circle(page, live, circle)
    page.locator("#chat-input").press_sequentially("thank you @Haz")
    option = page.get_by_role("option", name="Hazel Host")
    expect(option).to_be_visible()
    page.locator("#chat-input").press("Enter")
    expect(page.locator("#chat-input")).to_have_value("thank you @Hazel Host ")
    assert ChatMessage.objects.count() == 0  # Enter took the name, it did not send
    page.locator("#chat-input").press("Enter")
    expect(page.locator("#chat-input")).to_have_value("", timeout=3000)
    # Hazel finds it among her notifications.
    hazel = page_for(host)
    hazel.goto(f"{live.url}/notifications/")
    expect(
        hazel.get_by_text("Mira Member mentioned you in Morning Light.")
    ).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_the_health_page_shows_charts_for_the_demo_circle(
    page_for, live, width, scheme
):
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    host = User.objects.get(username="demo-host")
    page = page_for(host, width=width, height=900)
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{live.url}/circles/demo-circle/health/")
    health = page.locator("#circle-health")
    expect(health).to_be_visible()
    expect(health.locator("svg.health-chart")).to_have_count(6)
    expect(health.locator("svg#chart-asks rect")).not_to_have_count(0)
    assert no_horizontal_overflow(page)
    assert serious_axe_violations(page) == []
    screenshot(page, f"forum-health-{width}-{scheme}")


def test_a_link_to_an_old_message_shows_it_and_the_chat_catches_up(
    page_for, live, circle, member, host
):
    old = ChatMessageFactory(circle=circle, author=host, body="an old lighthouse story")
    for n in range(80):
        ChatMessageFactory(circle=circle, author=host, body=f"later words {n}")
    page = page_for(member)
    page.goto(f"{live.url}/circles/{circle.slug}/?message={old.pk}")
    if not page.evaluate(WIRED):
        pytest.skip("base.html does not include forum/_scripts.html yet (lead wiring)")
    target = page.locator(f'#chat-log li[data-message-id="{old.pk}"]')
    expect(target).to_be_focused()
    # Everything after it arrives too, in order, once each.
    expect(page.locator("#chat-log li", has_text="later words 79")).to_have_count(1)
    assert page.locator("#chat-log li[data-seq]").count() == 81


def test_a_reaction_on_a_post_shows_live_on_the_thread_page(
    page_for, live, circle, member, host
):
    thread = ThreadFactory(circle=circle, author=host, title="Tiny steps")
    post = PostFactory(thread=thread, author=host, body="I went outside today.")
    url = f"{live.url}/circles/{circle.slug}/threads/{thread.pk}/"
    mira, hazel = page_for(member), page_for(host)
    for page in (mira, hazel):
        page.goto(url)
        if not page.evaluate(WIRED):
            pytest.skip("base.html does not include forum/_scripts.html yet")
    hazel.wait_for_timeout(500)  # its socket opens
    # The buttons are in the post's one menu (issue 28); the counts under the post.
    mira.locator(f"#post-{post.pk} > a.post-more").click()
    bar = f'#post-{post.pk} > #post-menu [data-reaction="strength"]'
    mira.locator(bar).click()
    expect(mira.locator(bar)).to_have_attribute("aria-pressed", "true")
    counts = f"#post-{post.pk} > .reaction-sum"
    expect(mira.locator(counts)).to_have_text("Sending strength 1")
    expect(hazel.locator(counts)).to_have_text("Sending strength 1", timeout=3000)
    # The server rendered page agrees after a reload.
    mira.reload()
    expect(mira.locator(counts)).to_have_text("Sending strength 1")
    mira.locator(f"#post-{post.pk} > a.post-more").click()
    expect(mira.locator(bar)).to_have_attribute("aria-pressed", "true")
    assert serious_axe_violations(mira) == []
