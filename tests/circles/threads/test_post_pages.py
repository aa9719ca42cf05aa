"""Issue 28: a thread page draws one reply form and, per post, a Reply link and a More
link; each leads to a page that works without JavaScript (reply, actions: react,
save, flag, edit, delete, this helped, remove), and the menu a script opens is the
same markup."""

import re

import pytest

from circles.models import ContentStatus, Post
from circles.reactions.models import Reaction
from circles.saved.models import SavedItem
from circles.threads import services as thread_services
from moderation.models import Flag

pytestmark = pytest.mark.django_db

DANGER = "i have the pills counted out and i am going to take them all tonight"


@pytest.fixture
def thread(circle, host):
    return thread_services.thread_create(
        author=host, circle=circle, title="Evenings", body="How are your evenings?"
    ).thread


@pytest.fixture
def reply(thread, host):
    return thread_services.post_reply(
        author=host, thread=thread, body="Mine are quiet."
    ).post


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def post_url(circle, post, name):
    return f"/circles/{circle.slug}/posts/{post.pk}/{name}/"


def article(html, pk):
    start = html.index(f'<article id="post-{pk}"')
    end = html.find("<article", start + 1)
    return html[start : end if end > 0 else len(html)]


def test_the_thread_page_has_one_reply_form_and_two_links_a_post(
    client, circle, thread, reply, member
):
    for n in range(5):
        thread_services.post_reply(author=member, thread=thread, body=f"more {n}")
    client.force_login(member)
    html = get(client, thread.get_absolute_url())
    section = html[html.index('<div class="post-tree">') : html.index('id="reply"')]
    assert "<form" not in section and "<textarea" not in section
    assert html.count('name="body"') == 1  # the one reply form, at the end
    mine = article(html, reply.pk)
    assert f'<a class="post-reply" href="{post_url(circle, reply, "reply")}">' in mine
    assert (
        f'<a class="post-more" href="{post_url(circle, reply, "actions")}" rel="nofollow">'
        in mine
    )
    assert f'data-menu-url="/circles/{circle.slug}/posts/0/menu/"' in html


def test_a_reply_through_the_reply_page_lands_under_its_post(
    client, circle, thread, reply, member
):
    client.force_login(member)
    html = get(client, post_url(circle, reply, "reply"))
    assert "Mine are quiet." in html  # the words it answers
    action = f'action="/circles/{circle.slug}/threads/{thread.pk}/reply/"'
    assert action in html
    assert f'name="parent" value="{reply.pk}"' in html
    assert f'data-draft-key="reply-{thread.pk}-{reply.pk}"' in html
    response = client.post(
        f"/circles/{circle.slug}/threads/{thread.pk}/reply/",
        {"body": "Mine too, with tea.", "parent": reply.pk},
    )
    answer = Post.objects.get(body="Mine too, with tea.")
    assert answer.parent_id == reply.pk
    assert response["Location"].endswith(f"#post-{answer.pk}")


