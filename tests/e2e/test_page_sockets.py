"""One socket of each kind per page: a thread page (live replies, reaction counts)
opens exactly one circle socket and one `/ws/me/` (test_journeys_threads shows live
replies arriving through it)."""

from circles.threads import services as thread_services


def test_a_thread_page_opens_one_circle_socket_and_one_me_socket(
    page_for, live, circle, member
):
    thread = thread_services.thread_create(
        author=member, circle=circle, title="One socket each", body="Hello all."
    ).thread
    page = page_for(member)
    opened = []
    page.on("websocket", lambda ws: opened.append(ws.url))
    page.goto(f"{live.url}{thread.get_absolute_url()}")
    page.wait_for_function(
        "() => window.circlesSocket && window.circlesSocket.isOpen('circle')"
        " && window.circlesSocket.isOpen('me')"
    )
    page.wait_for_timeout(500)  # time for any further socket to show itself
    paths = sorted(url.split("://", 1)[1].split("/", 1)[1] for url in opened)
    assert paths == [f"ws/circles/{circle.slug}/", "ws/me/"]
