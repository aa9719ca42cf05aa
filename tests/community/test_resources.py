"""The resources library: the parse of both documents pinned down, the import
command, the pages, and the relevance of the sidebar."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from circles.threads import services as thread_services
from community.resources import index, panels, services
from community.resources.models import Resource, Section
from community.resources.parser import ParseError, parse

from ..header_counts import DEAD_REDIS

TRUST = services.BUNDLED / "trust-issues-guide-to-recovery.txt"
RELATIONSHIPS = services.BUNDLED / "healthy-relationships-help-heal-trauma.txt"


def parsed(path):
    return parse(path.read_text(encoding="utf-8"))


def headings(document, kind):
    return [s.heading for s in document.of_kind(kind)]


def test_the_bundled_copies_match_the_source_documents():
    from django.conf import settings

    shared = settings.BASE_DIR.parent / "shared" / "documents"
    if not shared.exists():
        pytest.skip("../shared/documents is not beside the project")
    sources = sorted(p.read_bytes() for p in shared.glob("*.txt"))
    assert sorted(p.read_bytes() for p in services.bundled_paths()) == sources


def test_trust_guide_title_and_sections_in_order():
    doc = parsed(TRUST)
    assert doc.title == "Trust Issues: A Comprehensive Guide to Recovery"
    assert doc.summary.startswith("Discover how to overcome trust issues")
    assert headings(doc, "section") == [
        "Understanding the Root Causes of Trust Issues",
        "The Psychological Impact of Trust Issues on Personal Relationships",
        "Strategies for Addressing and Overcoming Trust Issues",
        "How Therapy can Assist in the Journey to Trust Recovery",
        "Implementing Daily Practices to Foster Self-Trust and Promote Healing",
    ]
    assert doc.sections[0].kind == "introduction"
    assert doc.of_kind("conclusion")[0].body.startswith(
        "In conclusion, overcoming trust issues"
    )


def test_trust_guide_five_strategies_and_three_practices():
    doc = parsed(TRUST)
    assert headings(doc, "strategy") == [
        "Communication",
        "Setting Boundaries",
        "Building Consistency",
        "Seeking Support",
        "Practicing Self-Care",
    ]
    assert doc.of_kind("strategy")[1].body.startswith("Establish clear boundaries")
    assert headings(doc, "practice") == [
        "Establish a Daily Routine",
        "Practice Positive Affirmations",
        "Seek Support from Trusted Individuals",
    ]


def test_trust_guide_bullets_and_affirmations():
    doc = parsed(TRUST)
    roots = doc.sections[1].body
    assert (
        "- Childhood trauma or neglect\n- Previous betrayal in relationships" in roots
    )
    assert headings(doc, "affirmation") == [
        "I am deserving of love and respect.",
        "I trust myself to make good decisions.",
        "I am capable of healing from past wounds.",
    ]


def test_relationships_article_tips_questions_and_affirmations():
    doc = parsed(RELATIONSHIPS)
    assert doc.title == "3 Ways Healthy Relationships Help Heal Trauma"
    assert headings(doc, "tip") == [
        "Know that having healthy relationships can repair old emotional wounds",
        "Consider the unrealistic standards you are holding yourself to",
        "Allow yourself to see the depths of your current relationships",
    ]
    assert headings(doc, "reflection_question") == [
        "Do you have the temptation to hunker down and handle it yourself?",
        "Do you feel like nobody will get it?",
        "Do you feel ashamed or weak—like you don’t deserve support or compassion?",
        "Is there a self-protector part inside you who says: “I’m going to withdraw and "
        "stay safe so you don’t hurt me”?",
        "Do you feel like you are supposed to just deal with it yourself?",
    ]
    assert headings(doc, "affirmation") == [
        "I deserve deep relationships.",
        "I deserve to be cared for and nurtured.",
        "I deserve compassion.",
        "People care about me—and it’s healthy to lean on them and ask for help when I "
        "need it.",
    ]
    assert headings(doc, "conclusion") == [
        "You deserve compassion, support and deep relationships"
    ]


@pytest.mark.parametrize(
    "furniture",
    [
        "Leave a Comment",
        "Print Friendly, PDF & Email",
        "Sign up for the next update",
        "More resources",
    ],
)
def test_page_furniture_is_dropped(furniture):
    text = "\n".join(
        s.body + s.heading
        for d in (parsed(TRUST), parsed(RELATIONSHIPS))
        for s in d.sections
    )
    assert furniture.lower() not in text.lower()
    assert "finding healing relationships after trauma" not in text


@pytest.mark.django_db
def test_import_is_idempotent_and_updates_in_place():
    call_command("import_resources")
    first = {s.pk: (s.resource_id, s.anchor) for s in Section.objects.all()}
    resource_ids = set(Resource.objects.values_list("pk", flat=True))
    call_command("import_resources")
    assert Resource.objects.count() == 2
    assert set(Resource.objects.values_list("pk", flat=True)) == resource_ids
    assert Section.objects.count() == len(first)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content,line,words",
    [
        (b"", 1, "empty"),
        (b"Title\n\n\x00\x01binary", 1, "binary"),
        (b"A title\n\nJust one paragraph and nothing else.\n", 3, "no sections"),
        (
            b"A title\n\n1. First\n\ntext\n\n3. Third\n",
            7,
            "section 3 follows section 1",
        ),
        (b"A title\n\n1. First\n\n**Broken: label\n", 5, "not closed"),
        (b"A title\n\xff\xfe\n", 2, "UTF-8"),
    ],
)
def test_a_malformed_file_names_the_line_and_changes_nothing(
    tmp_path, content, line, words
):
    call_command("import_resources")
    before = list(Section.objects.values_list("pk", "heading"))
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(CommandError) as error:
        call_command("import_resources", str(TRUST), str(bad))
    assert f"line {line}" in str(error.value) and words in str(error.value)
    assert list(Section.objects.values_list("pk", "heading")) == before


def test_parse_errors_carry_the_line():
    with pytest.raises(ParseError) as error:
        parse("Title\n\n1. One\n\n2. Two\n\n4. Four\n")
    assert error.value.line == 7


@pytest.mark.django_db
def test_library_pages_have_an_anchor_per_section(client):
    call_command("import_resources")
    listing = client.get("/resources/").content.decode()
    assert "Trust Issues: A Comprehensive Guide to Recovery" in listing
    resource = Resource.objects.get(title__startswith="Trust")
    page = client.get(f"/resources/{resource.slug}/").content.decode()
    for section in resource.sections.all():
        assert f'id="{section.anchor}"' in page
    assert 'id="setting-boundaries"' in page and 'href="#setting-boundaries"' in page
    assert client.get("/resources/no-such-guide/").status_code == 404


@pytest.fixture
def library(db):
    call_command("import_resources")


def sidebar_for(client, circle, member, title, body):
    written = thread_services.thread_create(
        author=member, circle=circle, title=title, body=body
    )
    client.force_login(member)
    html = client.get(written.thread.get_absolute_url()).content.decode()
    aside = html[html.index('<aside id="resources"') :]
    return aside[: aside.index("</aside>")]


def test_a_thread_about_boundaries_with_a_partner_ranks_setting_boundaries_first(
    library, client, circle, member
):
    aside = sidebar_for(
        client,
        circle,
        member,
        "Setting boundaries with my partner",
        "My partner keeps reading my messages. How do I tell him where my limits are?",
    )
    links = [
        part.split('"')[0]
        for part in aside.split('href="')[1:]
        if "#" in part.split('"')[0]
    ]
    assert links[0].endswith("/#setting-boundaries")
    assert 3 <= sum(1 for link in links if "#" in link) <= 5


def test_a_thread_about_feeling_undeserving_surfaces_the_relationships_tips(
    library, client, circle, member
):
    aside = sidebar_for(
        client,
        circle,
        member,
        "Feeling undeserving of support",
        "I never ask anyone for help; I feel I do not deserve their time or compassion.",
    )
    tips = [s.anchor for s in Section.objects.filter(kind="tip")]
    assert any(f"#{anchor}" in aside for anchor in tips)
    assert "3 Ways Healthy Relationships Help Heal Trauma" in aside


def test_the_circle_page_sidebar_uses_its_description_and_threads(
    library, client, circle, member
):
    client.force_login(member)
    html = client.get(circle.get_absolute_url()).content.decode()
    aside = html[html.index('<aside id="resources"') :]
    assert aside.count('href="/resources/') >= 4  # 3+ sections and the library link


def test_practice_for_today_changes_daily(library):
    seen = set()
    for day in range(1, 4):
        with time_machine.travel(date(2026, 11, day), tick=False):
            practice = panels.sidebar_context(text="anything")["practice_today"]
            again = panels.sidebar_context(text="other words")["practice_today"]
            assert practice == again
            seen.add(practice["text"])
    assert len(seen) == 3


def test_ask_prompts_come_from_the_documents(library):
    prompts = panels.ask_prompts()
    assert "Do you feel like nobody will get it?" in prompts["self_check_questions"]
    assert "I deserve compassion." in prompts["affirmations"]


def test_the_sidebar_asks_the_database_nothing_once_the_index_is_warm(library):
    panels.sidebar_context(text="warm up")
    with CaptureQueriesContext(connection) as queries:
        panels.sidebar_context(text="Setting boundaries with my partner")
    assert len(queries) == 0  # the library's revision is kept in the shared cache


def test_an_import_is_seen_at_once_whatever_revision_was_kept(
    library, django_capture_on_commit_callbacks
):
    kept = index.revision()
    assert kept == Resource.objects.latest("imported_at").imported_at
    with time_machine.travel(kept + timedelta(minutes=1)):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_resources")
    assert index.revision() > kept
    assert index.current().version == index.revision()


def test_without_the_cache_the_revision_is_asked_each_time(library, settings):
    panels.sidebar_context(text="warm up")  # this process's index is built
    settings.CACHES = DEAD_REDIS
    with CaptureQueriesContext(connection) as queries:
        sections = panels.sidebar_context(text="Setting boundaries")
    assert len(queries) == 1 and sections["sidebar_sections"]


# --- the sidebar under load and over long pages (issue 14.2, 15.22) ---------------


def test_each_request_thread_gets_its_own_stemmer_and_stemming_is_safe_across_threads():
    import threading

    from community.resources import index

    seen, errors = [], []
    words = " ".join(f"relationships healing trusting boundaries{n}" for n in range(50))

    def work():
        try:
            seen.append(index._stemmer())  # kept alive: ids are never reused
            for _ in range(5):
                index.terms(words)
        except Exception as exc:  # pragma: no cover - the failure being guarded
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert len({id(s) for s in seen}) == 8  # one stemmer per thread, never shared


def test_a_huge_thread_hands_the_sidebar_a_bounded_text_ranked_once_per_activity(
    library, client, circle, member, host, monkeypatch
):
    written = thread_services.thread_create(
        author=member, circle=circle, title="Trust", body="boundaries " * 1000
    )
    thread = written.thread
    for _ in range(5):
        thread_services.post_reply(author=host, thread=thread, body="zorblat " * 2500)
    texts = []
    real_rank = panels._rank

    def counting_rank(library, text):
        texts.append(text)
        return real_rank(library, text)

    monkeypatch.setattr(panels, "_rank", counting_rank)
    client.force_login(member)
    for _ in range(3):
        assert client.get(thread.get_absolute_url()).status_code == 200
    assert len(texts) == 1 and len(texts[0]) <= panels.MAX_TEXT
    thread_services.post_reply(author=host, thread=thread, body="new words")
    client.get(thread.get_absolute_url())
    assert len(texts) == 2  # activity moves the key


@pytest.mark.parametrize(
    "text",
    [
        "healthy relationships heal attachment wounds, a song helps me",
        "Introduction to trust, in conclusion I deserve compassion",
        "self compassion book unrealistic standards",
        "anything at all",
    ],
)
def test_the_sidebar_never_suggests_a_frame_or_an_advert(library, text):
    sections = panels.sidebar_context(text=text)["sidebar_sections"]
    assert 3 <= len(sections) <= 5
    kinds = dict(Section.objects.values_list("anchor", "kind"))
    for entry in sections:
        anchor = entry.url.rsplit("#", 1)[1]
        assert kinds[anchor] not in ("introduction", "conclusion"), entry
        assert entry.heading not in ("Introduction", "Conclusion")
        for word in ("song", "book", "Kelly Clarkson", "Kristin Neff"):
            assert word not in entry.excerpt, entry
