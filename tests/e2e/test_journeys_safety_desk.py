"""The safety desk in a real browser, as it is met in a crisis: a member writes
crisis words in chat while a moderator has the circle open; the moderator gets a
banner, picks the case up, checks in and uses care; the member still sees her words
and has a caring note; another member sees only that the moderators moved them.
Phone (390x844, dark) and desktop (1280x800, light), axe on every page."""

import pytest
from playwright.sync_api import expect

from moderation.models import SafetyCase
from moderation.safety.cases import safety_case_join
from tests.e2e.conftest import screenshot, serious_axe_violations
from tests.factories import UserFactory, add_member

WORDS = "i have the pills counted out and i am going to take them all tonight"
SIZES = [(390, 844, "dark"), (1280, 800, "light")]


def chat_ready(page):
    expect(page.locator("#chat-status")).to_have_text("Connected.", timeout=5000)


def opened(page_for, user, url, width, height, scheme):
    page = page_for(user, width=width, height=height)
    page.emulate_media(color_scheme=scheme)
    page.goto(url)
    return page


@pytest.mark.parametrize("width,height,scheme", SIZES)
def test_a_crisis_in_chat_meets_a_moderator_who_picks_up_checks_in_and_cares(
    page_for, live, circle, member, moderator, width, height, scheme
):
    reader = UserFactory(display_name="Rae Reader")
    add_member(circle, reader)
    room = f"{live.url}/circles/{circle.slug}/"
    mod = opened(page_for, moderator, room, width, height, scheme)
    other = opened(page_for, reader, room, width, height, scheme)
    ana = opened(page_for, member, room, width, height, scheme)
    for page in (mod, other, ana):
        chat_ready(page)

    box = ana.locator("#chat-input")
    box.fill(WORDS)
    box.press("Enter")
    expect(ana.locator("#crisis-resources")).to_be_visible()

    banner = mod.locator(f'[data-safety-alert="{member.pk}"]')
    expect(banner).to_be_visible()
    expect(banner).to_have_attribute("data-level", "danger")
    expect(banner).to_contain_text(f"{member.display_name} may be in danger")
    assert serious_axe_violations(mod) == []
    screenshot(mod, f"safety-desk-banner-{width}-{scheme}")
    banner.get_by_role("button", name=f"Pick up {member.display_name}'s case").click()

    row = mod.locator(f'[data-safety-case="{member.pk}"]')
    expect(row).to_have_attribute("data-picked-up", "true")
    expect(row).to_contain_text("You are reaching out")
    assert SafetyCase.objects.get(person=member).picked_up_by == moderator

    row.get_by_label(f"Reach out privately to {member.display_name}").fill(
        "Hi, I'm here with you tonight. Would you like to talk?"
    )
    row.get_by_role("button", name="Send a private check-in").click()
    mod.goto(f"{room}moderation/")
    row = mod.locator(f'[data-safety-case="{member.pk}"]')
    expect(
        row.get_by_role("button", name="Care: move out of others' view")
    ).to_be_visible()
    assert serious_axe_violations(mod) == []
    row.get_by_role("button", name="Care: move out of others' view").click()
    expect(mod.locator("body")).to_contain_text("Moved out of other members' view.")

    # Another member, live: only the neutral line.
    log = other.locator("#chat-log, .chat-log").first
    expect(other.get_by_text("Moved out of view by the moderators.")).to_be_visible()
    expect(other.locator("body")).not_to_contain_text("pills counted out")
    assert serious_axe_violations(other) == []
    screenshot(other, f"safety-desk-other-member-{width}-{scheme}")
    del log

    # The member: her words stay, and a caring note signed by the moderator.
    expect(ana.locator("body")).to_contain_text("pills counted out")
    expect(ana.get_by_text("Moved out of other members' view").first).to_be_visible()
    ana.goto(f"{live.url}/notifications/")
    note = ana.get_by_text("You broke no rule")
    expect(note).to_be_visible()
    expect(ana.locator("body")).to_contain_text(f"– {moderator.display_name}")
    assert serious_axe_violations(ana) == []
    screenshot(ana, f"safety-desk-caring-note-{width}-{scheme}")
    ana.goto(room)
    expect(ana.locator("body")).to_contain_text("pills counted out")


@pytest.mark.parametrize("width,height,scheme", SIZES)
def test_the_queue_with_three_cases(
    page_for, live, circle, moderator, host, width, height, scheme
):
    people = []
    for name, level, source in (
        ("Cal Concern", "concern", "flag"),
        ("Dana Danger", "danger", "words"),
        ("Uma Unsafe", "unsafe", "words"),
    ):
        person = UserFactory(display_name=name)
        add_member(circle, person)
        safety_case_join(
            circle=circle,
            person=person,
            kind="message",
            object_id=1000 + len(people),
            level=level,
            source=source,
        )
        people.append(person)
    safety_case_join(
        circle=circle,
        person=people[1],
        kind="not-ok",
        object_id=None,
        level="concern",
        source="not_ok",
    )
    page = opened(
        page_for,
        moderator,
        f"{live.url}/circles/{circle.slug}/moderation/",
        width,
        height,
        scheme,
    )
    cases = page.locator("[data-safety-case]")
    expect(cases).to_have_count(3)
    assert [cases.nth(n).get_attribute("data-level") for n in range(3)] == [
        "danger",
        "unsafe",
        "concern",
    ]
    assert cases.nth(0).get_attribute("data-levels") == "danger concern"
    assert serious_axe_violations(page) == []
    screenshot(page, f"safety-queue-three-cases-{width}-{scheme}")
    page.get_by_role("button", name="Take the next case").click()
    expect(page.locator(f'[data-safety-case="{people[1].pk}"]')).to_have_attribute(
        "data-picked-up", "true"
    )


def test_the_queue_updates_without_a_reload(page_for, live, circle, member, moderator):
    queue = page_for(moderator, width=1280, height=800)
    queue.goto(f"{live.url}/circles/{circle.slug}/moderation/")
    expect(queue.locator("#safety")).to_contain_text(
        "No one needs a check-in right now."
    )
    queue.wait_for_timeout(500)  # its /ws/me/ socket is open
    ana = page_for(member, width=390, height=844)
    ana.goto(f"{live.url}/circles/{circle.slug}/")
    ana.get_by_role("button", name="I'm not OK right now").first.click()
    expect(ana.locator("#crisis-resources")).to_be_visible()
    case = queue.locator(f'[data-safety-case="{member.pk}"]')
    expect(case).to_be_visible(timeout=5000)
    expect(case.locator("[data-safety-item^='not-ok:']")).to_have_count(1)
    expect(queue.locator(f'[data-safety-alert="{member.pk}"]')).to_be_visible()
    assert serious_axe_violations(queue) == []
