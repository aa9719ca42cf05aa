"""Relevance of library sections to what is on a page: BM25 over stemmed terms.

The library is small (dozens of sections), so the index lives in each process and
is rebuilt when an import changes the library. The library's revision (its latest
import time) is kept in the shared cache, so a page asks the database nothing to
know it (`revision`); an import writes the new revision there after it commits.
"""

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass

import snowballstemmer
from django.core.cache import cache
from django.db.models import Max
from django.urls import reverse
from django.utils.html import strip_tags

from .models import Resource, Section

# A snowball stemmer keeps state between calls and is not safe to share between
# request threads (IndexError under concurrent page loads): one per thread.
_local = threading.local()
WORD = re.compile(r"[a-z][a-z'’]+")
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves also one like get got really feel feeling
    much many may might must can't don't im i'm it's thing things way ways""".split()
)
HEADING_WEIGHT = 3  # a heading's terms count as if written three times
# Every prose section counts towards how well its document fits a page, but
# introductions and conclusions frame a document: they are never a suggestion.
PROSE_KINDS = {"introduction", "section", "strategy", "practice", "tip", "conclusion"}
RANKED_KINDS = {"section", "strategy", "practice", "tip"}
FRAMING_HEADING = re.compile(
    r"^\s*(introduction|conclusion|in conclusion|final thoughts|summary)\b", re.I
)
# A section that recommends a book, a song or a podcast is an advert, not help.
PROMOTES = re.compile(r"\b(books?|songs?|album|podcasts?|audiobook)\b", re.I)
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
K1, B = 1.4, 0.75
DOCUMENT_WEIGHT = 0.5
ACTIONABLE = {"tip", "strategy", "practice"}
ACTIONABLE_BOOST = 1.25


def _stemmer():
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer


def terms(text: str) -> list[str]:
    words = WORD.findall(text.lower().replace("’", "'"))
    return _stemmer().stemWords([w.strip("'") for w in words if w not in STOP_WORDS])


MIN_SUBSTANCE_WORDS = 20


def _plain_sentences(body: str) -> list[str]:
    """The section's sentences as plain text, without those recommending a book, a
    song or a podcast: they neither rank a section nor become its excerpt."""
    plain = re.sub(r"\s+", " ", re.sub(r"[*_#>`]|^- ", "", body, flags=re.M)).strip()
    parts = SENTENCE_END.split(plain) or [plain]
    return [s for s in parts if s and not PROMOTES.search(s)]


def has_substance(kind: str, heading: str, body: str) -> bool:
    """Worth suggesting: a section of help, not a document's frame (introduction,
    conclusion) nor one whose words, adverts aside, are too few to help."""
    if kind not in RANKED_KINDS or FRAMING_HEADING.match(heading):
        return False
    if PROMOTES.search(heading):
        return False
    return len(" ".join(_plain_sentences(body)).split()) >= MIN_SUBSTANCE_WORDS


def _sentences(body: str) -> tuple:
    return tuple((s, frozenset(terms(s))) for s in _plain_sentences(body))


@dataclass(frozen=True)
class Entry:
    section_id: int
    resource_title: str
    resource_slug: str
    heading: str
    anchor: str
    kind: str
    body: str
    tf: dict
    length: int
    sentences: tuple = ()  # (plain sentence, its stemmed terms), stemmed once
    substantive: bool = True

    @property
    def url(self) -> str:
        return f"{reverse('resources:detail', args=[self.resource_slug])}#{self.anchor}"


class Index:
    version = None  # the library's import time it was built from

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        ranked = [e for e in entries if e.kind in PROSE_KINDS]
        self.ranked = ranked
        self.avg_length = sum(e.length for e in ranked) / len(ranked) if ranked else 1
        df = Counter(term for e in ranked for term in e.tf)
        n = len(ranked)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def score(self, entry: Entry, query: Counter) -> float:
        total = 0.0
        for term, weight in query.items():
            tf = entry.tf.get(term)
            if not tf:
                continue
            norm = (
                tf * (K1 + 1) / (tf + K1 * (1 - B + B * entry.length / self.avg_length))
            )
            total += self.idf.get(term, 0.0) * norm * (1 + math.log(weight))
        return total

    def search(
        self, text: str = "", *, limit: int = 5, query: Counter | None = None
    ) -> list[tuple[float, Entry]]:
        """Sections by BM25, lifted by how well their whole document matches (a tip
        in the document that fits the page fits better than a stray word match), and
        the actionable kinds (tips, strategies, practices) a little ahead. Pass the
        stemmed `query` to stem the page's text only once."""
        query = Counter(query if query is not None else terms(text))
        for term in list(query):  # "undeserving" is about deserving
            if term.startswith("un") and term[2:] in self.idf:
                query[term[2:]] += query[term]
        own = {e.section_id: self.score(e, query) for e in self.ranked}
        best: dict[str, float] = {}
        for e in self.ranked:
            best[e.resource_slug] = max(
                best.get(e.resource_slug, 0.0), own[e.section_id]
            )
        scored = []
        for e in self.ranked:
            if not e.substantive:
                continue
            score = own[e.section_id] + DOCUMENT_WEIGHT * best[e.resource_slug]
            if own[e.section_id] > 0 or e.kind in ACTIONABLE:
                score *= ACTIONABLE_BOOST if e.kind in ACTIONABLE else 1.0
                if score > 0:
                    scored.append((score, e))
        scored.sort(key=lambda pair: (-pair[0], pair[1].section_id))
        return scored[:limit]

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]


