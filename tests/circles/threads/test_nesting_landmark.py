"""The contract's landmark (first round): a post on a thread page is an element with
`id="post-<id>"`, nested inside its parent's element, at every depth."""

from html.parser import HTMLParser

import pytest

from circles.threads import services

pytestmark = pytest.mark.django_db


class Ancestry(HTMLParser):
    VOID = {"br", "img", "input", "hr", "meta", "link", "source", "wbr", "area"}

    def __init__(self):
        super().__init__()
        self.stack, self.parents = [], {}

    def handle_starttag(self, tag, attrs):
        ident = dict(attrs).get("id") or ""
        if ident.startswith("post-") and ident[5:].isdigit():
            posts = [i for i in self.stack if i]
            self.parents[ident] = posts[-1] if posts else None
        if tag not in self.VOID:
            self.stack.append(ident if ident.startswith("post-") else "")

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()


def test_each_reply_sits_inside_its_parents_element(client, circle, host, member):
    thread = services.thread_create(
        author=host, circle=circle, title="Nest", body="the first words"
    ).thread
    parent = thread.posts.get()
    chain = [parent]
    for depth in range(4):
        chain.append(
            services.post_reply(
                author=member if depth % 2 == 0 else host,
                thread=thread,
                parent_id=chain[-1].pk,
                body=f"reply at depth {depth + 1}",
            ).post
        )
    client.force_login(member)
    page = client.get(thread.get_absolute_url())
    tree = Ancestry()
    tree.feed(page.content.decode())
    for child, above in zip(chain[1:], chain[:-1], strict=True):
        assert tree.parents[f"post-{child.pk}"] == f"post-{above.pk}"
