"""The crisis net: does a text suggest its author may be in danger?"""

import re

from .words import normalise

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


def crisis_level(text: str) -> str:
    """ "danger", "concern" or "" for calm text."""
    return "danger" if suggests_self_harm(text) else ""
