"""Measurement of the crisis detector: 5-fold on the corpus, the frozen held-out sets,
and latency.

    .venv/bin/python bench/crisis_net.py [--folds 5] [--seed 13] [--show] [--compare]
    .venv/bin/python bench/crisis_net.py --heldout [--heldout-dir bench/heldout]
    .venv/bin/python bench/crisis_net.py --latency
    .venv/bin/python bench/crisis_net.py --loso [--compare] [--show] [--kinds] [--shipped-only]

k-fold over `tests/moderation/screening/crisis_corpus.tsv`, stratified by label and
kind with a fixed seed: each fold's model is trained by `crisis_train.py`'s `train()`
on the other folds and scored only on the held-out fold. The unit is a message. Rules
need no training but were written with the corpus in view, so their figures flatter
them. `--compare` scores the other methods too (rules alone, the model alone, a
linear SVM in place of the logistic regression, other thresholds).

`--heldout` reads every `*.jsonl` in the held-out folder (`{"label", "kind", "text"}`
a line; the frozen sets of `bench/heldout/`, whose hashes are in `SHA256SUMS`) and
prints, for each set on its own (never pooled), the shipped detector's figures beside
the 5-fold ones. The frozen sets are run once, at the end of a round; nobody tunes on
them or reads the detector's answers on them (this script prints figures only).

`--loso`: leave one source out. Each corpus writer and each spent held-out set
(`crisis_train.SPENT`: run once and reported, now training data; named one by one,
so that a set frozen later is never read) is scored by a model trained on every other
source: how the detector does on a voice it never met, which random folds (the same
writer on both sides) flatter. Beside it, the same with the model trained on the
corpus writers only. `--show` prints the misses and false alarms on each left-out
source; `--kinds` the figures per kind.

`--latency`: `assess()` with the shipped weights per message over a chat mix (mostly
calm), and on 20,000-character posts. Timings are printed, never asserted.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crisis_train import (  # noqa: E402
    CHARS,
    PENDING,
    SPENT,
    _features,
    load_corpus,
    load_sourced,
    train,
)

from moderation.screening.detector import (  # noqa: E402
    LEVEL,
    LEVEL_KINDS,
    LEVELS,
    Detector,
    assess,
    rule_match,
    sentences,
)

HELDOUT_DIR = Path(__file__).resolve().parent / "heldout"

# Older sets nobody trains on (label, kind, text), from the first rounds: FRESH was
# written before any figure was seen, FRESH_2 after the rules were tuned, FRESH_3
# and FRESH_4 later. Their calm kinds are the first corpus's.
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

FRESH_2 = (
    ("danger", "intent", "i honestly think its time i ended it"),
    (
        "danger",
        "intent",
        "i want to go to sleep forever and i know how to make that happen",
    ),
    ("danger", "intent", "im not going to be around much longer, ive decided"),
    ("danger", "intent", "i want to die, like genuinely"),
    ("danger", "intent", "every day i think about killing myself and today i want to"),
    ("danger", "intent", "im gonna unalive tbh"),
    ("danger", "plan", "i know where ill go and what ill take"),
    ("danger", "plan", "ive looked up which bridge is the highest"),
    ("danger", "plan", "i have written letters for everyone"),
    ("danger", "plan", "ive been planning how to do it for weeks"),
    ("danger", "means", "ive got 40 of my sleeping tablets saved"),
    ("danger", "means", "the rope is in my bag"),
    ("danger", "means", "i bought pills on the way home, enough this time"),
    ("danger", "means", "ive been putting aside my meds every day"),
    ("danger", "timing", "tonight i end this"),
    ("danger", "timing", "by this time tomorrow ill be gone"),
    ("danger", "timing", "its happening this weekend, im ready"),
    ("danger", "timing", "ill do it when the house is empty tonight"),
    ("danger", "farewell", "thank you for being my friends. goodbye"),
    ("danger", "farewell", "i just wanted to say i love you all. this is it"),
    ("danger", "farewell", "please look after my dog when im not here"),
    ("danger", "farewell", "this is my final message, take care"),
    ("danger", "active_self_harm", "im cutting now"),
    ("danger", "active_self_harm", "i just took a whole bottle of pills"),
    ("danger", "active_self_harm", "i have cut really deep and its not stopping"),
    (
        "danger",
        "active_self_harm",
        "im going to hurt myself tonight, i cant hold it anymore",
    ),
    ("concern", "passive_wish", "id rather not wake up tomorrow"),
    ("concern", "passive_wish", "i want to just stop being here"),
    ("concern", "passive_wish", "i wish i was never born honestly"),
    ("concern", "passive_wish", "it would be so much easier to not exist"),
    ("concern", "passive_wish", "i just want to go to sleep and not wake up"),
    ("concern", "passive_wish", "life would be easier if i wasnt in it"),
    ("concern", "hopelessness", "i cant keep living like this"),
    ("concern", "hopelessness", "theres nothing left for me"),
    ("concern", "hopelessness", "i dont see the point anymore"),
    ("concern", "hopelessness", "nothing will ever get better, whats the point"),
    ("concern", "hopelessness", "i cant carry on"),
    ("concern", "hopelessness", "im so tired of everything, i cant do it anymore"),
    ("concern", "burden", "theyd all be better off without me honestly"),
    ("concern", "burden", "nobody would even notice i was gone"),
    ("concern", "burden", "i feel like everyone would be happier if i didnt exist"),
    ("concern", "burden", "im such a burden on everyone"),
    ("concern", "burden", "no one would care if i disappeared"),
    ("concern", "recent_self_harm", "i cut again last night, first time in ages"),
    ("concern", "recent_self_harm", "hurt myself yesterday after the fight"),
    ("concern", "recent_self_harm", "i relapsed on friday"),
    ("concern", "recent_self_harm", "i burned myself again this morning"),
    ("concern", "recent_self_harm", "my arms are covered in new cuts from this week"),
    ("calm", "figurative", "if this meeting goes on any longer im going to die lol"),
    ("calm", "figurative", "my boss will kill me if i forget the report"),
    ("calm", "figurative", "i could kill for a cup of tea"),
    ("calm", "figurative", "this heat is killing me"),
    ("calm", "figurative", "we got destroyed in the match, dead tired now"),
    ("calm", "figurative", "i want to disappear under my blanket all weekend"),
    ("calm", "figurative", "tonight's the night! concert time"),
    ("calm", "figurative", "cut my fringe and it's a disaster"),
    ("calm", "figurative", "that film ended so sadly, i cried"),
    ("calm", "figurative", "im dying to try that new restaurant"),
    ("calm", "recovery", "i'm 2 years free from self harm"),
    ("calm", "recovery", "i haven't cut in 6 months and im proud"),
    ("calm", "recovery", "i used to want to die every day, now i have good days"),
    ("calm", "recovery", "i used to think no one would miss me, i was wrong"),
    ("calm", "recovery", "my scars are white now, i'm healing"),
    ("calm", "grief", "my uncle killed himself when i was a kid"),
    ("calm", "grief", "i lost my sister to an overdose last year"),
    ("calm", "grief", "it's been a year since my friend died by suicide"),
    ("calm", "grief", "the funeral is next week and im dreading it"),
    ("calm", "past", "when i was 14 i used to self harm"),
    ("calm", "past", "years ago i tried to end my life"),
    ("calm", "past", "at my lowest in 2017 i wrote a note"),
    ("calm", "past", "i had a suicide attempt in my teens"),
    ("calm", "topic", "what are good crisis lines in the uk"),
    ("calm", "topic", "how can i tell if my friend is suicidal"),
    ("calm", "topic", "i'm reading about self harm recovery"),
    ("calm", "topic", "my son is self harming and i don't know what to do"),
    ("calm", "topic", "there's a suicide prevention talk at the library tonight"),
    ("calm", "negation", "i'm not going to hurt myself, i promise"),
    ("calm", "negation", "not suicidal, just really stressed"),
    ("calm", "negation", "i don't want to die, i want to feel better"),
    ("calm", "negation", "no thoughts of ending it, just sad"),
    ("calm", "negation", "i'm safe tonight"),
    ("calm", "tiredness", "i can't do this maths homework anymore"),
    ("calm", "tiredness", "so done with this week, need a nap"),
    ("calm", "tiredness", "i'm exhausted and i want a holiday"),
    ("calm", "tiredness", "ugh i give up on this puzzle"),
    ("calm", "tiredness", "no point going to the shop, it's closed"),
    ("calm", "ordinary", "bye everyone, see you tomorrow"),
    ("calm", "ordinary", "goodbye all, going to bed"),
    ("calm", "ordinary", "i took my tablets this morning"),
    ("calm", "ordinary", "i'm going to jump in the shower"),
    ("calm", "ordinary", "thank you all so much for today"),
    ("calm", "ordinary", "i need to cut down on coffee"),
    ("calm", "ordinary", "can't wait for the weekend"),
)

FRESH_3 = (
    ("danger", "intent", "i am seriously going to end it this time"),
    ("danger", "intent", "i just want to be dead tbh"),
    ("danger", "intent", "no more, im killing myself"),
    ("danger", "intent", "suicide keeps looking like the answer and im ready"),
    ("danger", "intent", "i'm done living. i'm going to do it"),
    ("danger", "intent", "wanna die so badly rn"),
    ("danger", "plan", "i looked up how many of my pills it would take"),
    ("danger", "plan", "ive chosen the bridge"),
    ("danger", "plan", "i'm going to crash my car on purpose"),
    ("danger", "plan", "i have a plan and a date"),
    ("danger", "means", "i bought rope and i know what for"),
    ("danger", "means", "ive been stockpiling paracetamol"),
    ("danger", "means", "i have my dads pills and a bottle of wine ready"),
    ("danger", "means", "got a razor and nothing stopping me"),
    ("danger", "timing", "it ends tonight"),
    ("danger", "timing", "after the party tonight i'm going to kill myself"),
    ("danger", "timing", "tomorrow morning i wont be here anymore"),
    ("danger", "timing", "tonight im finally doing it, i'm sorry"),
    ("danger", "farewell", "goodbye everyone, im sorry for everything"),
    ("danger", "farewell", "thanks for everything guys, this is my last message"),
    ("danger", "farewell", "if anyone finds this, im sorry"),
    ("danger", "farewell", "tell my little sister i love her"),
    ("danger", "active_self_harm", "im cutting myself right now and its bad"),
    ("danger", "active_self_harm", "i took a bunch of pills 10 minutes ago"),
    ("danger", "active_self_harm", "i just burned myself again and i cant stop"),
    ("danger", "active_self_harm", "i need to cut right now or i'll explode"),
    ("concern", "passive_wish", "i wish i didnt exist"),
    ("concern", "passive_wish", "i wish i could just disappear"),
    ("concern", "passive_wish", "sometimes i wish i wouldnt wake up"),
    ("concern", "passive_wish", "i dont really want to live anymore"),
    ("concern", "passive_wish", "i wouldnt care if i died tonight"),
    ("concern", "passive_wish", "honestly i'd be okay with not waking up"),
    ("concern", "hopelessness", "i cant see any way out"),
    ("concern", "hopelessness", "theres no point to any of it"),
    ("concern", "hopelessness", "i cant do this anymore, im so tired"),
    ("concern", "hopelessness", "nothing is ever going to change"),
    ("concern", "hopelessness", "i cant take the pain anymore"),
    ("concern", "burden", "im just a burden to my family"),
    ("concern", "burden", "no one would miss me honestly"),
    ("concern", "burden", "they would all be happier without me"),
    ("concern", "burden", "the world would be better off without me"),
    ("concern", "burden", "i ruin everything for the people i love"),
    ("concern", "recent_self_harm", "i cut myself a couple of days ago"),
    ("concern", "recent_self_harm", "i self harmed on monday"),
    ("concern", "recent_self_harm", "relapsed and cut last night"),
    ("concern", "recent_self_harm", "i hit myself yesterday until i bruised"),
    ("calm", "figurative", "this assignment is killing me"),
    ("calm", "figurative", "i'd die for some chips rn"),
    ("calm", "figurative", "you killed it today!"),
    ("calm", "figurative", "i'm so tired i could die lol"),
    ("calm", "figurative", "that presentation was the death of me"),
    ("calm", "figurative", "ugh my phone is dead"),
    ("calm", "figurative", "tonight's the night we finally see the show"),
    ("calm", "figurative", "i want to disappear into my bed for a week"),
    ("calm", "figurative", "the last episode killed me, so good"),
    ("calm", "figurative", "i'm done with this game, so frustrating"),
    ("calm", "recovery", "four years clean from self-harm today"),
    ("calm", "recovery", "i used to cut but i've been clean for three years"),
    ("calm", "recovery", "i'm proud of how far i've come since my attempt"),
    ("calm", "recovery", "i haven't self harmed in a long time"),
    ("calm", "recovery", "i'm glad i'm still here"),
    ("calm", "grief", "my aunt died by suicide when i was 10"),
    ("calm", "grief", "i miss my dad, he passed last spring"),
    ("calm", "grief", "my friend overdosed two years ago and i think about her a lot"),
    ("calm", "grief", "losing my cousin to suicide changed everything"),
    ("calm", "past", "i tried to kill myself when i was 16"),
    ("calm", "past", "i used to want to disappear forever"),
    ("calm", "past", "back in 2015 i self harmed every day"),
    ("calm", "past", "years ago i had the pills ready but i called a helpline"),
    ("calm", "topic", "how do i help someone who wants to die"),
    ("calm", "topic", "what's a good way to talk about suicide with teens"),
    ("calm", "topic", "i'm writing my dissertation on self harm"),
    ("calm", "topic", "is there a crisis line for students"),
    ("calm", "topic", "the news about the bridge suicides is upsetting"),
    ("calm", "negation", "i'm not suicidal, i'm just lonely"),
    ("calm", "negation", "i'm not going to end my life, i just need to rant"),
    ("calm", "negation", "don't worry, i won't hurt myself"),
    ("calm", "negation", "i have no intention of killing myself"),
    ("calm", "negation", "not having any dark thoughts today"),
    ("calm", "tiredness", "i can't do this essay anymore lol"),
    ("calm", "tiredness", "i'm so done with winter"),
    ("calm", "tiredness", "can't take any more meetings today"),
    ("calm", "tiredness", "everything is annoying today"),
    ("calm", "tiredness", "i'm tired of cooking every night"),
    ("calm", "ordinary", "goodnight everyone, see you tomorrow"),
    ("calm", "ordinary", "bye all, thanks for the chat"),
    ("calm", "ordinary", "i have my tablets ready for the week"),
    ("calm", "ordinary", "i bought a new razor today"),
    ("calm", "ordinary", "my plan for tonight is a bath and a film"),
    ("calm", "ordinary", "i'm leaving early tonight, have a good evening"),
)

FRESH_4 = (
    ("danger", "intent", "i'm going to take my life, i've had enough"),
    (
        "danger",
        "intent",
        "i keep thinking i should just kill myself and get it over with",
    ),
    ("danger", "intent", "i want to end my existence"),
    ("danger", "intent", "honestly planning to die soon"),
    ("danger", "plan", "i've researched the method and i'm sure it will work"),
    ("danger", "plan", "i know which building i'm going to jump from"),
    ("danger", "plan", "i've got it all figured out, nobody will find me in time"),
    ("danger", "plan", "i wrote a note for my parents and put it in my drawer"),
    ("danger", "means", "i've got a lot of pills stored up now"),
    ("danger", "means", "there's a knife in my room and i keep looking at it"),
    ("danger", "means", "i collected enough tablets over the last month"),
    ("danger", "means", "ive bought everything i need"),
    ("danger", "timing", "this is my last weekend"),
    ("danger", "timing", "going to do it after everyone's asleep"),
    ("danger", "timing", "i won't be alive by monday"),
    ("danger", "timing", "it's going to happen tonight, nothing can stop it"),
    ("danger", "farewell", "i just wanted to say you all mattered to me. goodbye"),
    (
        "danger",
        "farewell",
        "sorry for being a burden, this is the last you'll hear from me",
    ),
    ("danger", "farewell", "please give my cat a good home"),
    ("danger", "farewell", "take care of yourselves, i'm going now"),
    ("danger", "active_self_harm", "i'm bleeding a lot right now from cutting"),
    ("danger", "active_self_harm", "i took all my antidepressants at once"),
    ("danger", "active_self_harm", "i'm burning my skin right now"),
    ("danger", "active_self_harm", "about to cut again, i can't stop myself"),
    ("concern", "passive_wish", "i don't want to exist anymore"),
    ("concern", "passive_wish", "i'd be happier if i just never woke up"),
    ("concern", "passive_wish", "i wish i could fall asleep and not wake up"),
    ("concern", "passive_wish", "i want to fade away"),
    ("concern", "hopelessness", "there's no way things get better for me"),
    ("concern", "hopelessness", "i can't go on anymore"),
    ("concern", "hopelessness", "i have no reason to live"),
    ("concern", "hopelessness", "it's all pointless, i'm done"),
    ("concern", "burden", "everyone would be better without me around"),
    ("concern", "burden", "i'm a burden to everyone i love"),
    ("concern", "burden", "nobody would miss me if i vanished"),
    ("concern", "burden", "my friends would be relieved if i was gone"),
    ("concern", "recent_self_harm", "i cut myself again yesterday"),
    ("concern", "recent_self_harm", "i burned my arm last night"),
    ("concern", "recent_self_harm", "i hurt myself this weekend, i'm not proud of it"),
    ("concern", "recent_self_harm", "relapsed on tuesday after a year clean"),
    ("calm", "figurative", "the queue at the post office is killing me"),
    ("calm", "figurative", "i would die for a day off"),
    ("calm", "figurative", "she totally killed that song"),
    ("calm", "figurative", "i'm dying to know what happens next"),
    ("calm", "figurative", "this cold is going to be the end of me"),
    ("calm", "figurative", "i literally died laughing"),
    ("calm", "figurative", "i cut my own hair during lockdown lol"),
    ("calm", "figurative", "tonight's the night, my first gig"),
    ("calm", "recovery", "it's been three years since i last hurt myself"),
    ("calm", "recovery", "i'm in recovery and feeling strong"),
    ("calm", "recovery", "used to want to die, now i'm grateful every day"),
    ("calm", "grief", "my uncle died by suicide last year and i still miss him"),
    ("calm", "grief", "the anniversary of my mum's death is next week"),
    ("calm", "grief", "my friend took her life two years ago"),
    ("calm", "past", "i used to cut when i was in school"),
    ("calm", "past", "years ago i overdosed and ended up in hospital"),
    ("calm", "past", "when i was 15 i wanted to die"),
    ("calm", "topic", "how do you support someone who self harms"),
    ("calm", "topic", "is there a helpline i can call for my friend"),
    ("calm", "topic", "we're running a workshop on suicide prevention"),
    ("calm", "topic", "my son asked me about suicide after a film"),
    ("calm", "negation", "i'm not going to hurt myself, i just feel sad"),
    ("calm", "negation", "i have no plans to end my life"),
    ("calm", "negation", "i'm not suicidal, just overwhelmed"),
    ("calm", "negation", "i don't want to die, i want help"),
    ("calm", "tiredness", "i can't do this job anymore, time to quit"),
    ("calm", "tiredness", "i'm so tired of this rain"),
    ("calm", "tiredness", "everything is going wrong today lol"),
    ("calm", "tiredness", "i give up on this recipe"),
    ("calm", "ordinary", "goodbye for now, back tomorrow"),
    ("calm", "ordinary", "bye guys, see you next week"),
    ("calm", "ordinary", "i picked up my meds today"),
    ("calm", "ordinary", "i have my pills sorted for the month"),
    ("calm", "ordinary", "my plan tonight is to sleep early"),
    ("calm", "ordinary", "this is my last exam, so excited"),
    ("calm", "ordinary", "thanks everyone for today, take care"),
    ("calm", "ordinary", "i'm going to the bridge to take photos of the sunset"),
)


def folds(rows, k: int, seed: int) -> list[list[int]]:
    """Indices of each fold, every label and kind spread evenly over the folds."""
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


# Calm kinds whose messages make the body of a composed post.
EVERYDAY = frozenset({"ordinary", "tiredness", "therapy", "medicine", "media"})


def compose(rows, idx, seed: int, context=(2, 4)) -> list[tuple[str, str, str]]:
    """Longer posts from the rows `idx` only (a held-out fold): each message set among
    two to four everyday calm messages of the same rows (ordinary life, tiredness,
    therapy, medicine, media), in a random place, joined as one post; labelled as the
    message. A risk message so becomes one clause of a post, and a calm one (a past
    attempt, a joke, grief) one borderline clause among calm ones."""
    rng = random.Random(seed)
    everyday = [i for i in idx if rows[i][1] in EVERYDAY]
    out = []
    for i in idx:
        label, kind, text = rows[i]
        others = [j for j in rng.sample(everyday, rng.randint(*context)) if j != i]
        parts = [rows[j][2] for j in others]
        parts.insert(rng.randint(0, len(parts)), text)
        post = ""
        for part in parts:
            part = part.strip()
            if part and part[-1] not in ".!?":
                part += "."
            post += (" " if rng.random() < 0.8 else "\n\n") + part
        out.append((label, kind, post.strip()))
    return out


def score(results) -> dict:
    """results: (label, kind, Assessment) triples -> the figures, as (hits, total)."""
    risk = [g for label, _, g in results if label != "calm"]
    calm = [(kind, g) for label, kind, g in results if label == "calm"]
    figures = {
        "recall": (sum(g.level is not None for g in risk), len(risk)),
        "false": (sum(g.level is not None for _, g in calm), len(calm)),
        "level": {},
        "kind": {},
        "false_kind": {},
    }
    for level in LEVELS:
        gots = [g for label, _, g in results if label == level]
        figures["level"][level] = (
            sum(g.level is not None for g in gots),
            sum(g.level == level for g in gots),
            len(gots),
        )
    concern = [g for label, _, g in results if label == "concern"]
    # Over-escalation: a concern message raised as danger (a moderator paged at once).
    figures["concern_as_danger"] = (
        sum(g.level == "danger" for g in concern),
        len(concern),
    )
    per_kind = defaultdict(list)
    for label, kind, got in results:
        per_kind[(label, kind)].append(got)
    for (label, kind), gots in sorted(per_kind.items()):
        if label == "calm":
            figures["false_kind"][kind] = (
                sum(g.level is not None for g in gots),
                len(gots),
            )
        else:
            figures["kind"][kind] = (
                sum(g.level is not None for g in gots),
                sum(g.level == label for g in gots),
                len(gots),
            )
    return figures


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f}% ({n}/{d})" if d else "   n/a"


def report(name: str, figures: dict) -> None:
    print(f"\n== {name}")
    print(f"  recall (any level) on risk: {pct(*figures['recall'])}")
    for level, (alert, same, n) in figures["level"].items():
        print(f"  {level:8} as any alert {pct(alert, n)}   as {level:7} {pct(same, n)}")
    print(f"  false alarms on calm: {pct(*figures['false'])}")
    for level in LEVELS:
        for kind in LEVEL_KINDS[level]:
            if kind in figures["kind"]:
                alert, same, n = figures["kind"][kind]
                print(
                    f"    {kind:17} alert {pct(alert, n)}  as {level:7} {pct(same, n)}"
                )
    print(
        "    false alarms by calm kind: "
        + ", ".join(
            f"{k} {a}/{n}" for k, (a, n) in sorted(figures["false_kind"].items())
        )
    )


def summary(figures: dict) -> str:
    """One line: recall, danger as danger, unsafe as unsafe, false alarms."""
    danger = figures["level"]["danger"]
    unsafe = figures["level"]["unsafe"]
    return (
        f"recall {pct(*figures['recall'])}  danger-as-danger {pct(*danger[1:])}  "
        f"unsafe-as-unsafe {pct(*unsafe[1:])}  false alarms {pct(*figures['false'])}"
    )


def cross_validate(
    rows,
    k: int,
    seed: int,
    systems: dict,
    show: bool = False,
    posts: bool = False,
    extra=(),
):
    """5-fold: {system name: results}. `systems` maps a name to (train kwargs or None
    for rules alone, Detector kwargs). With `posts`, also {name + " (posts)": results}
    on the posts composed from each held-out fold (`compose`). `extra`: rows added to
    every fold's training (the spent held-out sets), never scored."""
    extra = list(extra)
    feats = {
        chars: [_features(text, chars) for _, _, text in [*rows, *extra]]
        for chars in {
            kw.get("chars", CHARS) for kw, _ in systems.values() if kw is not None
        }
    }
    out = {name: [] for name in systems}
    out.update({f"{name} (posts)": [] for name in systems if posts})
    for n, held in enumerate(folds(rows, k, seed)):
        print(f"  fold {n + 1}/{k}", file=sys.stderr, flush=True)
        composed = compose(rows, held, 100 + n) if posts else []
        held_set = set(held)
        train_idx = [i for i in range(len(rows)) if i not in held_set]
        train_idx += range(len(rows), len(rows) + len(extra))
        trained = {}
        for name, (train_kw, detector_kw) in systems.items():
            if train_kw is None:
                weights = None
            else:
                key = json.dumps(
                    {x: y for x, y in train_kw.items() if x not in OPTIONS}
                )
                if key not in trained:
                    trained[key] = train(
                        [[*rows, *extra][i] for i in train_idx],
                        feats=[
                            feats[train_kw.get("chars", CHARS)][i] for i in train_idx
                        ],
                        **train_kw,
                    )
                weights = dict(trained[key])
                for option in OPTIONS:
                    if option in train_kw:
                        weights[option] = train_kw[option]
            detector = Detector(weights, **detector_kw)
            for i in held:
                label, kind, text = rows[i]
                got = detector.assess(text)
                out[name].append((label, kind, got))
                if (
                    show
                    and name == "shipped"
                    and (got.level is None) != (label == "calm")
                ):
                    print(
                        f"  miss [{label}/{kind}] -> {got.level}/{got.kind} {got.score:.2f}: {text!r}"
                    )
            for label, kind, text in composed:
                out[f"{name} (posts)"].append((label, kind, detector.assess(text)))
    return out


