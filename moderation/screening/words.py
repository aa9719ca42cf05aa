"""Matching watched words: whole words, with common endings, case and punctuation
ignored."""

import re


def normalise(text: str) -> str:
    """Lower case, straight apostrophes dropped ("don't" -> "dont"), punctuation to
    spaces, one space between words."""
    text = text.lower().replace("’", "'").replace("‘", "'").replace("'", "")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def phrase_matches(phrase: str, plain: str) -> bool:
    """Does the watched `phrase` occur in `plain` (already normalised)?"""
    words = normalise(phrase)
    if not words:
        return False
    return re.search(rf"\b{re.escape(words)}(?:s|es|ed|ing)?\b", plain) is not None
