"""Finding 14 (issue 26, the members' part): a plain discussion's form has no
ask-only fields; a deleted account reads "a former member" with no hash; a thread
whose author deleted it is not listed under a title "Removed by its author"."""

import pytest

from circles.models import Thread
from community.accounts import erasure
from community.accounts.services import display_name_conflict
from tests.factories import PostFactory, ThreadFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db


def test_a_plain_discussion_form_has_no_ask_only_fields(client, circle, member):
    client.force_login(member)
    html = client.get(f"/circles/{circle.slug}/threads/new/").content.decode()
    assert 'name="needs"' not in html and 'name="reply_norm"' not in html
    assert "(for an ask" not in html
    assert "Ask for help instead" in html
    ask = client.get(f"/circles/{circle.slug}/threads/new/?kind=ask").content.decode()
    assert 'name="needs"' in ask and 'name="reply_norm"' in ask
    assert "(for an ask" not in ask
    # A discussion posts without them.
    response = client.post(
        f"/circles/{circle.slug}/threads/new/",
        {"kind": "discussion", "title": "Walks", "body": "Who walks at dawn?"},
    )
    assert response.status_code == 302
    assert Thread.objects.get(title="Walks").kind == "discussion"


def test_deleted_accounts_read_a_former_member_with_no_hash(client, circle, member):
    thread = ThreadFactory(circle=circle, author=member, title="Hello")
    gone = []
    for name in ("Ash", "Bo"):
        person = UserFactory(display_name=name)
        add_member(circle, person)
        PostFactory(thread=thread, author=person, body=f"words of {name}")
        erasure.account_delete(user=person, content="keep")
        person.refresh_from_db()
        gone.append(person)
    assert [p.display_name for p in gone] == ["a former member"] * 2
    client.force_login(member)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "a former member (" not in html
    assert "a former member" in html
    # Nobody can take the name.
    assert display_name_conflict(display_name="A Former Member")


def test_a_thread_removed_by_its_author_is_not_listed_by_that_title(
    client, circle, member
):
    author = UserFactory(display_name="Gone Soon")
    add_member(circle, author)
    thread = ThreadFactory(circle=circle, author=author, title="My story")
    PostFactory(thread=thread, author=member, body="Thank you for this")
    erasure.account_delete(user=author, content="remove")
    thread.refresh_from_db()
    assert thread.title_removed
    client.force_login(member)
    html = client.get(circle.get_absolute_url()).content.decode()
    assert ">Removed by its author<" not in html
    assert "A thread its author removed" in html


def test_a_chat_stopped_by_logging_out_elsewhere_does_not_read_like_a_ban():
    from pathlib import Path

    script = (Path(__file__).resolve().parents[2] / "static/js/chat.js").read_text()
    assert "You no longer have access to this circle's chat." not in script
    assert "Log out everywhere" in script
