"""The held-out crisis sets stay as they were frozen: their bytes still hash to the
SHA-256 committed in `bench/heldout/SHA256SUMS` (messages) and
`bench/heldout/conversations/SHA256SUMS` (whole conversations) before any detector
change.

Only the hashes are computed here: nothing reads, prints or scores the sets."""

import hashlib
from pathlib import Path

import pytest

HELDOUT = Path(__file__).resolve().parents[3] / "bench" / "heldout"
FOLDERS = pytest.mark.parametrize(
    "folder", [HELDOUT, HELDOUT / "conversations"], ids=["messages", "conversations"]
)


def sums(folder: Path) -> dict[str, str]:
    out = {}
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            out[name.lstrip("*")] = digest
    return out


@FOLDERS
def test_every_held_out_set_is_listed_and_listed_sets_exist(folder):
    listed = sums(folder)
    assert len(listed) >= 2
    assert set(listed) == {path.name for path in folder.glob("*.jsonl")}


@FOLDERS
def test_held_out_sets_match_their_frozen_hashes(folder):
    for name, digest in sums(folder).items():
        got = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        assert got == digest, f"{name} changed since it was frozen"
