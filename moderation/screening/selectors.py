"""Watched words: the rules screening applies, and the lists moderators manage."""

from django.db.models import Q

from moderation.models import WatchedWord


def watched_word_rules(*, circle) -> list[tuple[str, str]]:
    """(phrase, action) for the circle's own watched words and the site-wide ones."""
    return list(
        WatchedWord.objects.filter(Q(circle=None) | Q(circle=circle)).values_list(
            "phrase", "action"
        )
    )


def watched_words(*, circle) -> dict:
    """The circle's own watched words and the site-wide ones, for the queue page."""
    return {
        "words": WatchedWord.objects.filter(circle=circle),
        "site_words": WatchedWord.objects.filter(circle=None),
    }
