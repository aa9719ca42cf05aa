"""Moderation reads."""


def ignored_user_ids(*, user) -> set[int]:
    """People whose writing `user` chose to collapse, for themself alone."""
    return set()
