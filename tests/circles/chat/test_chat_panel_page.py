"""The circle page for keyboards and screen readers (issue 26): a skip link to the
chat box; a live region apart from the log, so only "Author: words" is announced;
"I'm not OK" once on a wide screen (the top one gives way to the composer's)."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from circles.models import Membership

pytestmark = pytest.mark.django_db

CSS = Path(__file__).resolve().parents[3] / "static" / "css" / "site.css"


def page_of(client, user, circle) -> str:
    client.force_login(user)
    return client.get(circle.get_absolute_url()).content.decode()


def test_the_skip_link_goes_to_the_chat_box_after_leave_quickly(client, circle, member):
    page = page_of(client, member, circle)
    nav = page[page.index('class="quick-nav"') : page.index("</nav>")]
    links = re.findall(r'<a [^>]*href="([^"]+)"', nav)
    assert links[1:] == ["#chat-input", "#main"]  # after "Leave quickly"
    assert 'id="quick-exit"' in nav.split("Skip to chat")[0]
    assert 'id="chat-input"' in page


def test_someone_who_cannot_send_skips_to_the_log(client, circle, member):
    Membership.objects.filter(user=member, circle=circle).update(
        muted_until=timezone.now() + timedelta(hours=1)
    )
    page = page_of(client, member, circle)
    assert 'href="#chat-log" data-skip-to-chat>Skip to chat</a>' in page
    assert 'id="chat-input"' not in page


def test_a_visitor_gets_no_skip_to_chat(client, circle, outsider):
    assert "Skip to chat" not in page_of(client, outsider, circle)


def test_the_log_is_not_the_live_region_a_text_only_one_is(client, circle, member):
    page = page_of(client, member, circle)
    log = re.search(r'<ol id="chat-log"[^>]*>', page).group(0)
    assert "aria-live" not in log
    region = re.search(r'<div id="chat-announce"[^>]*>', page).group(0)
    assert 'aria-live="polite"' in region and "visually-hidden" in region


def test_not_ok_gives_way_on_a_wide_screen_only_when_the_composer_has_one(
    client, circle, member
):
    page = page_of(client, member, circle)
    forms = re.findall(r'<form [^>]*class="(not-ok-form[^"]*)"', page)
    assert forms == ["not-ok-form not-ok-top has-chat-twin", "not-ok-form not-ok-chat"]
    css = CSS.read_text()
    rule = re.search(
        r"@media \(min-width: 901px\) \{ \.not-ok-form\.has-chat-twin", css
    )
    assert rule and "display: none" in css[rule.start() : rule.start() + 120]
    # Muted: no composer, so the top one stays everywhere.
    Membership.objects.filter(user=member, circle=circle).update(
        muted_until=timezone.now() + timedelta(hours=1)
    )
    page = page_of(client, member, circle)
    forms = re.findall(r'<form [^>]*class="(not-ok-form[^"]*)"', page)
    assert forms == ["not-ok-form not-ok-top"]