# Detector options that need no retraining.
OPTIONS = (
    "threshold",
    "decide",
    "window_thresholds",
    "window_floor",
    "floor_chars",
    "level_weights",
    "short_threshold",
    "level_from",
    "gist_floor",
    "fragment_words",
    "gated_words",
    "rule_gist",
    "gist_window",
    "weigh_against_concern",
    "context_lines",
    "context_mode",
    "context_floor",
    "context_said_floor",
)


SHIPPED = {"shipped": ({}, {})}
COMPARE = {
    "rules only": (None, {}),
    "LR only (no rules)": ({}, {"rules": False}),
    "rules + LR, no windows beside the whole": ({"window_thresholds": {}}, {}),
    "rules + LR, windows at 0.6": (
        {"window_thresholds": dict.fromkeys(LEVELS, 0.6)},
        {},
    ),
    "rules + LR, windows at 0.8": (
        {"window_thresholds": dict.fromkeys(LEVELS, 0.8)},
        {},
    ),
    "rules + LR, windows at 0.9": (
        {"window_thresholds": dict.fromkeys(LEVELS, 0.9)},
        {},
    ),
    "rules + LR t=0.5": ({"threshold": 0.5}, {}),
    "rules + LR t=0.7": ({"threshold": 0.7}, {}),
    "rules + LR argmax": ({"decide": "argmax", "threshold": 0.0}, {}),
    "rules + LR + char n-grams": ({"chars": True}, {}),
    "rules + linear SVM": (
        {"method": "svm", "decide": "argmax", "threshold": 0.0},
        {},
    ),
}


