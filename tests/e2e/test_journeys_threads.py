"""Thread journeys in a real browser (issues 14.1, 15.13, 15.15, 15.16): a deep
conversation on a phone stays readable and says whom each deep reply answers; a
live reply updates the count and an ask's waiting state; the flag page shows the
item and says what will really happen. Phone 375 and desktop 1280, light and dark,
axe serious/critical: none."""

import pytest
from playwright.sync_api import expect

from circles.threads import services as thread_services
from circles.threads.tree import MAX_DEPTH
from tests.e2e.conftest import (
    no_horizontal_overflow,
    screenshot,
    serious_axe_violations,
)

VIEWS = [(375, "light"), (375, "dark"), (1280, "light"), (1280, "dark")]


def open_page(page_for, user, width, scheme):
    page = page_for(user, width=width)
    page.emulate_media(color_scheme=scheme)
    return page


@pytest.mark.parametrize("width,scheme", VIEWS)
def test_a_deep_conversation_stays_readable_and_says_whom_deep_replies_answer(
    page_for, live, circle, member, host, width, scheme
):
    thread = thread_services.thread_create(
        author=member,
        circle=circle,
        title="A long back and forth",
        body="Where it began.",
    ).thread
    parent_id, made = None, []
    for n in range(MAX_DEPTH + 4):
        author = host if n % 2 == 0 else member
        post = thread_services.post_reply(
            author=author,
            thread=thread,
            body=f"Level {n + 1}: thank you for saying that, it helps to hear it.",
            parent_id=parent_id,
        ).post
        made.append(post)
        parent_id = post.pk
    page = open_page(page_for, member, width, scheme)
    page.goto(f"{live.url}{thread.get_absolute_url()}")
    deepest = page.locator(f"#post-{made[-1].pk}")
    expect(deepest).to_be_visible()
    answered = made[-2].author.display_name
    expect(deepest.locator(".replying-to")).to_have_text(f"replying to {answered}")
    assert deepest.get_attribute("data-parent") == str(made[-2].pk)
    body = deepest.locator(":scope > p").bounding_box()
    # Text keeps most of the width, however deep the conversation goes.
    assert body["width"] >= (0.7 * width if width < 600 else 0.4 * width), body
    assert no_horizontal_overflow(page)
    assert serious_axe_violations(page) == []
    screenshot(page, f"thread-deep-{width}-{scheme}")


@pytest.mark.parametrize("width,scheme", [(375, "dark"), (1280, "light")])
def test_a_live_reply_updates_the_count_and_the_waiting_state(
    page_for, live, circle, member, host, width, scheme
):
    ask = thread_services.thread_create(
        author=member,
        circle=circle,
        title="Could someone listen",
        body="It has been a hard week.",
        kind="ask",
        needs=["listening"],
        reply_norm="listen_only",
    ).thread
    asker = open_page(page_for, member, width, scheme)
    asker.goto(f"{live.url}{ask.get_absolute_url()}")
    expect(asker.locator("#thread-meta")).to_contain_text("0 replies")
    expect(asker.locator("#ask-state")).to_have_text("Waiting for a first reply")
    expect(asker.locator(".asker-norm")).to_contain_text("you asked to be heard")
    assert asker.locator(".norm-reminder").count() == 0
    asker.wait_for_timeout(500)  # its socket is open
    replier = page_for(host)
    replier.goto(f"{live.url}{ask.get_absolute_url()}")
    expect(replier.locator(".reply-end .norm-reminder")).to_contain_text(
        "asked to be heard, not advised"
    )
    replier.locator(".reply-end").get_by_label("Your reply").fill(
        "I am here, listening."
    )
    replier.locator(".reply-end").get_by_role("button", name="Send reply").click()
    expect(
        asker.locator("article.depth-1", has_text="I am here, listening.")
    ).to_be_visible(timeout=5000)
    expect(asker.locator("#reply-count")).to_have_text("1 reply", timeout=5000)
    expect(asker.locator("#ask-state")).to_have_text("Replied to")
    # A live delete reads as a reload does: "A reply", never the author's name.
    reply = asker.locator("article.depth-1", has_text="I am here, listening.")
    reply_id = reply.get_attribute("id")
    replier.reload()
    replier.locator(f"#{reply_id} > a.post-more").click()  # the post's one menu
    replier.locator("#post-menu").get_by_role("button", name="Delete").click()
    replier.get_by_role("dialog", name="Delete this reply?").get_by_role(
        "button", name="Delete the reply"
    ).click()  # deleting asks first
    live_reply = asker.locator(f"#{reply_id}")
    expect(live_reply.locator(":scope > header")).to_contain_text(
        "A reply", timeout=5000
    )
    expect(live_reply).to_contain_text("Deleted by its author.")
    assert "Hazel Host" not in live_reply.locator(":scope > header").inner_text()
    assert serious_axe_violations(asker) == []
    assert no_horizontal_overflow(asker)
    screenshot(asker, f"thread-live-count-{width}-{scheme}")


