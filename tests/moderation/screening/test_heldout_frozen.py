"""The held-out crisis sets stay as they were frozen: their bytes still hash to the
SHA-256 committed in `bench/heldout/SHA256SUMS` before any detector change.

Only the hashes are computed here: nothing reads, prints or scores the sets."""

import hashlib
from pathlib import Path

HELDOUT = Path(__file__).resolve().parents[3] / "bench" / "heldout"


def sums() -> dict[str, str]:
    out = {}
    for line in (HELDOUT / "SHA256SUMS").read_text().splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            out[name.lstrip("*")] = digest
    return out


def test_every_held_out_set_is_listed_and_listed_sets_exist():
    listed = sums()
    assert len(listed) >= 2
    assert set(listed) == {path.name for path in HELDOUT.glob("*.jsonl")}


def test_held_out_sets_match_their_frozen_hashes():
    for name, digest in sums().items():
        got = hashlib.sha256((HELDOUT / name).read_bytes()).hexdigest()
        assert got == digest, f"{name} changed since it was frozen"
