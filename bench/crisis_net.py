"""Held-out measurement of the crisis detector: rules, model, and both combined.

    .venv/bin/python bench/crisis_net.py [--folds 5] [--seed 13]

k-fold over `tests/moderation/screening/crisis_corpus.tsv`, stratified by kind with a
fixed seed: each fold's model is trained by `bench/crisis_train.py`'s `train()` on the
other folds and scored only on the held-out fold. Rules need no training, but they
were written with the corpus in view, so their held-out figures flatter them; the
FRESH sentences below were written before any figure was seen, are in no training
set, and are the fairer test of phrasings nobody wrote a rule for. Then the
latency of `assess()` (the shipped weights) per chat message and on a 20,000-character
post. Timings are printed, never asserted.
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crisis_train import load_corpus, train  # noqa: E402

from moderation.screening.detector import (  # noqa: E402
    DANGER_KINDS,
    KINDS,
    Detector,
    assess,
)

# Written before any measurement, trained on by nothing: (label, kind, text).
FRESH = (
    ("danger", "intent", "honestly i think im going to kill myself this time"),
    ("danger", "intent", "i just want to die man"),
    ("danger", "intent", "seriously considering suicide"),
    ("danger", "intent", "i want it to be over. i want to be dead"),
    ("danger", "intent", "i'm going to unalive myself i think"),
    ("danger", "intent", "thinking about kms again and i dont see why not"),
    ("danger", "intent", "i am done. i want to end my own life"),
    ("danger", "intent", "ngl i want to die"),
    ("danger", "plan", "i know which pills and how many"),
    (
        "danger",
        "plan",
        "i've been looking at the bridge every day on the bus, i know thats how",
    ),
    ("danger", "plan", "wrote a letter for my mum to find"),
    ("danger", "plan", "i looked up how to tie a noose"),
    ("danger", "means", "ive got a stash of pills under my bed for when i need it"),
    ("danger", "means", "i bought razor blades today and i know what theyre for"),
    ("danger", "means", "been keeping my tablets instead of taking them"),
    ("danger", "means", "i have a bottle of vodka and all my sleeping pills here"),
    ("danger", "timing", "tonight is when i do it"),
    ("danger", "timing", "i wont be alive on monday"),
    ("danger", "timing", "going to end it after everyone leaves tonight"),
    ("danger", "timing", "this is my last day"),
    ("danger", "farewell", "i just want to say thank you to everyone here before i go"),
    ("danger", "farewell", "goodbye. i love you all. dont blame yourselves"),
    ("danger", "farewell", "please tell my mum im sorry"),
    ("danger", "farewell", "this will be my final post"),
    ("danger", "active_self_harm", "i'm cutting again right now and cant stop"),
    ("danger", "active_self_harm", "just took a load of pills"),
    ("danger", "active_self_harm", "i have the blade on my skin right now"),
    ("danger", "active_self_harm", "about to cut, please talk to me"),
    ("concern", "passive_wish", "i wish i could just stop existing"),
    ("concern", "passive_wish", "sometimes i hope i just dont wake up tomorrow"),
    ("concern", "passive_wish", "i wish i could just fade away and be gone"),
    ("concern", "passive_wish", "honestly wouldnt mind if i died"),
    ("concern", "passive_wish", "i dont want to wake up anymore"),
    ("concern", "passive_wish", "i just want to be gone"),
    ("concern", "passive_wish", "i dont want to exist anymore"),
    ("concern", "hopelessness", "nothing matters anymore"),
    ("concern", "hopelessness", "i cant keep doing this"),
    ("concern", "hopelessness", "there is no point anymore"),
    ("concern", "hopelessness", "i've got nothing left"),
    ("concern", "hopelessness", "i'm out of hope"),
    ("concern", "hopelessness", "i cant cope anymore, everything is falling apart"),
    ("concern", "burden", "everyone would be happier if i was gone"),
    ("concern", "burden", "i'm just a burden, everyone would be better without me"),
    ("concern", "burden", "nobody would notice if i was gone"),
    ("concern", "burden", "my family deserves better than me"),
    ("concern", "burden", "no one would care if i just vanished"),
    ("concern", "recent_self_harm", "i cut again last night"),
    ("concern", "recent_self_harm", "i hurt myself yesterday and i feel awful"),
    ("concern", "recent_self_harm", "i relapsed with self harm this week"),
    ("concern", "recent_self_harm", "i burned my arm again on sunday"),
    ("concern", "recent_self_harm", "had a bad night and ended up cutting"),
    ("calm", "figurative", "this exam is going to kill me lol"),
    ("calm", "figurative", "my boss is killing me with these deadlines"),
    ("calm", "figurative", "i could murder a burger right now"),
    ("calm", "figurative", "tonight's the night, the final is on!"),
    ("calm", "figurative", "we are ending the project tonight, finally"),
    ("calm", "figurative", "my phone died on the train"),
    ("calm", "figurative", "lol i'm dead, that meme"),
    ("calm", "figurative", "my legs are dead after leg day"),
    ("calm", "figurative", "i'm dying to go on holiday"),
    ("calm", "figurative", "end it already, this movie is too long haha"),
    ("calm", "recovery", "three years without self harm today"),
    (
        "calm",
        "recovery",
        "i used to want to kill myself, now i'm studying to be a nurse",
    ),
    ("calm", "recovery", "i'm in a much better place than last year"),
    ("calm", "recovery", "six months clean from cutting!"),
    ("calm", "recovery", "i'm proud i reached out instead of hurting myself"),
    (
        "calm",
        "grief",
        "my friend killed himself two years ago and i still think about him",
    ),
    ("calm", "grief", "we lost my uncle to suicide"),
    ("calm", "grief", "my mum overdosed when i was small"),
    ("calm", "grief", "the anniversary of my brother's suicide is tomorrow"),
    ("calm", "past", "when i was 17 i wanted to die"),
    ("calm", "past", "i used to self harm a lot as a teenager"),
    ("calm", "past", "years ago i saved up pills but i got help"),
    ("calm", "past", "back in 2012 i tried to end my life"),
    ("calm", "topic", "how can i help my partner who self harms"),
    ("calm", "topic", "the suicide prevention walk is on saturday"),
    ("calm", "topic", "does anyone have resources on self harm for teachers"),
    ("calm", "topic", "i'm reading a memoir about surviving a suicide attempt"),
    ("calm", "topic", "what should you do if a friend says goodbye in a weird way"),
    ("calm", "negation", "i'm not going to kill myself, i just feel low"),
    ("calm", "negation", "don't worry, i'm not suicidal"),
    ("calm", "negation", "i have no plans to hurt myself"),
    ("calm", "negation", "i am not thinking about ending my life"),
    ("calm", "tiredness", "i can't do this commute anymore, need a new job"),
    ("calm", "tiredness", "so done with this week"),
    ("calm", "tiredness", "i'm exhausted and sad but i'll be okay"),
    ("calm", "tiredness", "i give up on this game lol"),
    ("calm", "tiredness", "work is hopeless today"),
    ("calm", "ordinary", "i need to pick up my pills from the pharmacy"),
    ("calm", "ordinary", "goodbye everyone, off to bed"),
    ("calm", "ordinary", "see you all tomorrow"),
    ("calm", "ordinary", "i'm leaving the circle because i moved, thank you all"),
    (
        "calm",
        "ordinary",
        "we're going to jump off the pier into the sea, it's tradition",
    ),
    ("calm", "ordinary", "bought a new knife for the kitchen"),
)


def folds(rows, k: int, seed: int) -> list[list[int]]:
    """Indices of each fold, every kind spread evenly over the folds."""
    by_kind = defaultdict(list)
    for i, (label, kind, _) in enumerate(rows):
        by_kind[(label, kind)].append(i)
    out = [[] for _ in range(k)]
    rng = random.Random(seed)
    offset = 0
    for key in sorted(by_kind):
        members = by_kind[key]
        rng.shuffle(members)
        for n, i in enumerate(members):
            out[(n + offset) % k].append(i)
        offset += len(members)
    return out


def score(results) -> dict:
    """results: (label, kind, Assessment) triples -> the figures."""
    figures = {"kind": {}, "level": {}}
    per_kind = defaultdict(list)
    for label, kind, got in results:
        per_kind[(label, kind)].append(got)
    for (label, kind), gots in sorted(per_kind.items()):
        if label == "calm":
            continue
        alert = sum(g.level is not None for g in gots)
        same = sum(g.level == label for g in gots)
        figures["kind"][kind] = (alert, same, len(gots))
    for level in ("danger", "concern"):
        gots = [g for label, _, g in results if label == level]
        figures["level"][level] = (
            sum(g.level is not None for g in gots),
            sum(g.level == level for g in gots),
            len(gots),
        )
    calm = [(kind, g) for label, kind, g in results if label == "calm"]
    figures["false"] = (sum(g.level is not None for _, g in calm), len(calm))
    figures["false_kind"] = defaultdict(int)
    for kind, g in calm:
        figures["false_kind"][kind] += g.level is not None
    risk = [g for label, _, g in results if label != "calm"]
    figures["recall"] = (sum(g.level is not None for g in risk), len(risk))
    return figures


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f}% ({n}/{d})" if d else "   n/a"


def report(name: str, figures: dict) -> None:
    print(f"\n== {name}")
    print(f"  any alert on risk: {pct(*figures['recall'])}")
    for level, (alert, same, n) in figures["level"].items():
        print(f"  {level:8} as any alert {pct(alert, n)}   as {level} {pct(same, n)}")
    print(f"  false alarms on calm: {pct(*figures['false'])}")
    for kind in KINDS:
        if kind in figures["kind"]:
            alert, same, n = figures["kind"][kind]
            level = "danger" if kind in DANGER_KINDS else "concern"
            print(f"    {kind:17} alert {pct(alert, n)}  as {level:7} {pct(same, n)}")
    misses = {k: v for k, v in figures["false_kind"].items() if v}
    if misses:
        print(
            "    false alarms by calm kind: "
            + ", ".join(f"{k} {v}" for k, v in sorted(misses.items()))
        )


SWEEP = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def print_sweep(sweep: dict) -> None:
    """Combined recall and false alarms had the model's threshold been another."""
    print("\n  threshold sweep (combined, any alert): t  recall  false alarms")
    for t, results in sweep.items():
        figures = score(results)
        print(f"    {t:.2f}  {pct(*figures['recall'])}  {pct(*figures['false'])}")