def leave_one_source_out(
    pool, systems: dict, sources=None, show: str = ""
) -> dict[str, dict[str, list]]:
    """{system: {source: results}}: for each source (a corpus writer or a spent
    held-out set), each system's model trained on every other source and scored on
    that one only: how the detector does on a voice it never met. `pool`: (label,
    kind, text, source) rows. A system's train kwargs may say `"pool": "corpus"`:
    trained on the corpus writers only (as before the spent sets were trained on).
    `show`: print that system's misses and false alarms on each left-out source."""
    sources = sources or list(dict.fromkeys(row[3] for row in pool))
    extra = {*SPENT, *(path.stem for path in PENDING.glob("c*.jsonl"))}
    feats = {
        chars: [_features(row[2], chars) for row in pool]
        for chars in {
            kw.get("chars", CHARS) for kw, _ in systems.values() if kw is not None
        }
    }
    out = {name: {} for name in systems}
    for source in sources:
        print(f"  leaving out {source}", file=sys.stderr, flush=True)
        test = [row for row in pool if row[3] == source]
        trained = {}
        for name, (train_kw, detector_kw) in systems.items():
            weights = None
            if train_kw is not None:
                kw = {x: y for x, y in train_kw.items() if x not in (*OPTIONS, "pool")}
                corpus_only = train_kw.get("pool") == "corpus"
                key = json.dumps([kw, corpus_only], sort_keys=True)
                if key not in trained:
                    idx = [
                        i
                        for i, row in enumerate(pool)
                        if row[3] != source and not (corpus_only and row[3] in extra)
                    ]
                    trained[key] = train(
                        [pool[i][:3] for i in idx],
                        feats=[feats[kw.get("chars", CHARS)][i] for i in idx],
                        **kw,
                    )
                weights = dict(trained[key])
                for option in OPTIONS:
                    if option in train_kw:
                        weights[option] = train_kw[option]
            detector = Detector(weights, **detector_kw)
            results = []
            for label, kind, text, _ in test:
                got = detector.assess(text)
                results.append((label, kind, got))
                if name == show and (got.level is None) != (label == "calm"):
                    print(
                        f"  {source} [{label}/{kind}] -> {got.level}/{got.kind} "
                        f"{got.score:.2f}{' rule' if got.rule else ''}: {text!r}"
                    )
            out[name][source] = results
    return out


