"""Search over threads (titles), posts and chat messages of the circles a person may
read: PostgreSQL full-text (English stemming, websearch syntax, GIN expression
indexes), or a plain `icontains` on SQLite. What the searcher may not see is never
a candidate: other circles, removed, held, hidden or deleted words, the words of
people they ignore. A fixed number of queries whatever the size of the result."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from circles.models import message_url, thread_url
from moderation.safety.selectors import ignored_user_ids
from moderation.safety.sensitive import raised_exists

from .. import permissions
from ..models import ChatMessage, Membership, Post, Thread
from . import spelling
from .indexes import CONFIG, vector

MAX_QUERY_CHARS = 200
MAX_WORDS = 8
EXCERPT_CHARS = 90
START, STOP = "\u27ea\u27ea", "\u27eb\u27eb"  # marks ts_headline puts around hits
# Ranking parses each candidate's text again, so a very common word is ranked among
# its newest CANDIDATES matches per kind (and the page says so).
CANDIDATES = 300


RELATED = {
    Thread: ("circle", "author"),
    Post: ("thread__circle", "author"),
    ChatMessage: ("circle", "author"),
}


class Results(list):
    """The results, best first; `capped` when a kind had more matches than were
    ranked."""

    capped = False
    problem = ""  # a filter that could not be read, in words


@dataclass
class Result:
    kind: str  # "thread", "post" or "message"
    id: int
    url: str
    circle: str
    title: str
    author: str
    created: datetime
    excerpt: SafeString
    rank: float


def searchable_circle_ids(*, user, circle=None) -> set[int]:
    """The one circle (already checked by the caller) or every circle the person is
    an active member of and may read (left or banned: gone)."""
    if circle is not None:
        return {circle.pk}
    mine = set(
        Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values_list(
            "circle_id", flat=True
        )
    )
    return mine & permissions.readable_circle_ids(user)


def clean_query(text: str) -> str:
    return " ".join((text or "").split())[:MAX_QUERY_CHARS]


def _keeper_circle_ids(user) -> set[int]:
    return set(
        Membership.objects.filter(
            user=user,
            state=Membership.State.ACTIVE,
            role__in=[Membership.Role.HOST, Membership.Role.MODERATOR],
        ).values_list("circle_id", flat=True)
    )


def _without_sensitive(queryset, kind: str, *, user, keepers, circle_field: str):
    """Words that raised a crisis level are found only by their author and the
    circle's hosts and moderators."""
    if kind == "thread":  # its title: the words of its opening post
        opening = Post.objects.filter(thread_id=OuterRef("pk"), parent__isnull=True)
        raised = Exists(opening.filter(raised_exists("post")))
    else:
        raised = raised_exists(kind)
    return queryset.filter(
        ~raised | Q(author_id=user.pk) | Q(**{f"{circle_field}__in": keepers})
    )


def _candidates(user, circle_ids, hidden_authors):
    def visible(model, hide=hidden_authors, **scope):
        return permissions.filter_visible(
            model.objects.all(), user, public=True, hide_authors=hide, **scope
        )

    threads = visible(Thread, circle_ids=circle_ids)
    # The readable threads' ids first (one query): with a plain list, PostgreSQL
    # checks `thread_id` before parsing any text, instead of parsing the posts of
    # every circle while it walks the newest posts and joins their threads.
    thread_ids = list(
        visible(Thread, hide=(), circle_ids=circle_ids).values_list("id", flat=True)
    )
    posts = visible(Post, thread_ids=thread_ids)
    messages = visible(ChatMessage, circle_ids=circle_ids)
    keepers = _keeper_circle_ids(user)
    threads = _without_sensitive(
        threads, "thread", user=user, keepers=keepers, circle_field="circle_id"
    )
    posts = _without_sensitive(
        posts, "post", user=user, keepers=keepers, circle_field="thread__circle_id"
    )
    messages = _without_sensitive(
        messages, "message", user=user, keepers=keepers, circle_field="circle_id"
    )
    return (
        threads.select_related(*RELATED[Thread]),
        posts.select_related(*RELATED[Post]),
        messages.select_related(*RELATED[ChatMessage]),
    )