def run(weights, items, show: bool, systems: dict, sweep: dict) -> None:
    """Assess `items` (label, kind, text) with rules, model and both; record them."""
    detectors = {
        "rules": Detector(None),
        "model": Detector(weights, rules=False),
        "model t=0.5": Detector(dict(weights, threshold=0.5), rules=False),
        "combined": Detector(weights),
    }
    for label, kind, text in items:
        for name, detector in detectors.items():
            got = detector.assess(text)
            systems[name].append((label, kind, got))
            if show and name == "combined" and (got.level is None) != (label == "calm"):
                print(f"  miss [{label}/{kind}] -> {got.level} {got.score:.2f}: {text}")
    for t in SWEEP:
        detector = Detector(dict(weights, threshold=t))
        sweep[t].extend((lb, kd, detector.assess(text)) for lb, kd, text in items)


def held_out(rows, k: int, seed: int, show: bool):
    systems = {"rules": [], "model": [], "model t=0.5": [], "combined": []}
    sweep = {t: [] for t in SWEEP}
    for held in folds(rows, k, seed):
        held_set = set(held)
        weights = train([r for i, r in enumerate(rows) if i not in held_set])
        run(weights, [rows[i] for i in held], show, systems, sweep)
    return systems, sweep


def fresh(rows, show: bool):
    systems = {"rules": [], "model": [], "model t=0.5": [], "combined": []}
    sweep = {t: [] for t in SWEEP}
    run(train(rows), FRESH, show, systems, sweep)
    return systems, sweep


