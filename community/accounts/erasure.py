"""Erasing a deleted account's words (filled in with account deletion)."""


def erasure_finish_resolved(*, now=None) -> int:
    return 0