def loso_table(results: dict[str, dict[str, list]]) -> None:
    """Leave-one-source-out figures: a line per system and source, never pooled."""
    print(
        "\n#### leave one source out: recall / danger as danger / unsafe as unsafe /"
        " concern as any / false alarms / concern raised as danger"
    )

    def cell(pair):
        n, d = pair
        return f"{100 * n / d:5.1f}" if d else "  n/a"

    for name, per_source in results.items():
        print(f"\n  {name}")
        for source, items in per_source.items():
            f = score(items)
            lv = f["level"]
            print(
                f"    {source:14} {cell(f['recall'])} {cell(lv['danger'][1:])} "
                f"{cell(lv['unsafe'][1:])} {cell(lv['concern'][::2])} "
                f"{cell(f['false'])} {cell(f['concern_as_danger'])}"
                f"   ({f['recall'][1]} risk, {f['false'][1]} calm)"
            )


def loso_kinds(results: list) -> None:
    f = score(results)
    for kind, (alert, same, n) in f["kind"].items():
        print(f"      {kind:17} {pct(alert, n)}  at its level {pct(same, n)}")
    print(
        "      false alarms by calm kind: "
        + ", ".join(f"{k} {a}/{n}" for k, (a, n) in sorted(f["false_kind"].items()))
    )