@pytest.mark.parametrize("width,scheme", [(375, "dark"), (1280, "light")])
def test_the_flag_page_shows_the_item_and_true_words(
    page_for, live, circle, member, host, width, scheme
):
    thread = thread_services.thread_create(
        author=host, circle=circle, title="About trust", body="Opening words."
    ).thread
    post = thread_services.post_reply(
        author=host, thread=thread, body="Just get over it."
    ).post
    page = open_page(page_for, member, width, scheme)
    page.goto(f"{live.url}{thread.get_absolute_url()}")
    page.locator(f"#post-{post.pk} > a.post-more").click()  # the post's one menu
    page.locator("#post-menu .flag-link").click()
    item = page.locator(".flagged-item")
    expect(item).to_contain_text("Just get over it.")
    expect(item).to_contain_text("a post by Hazel Host")
    expect(page.locator("#flag-outcome")).to_contain_text(
        "It stays visible while the moderators look at it"
    )
    assert page.get_by_text("Hidden while moderators review it").count() == 0
    assert serious_axe_violations(page) == []
    assert no_horizontal_overflow(page)
    screenshot(page, f"flag-page-{width}-{scheme}")


@pytest.mark.parametrize("width,scheme", [(375, "light"), (1280, "dark")])
def test_the_post_menu_and_the_reply_form_work_from_the_keyboard(
    page_for, live, circle, member, host, width, scheme
):
    """Issue 28: one menu and one reply form for the page, opened under a post."""
    thread = thread_services.thread_create(
        author=host, circle=circle, title="Small wins", body="Tell me one."
    ).thread
    post = thread_services.post_reply(
        author=host, thread=thread, body="I went for a walk."
    ).post
    page = open_page(page_for, member, width, scheme)
    page.goto(f"{live.url}{thread.get_absolute_url()}")
    more = page.locator(f"#post-{post.pk} > a.post-more")
    more.focus()
    page.keyboard.press("Enter")
    menu = page.locator(f"#post-{post.pk} > #post-menu")
    expect(menu).to_be_visible()
    expect(more).to_have_attribute("aria-expanded", "true")
    first = menu.get_by_role("button", name="I hear you")
    expect(first).to_be_focused()  # focus moves into the menu
    assert serious_axe_violations(page) == []
    screenshot(page, f"post-menu-{width}-{scheme}")
    page.keyboard.press("Enter")  # react, in place
    expect(page.locator(f"#post-{post.pk} > .reaction-sum")).to_have_text(
        "I hear you 1"
    )
    page.keyboard.press("Escape")
    expect(menu).to_have_count(0)
    expect(more).to_be_focused()  # back where it was opened
    expect(more).to_have_attribute("aria-expanded", "false")
    # Reply: the page's one form moves under the post and takes focus.
    reply = page.locator(f"#post-{post.pk} > a.post-reply")
    reply.focus()
    page.keyboard.press("Enter")
    form = page.locator(f"#post-{post.pk} > #reply")
    expect(form.get_by_label("Your reply")).to_be_focused()
    expect(form.locator("h2")).to_have_text("Reply to Hazel Host")
    page.keyboard.type("Walks help me too.")
    form.get_by_role("button", name="Send reply").click()
    answer = page.locator(f"#post-{post.pk} > article.post", has_text="Walks help")
    expect(answer).to_be_visible()
    assert no_horizontal_overflow(page)
    assert serious_axe_violations(page) == []
    screenshot(page, f"thread-reply-moved-{width}-{scheme}")
