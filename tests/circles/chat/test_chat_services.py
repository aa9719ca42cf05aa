"""The chat write, called directly: what it costs in queries and what it keeps."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from circles.chat import services
from circles.memberships import sanctions
from circles.models import ChatMessage
from community.ratelimit_config import Rate
from moderation.screening import detector
from tests.moderation.screening.scripted_detector import Scripted

pytestmark = pytest.mark.django_db(transaction=True)

CRISIS_WORDS = "I want to kill myself tonight"
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def statements(captured) -> list[str]:
    """The queries, without transaction control (SQLite logs BEGIN, PostgreSQL
    does not)."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].upper().startswith(TRANSACTION_CONTROL)
    ]


@pytest.fixture
def no_context(monkeypatch):
    """A crisis net that never reads a writer's recent lines: the write's own
    statements, without the one read a line with some risk in it costs (pinned in
    test_a_thought_split_over_lines_is_heard_and_costs_one_read_of_them)."""
    monkeypatch.setattr(detector, "_DEFAULT", Scripted(context_lines=0))


def test_a_chat_write_costs_two_statements_on_postgresql_and_four_elsewhere(
    circle, member, no_context
):
    """The seq bump with slow mode and the rule (under the row lock), then the pace
    with the resend check and the insert: one statement each on PostgreSQL; apart
    elsewhere. Nothing else, whoever sends (watched words come from the process's
    copy, see tests/moderation/screening/test_watched_word_cache.py)."""
    services.chat_message_post(
        author=member, circle=circle, body="warm up", client_id="w"
    )
    with CaptureQueriesContext(connection) as captured:
        posted = services.chat_message_post(
            author=member, circle=circle, body="hello **there**", client_id="q-1"
        )
    budget = 2 if connection.vendor == "postgresql" else 4
    assert len(statements(captured)) <= budget, statements(captured)
    assert posted.created and posted.message.seq == 2
    stored = ChatMessage.objects.get(pk=posted.message.pk)
    assert (stored.seq, stored.body, stored.client_id) == (2, "hello **there**", "q-1")
    assert stored.body_html == posted.message.body_html
    assert stored.status == "visible" and stored.created_at is not None
    assert stored.author_id == member.pk and stored.circle_id == circle.pk


def test_a_resend_costs_no_more_and_stores_nothing(circle, member, no_context):
    first = services.chat_message_post(
        author=member, circle=circle, body="once", client_id="r-1"
    )
    with CaptureQueriesContext(connection) as captured:
        again = services.chat_message_post(
            author=member, circle=circle, body="once", client_id="r-1"
        )
    assert len(statements(captured)) <= 5, statements(captured)
    assert not again.created and again.message.pk == first.message.pk
    assert ChatMessage.objects.count() == 1
    circle.refresh_from_db()
    assert circle.chat_seq == 1  # the bump of the resend was rolled back


@pytest.mark.parametrize("sanction", ["mute", "ban"])
def test_a_mute_or_ban_is_seen_by_the_next_write_and_rolls_its_seq_back(
    circle, member, moderator, sanction
):
    """The rule is asked with the bump, under the row lock: a sanction committed
    before the write is refused there, and the bump goes back."""
    services.chat_message_post(author=member, circle=circle, body="one", client_id="a")
    if sanction == "mute":
        sanctions.membership_mute(
            actor=moderator, circle=circle, user_id=member.pk, minutes=10
        )
    else:
        sanctions.membership_ban(
            actor=moderator, circle=circle, user_id=member.pk, reason="test"
        )
    with pytest.raises(services.ChatRefused) as refused:
        services.chat_message_post(
            author=member, circle=circle, body="two", client_id="b"
        )
    assert refused.value.code == ("muted" if sanction == "mute" else "forbidden")
    circle.refresh_from_db()
    assert circle.chat_seq == 1 and ChatMessage.objects.count() == 1


def test_a_member_who_may_not_post_hears_that_before_what_is_wrong_with_the_words(
    circle, member, moderator
):
    sanctions.membership_mute(
        actor=moderator, circle=circle, user_id=member.pk, minutes=10
    )
    for body in ("", "x" * 4001):
        with pytest.raises(services.ChatRefused) as refused:
            services.chat_message_post(
                author=member, circle=circle, body=body, client_id="c"
            )
        assert refused.value.code == "muted"
    circle.refresh_from_db()
    assert circle.chat_seq == 0


def test_crisis_words_refused_by_a_mute_still_reach_the_crisis_net(
    circle, member, moderator
):
    sanctions.membership_mute(
        actor=moderator, circle=circle, user_id=member.pk, minutes=10
    )
    with pytest.raises(services.ChatRefused) as refused:
        services.chat_message_post(
            author=member, circle=circle, body=CRISIS_WORDS, client_id="d"
        )
    assert refused.value.code == "muted" and refused.value.crisis == "danger"


