"""Train the crisis detector's model on the labelled corpus and write its weights.

    .venv/bin/python bench/crisis_train.py

Reads `tests/moderation/screening/crisis_corpus.tsv` and writes
`moderation/screening/detector_weights.json` (plain numbers, no pickle). Two logistic
regressions over the detector's own features (word 1-2-grams, character 3-5-grams):
`risk` (calm against any risk, binary) decides whether to alert; `kinds` (the ten
kinds, trained on risk sentences only) names the kind and the level. Deterministic:
the same corpus gives the same file. Needs scikit-learn (a dev dependency);
inference needs only the standard library.
"""

import csv
import json
import math
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from moderation.screening.detector import (  # noqa: E402
    KINDS,
    WEIGHTS_PATH,
    features,
    sentences,
)

CORPUS = ROOT / "tests" / "moderation" / "screening" / "crisis_corpus.tsv"
RISK_C = 20.0  # inverse regularisation; 3, 10 and 30 did no better held out
KINDS_C = 20.0
THRESHOLD = 0.8
PRUNE = 0.03  # smaller weights are left out of the file (no decision changes)


def load_corpus(path: Path = CORPUS) -> list[tuple[str, str, str]]:
    """(label, kind, text) rows; label is danger, concern or calm."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(r["label"], r["kind"], r["text"]) for r in reader]


def _matrix(texts: list[str], vocab: dict[str, int]) -> csr_matrix:
    rows, cols, vals = [], [], []
    for i, text in enumerate(texts):
        feats = features(" ".join(sentences(text)))
        value = 1.0 / math.sqrt(len(feats))
        for f in feats:
            j = vocab.get(f)
            if j is not None:
                rows.append(i)
                cols.append(j)
                vals.append(value)
    return csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab)))


def train(rows: list[tuple[str, str, str]]) -> dict:
    """Weights for `Detector` from labelled rows."""
    texts = [text for _, _, text in rows]
    vocab: dict[str, int] = {}
    for text in texts:
        for f in sorted(features(" ".join(sentences(text)))):
            vocab.setdefault(f, len(vocab))
    names = sorted(vocab, key=vocab.get)
    x = _matrix(texts, vocab)

    y = np.array([label != "calm" for label, _, _ in rows], dtype=int)
    risk = LogisticRegression(C=RISK_C, max_iter=5000, solver="lbfgs")
    risk.fit(x, y)
    risk_w = {
        name: round(float(w), 4)
        for name, w in zip(names, risk.coef_[0], strict=True)
        if abs(w) >= PRUNE
    }

    at_risk = [i for i, (label, _, _) in enumerate(rows) if label != "calm"]
    kinds_y = np.array([KINDS.index(rows[i][1]) for i in at_risk])
    kinds = LogisticRegression(C=KINDS_C, max_iter=5000, solver="lbfgs")
    kinds.fit(x[at_risk], kinds_y)
    classes = [KINDS[c] for c in kinds.classes_]
    kinds_w: dict[str, list] = {}
    for j, name in enumerate(names):
        entries = [
            [c, round(float(kinds.coef_[c, j]), 4)]
            for c in range(len(classes))
            if abs(kinds.coef_[c, j]) >= PRUNE
        ]
        if entries:
            kinds_w[name] = entries
    return {
        "threshold": THRESHOLD,
        "risk": {"b": round(float(risk.intercept_[0]), 4), "w": risk_w},
        "kinds": {
            "classes": classes,
            "b": [round(float(b), 4) for b in kinds.intercept_],
            "w": kinds_w,
        },
    }


def main() -> None:
    rows = load_corpus()
    weights = train(rows)
    with open(WEIGHTS_PATH, "w", encoding="utf-8") as f:
        json.dump(weights, f, separators=(",", ":"), sort_keys=True)
        f.write("\n")
    print(
        f"{len(rows)} sentences; {len(weights['risk']['w'])} risk weights, "
        f"{len(weights['kinds']['w'])} kind features; wrote {WEIGHTS_PATH.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