_lock = threading.Lock()
_cached: tuple[object, Index] | None = None


REVISION_KEY = "resources:revision"
# A bound on how long a process without a shared cache (the in-memory one of a
# laptop) may miss an import made by another process.
REVISION_SECONDS = 300


def _stored_revision():
    return Resource.objects.aggregate(v=Max("imported_at"))["v"]


def revision():
    """The library's revision: from the shared cache, else one query (kept there
    with `add`, so a revision read just before an import cannot replace the one
    the import writes)."""
    try:
        held = cache.get(REVISION_KEY)
        if held is not None:
            return held[0]
        version = _stored_revision()
        cache.add(REVISION_KEY, (version,), REVISION_SECONDS)
    except Exception:  # a cache that fails: the database answers, as before
        return _stored_revision()
    return version


def forget() -> None:
    """After an import committed: this process rebuilds its index, every process
    reads the new revision."""
    global _cached
    with _lock:
        _cached = None
    try:
        cache.set(REVISION_KEY, (_stored_revision(),), REVISION_SECONDS)
    except Exception:  # a cache that fails holds no revision to go stale
        pass


def current() -> Index:
    """The index of the library as it is now: no query when nothing changed."""
    global _cached
    version = revision()
    with _lock:
        if _cached is not None and _cached[0] == version:
            return _cached[1]
    entries = []
    for s in Section.objects.select_related("resource").order_by(
        "resource__title", "position"
    ):
        kept = " ".join(_plain_sentences(strip_tags(s.body)))
        text = f"{(s.heading + ' ') * HEADING_WEIGHT}{kept}"
        tf = Counter(terms(text))
        entries.append(
            Entry(
                section_id=s.pk,
                resource_title=s.resource.title,
                resource_slug=s.resource.slug,
                heading=s.heading,
                anchor=s.anchor,
                kind=s.kind,
                body=s.body,
                tf=dict(tf),
                length=sum(tf.values()),
                sentences=_sentences(s.body),
                substantive=has_substance(s.kind, s.heading, s.body),
            )
        )
    index = Index(entries)
    index.version = version
    with _lock:
        _cached = (version, index)
    return index


def excerpt(entry: Entry, wanted, *, size: int = 200) -> str:
    """The sentence of the section that best matches the page's stemmed terms
    (`wanted`, or a text to stem), as plain text: the section was stemmed once,
    when the index was built."""
    if isinstance(wanted, str):
        wanted = set(terms(wanted))
    if not entry.sentences:
        return ""
    best = max(entry.sentences, key=lambda pair: len(wanted & pair[1]))[0]
    return best if len(best) <= size else best[: size - 1].rsplit(" ", 1)[0] + "…"
