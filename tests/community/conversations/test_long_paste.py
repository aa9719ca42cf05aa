"""Finding 8 (issue 26): a private message box never cuts a long paste silently. The
boxes carry no maxlength (the browser would cut a 4,290-character paste to 4,000
without a word); the server refuses it with the count and keeps every character, as
chat does."""

import re
from pathlib import Path

import pytest

from community.conversations import services

from ...factories import UserFactory, add_member

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[3] / "templates" / "conversations"
PASTE = ("A long paste about a long week. " * 140)[:4289] + "."


@pytest.mark.parametrize(
    "name", ["detail.html", "start.html", "_message_form.html", "_check_in_form.html"]
)
def test_no_message_box_cuts_a_paste(name):
    text = (TEMPLATES / name).read_text()
    for box in re.findall(r"<textarea[^>]*>", text):
        assert "maxlength" not in box, box
    assert "4,000 characters" in text or name == "start.html" and "4,000" in text


@pytest.fixture
def talk(allow, circle, member):
    bea = UserFactory(display_name="Bea Member")
    add_member(circle, bea)
    allow(bea)
    return services.message_start(
        sender=member, recipient_id=bea.pk, body="first words"
    ).message.conversation


def test_a_4290_character_paste_is_refused_with_its_count_and_kept(login, talk, member):
    response = login(member).post(f"/messages/{talk.pk}/send/", {"body": PASTE})
    assert response.status_code == 400
    html = response.content.decode()
    assert "That is 4,290 characters; a message can have 4,000." in html
    assert PASTE.strip() in html
    assert talk.messages.count() == 1


def test_a_long_first_message_is_refused_and_kept(login, allow, circle, member):
    bea = UserFactory(display_name="Bea Member")
    add_member(circle, bea)
    allow(bea)
    response = login(member).post(f"/members/{bea.pk}/message/", {"body": PASTE})
    assert response.status_code == 400
    html = response.content.decode()
    assert "4,290 characters" in html and PASTE.strip() in html