# Compared leaving one source out (thresholds are chosen here, never on one set).
LOSO_COMPARE = {
    "rules only": (None, {}),
    "LR only (no rules)": ({}, {"rules": False}),
    "shipped, threshold 0.5": ({"threshold": 0.5}, {}),
    "shipped, threshold 0.7": ({"threshold": 0.7}, {}),
    "shipped, threshold 0.8": ({"threshold": 0.8}, {}),
    "shipped, windows 0.8": ({"window_thresholds": dict.fromkeys(LEVELS, 0.8)}, {}),
    "shipped, no windows": ({"window_thresholds": {}}, {}),
    "shipped, C=3": ({"c": 3.0}, {}),
    "shipped, C=5": ({"c": 5.0}, {}),
    "shipped, C=30": ({"c": 30.0}, {}),
    "shipped, balanced classes": ({"balanced": True}, {}),
    "shipped + character n-grams": ({"chars": True}, {}),
    "shipped, windows mined": ({"mine": True}, {}),
    "shipped + gist floor to 2,000 chars": ({"floor_chars": 2000}, {}),
    "shipped + gist floor 0.1 to 2,000 chars": (
        {"floor_chars": 2000, "gist_floor": 0.1},
        {},
    ),
    "shipped, danger weighed 1 (fourth pass)": ({"level_weights": {}}, {}),
    "shipped, danger weighed 2": ({"level_weights": {"danger": 2.0}}, {}),
    "shipped, danger weighed against concern only": (
        {"weigh_against_concern": True},
        {},
    ),
    "shipped, chat at 0.6 (fourth pass)": ({"short_threshold": None}, {}),
    "shipped, chat at 0.4": ({"short_threshold": 0.4}, {}),
    "shipped, level from the kinds model": ({"level_from": "kinds"}, {}),
    "shipped, fragments under 3 words": ({"fragment_words": 3}, {}),
    "shipped, fragments under 5 words": ({"fragment_words": 5}, {}),
    "shipped, no cue gate": ({"gated_words": 0}, {}),
    "shipped, cue gate to 6 words": ({"gated_words": 6}, {}),
    "shipped, phrases in a calm gist (under 0.1) raise nothing": (
        {"rule_gist": 0.1},
        {},
    ),
    "shipped, phrases in a calm gist (under 0.2) raise nothing": (
        {"rule_gist": 0.2},
        {},
    ),
    "shipped, no gist floor, phrases always (seventh pass)": (
        {"floor_chars": 0, "rule_gist": 0.0},
        {},
    ),
    "shipped, a window sure at 0.95 alerts under a calm gist": (
        {"gist_window": 0.95},
        {},
    ),
    "shipped, window at 0.95 under a calm gist, phrases always": (
        {"gist_window": 0.95, "rule_gist": 0.0},
        {},
    ),
    "shipped, no cue gate, fragments under 3 words": (
        {"gated_words": 0, "fragment_words": 3},
        {},
    ),
    "shipped, no cue gate + gist floor to 2,000 chars": (
        {"gated_words": 0, "floor_chars": 2000},
        {},
    ),
}