def _filtered(querysets, asked: spelling.Asked):
    """`from:` and the dates, on each kind."""
    condition = Q()
    if asked.author:
        condition &= Q(author__display_name__iexact=asked.author)
    if asked.after:
        condition &= Q(created_at__date__gte=asked.after)
    if asked.before:
        condition &= Q(created_at__date__lte=asked.before)
    return [qs.filter(condition) for qs in querysets]


def search(*, user, text: str, circle=None, limit: int = 20) -> Results:
    """The best `limit` results for `text`, best first. `from:Name`, `after:` and
    `before:` (YYYY-MM-DD) narrow it; a search of filters alone lists the newest."""
    found = Results()
    asked = spelling.read_filters(clean_query(text))
    found.problem = asked.problem
    narrowed = bool(asked.author or asked.after or asked.before)
    text = asked.text
    wanted = text or narrowed
    circle_ids = searchable_circle_ids(user=user, circle=circle) if wanted else set()
    if not circle_ids:
        return found
    hidden = ignored_user_ids(user=user)
    threads, posts, messages = _filtered(_candidates(user, circle_ids, hidden), asked)
    if not text:
        _newest(found, threads, posts, messages, limit)
    elif connection.vendor == "postgresql":
        _postgres(found, text, threads, posts, messages, limit)
    else:
        _simple(found, text, threads, posts, messages, limit)
    found.sort(key=lambda r: (-r.rank, -r.created.timestamp()))
    del found[limit:]
    return found


