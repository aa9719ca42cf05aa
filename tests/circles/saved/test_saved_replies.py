"""Finding 10 (issue 26): thread replies can be saved, like threads and chat messages."""

import pytest

from circles.saved.models import SavedItem
from circles.threads import services as thread_services
from tests.factories import ThreadFactory

pytestmark = pytest.mark.django_db


def test_a_reply_has_save_and_saving_it_comes_back_to_it(client, circle, host, member):
    thread = ThreadFactory(circle=circle, author=host)
    reply = thread_services.post_reply(
        author=host, thread=thread, body="Kind words"
    ).post
    client.force_login(member)
    menu_url = f"/circles/{circle.slug}/posts/{reply.pk}/menu/"
    assert f'href="/circles/{circle.slug}/posts/{reply.pk}/actions/"' in (
        client.get(thread.get_absolute_url()).content.decode()
    )
    html = client.get(menu_url).content.decode()  # the reply's menu
    assert (
        f'name="kind" value="post"><input type="hidden" name="id" value="{reply.pk}"'
        in html
    )
    response = client.post(
        "/saved/",
        {
            "kind": "post",
            "id": reply.pk,
            "next": f"{thread.get_absolute_url()}#post-{reply.pk}",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#post-{reply.pk}")
    assert SavedItem.objects.filter(user=member, post=reply).exists()
    html = client.get(menu_url).content.decode()
    assert (
        'aria-pressed="true">Saved<span class="visually-hidden"> (select to unsave)'
        in (html)
    )
    assert "Kind words" in client.get("/saved/").content.decode()
