"""Test data built through the services, so that factories make what users make."""

import factory
from django.db import models
from django.utils import timezone

from circles import permissions
from circles.models import ChatMessage, Circle, Membership, Post, Thread
from community import markup
from community.accounts.models import User

PASSWORD = "a-long-test-password-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CircleFactory(factory.django.DjangoModelFactory):
    """A circle with a host (pass `host=` or get a new one)."""

    class Meta:
        model = Circle
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Circle {n}")
    slug = factory.Sequence(lambda n: f"circle-{n}")
    description = "A place to practise asking for help."
    guidelines = "Be gentle. What is shared here stays here."
    join_policy = Circle.JoinPolicy.OPEN
    visibility = Circle.Visibility.LISTED
    capacity = 12

    @factory.post_generation
    def host(obj, create, extracted, **kwargs):
        if not create:
            return
        host = extracted or UserFactory()
        add_member(obj, host, role=Membership.Role.HOST)
        obj.host = host


def add_member(
    circle, user, *, role=Membership.Role.MEMBER, state=Membership.State.ACTIVE
):
    """Put `user` in `circle` directly, as the membership services would have."""
    now = timezone.now()
    membership, _ = Membership.objects.update_or_create(
        circle=circle,
        user=user,
        defaults={
            "role": role,
            "state": state,
            "joined_at": now if state == Membership.State.ACTIVE else None,
            "guidelines_accepted_at": now,
            "requested_at": now if state == Membership.State.PENDING else None,
            "waitlisted_at": now if state == Membership.State.WAITLISTED else None,
        },
    )
    if state == Membership.State.ACTIVE:
        permissions.grant_role(user=user, circle=circle, role=role)
    else:
        permissions.revoke_all(user=user, circle=circle)
    return membership


# --- content: chat messages, threads, posts ---


def _next_seq(circle) -> int:
    Circle.objects.filter(pk=circle.pk).update(chat_seq=models.F("chat_seq") + 1)
    circle.refresh_from_db(fields=["chat_seq"])
    return circle.chat_seq


class ChatMessageFactory(factory.django.DjangoModelFactory):
    """A stored chat message (made directly, for tests that need content to act on)."""

    class Meta:
        model = ChatMessage

    circle = factory.SubFactory(CircleFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"chat message {n}")
    body_html = factory.LazyAttribute(lambda m: markup.render(m.body, kind="chat"))
    seq = factory.LazyAttribute(lambda m: _next_seq(m.circle))


class ThreadFactory(factory.django.DjangoModelFactory):
    """A thread with its opening (root) post."""

    class Meta:
        model = Thread
        skip_postgeneration_save = True

    circle = factory.SubFactory(CircleFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Thread {n}")
    kind = Thread.Kind.DISCUSSION
    last_activity_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def body(obj, create, extracted, **kwargs):
        if create:
            text = extracted or "Opening words."
            Post.objects.create(
                thread=obj, author=obj.author, body=text, body_html=markup.render(text)
            )


class PostFactory(factory.django.DjangoModelFactory):
    """A reply in a thread (parent: the root post unless given)."""

    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    author = factory.SubFactory(UserFactory)
    parent = factory.LazyAttribute(
        lambda p: Post.objects.filter(thread=p.thread, parent=None).first()
    )
    depth = factory.LazyAttribute(lambda p: (p.parent.depth + 1) if p.parent else 0)
    body = factory.Sequence(lambda n: f"reply {n}")
    body_html = factory.LazyAttribute(lambda p: markup.render(p.body))
