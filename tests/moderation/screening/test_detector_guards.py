"""The third round of issue 24: explicit phrases for means and farewells said
sideways, and guards of the right scope for the calm voices they fired on (a
question to someone else, a milestone or an anniversary, someone else's relapse, a
song, a conditional exaggeration, an ordinary last day).

Read with the rules alone (`rule_match`, sentence by sentence), so that these pin
the phrases and guards whatever the model's weights say. Every sentence here was
written for these tests; none is from a held-out set.
"""

import pytest

from moderation.screening.detector import Detector, assess
from moderation.screening.rules import LEVEL

RULES = Detector()  # the explicit phrases and their guards, no model


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I've got a full box of my dad's codeine in my room now", "means"),
        ("been collecting my sertraline for weeks instead of taking it", "means"),
        ("every tablet in the house is in my bag", "means"),
        ("bought paracetamol in each shop on the high street", "means"),
        ("rope's sorted and I found the bullets for his rifle too", "means"),
        ("love you all. bye forever xx", "farewell"),
        ("signing off for good, you were all kind to me", "farewell"),
        ("if I don't log on again it's nobody's fault", "farewell"),
        ("paid the last bill so no one's left with it", "farewell"),
        ("please read this after tonight", "farewell"),
        ("this is my last night, thank you all", "timing"),
        (
            "about to do something stupid to myself, someone talk to me",
            "active_self_harm",
        ),
        ("I cannot stop myself, I'm scratching till it bleeds", "active_self_harm"),
        (
            "three years sober and some nights I still wish I'd never wake up",
            "passive_wish",
        ),
    ],
)
def test_means_and_farewells_said_sideways_are_caught(text, kind):
    got = RULES.assess(text)
    assert got.level == LEVEL[kind], got


@pytest.mark.parametrize(
    "text",
    [
        "when you say that, can I ask: are you having thoughts of suicide?",
        "Your message said you're not safe at home, do you want the safety plan?",
        "Hit four years sober today and celebrated with cake",
        "eight months since the last time I cut, the scars are fading",
        "two years ago tonight I tried to kill myself. Tonight it's pizza",
        "my flatmate relapsed last night, she's with her mum now",
        "that song 'I'm not okay' has been in my head all day",
        "if the printer jams one more time I will walk into the sea",
        "my last day volunteering at the food bank, they gave me a card",
        "this is my last post from the old flat before the move",
        "last shift at the cafe today, bye forever fryer",
        "I collected my sertraline from the chemist today",
    ],
)
def test_the_calm_voices_they_fired_on_stay_quiet(text):
    assert RULES.assess(text).level is None


# The fifth pass: guards for the rules that fired on the new writers' calm messages
# (the previous post thanked for, a stretch of life named as past, a letter written
# for therapy), each beside the risk sentence it must not silence. Written for these
# tests, like every sentence above.
@pytest.mark.parametrize(
    "text",
    [
        "thanks to everyone who replied to my last post, it helped",
        "a quick update on my last post about the move",
        "I self harmed on my arms from around 14 to 21",
        "I self harmed through most of my twenties and I'm ok now",
        "this time last year I'd picked a date",
        "writing a goodbye letter to my dad for therapy",
        "my therapist had me write a goodbye letter to the old house",
    ],
)
def test_the_fifth_pass_calm_voices_stay_quiet(text):
    assert RULES.assess(text).level is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("this is my last post. thank you all", "farewell"),
        ("I picked a date. it's friday", "timing"),
        ("I self harmed again last night", "recent_self_harm"),
        ("writing my goodbye letters tonight", "farewell"),
    ],
)
def test_their_risk_twins_still_raise(text, kind):
    got = RULES.assess(text)
    assert (got.level, got.kind) == (LEVEL[kind], kind)


# The eighth pass: guards for the rules that fired on calm messages of the spent
# sets M and N and the new writers (a moderator who may not reply at once, leaving
# for a visit, a stretch of life or a season told as long past, a year named, a
# novel's characters, someone else's body, a grandmother or a man in the group, what
# the writer did not want then), each beside the risk twin it must not silence.
# Written for these tests, like every sentence above.
@pytest.mark.parametrize(
    "text",
    [
        "I'm on till midnight and reading everything, even if I don't reply right away",
        "we went over my safety plan before I go to my sister's for the week",
        "I cut myself all through college and I'm proud of where I am now",
        "three summers ago I was in hospital after I tried to kill myself",
        "last christmas I overdosed, this christmas I'm cooking for twelve",
        "there was a time, long ago, when I hid the pills in my sock drawer",
        "2017 I took an overdose. I'm glad it didn't work",
        "the narrator in this novel leaves a suicide note for her sister",
        "my son showed me the cuts on his arm last night and we talked till two",
        "a woman from my group relapsed at the weekend, I drove her to detox",
        "my grandmother jumped off the harbour wall for a bet in 1962",
        "back then I did not want to live, and I told no one",
    ],
)
def test_the_eighth_pass_calm_voices_stay_quiet(text):
    assert RULES.assess(text).level is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("if I don't reply tonight, tell my mum I love her", "farewell"),
        ("before I go, thank you all for trying", "farewell"),
        ("I cut my arm last night and it won't stop stinging", "recent_self_harm"),
        ("I overdosed last night, I'm still shaky", "attempt"),
        ("I do not want to live anymore", "passive_wish"),
        ("I've been hiding the pills in my sock drawer for when I'm ready", "means"),
    ],
)
def test_the_eighth_pass_risk_twins_still_raise(text, kind):
    got = RULES.assess(text)
    assert got.level == LEVEL[kind], got


# An accident word (an iron, a stove, hair) drops a self-harm alert, unless the same
# sentence says it was meant: the spent set P's "burned my arm with the iron twice in
# the last ten minutes ... I can't make myself stop" had been dropped. Read with the
# shipped detector (the model's alert is guarded too). Written for these tests.
@pytest.mark.parametrize(
    "text",
    [
        "pressing the hot iron on my arm again, I can't stop",
        "put my hand on the stove on purpose, told my mum it was an accident",
        "keep thinking about burning myself with the straighteners",
    ],
)
def test_a_burn_that_was_meant_is_heard_whatever_it_was_done_with(text):
    assert assess(text).level in ("concern", "danger")


@pytest.mark.parametrize(
    "text",
    [
        "burnt my arm on the stove making pancakes, ouch",
        "caught my wrist on the iron doing the shirts this morning",
        "sliced my thumb on the grater, plaster on now",
    ],
)
def test_an_accident_in_the_kitchen_stays_quiet(text):
    assert assess(text).level is None


# The ninth pass: phrases for what the spent set O said in few words (a named
# medicine saved in a bag, a pistol out of the safe, shoved round the kitchen, better
# off without a father like me), each beside a calm twin. Written
# for these tests.
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("two months of clonazepam hoarded in my sock drawer", "means"),
        ("dad's old revolver is out of the safe, it's on the table", "means"),
        (
            "he's pushing me round the kitchen again and the kids are upstairs",
            "abuse_now",
        ),
        ("my son is better off without a mum like me", "burden"),
    ],
)
def test_the_ninth_pass_phrases_are_heard(text, kind):
    got = RULES.assess(text)
    assert got.level == LEVEL[kind], got


@pytest.mark.parametrize(
    "text",
    [
        "the kids kept shoving me round the dance floor at the wedding lol",
        "you won't hear from me after six, off to the cinema",
        "my vitamins saved me this winter, honestly",
        "the safe at work is out of order again",
    ],
)
def test_the_ninth_pass_calm_twins_stay_quiet(text):
    assert RULES.assess(text).level is None
