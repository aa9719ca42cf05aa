"""Bare Django views returning the same rows as the thread page and the circle page,
from the same database, with no templates, permissions or markup."""

from django.http import HttpResponse
from django.urls import path

from circles.models import ChatMessage, Circle, Membership, Post, Thread


def rows(request, thread_id):
    posts = Post.objects.filter(thread_id=thread_id).values_list(
        "id", "parent_id", "author__display_name", "body_html", "created_at"
    )
    body = "\n".join(f"{p[0]}\t{p[1]}\t{p[2]}\t{p[3]}\t{p[4]}" for p in posts)
    return HttpResponse(body, content_type="text/plain")


def circle_rows(request, slug):
    """What a member's circle page shows, as plain rows: the circle, its member
    count, the latest 50 chat messages, the 11 threads of most recent activity and
    the asks still waiting (the page's own limits)."""
    circle = Circle.objects.values_list("id", "name", "description").get(slug=slug)
    members = Membership.objects.filter(circle_id=circle[0], state="active").count()
    messages = ChatMessage.objects.filter(circle_id=circle[0]).order_by("-seq")[:50]
    threads = Thread.objects.filter(circle_id=circle[0]).order_by("-last_activity_at")
    asks = threads.filter(kind="ask", first_reply_at__isnull=True).order_by("id")
    lines = [f"{circle[1]}\t{circle[2]}\t{members}"]
    lines += [
        f"{m[0]}\t{m[1]}\t{m[2]}\t{m[3]}"
        for m in reversed(
            messages.values_list(
                "id", "author__display_name", "body_html", "created_at"
            )
        )
    ]
    for rows_of in (threads[:11], asks[:10]):
        lines += [
            f"{t[0]}\t{t[1]}\t{t[2]}\t{t[3]}\t{t[4]}"
            for t in rows_of.values_list(
                "id", "title", "author__display_name", "reply_count", "last_activity_at"
            )
        ]
    return HttpResponse("\n".join(lines), content_type="text/plain")


urlpatterns = [
    path("rows/<int:thread_id>/", rows),
    path("circle-rows/<slug:slug>/", circle_rows),
]
