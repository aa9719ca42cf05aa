"""The crisis net on whole chat conversations: each line read alone, and read after
its writer's previous lines in the same conversation (`Detector.assess_in_context`,
what the chat does with a person's recent lines).

    .venv/bin/python bench/crisis_conversations.py FILE.jsonl [FILE.jsonl ...] [--compare]

A file holds conversations in the order their lines were sent, a line each:
{"conversation", "speaker", "label", "kind", "text"}, each line labelled by what it
says about its writer read after everything before it (`bench/heldout/
WRITERS_BRIEF_CONVERSATIONS.md`). The unit is a line; each file is reported on its
own, never pooled. `--compare` adds the context options not shipped. The shipped
weights are used as they are: conversations are never trained on.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crisis_net import score, summary  # noqa: E402

from moderation.screening.detector import WEIGHTS_PATH, Detector  # noqa: E402

# How the chat reads a line's writer's previous lines (the shipped weights' options).
SHIPPED = {"shipped": {}}
COMPARE = {
    "each line alone (no context)": {"context_lines": 0},
    "after the writer's last line": {"context_lines": 1},
    "after the writer's last 3 lines": {"context_lines": 3},
    "the line alone at 0.2 or more": {"context_floor": 0.2},
    "the line alone at 0.4 or more": {"context_floor": 0.4},
    "no floor (any line)": {"context_floor": 0.0},
    **{
        f"after lines that alert, the line alone at {floor}": {
            "context_said_floor": floor
        }
        for floor in (0.5, 0.6, 0.7)
    },
    "only where graver than the lines before": {
        "context_mode": "new",
        "context_floor": 0.0,
    },
}
# The writer's lines are read only within this many lines of the conversation (a
# line from long ago is not the same thought).
WITHIN = 12


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def read_conversations(detector: Detector, lines: list[dict]) -> list[tuple]:
    """(label, kind, Assessment) for each line, read after its writer's previous
    lines of the same conversation (no further back than WITHIN lines)."""
    out = []
    for i, line in enumerate(lines):
        earlier = lines[max(0, i - WITHIN) : i]
        before = [
            e["text"]
            for e in earlier
            if e["conversation"] == line["conversation"]
            and e["speaker"] == line["speaker"]
        ]
        got = detector.assess_in_context(line["text"], before)
        out.append((line["label"], line["kind"], got))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args()
    weights = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    systems = {**SHIPPED, **(COMPARE if args.compare else {})}
    for path in args.files:
        lines = load(path)
        talks = len({line["conversation"] for line in lines})
        print(f"\n#### {path.name}: {talks} conversations, {len(lines)} lines")
        for name, options in systems.items():
            detector = Detector({**weights, **options})
            figures = score(read_conversations(detector, lines))
            print(f"  {name:36} {summary(figures)}")


if __name__ == "__main__":
    main()
