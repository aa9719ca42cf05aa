"""Moderators' journeys of issue 26 ("No dead ends") in a real browser, on a phone
(390x844) and a desktop (1280x800), axe serious/critical: none on every page.
- 1: the review queue links to the removed items; Restore brings a chat message back,
  and a member's open circle page shows it again without reloading.
- 3: the members page links to "Muted and banned (N)"; Unmute and Unban from there.
- 4: Ban asks first (a dialog); a moderator steps down after a dialog; the last host
  is told, on the page, to hand the host role over first."""

import pytest
from playwright.sync_api import expect

from circles.chat import services as chat_services
from circles.memberships import sanctions
from circles.models import ContentStatus, Membership
from circles.threads import services as thread_services
from moderation.models import ModerationAction
from moderation.review import services as review_services
from tests.e2e.conftest import ROOT, no_horizontal_overflow, serious_axe_violations
from tests.factories import UserFactory, add_member

SIZES = [("phone", 390, 844), ("desktop", 1280, 800)]
ARTIFACTS = ROOT / "test-artifacts"


def clean(page):
    assert serious_axe_violations(page) == []
    assert no_horizontal_overflow(page)


def save(page, name: str, *, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


@pytest.mark.parametrize("size,width,height", SIZES)
def test_a_moderator_finds_removed_items_and_restores_one(
    page_for, live, circle, host, member, moderator, size, width, height
):
    thread = thread_services.thread_create(
        author=member, circle=circle, title="Sleep", body="I cannot sleep lately."
    ).thread
    reply = thread_services.post_reply(
        author=member, thread=thread, body="Have you tried counting sheep?"
    ).post
    message = chat_services.chat_message_post(
        author=member, circle=circle, body="Sorry, that came out wrong."
    ).message
    for kind, item, reason in [
        ("post", reply, "Advice on a thread that asked for listening"),
        ("message", message, "Sharp words in the chat"),
    ]:
        review_services.content_remove(
            actor=moderator, kind=kind, object_id=item.pk, reason=reason
        )

    # A member has the circle open: the removed message reads as removed.
    reader = page_for(member, width=width, height=height)
    reader.goto(f"{live.url}/circles/{circle.slug}/")
    expect(reader.locator("#chat-status")).to_have_text("Connected.", timeout=5000)
    line = reader.locator(f'#chat-log [data-message-id="{message.pk}"]')
    expect(line).not_to_contain_text("Sorry, that came out wrong.")

    page = page_for(moderator, width=width, height=height)
    page.goto(f"{live.url}/circles/{circle.slug}/moderation/")
    clean(page)
    page.locator("#removed-link").click()
    expect(page.get_by_role("heading", name="Removed items", level=1)).to_be_visible()
    row = page.locator(f'[data-removed-item="message:{message.pk}"]')
    expect(row).to_contain_text("Removed by Moss Moderator")
    expect(row).to_contain_text("Sharp words in the chat")
    expect(page.locator(f'[data-removed-item="post:{reply.pk}"]')).to_contain_text(
        "Advice on a thread that asked for listening"
    )
    clean(page)
    save(page, f"moderator-removed-list-{size}")

    row.get_by_role("button", name="Restore").click()
    expect(page.get_by_text("Restored: the circle can read it again")).to_be_visible()
    expect(page.locator(f'[data-removed-item="message:{message.pk}"]')).to_have_count(0)
    expect(page.locator(f'[data-removed-item="post:{reply.pk}"]')).to_have_count(1)
    clean(page)
    message.refresh_from_db()
    assert message.status == ContentStatus.VISIBLE
    assert ModerationAction.objects.filter(action="restore").count() == 1
    # The member's open page shows the words again, without a reload.
    expect(line).to_contain_text("Sorry, that came out wrong.", timeout=5000)
    clean(reader)


@pytest.mark.parametrize("size,width,height", SIZES)
def test_a_host_finds_muted_and_banned_people_and_lifts_both(
    page_for, live, circle, host, member, size, width, height
):
    muted = UserFactory(display_name="Rowan Quiet")
    add_member(circle, muted)
    sanctions.membership_mute(
        actor=host, circle=circle, user_id=muted.pk, minutes=120, reason="Too heated"
    )
    banned = UserFactory(display_name="Ash Away")
    add_member(circle, banned)
    sanctions.membership_ban(
        actor=host, circle=circle, user_id=banned.pk, reason="Repeated insults"
    )

    page = page_for(host, width=width, height=height)
    page.goto(f"{live.url}/circles/{circle.slug}/members/")
    expect(page.locator(f'[data-user-id="{banned.pk}"]')).to_have_count(0)
    clean(page)
    page.get_by_role("link", name="Muted and banned (2)").click()
    expect(
        page.get_by_role("heading", name="Muted and banned", level=1)
    ).to_be_visible()
    mute_row = page.locator(f'[data-sanctioned="{muted.pk}"][data-sanction="mute"]')
    ban_row = page.locator(f'[data-sanctioned="{banned.pk}"][data-sanction="ban"]')
    expect(mute_row).to_contain_text("Too heated")
    expect(ban_row).to_contain_text("Repeated insults")
    assert "@example.org" not in page.content()
    clean(page)
    save(page, f"moderator-sanctioned-list-{size}")

    mute_row.get_by_role("button", name="Unmute").click()
    expect(page.get_by_text("Mute lifted: they can write again.")).to_be_visible()
    expect(mute_row).to_have_count(0)
    clean(page)
    ban_row.get_by_role("button", name="Unban").click()
    expect(
        page.get_by_text("Ban lifted: they can come back the way anyone joins")
    ).to_be_visible()
    expect(
        page.get_by_text("Nobody in this circle is muted or banned.")
    ).to_be_visible()
    clean(page)
    assert Membership.objects.get(circle=circle, user=banned).state == "left"
    assert Membership.objects.get(circle=circle, user=muted).muted_until is None
    assert set(
        ModerationAction.objects.filter(action__in=["unmute", "unban"]).values_list(
            "action", flat=True
        )
    ) == {"unmute", "unban"}


@pytest.mark.parametrize("size,width,height", SIZES)
def test_ban_asks_first_a_moderator_steps_down_and_the_last_host_is_told_why_not(
    page_for, live, circle, host, member, moderator, size, width, height
):
    page = page_for(moderator, width=width, height=height)
    page.goto(f"{live.url}/circles/{circle.slug}/members/")
    clean(page)
    row = page.locator(f'[data-user-id="{member.pk}"]')
    row.get_by_text("Mute or ban").click()
    row.get_by_label("Reason for the ban").fill("Testing the question first")
    row.get_by_role("button", name="Ban from the circle").click()
    dialog = page.get_by_role("dialog", name="Ban Mira Member?")
    expect(dialog).to_contain_text("They lose access to Morning Light at once")
    clean(page)
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    assert Membership.objects.get(circle=circle, user=member).state == "active"

    page.get_by_role("button", name="Step down to member").click()
    dialog = page.get_by_role("dialog", name="Step down as moderator?")
    expect(dialog).to_contain_text("A host can give you a role again.")
    clean(page)
    save(page, f"step-down-{size}", full_page=False)  # the dialog, as seen
    dialog.get_by_role("button", name="Step down").click()
    expect(
        page.get_by_text("You stepped down: you are a member of this circle now.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Step down to member")).to_have_count(0)
    expect(page.get_by_text("Mute or ban")).to_have_count(0)
    clean(page)
    assert Membership.objects.get(circle=circle, user=moderator).role == "member"
    assert ModerationAction.objects.filter(action="step_down", actor=moderator).exists()

    # The circle's only host presses Step down: nothing changes, and the page says
    # what to do first.
    page = page_for(host, width=width, height=height)
    page.goto(f"{live.url}/circles/{circle.slug}/members/")
    page.get_by_role("button", name="Step down to member").click()
    expect(
        page.get_by_text("You are this circle's only host, so nothing has changed")
    ).to_be_visible()
    expect(page.get_by_text("Make another member host first")).to_be_visible()
    clean(page)
    assert Membership.objects.get(circle=circle, user=host).role == "host"
