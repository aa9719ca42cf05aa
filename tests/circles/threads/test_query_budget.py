"""The thread page's query budget (issue 28): a constant number of queries, the same
for 10 posts as for 500, and never more than this list."""

import pytest

from circles.models import Post
from community import markup

from ...factories import ThreadFactory
from ...query_budget import page_queries

pytestmark = pytest.mark.django_db

# A member reading a thread shown whole (up to 500 replies):
#   the circle; the session; the user; every membership and permission of theirs
#   (one query, tests/query_budget.py); the thread with their last visit; the
#   thread's shape with every post; its reaction counts; what they saved (the
#   thread's Save button); which posts' words raised a crisis level; the visit
#   (one upsert; none when their last visit came after the thread's last
#   activity, test_visits.py). The library's revision (the sidebar's cache key),
#   whom they ignore and the header's unread notifications and private messages
#   come from the cache; with none unread, no notification is marked read (one
#   update otherwise). Before issue 28's first item: 16.
MEMBER_BUDGET = 10
# Moderators also read the posts' edit history.
MODERATOR_BUDGET = MEMBER_BUDGET + 1


def thread_query_budget(viewer, moderator) -> int:
    return MODERATOR_BUDGET if viewer == moderator else MEMBER_BUDGET


def _thread(circle, author, replies: int):
    thread = ThreadFactory(circle=circle, author=author)
    parents = [thread.posts.get()]
    for n in range(replies):
        parent = parents[(n * 7) % len(parents)]
        body = f"Reply {n}: *thank you*."
        parents.append(
            Post.objects.create(
                thread=thread,
                parent=parent,
                author=author,
                body=body,
                body_html=markup.render(body, kind="post"),
                depth=min(parent.depth + 1, 5),
            )
        )
    thread.reply_count = replies
    thread.save(update_fields=["reply_count"])
    return thread


@pytest.mark.parametrize("who", ["member", "moderator"])
def test_the_thread_page_keeps_its_query_budget_for_10_and_500_posts(
    client, circle, member, moderator, host, who
):
    viewer = {"member": member, "moderator": moderator}[who]
    budget = thread_query_budget(viewer, moderator)
    client.force_login(viewer)
    for thread in (_thread(circle, host, 10), _thread(circle, host, 500)):
        queries = page_queries(client, thread.get_absolute_url())  # warm, then asked
        assert len(queries) == budget, [sql[:80] for sql in queries]
