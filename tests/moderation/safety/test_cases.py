"""One case per person per circle: what joins it, when it rises, and who is told
how often (the alert cap, a muted person's burst, "I'm not OK" over its limit)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from circles.chat import services as chat_services
from circles.models import Membership
from circles.threads import services as thread_services
from community.notifications.models import Notification
from community.outbox.models import OutboundEmail
from moderation.models import SafetyCase, SafetyItem
from moderation.safety.cases import safety_case_join

from ..helpers import flag

pytestmark = pytest.mark.django_db

DANGER = "I want to kill myself tonight"
CONCERN = "I don't want to be here anymore"


def verified(*people):
    for user in people:
        user.email = f"{user.username}@example.org"
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email", "email_verified_at"])


def safety_notes(user) -> int:
    return Notification.objects.filter(recipient=user, kind="safety").count()


def emails_to(user) -> int:
    return OutboundEmail.objects.filter(to_address=user.email).count()


def test_everything_about_one_person_joins_one_case_at_its_gravest(
    client, circle, people
):
    author = people["author"]
    thread = thread_services.thread_create(
        author=people["host"], circle=circle, title="A thread", body="opening"
    ).thread
    concern = thread_services.post_reply(author=author, thread=thread, body=CONCERN)
    danger = thread_services.post_reply(author=author, thread=thread, body=DANGER)
    flag(client, people["member"], "post", concern.post.pk, reason="self_harm")
    client.force_login(author)
    client.post(f"/circles/{circle.slug}/not-ok/")
    case = SafetyCase.objects.get()
    assert (case.person, case.circle, case.level) == (author, circle, "danger")
    assert case.levels == "danger concern"
    assert case.grave_at is not None
    kinds = sorted(SafetyItem.objects.values_list("kind", "source"))
    assert kinds == [
        ("not-ok", "not_ok"),
        ("post", "flag"),
        ("post", "words"),
        ("post", "words"),
    ]
    assert set(SafetyItem.objects.values_list("case", flat=True)) == {case.pk}
    assert danger.post.pk in SafetyItem.objects.values_list("object_id", flat=True)


def test_a_self_harm_flag_opens_a_case_at_concern_only(client, circle, people, post):
    flag(client, people["member"], "post", post.pk, reason="self_harm")
    case = SafetyCase.objects.get(person=people["author"])
    assert case.level == "concern" and case.grave_at is None


def test_keepers_are_told_when_it_opens_and_rises_then_at_most_once_a_window(
    circle, people, settings
):
    settings.SAFETY_ALERT_EVERY_MINUTES = 10
    author, moderator = people["author"], people["moderator"]

    def join(level, object_id):
        return safety_case_join(
            circle=circle,
            person=author,
            kind="message",
            object_id=object_id,
            level=level,
            source="words",
        )

    assert join("concern", 1).told  # opened
    assert not join("concern", 2).told  # within the window
    rose = join("danger", 3)
    assert rose.rose and rose.told  # a rise always tells
    assert not join("danger", 4).told
    assert safety_notes(moderator) == 2
    assert safety_notes(author) == 0  # never the person it is about
    SafetyCase.objects.update(alerted_at=timezone.now() - timedelta(minutes=11))
    again = join("danger", 5)
    assert again.told and "still open" in Notification.objects.first().text
    assert safety_notes(moderator) == 3
    assert SafetyCase.objects.count() == 1


def test_a_burst_of_100_refused_frames_from_a_muted_member_is_one_case_and_one_email(
    circle, people
):
    verified(people["host"], people["moderator"])
    muted = people["muted"]
    for n in range(100):
        with pytest.raises(chat_services.ChatRefused) as refused:
            chat_services.chat_message_post(
                author=muted, circle=circle, body=DANGER, client_id=f"c{n}"
            )
        assert refused.value.code == "muted"
    assert SafetyCase.objects.filter(person=muted).count() == 1
    assert SafetyItem.objects.filter(person=muted).count() == 1  # one row of refusals
    for keeper in (people["host"], people["moderator"]):
        assert safety_notes(keeper) == 1
        assert emails_to(keeper) == 1


def test_a_muted_person_tells_nobody_again_but_a_rise_still_does(circle, people):
    muted = people["muted"]
    for _ in range(5):
        safety_case_join(
            circle=circle,
            person=muted,
            kind="not-ok",
            object_id=None,
            level="concern",
            source="refused",
        )
    SafetyCase.objects.update(alerted_at=timezone.now() - timedelta(hours=1))
    safety_case_join(
        circle=circle,
        person=muted,
        kind="not-ok",
        object_id=None,
        level="concern",
        source="refused",
    )
    assert safety_notes(people["moderator"]) == 1  # the window passed: still quiet
    safety_case_join(
        circle=circle,
        person=muted,
        kind="not-ok",
        object_id=None,
        level="danger",
        source="refused",
    )
    assert safety_notes(people["moderator"]) == 2
    assert SafetyCase.objects.get().levels == "danger concern"


def test_a_banned_persons_words_join_the_case_quietly(circle, people):
    banned = people["banned"]
    Membership.objects.filter(user=banned).update(state=Membership.State.BANNED)
    for n in range(3):
        safety_case_join(
            circle=circle,
            person=banned,
            kind="message",
            object_id=100 + n,
            level="danger",
            source="words",
        )
    assert SafetyItem.objects.filter(person=banned).count() == 3
    assert SafetyCase.objects.filter(person=banned).count() == 1


def test_im_not_ok_over_its_limit_still_joins_the_case(client, circle, people):
    client.force_login(people["member"])
    for _ in range(3):
        client.post(f"/circles/{circle.slug}/not-ok/")
    case = SafetyCase.objects.get(person=people["member"])
    assert case.grave_at is not None  # "I'm not OK" counts as danger to escalate
    assert SafetyItem.objects.filter(case=case, source="not_ok").count() == 1
    assert safety_notes(people["moderator"]) == 1


def test_a_closed_case_lets_a_new_one_open(client, circle, people):
    join = dict(
        circle=circle,
        person=people["author"],
        kind="not-ok",
        object_id=None,
        level="concern",
        source="not_ok",
    )
    first = safety_case_join(**join).case
    item = SafetyItem.objects.get(case=first)
    client.force_login(people["moderator"])
    assert client.post(f"/moderation/not-ok/{item.pk}/safety-done/").status_code == 302
    second = safety_case_join(**join)
    assert second.opened and second.case.pk != first.pk