def timings(texts: list[str], repeat: int) -> str:
    """Median and p99 wall time of assess() per text, and median CPU time (this
    thread's: what the call costs when other processes share the cores)."""
    wall, cpu = [], []
    for _ in range(repeat):
        for text in texts:
            start, start_cpu = time.perf_counter(), time.thread_time()
            assess(text)
            cpu.append(time.thread_time() - start_cpu)
            wall.append(time.perf_counter() - start)
    wall.sort()
    return (
        f"median {statistics.median(wall) * 1000:.3f} ms, "
        f"p99 {wall[int(len(wall) * 0.99)] * 1000:.3f} ms, "
        f"median CPU {statistics.median(cpu) * 1000:.3f} ms"
    )


def long_post(rows, size: int = 20_000) -> str:
    """A 20,000-character post from calm corpus sentences (every one a cue for the
    model's pre-filter: the worst case) with one risk sentence near the end."""
    calm = [text for label, _, text in rows if label == "calm"]
    parts, total = [], 0
    for i in range(10_000):
        piece = calm[i % len(calm)].capitalize() + ". "
        parts.append(piece)
        total += len(piece)
        if total >= size:
            break
    parts.insert(len(parts) - 3, "Honestly I cant do this anymore. ")
    return "".join(parts)[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--show", action="store_true", help="print every miss")
    args = parser.parse_args()
    rows = load_corpus()
    print(f"corpus: {len(rows)} sentences, {sum(r[0] != 'calm' for r in rows)} risk")
    print(f"\n#### {args.folds}-fold held out (seed {args.seed})")
    systems, sweep = held_out(rows, args.folds, args.seed, args.show)
    for name, results in systems.items():
        report(name, score(results))
    print_sweep(sweep)
    print(
        f"\n#### FRESH: {len(FRESH)} sentences never trained on, model trained on all"
    )
    systems, sweep = fresh(rows, args.show)
    for name, results in systems.items():
        report(name, score(results))
    print_sweep(sweep)

    print("\n#### latency of assess() (shipped weights), per message")
    print(f"  load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    chat = [text for _, _, text in rows]
    print(f"  chat messages ({len(chat)} x 5): {timings(chat, 5)}")
    post = long_post(rows)
    assert assess(post).level is not None, "the risk sentence in the post is missed"
    print(
        f"  {len(post):,}-character post, cue words everywhere (x50): {timings([post], 50)}"
    )
    plain = ("We walked along the river and talked about the garden. " * 400)[:20_000]
    print(f"  {len(plain):,}-character plain post (x50): {timings([plain], 50)}")


if __name__ == "__main__":
    main()
