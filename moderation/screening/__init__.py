"""Screening user text before it is stored: watched words and the crisis net.

Chat and thread services call `screen()` before writing and `after_write()` inside
the same transaction once the content exists. Words suggesting self-harm never block
anything: the author sees crisis resources at once and the moderators are told.
"""

import re
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Screening:
    block_message: str = (
        ""  # non-empty: refuse the write with this message, keep nothing
    )
    hold: bool = False  # store with status HELD: author and moderators only
    flag_words: tuple[str, ...] = ()  # watched words whose action is "flag"
    self_harm: bool = (
        False  # show the author the crisis card; self-harm flag to moderators
    )

    @property
    def blocked(self) -> bool:
        return bool(self.block_message)


def normalise(text: str) -> str:
    """Lower case, straight apostrophes dropped ("don't" -> "dont"), punctuation to
    spaces, one space between words."""
    text = text.lower().replace("’", "'").replace("‘", "'").replace("'", "")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


_SELF = r"my ?self"
CRISIS_PATTERNS = [
    re.compile(p)
    for p in (
        rf"\b(?:kill|killing|killed|kills)\s+{_SELF}\b(?!\s+(?:laughing|with laughter)\b)",
        r"\bkms\b",
        r"\bend(?:ing|ed|s)?\s+(?:my\s+(?:own\s+)?life|it\s+all)\b",
        r"\btak(?:e|ing)\s+my\s+(?:own\s+)?life\b",
        r"\b(?:want|wanna|wanted|wanting|going)\s+(?:to\s+)?die\b",
        r"\bwish\s+i\s+(?:was|were|could\s+be)\s+dead\b",
        r"\bsuicid(?:e|al|ally)\b(?!\s+squad\b)",
        rf"\b(?:hurt|hurting|harm|harming)\s+{_SELF}\b",
        rf"\bcut(?:ting|s)?\s+{_SELF}\b(?!\s+(?:a|an|some|off|out|short|free|loose|slack)\b)",
        r"\bself\s?harm(?:ing)?\b",
        r"\b(?:dont|do not|no longer)\s+want\s+to\s+(?:be\s+here|live|exist|wake\s+up)\b",
        r"\bno\s+(?:reason|point)\s+(?:to|in)\s+(?:live|living|going\s+on)\b",
        r"\b(?:everyone|they|you|people)\s+(?:would\s+be|are|is)\s+better\s+off\s+without\s+me\b",
        r"\bbetter\s+off\s+dead\b",
    )
]


def suggests_self_harm(text: str) -> bool:
    plain = normalise(text)
    return any(p.search(plain) for p in CRISIS_PATTERNS)


def _matches(phrase: str, plain: str) -> bool:
    words = normalise(phrase)
    if not words:
        return False
    return re.search(rf"\b{re.escape(words)}(?:s|es|ed|ing)?\b", plain) is not None


def screen(*, circle, text: str) -> Screening:
    from .models import WatchedWord

    plain = normalise(text)
    words = WatchedWord.objects.filter(Q(circle=None) | Q(circle=circle)).values_list(
        "phrase", "action"
    )
    hits: dict[str, list[str]] = {"block": [], "hold": [], "flag": []}
    for phrase, action in words:
        if _matches(phrase, plain):
            hits[action].append(phrase)
    self_harm = suggests_self_harm(text)
    if hits["block"]:
        return Screening(
            block_message="This circle does not allow some of the words in your text. "
            "Please rephrase it; nothing was posted and your text is still here.",
            self_harm=self_harm,
        )
    return Screening(
        hold=bool(hits["hold"]), flag_words=tuple(hits["flag"]), self_harm=self_harm
    )


def after_write(*, screening: Screening, content) -> None:
    """Record what screening found about stored `content` (a message, thread or post)."""
    if not (screening.self_harm or screening.flag_words):
        return
    from . import services

    if screening.self_harm:
        services.flag_system(
            content=content,
            reason="self_harm",
            note="Words suggesting self-harm. The author was shown crisis resources.",
        )
    if screening.flag_words:
        services.flag_system(
            content=content,
            reason="other",
            note="Watched word: " + ", ".join(sorted(screening.flag_words)),
        )
