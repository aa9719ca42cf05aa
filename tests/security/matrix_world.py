"""The people of the authorization matrix: every kind of visitor, one world a test."""

from datetime import timedelta

from django.utils import timezone

from circles.chat import services as chat_services
from circles.models import Circle, Membership
from circles.threads import services as thread_services

from ..factories import CircleFactory, UserFactory, add_member

VISITORS = [
    "anonymous",
    "outsider",
    "pending",
    "member",
    "muted",
    "banned",
    "left",
    "other_moderator",
    "moderator",
    "host",
    "staff",
]
# Who may read the circle's content (chat, threads, members).
READERS = {"member", "muted", "moderator", "host", "staff"}
MODERATORS = {"moderator", "host", "staff"}


def build_world(*, private: bool) -> dict:
    host = UserFactory(display_name="Hazel Host")
    circle = CircleFactory(
        host=host,
        name="Matrix Circle",
        slug="matrix",
        visibility=Circle.Visibility.UNLISTED if private else Circle.Visibility.LISTED,
        join_policy=Circle.JoinPolicy.INVITE if private else Circle.JoinPolicy.OPEN,
    )
    other = CircleFactory(name="Other Circle", slug="other")
    people = {"anonymous": None, "host": host}
    people["outsider"] = UserFactory()
    people["staff"] = UserFactory(is_staff=True)
    for name, state in [
        ("pending", Membership.State.PENDING),
        ("member", Membership.State.ACTIVE),
        ("muted", Membership.State.ACTIVE),
        ("banned", Membership.State.BANNED),
        ("left", Membership.State.LEFT),
    ]:
        people[name] = UserFactory()
        add_member(circle, people[name], state=state)
    Membership.objects.filter(circle=circle, user=people["muted"]).update(
        muted_until=timezone.now() + timedelta(hours=1)
    )
    people["moderator"] = UserFactory()
    add_member(circle, people["moderator"], role=Membership.Role.MODERATOR)
    people["other_moderator"] = UserFactory()
    add_member(other, people["other_moderator"], role=Membership.Role.MODERATOR)
    target = UserFactory(display_name="Tara Target")
    add_member(circle, target)
    return {"circle": circle, "other": other, "people": people, "target": target}


def add_content(world: dict) -> dict:
    """An ask by the target with a reply by the host, and a chat message."""

    circle, host, target = world["circle"], world["people"]["host"], world["target"]
    ask = thread_services.thread_create(
        author=target,
        circle=circle,
        title="Matrix ask",
        body="Please listen",
        kind="ask",
        needs=["listening"],
        reply_norm="listen_only",
    ).thread
    world["thread"] = ask
    world["root"] = ask.posts.get()
    world["reply"] = thread_services.post_reply(
        author=host, thread=ask, body="I hear you"
    ).post
    world["message"] = chat_services.chat_message_post(
        author=target, circle=circle, body="matrix chat", client_id="m"
    ).message
    return world