def rule_audit(rows) -> None:
    """Each explicit phrase group: how often it fires on risk and on calm messages."""
    print("\n#### explicit phrase groups on the whole corpus: fires on risk / on calm")
    hits = defaultdict(lambda: [0, 0])
    from moderation.screening.detector import _COMBINED  # noqa: PLC0415

    for label, _, text in rows:
        for part in sentences(text):
            if not rule_match(part)[0]:
                continue
            for match in _COMBINED.finditer(part):
                hits[match.lastgroup][label == "calm"] += 1
    for group, (risk, calm) in sorted(hits.items(), key=lambda x: -x[1][1]):
        if calm:
            print(f"  {group:20} risk {risk:4}  calm {calm:4}")


def heldout_sets(directory: Path) -> dict[str, list[tuple[str, str, str]]]:
    sets = {}
    for path in sorted(directory.glob("*.jsonl")):
        items = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                items.append((item["label"], item["kind"], item["text"]))
        sets[path.stem] = items
    return sets


def heldout(rows, directory: Path, k: int, seed: int, with_folds: bool) -> None:
    """Each held-out set on its own beside the 5-fold figures: figures only."""
    columns = {}
    if with_folds:
        columns[f"{k}-fold corpus"] = score(
            cross_validate(rows, k, seed, SHIPPED)["shipped"]
        )
    for name, items in heldout_sets(directory).items():
        columns[name] = score([(lb, kd, assess(text)) for lb, kd, text in items])
    names = list(columns)
    print(
        f"\n#### held-out sets (shipped detector), each set on its own: {', '.join(names)}"
    )
    width = max(24, *(len(n) + 2 for n in names))

    def line(title, cells):
        print(f"  {title:28}" + "".join(f"{c:>{width}}" for c in cells))

    def cell(pair):
        n, d = pair
        return f"{100 * n / d:.1f}% ({n}/{d})" if d else "n/a"

    line("", names)
    line("messages", [str(f["recall"][1] + f["false"][1]) for f in columns.values()])
    line("recall (any level)", [cell(f["recall"]) for f in columns.values()])
    for level in LEVELS:
        line(
            f"{level} as any alert",
            [cell(f["level"][level][::2]) for f in columns.values()],
        )
        line(
            f"{level} as {level}",
            [cell(f["level"][level][1:]) for f in columns.values()],
        )
    line("false alarms on calm", [cell(f["false"]) for f in columns.values()])
    print("  per kind (risk: any alert / as its level; calm: false alarms)")
    kinds = sorted(
        {kd for f in columns.values() for kd in f["kind"]},
        key=lambda kd: (LEVELS.index(LEVEL[kd]), kd) if kd in LEVEL else (9, kd),
    )
    for kd in kinds:
        line(
            f"  {kd}",
            [
                f"{cell(f['kind'][kd][::2])} / {100 * f['kind'][kd][1] / f['kind'][kd][2]:.0f}%"
                if kd in f["kind"]
                else "-"
                for f in columns.values()
            ],
        )
    calm_kinds = sorted({kd for f in columns.values() for kd in f["false_kind"]})
    for kd in calm_kinds:
        line(
            f"  calm {kd}",
            [
                cell(f["false_kind"][kd]) if kd in f["false_kind"] else "-"
                for f in columns.values()
            ],
        )


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
    cpu.sort()
    return (
        f"median {statistics.median(wall) * 1000:.3f} ms, "
        f"p99 {wall[int(len(wall) * 0.99)] * 1000:.3f} ms, "
        f"median CPU {statistics.median(cpu) * 1000:.3f} ms, "
        f"p99 CPU {cpu[int(len(cpu) * 0.99)] * 1000:.3f} ms"
    )