def test_slow_mode_refuses_a_second_message_and_rolls_back_its_seq(
    circle, member, moderator
):
    services.chat_slow_mode_set(actor=moderator, circle=circle, seconds=30)
    services.chat_message_post(author=member, circle=circle, body="one", client_id="a")
    with pytest.raises(services.ChatRefused) as refused:
        services.chat_message_post(
            author=member, circle=circle, body="two", client_id="b"
        )
    assert refused.value.code == "rate_limited" and "Slow mode" in refused.value.detail
    circle.refresh_from_db()
    assert circle.chat_seq == 1
    # Another member is not held back by this one's slow mode.
    assert (
        services.chat_message_post(
            author=moderator, circle=circle, body="three", client_id="c"
        ).message.seq
        == 2
    )


def test_a_refused_write_rolls_back_its_seq(circle, member, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "CHAT": Rate(1, 10.0)}
    services.chat_message_post(author=member, circle=circle, body="one", client_id="a")
    with pytest.raises(services.ChatRefused):
        services.chat_message_post(
            author=member, circle=circle, body="two", client_id="b"
        )
    circle.refresh_from_db()
    assert circle.chat_seq == 1


def _post_from_threads(jobs) -> list:
    """Run each job (kwargs of chat_message_post) on a thread of its own, all at
    once; return what each gave (a ChatPosted or the exception)."""
    from django.db import connections

    start = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            start.wait(5)
            results[index] = [services.chat_message_post(**kwargs) for kwargs in job]
        except Exception as exc:  # noqa: BLE001 (reported by the test)
            results[index] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_two_writers_at_once_share_one_gapless_seq(
    postgres, circle, member, host, settings
):
    """Two writers (as two processes would be), each on its own connection, sending
    at the same time: every message stored once, `seq` 1..n with no gap or twin."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "CHAT": Rate(10_000, 10.0)}
    per_writer = 40
    jobs = [
        [
            {
                "author": who,
                "circle": circle,
                "body": f"{tag} {n}",
                "client_id": f"{tag}-{n}",
            }
            for n in range(per_writer)
        ]
        for who, tag in ((member, "m"), (host, "h"))
    ]
    results = _post_from_threads(jobs)
    for result in results:
        assert isinstance(result, list), result
    seqs = sorted(ChatMessage.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, 2 * per_writer + 1))
    circle.refresh_from_db()
    assert circle.chat_seq == 2 * per_writer
    # Each writer saw its own messages in the order it sent them.
    for result in results:
        mine = [posted.message.seq for posted in result]
        assert mine == sorted(mine)


def test_the_same_client_id_from_two_writers_at_once_is_stored_once(
    postgres, circle, member
):
    """Two sockets of one person resending the same `client_id` at the same moment:
    one row, both answered with it, and the seq of the loser goes back."""
    job = [{"author": member, "circle": circle, "body": "once", "client_id": "twin"}]
    results = _post_from_threads([job, job])
    answers = [result[0] for result in results]
    assert ChatMessage.objects.count() == 1
    stored = ChatMessage.objects.get()
    assert {posted.message.pk for posted in answers} == {stored.pk}
    assert sorted(posted.created for posted in answers) == [False, True]
    circle.refresh_from_db()
    assert circle.chat_seq == 1 and stored.seq == 1


def test_a_resend_much_later_still_answers_the_stored_message(circle, member):
    first = services.chat_message_post(
        author=member, circle=circle, body="once", client_id="late"
    )
    services.chat_message_post(author=member, circle=circle, body="two", client_id="x")
    again = services.chat_message_post(
        author=member, circle=circle, body="once", client_id="late"
    )
    assert not again.created and again.message.pk == first.message.pk
    assert again.message.seq == 1
    assert ChatMessage.objects.count() == 2
    circle.refresh_from_db()
    assert circle.chat_seq == 2


def test_a_thought_split_over_lines_is_heard_and_costs_one_read_of_them(
    circle, member, host, monkeypatch
):
    """The crisis net reads a line calm alone after its writer's recent lines in the
    circle (moderation/screening/crisis.py): one more statement, only for a line
    with some risk in it (a calm "hello there" reads none); another member's lines
    are never read with it."""
    monkeypatch.setattr(
        detector, "_DEFAULT", Scripted(context_mode="any", context_floor=0.2)
    )
    services.chat_message_post(
        author=host, circle=circle, body="the button", client_id="o"
    )
    alone = services.chat_message_post(
        author=member, circle=circle, body="ok pressing", client_id="a"
    )
    assert alone.crisis == ""  # the other member's words are not this one's
    first = services.chat_message_post(
        author=member, circle=circle, body="my finger is on the button", client_id="b"
    )
    assert first.crisis == "concern"
    with CaptureQueriesContext(connection) as calm:
        services.chat_message_post(
            author=member, circle=circle, body="hello there", client_id="c"
        )
    with CaptureQueriesContext(connection) as split:
        posted = services.chat_message_post(
            author=member, circle=circle, body="ok pressing now", client_id="d"
        )
    assert posted.crisis == "danger"
    assert ChatMessage.objects.get(pk=posted.message.pk).body == "ok pressing now"

    def reads_of_lines(captured):
        return [
            q
            for q in statements(captured)
            if 'SELECT "circles_chatmessage"."body"' in q
        ]

    assert reads_of_lines(calm) == []
    assert len(reads_of_lines(split)) == 1