# --- PostgreSQL: full text -----------------------------------------------------------
def _pg_rows(found: Results, queryset, field: str, query, limit: int):
    """Two queries: the newest matching ids through the GIN index, then rank and
    headline for those only."""
    ids = list(
        queryset.annotate(found=vector(field))
        .filter(found=query)
        .order_by("-id")
        .values_list("id", flat=True)[:CANDIDATES]
    )
    if len(ids) == CANDIDATES:
        found.capped = True
    if not ids:
        return []
    # The candidates passed every filter above: the second query needs only their ids.
    model = queryset.model
    chosen = model.objects.filter(pk__in=ids).select_related(*RELATED[model])
    return list(
        chosen.annotate(
            rank=SearchRank(vector(field), query),
            headline=SearchHeadline(
                field,
                query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        ).order_by("-rank", "-id")[:limit]
    )


def _marked(headline: str) -> SafeString:
    """ts_headline returns the stored text as it is: escape it, then turn our own
    marks into <mark>."""
    html = escape(headline).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped just above


def _pg_query(text: str):
    """The websearch query, each bare word also matching its other spelling."""
    if '"' in text:
        return SearchQuery(text, search_type="websearch", config=CONFIG)
    rest, query = [], None
    for word in text.split():
        forms = spelling.spellings(word) if not word.startswith("-") else [word]
        if len(forms) == 1 or word.lower() in ("or", "and"):
            rest.append(word)
            continue
        either = SearchQuery(forms[0], search_type="plain", config=CONFIG)
        for form in forms[1:]:
            either |= SearchQuery(form, search_type="plain", config=CONFIG)
        query = either if query is None else query & either
    if rest:
        plain = SearchQuery(" ".join(rest), search_type="websearch", config=CONFIG)
        query = plain if query is None else plain & query
    return query


def _postgres(found, text, threads, posts, messages, limit) -> None:
    query = _pg_query(text)
    found += [
        _thread_result(t, _marked(t.headline), t.rank)
        for t in _pg_rows(found, threads, "title", query, limit)
    ]
    found += [
        _post_result(p, _marked(p.headline), p.rank)
        for p in _pg_rows(found, posts, "body", query, limit)
    ]
    found += [
        _message_result(m, _marked(m.headline), m.rank)
        for m in _pg_rows(found, messages, "body", query, limit)
    ]


# --- SQLite: every word, anywhere -------------------------------------------------------
def _words(text: str) -> list[str]:
    words = [w.strip("\"'") for w in text.split()]
    skip = {"or", "and"}
    kept = [w for w in words if w and w.lower() not in skip and not w.startswith("-")]
    return kept[:MAX_WORDS]


def _all_words(field: str, words) -> Q:
    condition = Q()
    for word in words:
        either = Q()
        for form in spelling.spellings(word):
            either |= Q(**{f"{field}__icontains": form})
        condition &= either
    return condition


def _newest(found, threads, posts, messages, limit) -> None:
    """Filters alone (`from:Hazel after:2026-03-01`): the newest that match."""
    newest = ("-created_at", "-id")
    plain = excerpt_html
    found += [
        _thread_result(t, plain(t.title, []), 1.0)
        for t in threads.order_by(*newest)[:limit]
    ]
    found += [
        _post_result(p, plain(p.body, []), 1.0) for p in posts.order_by(*newest)[:limit]
    ]
    found += [
        _message_result(m, plain(m.body, []), 1.0)
        for m in messages.order_by(*newest)[:limit]
    ]


def excerpt_html(text: str, words) -> SafeString:
    """A short window of `text` around the first hit, escaped, hits in <mark>."""
    text = " ".join(text.split())
    forms = [f for w in words for f in spelling.spellings(w)]
    pattern = re.compile("|".join(re.escape(w) for w in forms), re.IGNORECASE)
    hit = pattern.search(text) if forms else None
    start = max(0, (hit.start() if hit else 0) - EXCERPT_CHARS // 2)
    window = text[start : start + EXCERPT_CHARS * 2]
    pieces, last = [], 0
    for match in pattern.finditer(window) if forms else ():
        pieces.append(escape(window[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    pieces.append(escape(window[last:]))
    prefix = "… " if start else ""
    suffix = " …" if start + len(window) < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 - escaped


def _simple(found, text, threads, posts, messages, limit) -> None:
    words = _words(text)
    if not words:
        return
    newest = ("-created_at", "-id")
    found += [
        _thread_result(t, excerpt_html(t.title, words), 1.0)
        for t in threads.filter(_all_words("title", words)).order_by(*newest)[:limit]
    ]
    found += [
        _post_result(p, excerpt_html(p.body, words), 1.0)
        for p in posts.filter(_all_words("body", words)).order_by(*newest)[:limit]
    ]
    found += [
        _message_result(m, excerpt_html(m.body, words), 1.0)
        for m in messages.filter(_all_words("body", words)).order_by(*newest)[:limit]
    ]


# --- results ----------------------------------------------------------------------------
def _thread_result(thread, excerpt, rank) -> Result:
    circle = thread.circle
    return Result(
        kind="thread",
        id=thread.pk,
        url=thread_url(circle.slug, thread.pk),
        circle=circle.name,
        title=thread.title,
        author=thread.author.display_name,
        created=thread.created_at,
        excerpt=excerpt,
        rank=float(rank),
    )


def _post_result(post, excerpt, rank) -> Result:
    thread = post.thread
    circle = thread.circle
    if post.content_warning or thread.content_warning:
        warning = post.content_warning or thread.content_warning
        excerpt = mark_safe(  # noqa: S308 - escaped
            f"Content warning: {escape(warning)}. Open the post when you are ready."
        )
    return Result(
        kind="post",
        id=post.pk,
        url=f"{thread_url(circle.slug, thread.pk)}#post-{post.pk}",
        circle=circle.name,
        title=thread.title,
        author=post.author.display_name,
        created=post.created_at,
        excerpt=excerpt,
        rank=float(rank),
    )


def _message_result(message, excerpt, rank) -> Result:
    circle = message.circle
    return Result(
        kind="message",
        id=message.pk,
        url=message_url(circle.slug, message.pk),
        circle=circle.name,
        title="",
        author=message.author.display_name,
        created=message.created_at,
        excerpt=excerpt,
        rank=float(rank),
    )
