"""Screening user text before it is stored: watched words and the crisis net.

Chat and thread services call `screen()` before writing and `after_write()` inside
the same transaction once the content exists.
"""

from dataclasses import dataclass


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


def screen(*, circle, text: str) -> Screening:
    return Screening()


def after_write(*, screening: Screening, content) -> None:
    """Record what screening found about stored `content` (a message, thread or post)."""