def chat_mix(rows, n: int = 3000, seed: int = 7) -> list[str]:
    """A realistic chat mix: 90% calm messages (ordinary, kindness and a
    moderator's questions weighted double), 10% risk, drawn from the corpus."""
    rng = random.Random(seed)
    calm = [t for lb, kd, t in rows if lb == "calm"]
    everyday = [
        t for lb, kd, t in rows if kd in ("ordinary", "kindness", "moderator_question")
    ]
    risk = [t for lb, _, t in rows if lb != "calm"]
    out = []
    for _ in range(n):
        r = rng.random()
        pool = risk if r < 0.1 else everyday if r < 0.55 else calm
        out.append(rng.choice(pool))
    return out


def long_post(rows, size: int = 20_000) -> str:
    """A 20,000-character post from calm corpus messages with one risk sentence near
    the end."""
    calm = [text for label, _, text in rows if label == "calm"]
    parts, total = [], 0
    for i in range(10_000):
        piece = calm[i % len(calm)].replace("\n", " ").capitalize() + ". "
        parts.append(piece)
        total += len(piece)
        if total >= size:
            break
    parts.insert(len(parts) - 3, "Honestly I want to kill myself tonight. ")
    return "".join(parts)[:size]


def latency(rows) -> None:
    print("\n#### latency of assess() (shipped weights), per message")
    print(f"  load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    mix = chat_mix(rows)
    print(f"  chat mix, 90% calm ({len(mix)} messages x 3): {timings(mix, 3)}")
    post = long_post(rows)
    assert assess(post).level is not None, "the risk sentence in the post is missed"
    print(
        f"  {len(post):,}-character post, cue words everywhere (x30): {timings([post], 30)}"
    )
    runon = ("we went to the shops and then " * 700)[:20_000]
    print(
        f"  {len(runon):,}-character run-on post, no full stop (x30): {timings([runon], 30)}"
    )
    plain = ("We walked along the river and talked about the garden. " * 400)[:20_000]
    print(f"  {len(plain):,}-character plain post (x30): {timings([plain], 30)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--show", action="store_true", help="print every 5-fold miss")
    parser.add_argument("--compare", action="store_true", help="score other methods")
    parser.add_argument("--latency", action="store_true", help="latency only")
    parser.add_argument(
        "--loso",
        action="store_true",
        help="leave one source out: corpus writers and spent held-out sets",
    )
    parser.add_argument(
        "--kinds", action="store_true", help="with --loso: per kind, each source"
    )
    parser.add_argument(
        "--shipped-only",
        action="store_true",
        help="with --loso: skip the row trained on the corpus writers only",
    )
    parser.add_argument(
        "--corpus-only",
        action="store_true",
        help="5-fold: train the folds on the corpus alone (as before the third round)",
    )
    parser.add_argument(
        "--pending",
        action="store_true",
        help="with --loso: the writers' files of bench/corpus_pending/ as sources too",
    )
    parser.add_argument(
        "--sources",
        help="with --loso: leave out only these sources (comma-separated), each in turn",
    )
    parser.add_argument(
        "--systems",
        help="with --loso --compare: only these compared systems (separated by |)",
    )
    parser.add_argument("--heldout", action="store_true", help="the held-out sets")
    parser.add_argument("--heldout-dir", type=Path, default=HELDOUT_DIR)
    parser.add_argument(
        "--no-folds", action="store_true", help="with --heldout: skip the 5-fold column"
    )
    args = parser.parse_args()
    rows = load_corpus()
    if args.latency:
        return latency(rows)
    if args.loso:
        pool = load_sourced(pending=args.pending)
        systems = {
            **(
                {}
                if args.shipped_only
                else {"shipped, trained on the corpus only": ({"pool": "corpus"}, {})}
            ),
            **SHIPPED,
            **(LOSO_COMPARE if args.compare else {}),
        }
        if args.systems:
            names = ["shipped", *args.systems.split("|")]
            systems = {name: systems[name] for name in names}
        results = leave_one_source_out(
            pool,
            systems,
            sources=args.sources.split(",") if args.sources else None,
            show="shipped" if args.show else "",
        )
        loso_table(results)
        if args.kinds:
            for source, items in results["shipped"].items():
                print(f"\n    shipped, {source} left out, per kind")
                loso_kinds(items)
        return None
    if args.heldout:
        return heldout(rows, args.heldout_dir, args.folds, args.seed, not args.no_folds)
    print(f"corpus: {len(rows)} messages, {sum(r[0] != 'calm' for r in rows)} risk")
    # The spent held-out sets are in every fold's training, as in the shipped model's.
    spent = [] if args.corpus_only else [r[:3] for r in load_sourced() if r[3] in SPENT]
    print(
        f"\n#### {args.folds}-fold (seed {args.seed}), the corpus's folds; "
        f"each trained on the other folds and {len(spent)} messages of the spent sets"
    )
    systems = {**SHIPPED, **(COMPARE if args.compare else {})}
    results = cross_validate(
        rows, args.folds, args.seed, systems, args.show, posts=True, extra=spent
    )
    for name in systems:
        print(f"\n  {name:22} {summary(score(results[name]))}")
        print(f"  {'composed posts':>22} {summary(score(results[name + ' (posts)']))}")
    report("shipped (rules + LR)", score(results["shipped"]))
    report("shipped, composed posts", score(results["shipped (posts)"]))
    rule_audit(rows)
    weights = train([*rows, *spent])
    for name, items in (
        ("FRESH", FRESH),
        ("FRESH_2", FRESH_2),
        ("FRESH_3", FRESH_3),
        ("FRESH_4", FRESH_4),
    ):
        detector = Detector(weights)
        figures = score([(lb, kd, detector.assess(t)) for lb, kd, t in items])
        print(
            f"\n  {name} ({len(items)}, older sets, model trained on all): {summary(figures)}"
        )
    latency(rows)


if __name__ == "__main__":
    main()