def test_a_refused_reply_to_a_post_keeps_its_words_and_says_whom_it_answers(
    client, circle, thread, reply, member
):
    client.force_login(member)
    response = client.post(
        f"/circles/{circle.slug}/threads/{thread.pk}/reply/",
        {"body": "", "parent": reply.pk, "content_warning": "x" * 300},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "errorlist" in html and "Your reply to Hazel Host" in html
    assert f'name="parent" value="{reply.pk}"' in html
    assert f'data-draft-key="reply-{thread.pk}-{reply.pk}"' in html


def test_the_reply_page_of_a_locked_thread_says_so_and_has_no_form(
    client, circle, thread, reply, member
):
    thread.locked = True
    thread.save(update_fields=["locked"])
    client.force_login(member)
    html = get(client, post_url(circle, reply, "reply"), status=403)
    assert "locked" in html and 'name="body"' not in html


def test_hidden_posts_answer_404_like_missing_ones_and_outsiders_read_nothing(
    client, circle, thread, reply, member, outsider
):
    held = Post.objects.create(
        thread=thread,
        parent=reply,
        author=thread.author,
        body="held words",
        body_html="<p>held words</p>",
        status=ContentStatus.HELD,
        depth=2,
    )
    client.force_login(member)
    for name in ("reply", "actions", "menu"):
        get(client, post_url(circle, held, name), status=404)
    get(client, f"/circles/{circle.slug}/posts/999999/actions/", status=404)
    client.force_login(outsider)  # the circle's public face only
    for name in ("reply", "actions", "menu", "edit", "delete"):
        assert "Mine are quiet." not in get(
            client, post_url(circle, reply, name), status=403
        )


def test_reacting_without_javascript_goes_through_the_actions_page(
    client, circle, thread, reply, member
):
    client.force_login(member)
    html = get(client, post_url(circle, reply, "actions"))
    form = re.search(
        r'<form method="post" action="([^"]+)" class="reaction-form">', html
    )
    assert form and form.group(1) == f"/circles/{circle.slug}/react/"
    assert html.count('name="reaction"') == 4  # one form, a button each
    assert f'name="id" value="{reply.pk}"' in html
    back = f"{thread.get_absolute_url()}#post-{reply.pk}"
    response = client.post(
        form.group(1),
        {"kind": "post", "id": reply.pk, "reaction": "hear_you", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert Reaction.objects.filter(user=member, post=reply).count() == 1
    page = get(client, thread.get_absolute_url())
    assert '<p class="reaction-sum" data-reaction-sum="' in article(page, reply.pk)
    assert "I hear you 1" in article(page, reply.pk)


def test_saving_and_flagging_without_javascript(client, circle, thread, reply, member):
    client.force_login(member)
    html = get(client, post_url(circle, reply, "actions"))
    assert 'action="/saved/"' in html
    client.post(
        "/saved/",
        {"kind": "post", "id": reply.pk, "next": thread.get_absolute_url()},
    )
    assert SavedItem.objects.filter(user=member, post=reply).exists()
    flag = f"/moderation/flag/?kind=post&amp;id={reply.pk}"
    assert f'href="{flag}"' in html
    get(client, flag.replace("&amp;", "&"))
    client.post(
        "/moderation/flag/",
        {"kind": "post", "id": reply.pk, "reason": "spam", "note": ""},
    )
    assert Flag.objects.filter(reporter=member).count() == 1


def test_editing_without_javascript(client, circle, thread, member):
    mine = thread_services.post_reply(
        author=member, thread=thread, body="First words"
    ).post
    client.force_login(member)
    actions = get(client, post_url(circle, mine, "actions"))
    assert f'href="{post_url(circle, mine, "edit")}"' in actions
    html = get(client, post_url(circle, mine, "edit"))
    assert "First words</textarea>" in html
    refused = client.post(post_url(circle, mine, "edit"), {"body": " "})
    assert refused.status_code == 400 and b"data-error-summary" in refused.content
    response = client.post(post_url(circle, mine, "edit"), {"body": "Better words"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#post-{mine.pk}")
    mine.refresh_from_db()
    assert mine.body == "Better words" and mine.edited_at


def test_someone_elses_post_has_no_edit_and_its_edit_page_refuses(
    client, circle, reply, member
):
    client.force_login(member)
    assert "/edit/" not in get(client, post_url(circle, reply, "actions"))
    html = get(client, post_url(circle, reply, "edit"), status=403)
    assert 'name="body"' not in html
    assert (
        client.post(post_url(circle, reply, "edit"), {"body": "x"}).status_code == 403
    )


def test_deleting_without_javascript_asks_on_a_page_that_posts_to_the_same_url(
    client, circle, thread, member
):
    mine = thread_services.post_reply(author=member, thread=thread, body="Oops").post
    client.force_login(member)
    actions = get(client, post_url(circle, mine, "actions"))
    assert f'href="{post_url(circle, mine, "delete")}"' in actions  # a page asks
    menu = get(client, post_url(circle, mine, "menu"))
    assert "data-confirm=" in menu  # with JavaScript a dialog asks
    html = get(client, post_url(circle, mine, "delete"))
    assert "Delete this reply?" in html
    assert f'<form method="post" action="{post_url(circle, mine, "delete")}"' in html
    client.post(post_url(circle, mine, "delete"))
    mine.refresh_from_db()
    assert mine.deleted_at is not None


def test_the_asker_marks_a_reply_helped_from_its_menu(client, circle, member, host):
    ask = thread_services.thread_create(
        author=member,
        circle=circle,
        title="Could someone listen",
        body="It has been a hard week.",
        kind="ask",
        needs=["listening"],
        reply_norm="listen_only",
    ).thread
    answer = thread_services.post_reply(author=host, thread=ask, body="I am here.").post
    client.force_login(member)
    menu = get(client, post_url(circle, answer, "menu"))
    assert f'action="{post_url(circle, answer, "helped")}"' in menu
    client.post(post_url(circle, answer, "helped"))
    ask.refresh_from_db()
    assert ask.helped_post_id == answer.pk


def test_moderators_remove_from_the_menu_with_a_reason_they_type(
    client, circle, thread, reply, member, moderator
):
    client.force_login(member)
    assert "/remove/" not in get(client, post_url(circle, reply, "menu"))
    client.force_login(moderator)
    menu = get(client, post_url(circle, reply, "menu"))
    remove = f'action="/moderation/post/{reply.pk}/remove/"'
    assert remove in menu
    field = re.search(
        r'<input type="text" id="remove-reason-\d+" name="reason"[^>]*>', menu
    )
    assert field and "value=" not in field.group(0)  # never pre-filled
    back = f"{thread.get_absolute_url()}#post-{reply.pk}"
    response = client.post(
        f"/moderation/post/{reply.pk}/remove/", {"reason": "Unkind.", "next": back}
    )
    assert response["Location"] == back
    reply.refresh_from_db()
    assert reply.status == ContentStatus.REMOVED


def test_words_that_raised_danger_get_the_safety_desk_not_remove_nor_reactions(
    client, circle, thread, member, moderator
):
    heavy = thread_services.post_reply(author=member, thread=thread, body=DANGER).post
    client.force_login(moderator)
    menu = get(client, post_url(circle, heavy, "menu"))
    assert "/remove/" not in menu and "data-reaction-bar" not in menu
    assert f'href="/circles/{circle.slug}/moderation/"' in menu


def test_the_menu_is_a_fragment_and_the_actions_page_a_page(
    client, circle, reply, member
):
    client.force_login(member)
    menu = get(client, post_url(circle, reply, "menu"))
    assert "<html" not in menu and 'data-menu-of="' in menu
    page = get(client, post_url(circle, reply, "actions"))
    assert "<html" in page and 'data-menu-of="' in page
    assert f'href="{post_url(circle, reply, "reply")}"' in page


def test_a_post_page_keeps_heavy_words_collapsed_for_other_members(
    client, circle, thread, member, host
):
    heavy = thread_services.post_reply(author=host, thread=thread, body=DANGER).post
    client.force_login(member)
    for name in ("reply", "actions"):
        html = get(client, post_url(circle, heavy, name))
        assert 'data-sensitive="danger"' in html  # collapsed, one click to open
    assert "data-reaction-bar" not in get(client, post_url(circle, heavy, "menu"))


def test_an_ignored_persons_post_offers_only_show(
    client, circle, thread, reply, member
):
    """Issue 26, item 11: folded away by the reader's choice, with no reactions,
    save, flag, reply or menu; the actions page offers no reaction either."""
    from moderation.safety.services import ignore_add

    ignore_add(user=member, ignored_id=reply.author_id)
    client.force_login(member)
    page = get(client, thread.get_absolute_url())
    start = page.index(f'id="post-{reply.pk}"')
    own = page[start : page.index("</article>", start)]
    assert 'class="ignored"' in own
    assert "post-reply" not in own and "post-more" not in own
    actions = get(client, f"/circles/{circle.slug}/posts/{reply.pk}/actions/")
    assert 'name="reaction"' not in actions
