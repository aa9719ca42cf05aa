"""The crisis corpus: one file, many voices, and the merge that builds it.

    .venv/bin/python bench/crisis_corpus.py [--staging DIR]

`tests/moderation/screening/crisis_corpus.tsv` holds every labelled message, one a
line: `label`, `kind`, `source` (the writer's file it came from) and `text` (the whole
message, with `\\`, tab and newline escaped as `\\\\`, `\\t` and `\\n`). Writers were
given only the label definitions and a persona (never the rules, the detector or each
other's files) and wrote JSON Lines `{"label", "kind", "text"}`; each `DIR/c*.jsonl`
becomes the source named by its stem (kinds named the E/F way mapped by `KIND_NAMES`). A merge keeps the rows of every other source,
replaces those of the staged files with their current content (a writer still at work
is taken in again as it grows), drops rows with an unknown label or kind and any
message already in the corpus (compared normalised: case, apostrophes, punctuation),
and leaves out the messages of the kindness list (`kindness.jsonl`: a test set that is
never trained on). Deterministic: the same files give the same corpus.
"""

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from moderation.screening.detector import LEVEL_KINDS, normalise  # noqa: E402

HERE = ROOT / "tests" / "moderation" / "screening"
CORPUS = HERE / "crisis_corpus.tsv"
KINDNESS = HERE / "kindness.jsonl"
STAGING = Path("/work/corpus_staging")
FIELDS = ("label", "kind", "source", "text")
# Calm kinds: the writers' brief, and those of the first corpus.
CALM_KINDS = frozenset(
    "ordinary kindness moderator_question recovery past helping_others therapy advocacy "
    "media quote hyperbole medicine tiredness goodbye grief figurative negation topic".split()
)
# Writers since the second held-out round named some kinds their own way (the E/F
# scheme): the corpus's kind of the same level (the kind only names the alert within
# its level; a calm kind only names the decoy).
KIND_NAMES = {
    ("danger", "urge"): "active_self_harm",
    ("danger", "selfharm_now"): "active_self_harm",
    ("danger", "preparing"): "farewell",
    ("unsafe", "controlled"): "locked_in",
    ("unsafe", "trapped"): "locked_in",
    ("concern", "isolation"): "burden",
    ("concern", "not_coping"): "struggling",
    ("concern", "relapse_risk"): "urge",
    ("concern", "selfharm_thoughts"): "urge",
    ("calm", "advocacy_media"): "advocacy",
    ("calm", "goodbyes_everyday"): "goodbye",
    ("calm", "medicine_logistics"): "medicine",
    ("calm", "moderator"): "moderator_question",
    ("calm", "quote_reported"): "quote",
}


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "")
    )


def unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(nxt, "\\" + nxt))
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def load(path: Path = CORPUS) -> list[dict]:
    """Rows as dicts with label, kind, source and text (unescaped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=True))
        row["text"] = unescape(row["text"])
        rows.append(row)
    return rows


def save(rows: list[dict], path: Path = CORPUS) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(FIELDS) + "\n")
        for row in rows:
            f.write(
                "\t".join(
                    [row["label"], row["kind"], row["source"], escape(row["text"])]
                )
                + "\n"
            )


def valid(label: str, kind: str) -> bool:
    if label == "calm":
        return kind in CALM_KINDS
    return kind in LEVEL_KINDS.get(label, ())


def read_jsonl(path: Path) -> tuple[list[dict], int]:
    """The rows of a writer's file that parse and carry a known label and kind."""
    rows, bad = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            label, kind, text = item["label"], item["kind"], item["text"].strip()
            kind = KIND_NAMES.get((label, kind), kind)
        except (ValueError, KeyError, TypeError, AttributeError):
            bad += 1
            continue
        if valid(label, kind) and text:
            rows.append({"label": label, "kind": kind, "text": text})
        else:
            bad += 1
    return rows, bad


def kindness_texts() -> set[str]:
    if not KINDNESS.exists():
        return set()
    return {
        normalise(json.loads(line)["text"])
        for line in KINDNESS.read_text().splitlines()
        if line.strip()
    }


def merge(staging: Path) -> list[dict]:
    files = sorted(staging.glob("c*.jsonl"))
    staged = {path.stem for path in files}
    kept = [row for row in load() if row["source"] not in staged]
    seen = {normalise(row["text"]) for row in kept} | kindness_texts()
    for path in files:
        rows, bad = read_jsonl(path)
        added = dup = 0
        for row in rows:
            key = normalise(row["text"])
            if not key or key in seen:
                dup += 1
                continue
            seen.add(key)
            kept.append({**row, "source": path.stem})
            added += 1
        print(f"{path.name}: {added} added, {dup} duplicates, {bad} unusable lines")
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staging", type=Path, default=STAGING)
    args = parser.parse_args()
    rows = merge(args.staging)
    save(rows)
    print(f"{len(rows)} messages in {CORPUS.relative_to(ROOT)}")
    for source, n in sorted(Counter(r["source"] for r in rows).items()):
        print(f"  {source}: {n}")
    for label, n in sorted(Counter(r["label"] for r in rows).items()):
        print(f"  {label}: {n}")


if __name__ == "__main__":
    main()
