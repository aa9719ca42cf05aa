"""The crisis detector's explicit phrase rules: the kinds of risk, the phrases that
name them and the guards that discount a phrase (negation, the past and recovery,
accidents, other people, jokes and talk about the topic).

Pure Python, no Django. `detector.py` reads these first and adds the model.
"""

import re

DANGER_KINDS = (
    "intent",
    "plan",
    "means",
    "timing",
    "farewell",
    "active_self_harm",
    "attempt",
)
UNSAFE_KINDS = ("abuse_now", "threatened", "locked_in", "not_safe_home", "stalked")
CONCERN_KINDS = (
    "passive_wish",
    "hopelessness",
    "burden",
    "urge",
    "recent_self_harm",
    "struggling",
)
KINDS = DANGER_KINDS + UNSAFE_KINDS + CONCERN_KINDS
LEVEL_KINDS = {"danger": DANGER_KINDS, "unsafe": UNSAFE_KINDS, "concern": CONCERN_KINDS}
LEVEL = {kind: level for level, kinds in LEVEL_KINDS.items() for kind in kinds}
LEVELS = ("danger", "unsafe", "concern")  # gravest first
GRAVITY = {"danger": 3, "unsafe": 2, "concern": 1}


# --- rules -----------------------------------------------------------------------

_ME = r"(?:my ?self|meself|myslef|mysef)"
_DRUGS = r"(?:amitriptyline|sertraline|citalopram|escitalopram|fluoxetine|prozac|mirtazapine|quetiapine|seroquel|diazepam|valium|xanax|lorazepam|zopiclone|codeine|co codamol|cocodamol|tramadol|oxycodone|oxy|percocet|vicodin|ambien|ibuprofen|nurofen|aspirin|insulin|lithium|propranolol|venlafaxine|pregabalin|gabapentin|olanzapine|morphine|sleeping tablets|benadryl|clonazepam|klonopin|temazepam|mirtazipine|duloxetine|trazodone|naproxen|fentanyl)"
_PILLS = rf"(?:pills?|pils|tablets?|meds|medication|paracetamol|tylenol|antidepressants|sleeping pills|painkillers|prescriptions?|{_DRUGS})"
_MEANS = rf"(?:{_PILLS}|rope|noose|gun|pistol|revolver|shotgun|rifle|razors?|razor blades|blades?|knife)"
_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_SOON = rf"(?:tonight|tonite|tonigt|today|tomorrow|this weekend|soon|in an hour|this week|next week|on {_DAY}|{_DAY}|by (?:the )?morning|before (?:the )?(?:weekend|morning|tomorrow|\w+day)|after (?:this|the|my|i|everyone)|when (?:everyone|my|they|the)|once (?:everyone|my|they|the))"
_DO_IT = r"(?:do it|doing it|end it|ending it|end things|ending things|end my life|ending my life|kms|ctb|go through with it|kill myself|be gone|be dead(?! to the world)|wont be (?:here|around|alive))"
_RECENT = rf"(?:last night|yesterday|this morning|this week|this weekend|the weekend|earlier today|earlier|today|tonight|a (?:few|couple|couple of) days ago|on {_DAY}|on the weekend|again)"
_BODY = r"(?:my (?:arms?|wrists?|legs?|thighs?|skin|stomach|hips?|head))"
_NOT_CUT = r"(?! (?:the|a(?! few| couple)|an|my hair|my finger|it|some|down|back|off|out|up|in|to|loose|short|through|costs|ties|class|corners|them|him|her|bread|grass)\b)"

RULES: dict[str, tuple[str, ...]] = {
    "intent": (
        rf"\bk(?:ill|il|illing|illin) ?{_ME}\b(?! (?:laughing|with laughter|at (?:the gym|work)|over (?:this|that|the|a|it)|trying|to (?:get|finish|make)|for (?:this|that|a|the)))|\bkms\b|\bkys {_ME}\b|\bunaliv\w*|\bsewer ?slide\b|\bctb\b",
        rf"\boff {_ME}\b|\bcommit+(?:ing)? (?:suicide|sewerslide)\b|\bsuicide is the only\b|\bonly way out is\b",
        r"\b(?:want|wanna|wnat|wamt|wnt|wanting|ready|need|decided|plans?|planning) (?:to )?(?:die|be dead|dead)\b(?! of (?:embarrassment|laughter|boredom|shame|cringe))|\b(?:want|wanna|wnat|wamt|wanting|going|gonna|ready|need|decided|plans?|planning) (?:to )?(?:end it|end it all|end things|end everything|end my life|take my (?:own )?life)\b",
        r"\b(?:end|ending) (?:it all|my (?:own )?life|my life|everything)\b|\btak(?:e|ing) my (?:own )?life\b|\bgonna end it\b",
        r"\b(?:im|i am|i feel|feel|feeling|been|getting) (?:so |really |very |super |pretty |quite )?suicidal\b|\b(?:thinking (?:about|of)|considering|contemplating) suicide\b|\bsuicidal thoughts\b|\bthoughts of (?:suicide|killing myself|ending (?:it|my life))\b",
        r"\b(?:go|going) through with it\b|\bact on it\b|\btime for me to go\b|\bstop living\b|\bready to go\b.{0,25}\bpeace\b|\bmake sure i (?:dont|never) wake up\b|\b(?:death|dying|suicide) is the only\b|\btime (?:i|to) end(?:ed)? (?:it|things|everything)\b|\bmade up my mind\b",
    ),
    "plan": (
        r"\b(?:suicide|goodbye) (?:note|letters?)\b|\b(?:wrote|written|writing|drafted) (?:my|the) note\b|\bthe note is\b|\bletters? (?:to|for) (?:my|everyone)\b.{0,25}\b(?:after|to find)\b|\b(?:wrote|written|writing|left) (?:\w+ )?(?:letters|notes) (?:to|for) (?:everyone|my family|all of you|each of)\b|\bthe exact (?:place|spot)\b|\b(?:worked out|figured out|found out|decided) (?:a way|how and where|how much it would take)\b|\bmy will\b.{0,25}\bnote\b|\b(?:know|decided|picked|chosen) (?:exactly )?(?:what|where|how|when) (?:ill|i will|im going to) (?:take|do it|jump|use)\b",
        r"\b(?:painless|easy|quick|best) (?:ways?|methods?) to (?:die|end it|go)\b|\bways to (?:kill|die|end)\b|\bhow (?:many|much|long)\b.{0,30}\b(?:kill me|to die|would be enough|it takes)\b",
        r"\bhow many (?:pills|tablets)\b|\bhow to (?:overdose|od|hang|tie a noose)\b|\bthe dose i need\b|\blook like an accident\b",
        rf"\b(?:jump|jumping) (?:off|from|in front)\b|\b(?:going to|gonna|can|will|ill) jump\b(?! (?:in|into|on|for|at|to|the queue))|\bstep(?:ping)? in front of\b|\bhang(?:ing)? {_ME}\b",
        r"\b(?:walk|walking) into the (?:sea|river|ocean|lake)\b|\bdrive (?:my car )?(?:into|off) (?:a|the)\b",
        r"\b(?:a|my|the) (?:plan|method) (?:to|for) (?:end|die|kill|do it)\b|\bplanning my (?:suicide|death)\b|\b(?:have it all planned|planned it all|the plan is ready|over the plan|method picked)\b",
        r"\b(?:how|where|when) (?:im|i am|i would|id|ill|i will) (?:going to |gonna )?do it\b|\bwhich (?:bridge|building|pills)\b|\bthe day and the way\b|\bhigh enough\b",
    ),
    "means": (
        rf"\b(?:saving|saved|stockpil\w*|hoard\w*|stash\w*|hiding|hid|keeping|kept|(?:been|started|keep|kept) collecting)(?: up)? (?:all )?(?:my |the |some |up |a stash of )?(?:old )?(?:\w+ )?{_PILLS}\b|\ba stash of\b",
        rf"\b(?:enough|all the|all my) (?:\w+ )?{_PILLS} (?:to|ready|i need)\b|\b{_PILLS} (?:are )?(?:ready|lined up|counted out)\b",
        r"\b(?:have|got|bought) (?:the |a |my )?(?:pills|rope|noose|gun) (?:ready|tied)\b|\bnoose\b|\bcharcoal and tape\b|\bbought a gun\b|\bbought (?:a |some )?rope today\b",
        r"\b(?:razor|blade|knife|pills|gun) (?:is |are )?(?:in my hand|right here|next to me|in front of me|on my skin)\b|\b(?:holding|hold) the (?:pills|blade|razor|knife|gun)\b|\bblades? out of\b",
        rf"\b{_MEANS}\b.{{0,40}}\b(?:for when (?:im ready|it gets bad)|what (?:its|theyre|it is) for|just in case|to do it|to end it|instead of taking them|under my bed|out of the safe|locked myself in|not scared|loads now|know the code)\b",
        r"\bhave everything (?:i need|ready)(?= to (?:do it|end it)|$| now)|\bgun (?:is )?loaded\b|\bi have a (?:whole )?(?:bag|box|bottle|packet) of\b.{0,20}\b(?:pills|tablets)\b|\bkept them all\b|\b(?:pills|tablets|meds|paracetamol) (?:saved|stashed|hidden|hid)\b|\b(?:rope|noose|gun|blade|razor|pills) (?:is|are) (?:in my|under my|on my|ready|hidden)\b|\bstuff i need to end it\b",
        r"\b(?:rope|noose|gun|shotgun|blade|razor|pills|tablets)s? (?:is |are )?(?:in|under) (?:the|my) (?:shed|garage|room|bag|drawer|car|pocket|coat|wardrobe|bed)\b|\bfrom (?:three|two|four|several|different) (?:pharmacies|chemists)\b",
        rf"\b{_PILLS} (?:saved|stashed|hidden|hoarded)(?: up)? (?:in|under|behind|for)\b",
        rf"\b(?:a full|full|a whole) (?:strip|box|packet|bottle|sachet) of (?:my |me |her |his |\w+s )?(?:\w+ )?{_PILLS}\b|\bevery (?:single )?(?:tablet|pill) in the (?:house|drawer|cupboard|cabinet)\b|\b{_PILLS} (?:in|from) (?:each|every) (?:place|shop|chemist|pharmacy)\b|\bfound the bullets\b|\bhose is in the (?:boot|car|trunk)\b",
    ),
    "timing": (
        rf"\b{_DO_IT}\b(?: \w+){{0,6}} {_SOON}\b|\b{_SOON}\b(?: \w+){{0,6}} (?:im |i am |ill )?(?:going to |gonna |finally )?{_DO_IT}\b",
        r"\btonights the night\b(?= i| im| ive|$)|\btonight is (?:the|my last) night\b|\b(?:picked|chose|set) (?:tonight|a date|the date|the day)\b|\bdecided on (?:\w+day|tonight|the day)\b",
        r"\bwont be (?:here|around|alive|waking up)\b(?: \w+){0,3} (?:tomorrow|by|after)\b|\b(?:not|wont) (?:going to |gonna )?be (?:around|here|alive) (?:much longer|for (?:much )?longer|for long)\b|\bwont be waking up\b|\b(?:ill|i will) be (?:gone|dead) by\b",
        r"\blast (?:night|day) on earth\b|\bmy last (?:night|day)(?= *$| (?:alive|on earth|here|ever|thank|goodbye|bye|i love|love|im sorry|sorry)\b)|\bwont (?:make it to|see) (?:my|the end|next)\b|\btomorrow i wont be\b|\bone more day and then\b",
        r"\b(?:its|it is|its going to be|it will be) (?:happening )?(?:tonight|tomorrow)\b|\b(?:tonight|tomorrow)s? (?:is )?when (?:it|i)\b|\bdo it before (?:anyone|everyone|they)\b|\bby \w+day (?:it|ill|i will)\b.{0,15}\b(?:done|over|gone)\b|\bgiven myself until\b|\b(?:tomorrow|tonight) is the end\b|\bthe last night im\b|\bwill all be over\b|\bthis time tomorrow\b.{0,30}\b(?:over|gone|dead|wont be)\b",
    ),
    "farewell": (
        r"\bthis is goodbye\b(?! for now| to (?:my|the|our) (?:\w+ )?(?:flat|house|job|car|home|city|hair|school)\b)|\bgoodbye (?:forever|world|for good)\b|\bfinal (?:goodbye|post|message)\b|\bsaid my goodbyes\b(?! (?:to (?:him|her|the|this|that|our|my (?:old|late))|at (?:the|her|his))\b)|\bmy goodbye\b",
        r"\bby the time (?:you|anyone|someone) reads? this\b|\bat peace now\b|\bremember me\b|\bdont forget me\b|\bthis is it\b.{0,20}\b(?:thank you|goodbye|bye|love you)\b",
        # (not the one before: "thanks to everyone who replied to my last post")
        r"(?<!to )(?<!on )(?<!in )(?<!under )(?<!about )(?<!since )(?<!from )\b(?:my|the) last (?:message|post|words|thing ill ever)\b(?! (?:before|for|until|till|was|from|on|in|at|as|about|of|here was|i made)\b)|\bthis is the end for me\b",
        r"\b(?:bye|goodbye) forever(?: (?:x+|all|everyone|guys|lads|friends|yall|love))?$|\b(?:signing|logging) off for (?:the last time|good)\b|\bfor the last time$|\blast post from me\b|\bif i dont log (?:on|in) again\b|\bif this gets back to you\b|\bso (?:nobody|no one|noone) (?:struggles|is left with|has to)\b.{0,20}\bafter\b|\b(?:better|easier) (?:she|he|they|it) settles? in now than after\b|\bso (?:nobody|no one|noone)s left with it\b|\bread (?:this|it|them) after\b",
        r"\bwhen im gone\b|\b(?:youll|you will|yell|ye will) never hear from me again\b|\bwont need (?:them|it|my things) anymore\b|\blast time youll hear\b|\bbefore i go\b(?! (?:to|on|back|out|away|into|home|up|down|over|abroad|shopping|there)\b)|\bbecause im gone\b|(?<!even )\bif i dont reply\b(?! (?:straight away|right away|straightaway|immediately|quickly|for a (?:bit|while|day|few)))|\bif (?:youre|you are|anyone is) reading this\b|\bsorry i couldnt stay\b|\bleaving for good\b|\bwhen im not here\b|\bwhat im about to do\b",
        r"\b(?:goodbye|bye)\b.{0,40}\b(?:thank you for (?:everything|trying|putting up)|i love you|im sorry|dont be sad|wont be back|ever)\b|\b(?:thank you for (?:everything|trying|putting up)|i love you|im sorry|couldnt be stronger)\b.{0,40}\b(?:goodbye|bye)\b(?! for now| see you| till| until| later)",
        r"\b(?:wasnt|not) (?:your|her|his|their) fault\b|\bdont (?:blame yourselves|be sad)\b|\blook after my (?:cat|dog|kids|children)\b|\bwont have to (?:worry about|deal with) me\b|\bwont be (?:posting|back|around) (?:anymore|ever|after)\b",
        r"\b(?:please )?tell (?:my|everyone)\b.{0,30}\b(?:i love|im sorry|goodbye|it wasnt)\b",
        # a farewell said to the chat (fourth pass)
        r"\b(?:dont|do not|dinnae|dinna) (?:cry|greet|grieve|mourn|be sad|be upset|weep) (?:for|fur|over) me\b|\bto be (?:opened|read) after\b(?! (?:hes|shes|he|she|they|theyre|his|her|their)\b)|\b(?:saying|sayin|say) (?:goodbye|bye|cheerio) (?:here )?(?:to )?(?:all of )?(?:you|yous|ye|yall|everyone|everybody|the group|una|my people)(?: (?:all|too|properly|here))?$|\bbye bye my people\b|\bgoodbye,? group\b",
    ),
    "active_self_harm": (
        r"\b(?:cutting|cuttin|burning|hurting|harming|hitting|self harming|bleeding|scratching|punching|overdosing)(?! me\b| us\b)(?: \w+){0,4} (?:right now|rn|as i type|now)\b|\b(?:till|until) (?:it|they|i|my \w+) bleeds?\b|\babout to (?:give in|do it|relapse)\b|\burges? (?:to (?:cut|sh|self harm|hurt myself|die)\b.{0,20}|are |is )(?:so |really |very )?(?:strong|bad|unbearable)\b|\b(?:im|i am) (?:cutting|cuttin|bleeding|burning|hurting myself)\b",
        rf"\b(?:cant stop|keep) (?:cutting|hurting|burning|hitting|the bleeding)\b|\bcut too deep\b|\bso much blood\b|\bjust (?:cut|burned|hurt)\b{_NOT_CUT}|\balready started\b",
        rf"\b(?:going to|gonna|about to|want to|wanna|need to|cant stop myself from) (?:cut|sh|self harm|hurt {_ME}|burn {_ME})\b{_NOT_CUT}",
        r"\bblood everywhere\b|\babout to do (?:something|summat|somethin) (?:stupid|bad)\b|\bpull to (?:just )?(?:step|jump) (?:off|in)\b|\b(?:cant|cannot) stop myself\b(?! from (?:laughing|eating|buying|smiling))",
    ),
    "attempt": (
        r"\bswallowed (?:what was left|the rest|them all)\b",
        rf"(?:^|\bjust )took (?:the lot|a handful|everything|all (?:my|the|of my) (?:\w+ )?{_PILLS})\b",
        r"\b(?:just|i) (?:overdosed|took (?:a handful|all|everything|a load|the lot|\d+)|swallowed (?:a bunch|a handful|a load|a lot|all|everything|the lot))\b(?! (?:on|of) (?:chocolate|sugar|coffee|sweets|cake|candy|netflix|tv))|\bdrank bleach\b|\btook (?:way )?too many (?:pills|tablets|meds|of my)\b|\btaking all (?:the|my) pills\b|\btook everything\b|\bswallowed a (?:whole )?(?:packet|box|bottle)\b",
    ),
    "passive_wish": (
        r"\bwake up disappointed\b|\bdeath sounds (?:nice|restful|peaceful|good|like a relief)\b|\bhope (?:the|a) (?:bus|car|truck|tractor|plane|lorry|train)\b.{0,30}\b(?:hits|hit|rolls|crashes|runs)\b|\bif it happens it happens\b|\bready whenever (?:he|god|hes)\b|\bhope the cancer comes back\b",
        r"(?<!did )\b(?:dont|do not|no longer|not|never)(?: even| really| actually| honestly)? (?:want|wanna|wanting)(?: to)? (?:be here|be alive|live|exist|wake up|be around)\b|\b(?:want|wanna) to not (?:be here|exist|be alive)\b",
        r"\bwish (?:i|id) (?:was|were|could be|had never been|had never existed|never existed|was never|were never|wasnt|werent|never|could (?:just )?(?:not exist|not be here|disappear|vanish|stop|fade|be gone|die)|(?:would|could) (?:just )?die)\b(?: \w+)?|\bwishing i was never\b",
        r"\b(?:wish|hope|want|pray|praying)\b(?: \w+){0,6} (?:never|not|dont|wont) wake(?: up)?\b|\bwish\b(?: \w+){0,8} (?:sleep|asleep) forever\b|\b(?:want|wanna)\b(?: \w+){0,4} (?:sleep|asleep) forever(?:$| and (?:never|not|i know))|\b(?:never|not) (?:woke|wake) up\b",
        r"\b(?:disappear|vanish)\w* (?:forever|for good)\b|\brather be dead\b|\bbetter off dead\b|\bstop (?:existing|being alive)\b|\bnot (?:to )?exist\b",
        r"\b(?:tired|sick) of (?:being alive|living|life)\b|\bfeel like dying\b|\bhopes? i (?:die|dont survive)\b|\b(?:think|thinking) about (?:dying|death|being dead) (?:a lot|all the time|every day)\b|\b(?:dying|death|being dead) would be (?:a relief|such a relief|easier|better)\b|\bdie in my sleep\b|\bcease to exist\b|\brather not be here\b|\bdisappear and not come back\b|\bhoping (?:i|something)\b.{0,25}\b(?:die|dont have to be here)\b|\bon this earth anymore\b|\bsomething would (?:just )?kill me\b|\b(?:want|wanna|wish i could) (?:to )?(?:just )?be gone\b",
        r"\b(?:wouldnt|would not|dont) (?:mind|care) if (?:i|a|something|someone) (?:died|die|didnt|got hit|never|\w+ hit me|killed me)\b|\bif i died\b.{0,25}\b(?:wouldnt care|who would care|nobody would)\b|\bwouldnt mind dying\b|\b(?:bus|car|train) hit me\b|\bget in an accident\b|\bwasnt here anymore\b|\bto be gone\b|\bnot be alive\b",
    ),
    "hopelessness": (
        r"\b(?:no|nothing) (?:fight|hope|strength) left\b|\b(?:never|not ever) (?:going to|gonna) (?:change|end|stop|get better)\b|\b(?:stuck|trapped) (?:here |like this )?(?:until i die|forever|for the rest of my life)\b|\bwhats (?:even )?the point$|\b(?:will|is going to) never (?:end|stop|change|get better)\b|\bbroken forever\b|\bdont see how (?:we|i) (?:will|can|could) (?:go on|keep going|carry on)\b",
        r"\bcant (?:do|take|handle|cope with) (?:this|it|life)(?: any ?more| no more)\b|\bcant (?:go on|keep going|keep doing this|keep living|carry on|continue|anymore|see a way)\b|\bcant handle life\b",
        r"\bno (?:point|reason) (?:in |to )?(?:living|live|anything|keep going|going on|trying|even trying|being alive|anymore)\b|\bno hope for me\b",
        r"\bwhats (?:even )?the point (?:of|in) (?:living|life|anything|trying|even trying)\b|\bnothing (?:left )?to live for\b|\bnothing left\b|\brun out of reasons\b|\bcant face another day\b|\bnothing i do matters\b",
        r"\b(?:no way out|no way up|no escape|no hope left|end of my rope|done with life|give up on (?:everything|life)|out of hope|too late for me|no future)\b|\bi give up$|\bdont see (?:a|any) (?:future|way|point)\b|\bi dont care (?:anymore|any more)$|\bi dont care about anything (?:anymore|any more)\b|\bdont think i can (?:go on|keep going|carry on|hold on|do this)\b|\bnothing (?:will|is going to) ever be (?:ok|okay|alright|better)\b|\bdont think ill ever be (?:ok|okay|happy|better)\b|\bdont know how (?:much )?longer\b",
        r"\b(?:life|everything) is (?:pointless|hopeless)\b|\btired of it all\b|\bhow (?:much )?longer i can (?:hold on|do this|keep)\b|\b(?:life|living|my life) (?:isnt|is not|aint|not) worth\b|\bnothing (?:is |will )?(?:ever )?(?:going to |gonna )?(?:get better|change)\b",
        r"\b(?:never|not) (?:going to|gonna) (?:stop hurting|get better|be ok)\b|\bnever be ok\b|\b(?:not|never) (?:going to|gonna) (?:get through|survive|make it)\b(?! to| happen| work)|\bnothing (?:helps|matters)\b|\b(?:done|tired of) trying\b",
    ),
    "burden": (
        r"\b(?:im|i am) (?:just |only |always |literally )?(?:a|such a) (?:problem|drain|cost|nuisance)\b|\bim too much\b|\bi take and take\b|\beveryones project\b|\b(?:theyd|they would|everyone would|kids would|family would) (?:all )?(?:b|be) better off\b",
        r"\b(?:im|i am) (?:only|just) a (?:problem|weight|drain)\b|\bdead weight\b",
        r"\b(?:no one|noone|nobody|no1) (?:would|wud|will|wld|is going to|gonna|even) (?:even )?(?:miss|notice|care)\b|\bnobody needs me\b|\bcome to my funeral\b",
        r"\bbetter off (?:without me|without (?:a \w+|someone|somebody|the likes of) like me|if i (?:was|were|wasnt|werent))\b|\b(?:happier|easier|better|fine|relieved) without me\b|\b(?:relieved|happier|better) if i (?:was|were|wasnt|werent|died)\b",
        r"\b(?:a|such a|just a) burden\b|\bwaste of (?:space|everyones time|oxygen)\b|\bone less problem\b|\bno one cares if i\b|\bworthless\b|\bdont matter to anyone\b",
        r"\bruin everything\b|\bmaking everyones lives? harder\b|\bbetter off with me gone\b|\bmake (?:things|everything|everyones? lives?|everyones life|it) worse\b|\btoo much for everyone\b|\bfavou?r\b.{0,20}\b(?:gone|going|dead|died)\b",
        r"\bdragging (?:everyone|them|people) down\b|\bnothing but (?:pain|trouble|a problem|a burden)\b|\b(?:fine|better|happier|relieved|easier) if i (?:just )?(?:disappeared|vanished|was gone|were gone|died|wasnt here)\b|\bif i (?:vanished|disappeared|died|was gone)\b.{0,30}\b(?:relieved|happier|better|fine)\b|\b(?:wouldnt|would not)? ?(?:make a difference|matter) if i (?:was|were|am|died)\b|\beveryone hates me\b",
    ),
    "urge": (
        r"\b(?:battling|fighting|resisting) (?:the |my )?urges?\b|\burges? (?:are|is) (?:loud|bad|strong|back)\b|\bwant (?:so much |very much |really bad )?to cut\b",
        rf"\b(?:urges?|itch|craving) to (?:cut|sh|self harm|hurt {_ME}|burn {_ME})\b|\b(?:want|wanna|trying not|tryna not|fighting the urge) to (?:cut|sh|self harm|hurt {_ME}) (?:so bad|again|tonight|rn|right now)\b",
    ),
    "abuse_now": (
        r"\b(?:pulled|yanked|grabbed|dragged|pinned|held|shoved|threw|flung)(?: me)? (?:by (?:my|the) (?:hair|throat|neck|arms?|wrists?|collar)|against the (?:wall|door|fridge|counter)|down the stairs)\b|\b(?:pulled|pulls|yanked|yanks|grabbed|grabs) my hair\b|\b(?:squeezed|squeezes|squeezing|gripped|grips) my (?:neck|throat)\b|\b(?:pinned|pins) me (?:down|against|to)\b|\b(?:choked|chokes|strangled|strangles) me\b",
        r"\bmy (?:dad|mum|mom|husband|boyfriend|bf|partner|stepdad|stepmum|wife|girlfriend|gf|ex|brother|uncle) (?:hit|punched|slapped|kicked|choked|strangled|shoved) me\b|\bthrew (?:a|the|his|her) \w+ at me\b",
        r"\b(?:hes|shes|theyre|he is|she is|they are|he keeps|she keeps|they keep) (?:hitting|beating|hurting|kicking|choking|strangling|punching|slapping|grabbing) me\b|\b(?:shoving|pushing|throwing|dragging|knocking) me (?:(?:round|around|about|across) the (?:kitchen|room|house|flat|bedroom|hall|hallway|bathroom|landing)|into the (?:wall|door|fridge|counter)|against|down the stairs)\b",
        r"\b(?:he|she|they|my (?:dad|mum|mom|husband|boyfriend|bf|partner|stepdad|stepmum|wife|girlfriend|gf|ex|brother|uncle)) (?:just |has just )?(?:hit|punched|slapped|kicked|choked|strangled|beat|pushed|shoved) me (?:again|tonight|today|last night|this morning|just now|an hour ago|earlier)\b|\b(?:he|she|they) just (?:hit|punched|slapped|kicked|choked|strangled|shoved) me\b",
    ),
    "threatened": (
        r"\b(?:said|says|saying|threatened|threatening|threatens|swore|swears) (?:that )?(?:hell|shell|theyll|he will|she will|they will|hed|shed|theyd|he would|she would|they would) (?:kill|hurt|hit|beat) me\b|\bthreaten(?:ing|s|ed)? to (?:kill|hurt|hit|beat) me\b|\b(?:hes|shes|theyre) (?:going to|gonna) (?:kill|hurt|beat) me\b",
    ),
    "locked_in": (
        r"\b(?:took|takes|taken|keeps|kept|hides|hid|holds|took away|takes away) my (?:passports?|documents|papers|bank ?cards?|wages|pension|benefits|car keys)\b|\b(?:he|she|they|him|her|dad|mum|mom|husband|boyfriend|bf|partner|wife|girlfriend|gf|ex)(?: \w+)? (?:checks|checked|reads|goes through|went through|tracks|is tracking|monitors) my (?:phone|messages|texts|location|emails)\b|\bnot allowed (?:out|to (?:leave|go out|see (?:my|anyone|friends)))\b|\b(?:wont|doesnt|dont|wouldnt) let me (?:see|have|talk to|use|eat)\b",
        r"\b(?:locked|locks|locking|shut) me (?:in|out)\b|\b(?:took|taken|takes|smashed|broke|hid|hides) my (?:phone|keys)\b|\b(?:wont|doesnt|dont|wouldnt) let me (?:leave|go out|out|see anyone)\b",
    ),
    "not_safe_home": (
        r"\b(?:not|dont feel|dont|never|doesnt feel) safe (?:at home|here|in (?:my|this|our) (?:house|home|flat|room))\b|\b(?:scared|afraid|terrified|frightened) to go (?:back )?home\b|\bhiding (?:from (?:him|her|them|my (?:dad|mum|mom|husband|boyfriend|bf|partner|stepdad|stepmum|wife|girlfriend|gf|ex|brother|uncle|parents|family))|in the (?:bathroom|car|wardrobe|closet)(?! at work))\b",
    ),
    "stalked": (
        r"\bfollow(?:ed|s|ing) me (?:home|to|from)\b|\bkeeps? turning up (?:at|wherever|outside)\b|\btracker (?:on|under|in) my\b",
        r"\b(?:hes|shes|someones|theyre|he is|she is|someone is|he keeps|she keeps|keeps) (?:following|watching|tracking) me\b|\b(?:hes|shes|he is|she is|theyre) (?:outside|waiting outside) my (?:house|door|flat|work|school)\b",
    ),
    "struggling": (
        r"\b(?:im|i am) not (?:coping|ok|okay|alright|doing (?:ok|okay|well))\b(?! (?:with|at|to|about|for|but))|\b(?:im|i am) (?:really |properly |so |seriously )?struggling\b|\bcant stop crying\b|\bholding on by\b|\b(?:im|i am|feeling) (?:so |really |very )low\b",
        r"\b(?:im|i am) in a (?:really |very )?(?:bad|dark) place\b|\bfalling apart\b(?! (?:house|car|shoes|flat))",
    ),
    "recent_self_harm": (
        r"\bthe cuts (?:from|on) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the weekend|last night|yesterday)\b",
        rf"\b(?:cut|cuts|cutting|burned|burnt|hurt|harmed|hit|scratched|punched)\b{_NOT_CUT}(?: \w+){{0,5}} {_RECENT}\b|\b{_RECENT}\b(?: \w+){{0,4}} (?:hurt {_ME}|cut|self harmed)\b",
        r"\b(?:self harmed|shd|relapsed|i overdosed|i od|had a relapse|another relapse)\b|\bfresh cuts\b|\bbandage\b|\b(?:burn\w*|cut\w*|hurt\w*|harm\w*|hit|hitting|punch\w*|scratch\w*|smash\w*|slam\w*|scald\w*|held|hold\w*|put|pressed|press\w*|took|taking|drove|driving|ran|skipped|missed|stopped|walk\w*|went|used|drank|swallow\w*)\b.{0,60}\bon purpose\b|^on purpose\b|\bended up (?:cutting|hurting)\b",
        r"\bi (?:still |sometimes )?(?:self harm|sh)\b|\bi (?:still |sometimes )?cut(?: myself)?(?: again| sometimes| to cope| when\b.*| every \w+)?$|\b(?:started|start|been) (?:cutting|self harming|sh|hurting myself)\b|\bcut again\b|\b(?:cutting|hurting myself) again\b|\bdid it again (?:last night|yesterday|today)\b",
    ),
}

# One regex for all rules, a named group each; the word boundary is asked once in
# front, so that the engine tries the rules only where a word starts (4x faster).
_COMBINED = re.compile(
    r"\b(?:"
    + "|".join(
        f"(?P<{kind}{i}>{pattern})"
        for kind, patterns in RULES.items()
        for i, pattern in enumerate(patterns)
    )
    + ")"
)
# Guards, each read in the sentence of the phrase only (a past attempt in one sentence
# cancels nothing in the next): what comes just before the phrase (negation, someone
# else, reported speech), and what the sentence says about when (the past, recovery)
# unless it also says "now" ("a year clean and tonight i dont care anymore").
_NEGATED = re.compile(
    r"\b(?:not|never|dont|doesnt|didnt|wont|wouldnt|isnt|arent|aint|havent|hasnt|no|without|instead of|nothing about)(?! i\b| im\b)(?: \w+){0,2} ?$"
)
_NEGATED_BURDEN = re.compile(
    r"\b(?:not|never|dont|doesnt|didnt|isnt|arent)(?: \w+){0,2} ?$"
)
_SOMEONE_ELSE = re.compile(
    r"\b(?:he|she|they|her|his|their|someone|somebody|people|friend|character|brother|sister|mum|mom|dad|cousin|uncle|aunt|mate|neighbour|son|daughter|partner|client|patient|student|everybody|everyone|shes|hes|theyre|theyve|us|sponsee|sponsor|colleague|coworker|flatmate|roommate|housemate|wife|husband|boyfriend|girlfriend|nephew|niece|grandson|granddaughter|neighbor|buddy|bestie|kid|child|roommates|flatmates|friends|mates|mother|father|nan|gran|granny|grandma|grandad|grandpa|grandmother|grandfather|man|woman|guy|girl|lad|bloke|lady|member|teacher|boss|group)(?: just| has| had| really| also| is| was| said| says| keeps| been)? ?$"
)
_REPORTED = re.compile(
    r"\b(?:said|says|saying|say|heard|asked|asks|asking|told (?:me|us|him|her)|tells me|texted|wrote|writes|sings|lyric|lyrics|quote|quoting|line|character|characters|novel|narrator|protagonist|poem|poet|author|in the (?:film|book|show|song|episode|game)|(?:jokes?|joking|talks?|talking|posts?|posted|posting|meme|memes)(?: \w+){0,4} about|song|songs|film|movie)\b(?: \w+){0,12} ?$"
)
# A question to someone else ("are you having thoughts of suicide?": a moderator
# asking, a friend checking in) is not the writer's own intent.
_ASKED = re.compile(
    r"\b(?:are|were|do|did|have|has|would|could|can|will|r) (?:you|u|they|he|she|anyone|anybody)\b(?: (?:\w+)){0,3} ?$"
)
_JOKE = re.compile(
    r"\b(?:lol|lmao|lmfao|haha\w*|jk|joking|jokes|emojiskull|emojilaugh|emojiupside)\b"
)
# The exaggerations of everyday life ("kms this chem homework"): a phrase in the same
# sentence is left to the model, which reads the whole message.
_FIGURE = re.compile(
    r"\bif\b.{0,60}\bone more (?!day\b)|\bnever felt closer to\b|\b(?:homework|coursework|worksheet|exam|exams|test|quiz|maths|wifi|printer|presentation|meeting|commute|wedding|karaoke|hungover|hangover|cringe|embarrass\w*|crush|ice breaker|alarm|traffic|deadline)\b"
)
# A sentence dating what came before ("that was twenty years ago") puts it in the past.
_DATED = re.compile(
    r"^(?:and )?(?:that|this|it) was (?:\w+ ){0,3}(?:years?|months?|decades?) ago\b|^(?:and )?(?:that|this|it) was (?:in |back in )?(?:19|20)\d\d\b"
)
_N = r"(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty)"
_PAST = re.compile(
    rf"\b(?:used to|years? ago|months ago|long time ago|(?:long|ages|decades) ago|{_N} (?:\w+ )?(?:christmases|summers|winters|birthdays|easters|decades|lifetimes) ago|there was a (?:time|winter|summer|year|spring|autumn|period)|last (?:winter|summer|spring|autumn|christmas|easter)|(?:all )?through (?:uni|college|school|sixth form)|when i was|as a (?:kid|teen|teenager|child)|back (?:then|in)|(?:in )?(?:19|20)\d\d"
    rf"|clean (?:for|from)|still clean|{_N} (?:days?|weeks?|months?|years?) (?:\w+ ){{0,2}}(?:clean|free|without|sober)|(?:years?|months?) since|since the last time|before i (?:came|moved|met)|sh free|in recovery|recovered|recovery"
    r"|remember when|my (?:first|last) attempt|in my (?:teens|twenties|thirties|early|late)|at uni|in (?:high )?school"
    r"|years back|behind me|from \d+ to \d+|was (?:cutting|suicidal)|proud"
    # (fifth pass) a year or a stretch of life named as past
    r"|last year|through (?:most of |all of )?my (?:teens|twenties|thirties|forties|childhood|marriage|school years)"
    r"|from (?:around |about )?(?:age )?\d+ (?:to|till|until) \d+|(?:summer|spring|autumn|winter|fall) of (?:19|20)\d\d)\b"
)
_NOW = re.compile(
    r"\b(?:again|last night|yesterday|(?<!ago )tonight|right now|rn|this week|anymore|any more|some nights|some days|still (?:wish|want|feel like))\b"
)
# "today" says now, except in a milestone or an anniversary ("hit five years sober
# today", "two years ago today").
_TODAY = re.compile(r"\btoday\b")
_MILESTONE = re.compile(
    rf"\b(?:{_N} (?:days?|weeks?|months?|years?) (?:\w+ ){{0,2}}(?:clean|free|sober|without)|clean (?:from|for)|ago|since)\b"
)
# Said to the reader ("your post said youre not safe at home"), not of the writer.
_YOU = re.compile(r"\b(?:youre|you are|you were|youve been|ur)(?: \w+)? ?$")
_ACCIDENT = re.compile(
    r"\b(?:shaving|cooking|chopping|by accident|by mistake|accidentally|oven|tray|stove|hob|pan|kettle|iron|mandoline|grater|lifting|hairdresser|hairdressers|barber|barbers|haircut|hair|fringe|paper cut|papercut)\b"
)
# ... unless the sentence says it was meant ("burned my arm with the iron and I can't
# stop", "told my therapist it was an accident").
_INTENT = re.compile(
    r"\b(?:on purpose|deliberately|cant (?:make (?:myself|my \w+) )?stop|(?:going to|gonna|doing|do) it again|keep (?:thinking about|imagining|picturing)|(?:thinking about|imagining|picturing) (?:burning|cutting|hurting|pressing)|to feel something|(?:want|wanted|wanting|urge) to (?:burn|cut|hurt)|intrusive|made myself|(?:told|tell|telling|said|pretend\w*) (?:\w+ ){0,3}(?:it was|its) an accident)\b"
)
_AWAY = re.compile(
    r"\b(?:im|i am|ill be|i will be|were|we are|ill|i will) (?:on (?:holiday|vacation|a trip)|away|travelling|busy|offline|camping)\b"
)
_TOPIC = re.compile(
    r"\b(?:what does|whats|what is|is|explain what) \w+(?: \w+)? (?:mean|means|a word)\b|\bhow do (?:i|you|we) (?:help|support|talk)\b|\bfor (?:therapy|my therapist|my counsellor|my counselor|counselling|counseling)\b|\bmy (?:therapist|counsellor|counselor) (?:asked|suggested|had) me\b|\b(?:documentary|slang|podcast|article|essay|lecture|prevention|awareness|(?:warning )?signs? of|training|stat|stats|statistics?|research|survey|1 in \d+)\b"
)


# A promise to come back ("bye for now, chat soon", "ill be back in january") is an
# everyday goodbye: the model's danger alert on such a message is dropped (fourth pass).
RETURNING = re.compile(
    r"\b(?:chat soon|speak soon|talk (?:to (?:you|u|yall|yous) (?:all )?)?(?:tomorrow|soon|later)|see (?:you|ya|u|yall|yous)(?: all)? (?:tomorrow|soon|later|next \w+|on \w+day|in (?:january|the new year|a (?:week|few days|bit)))|(?:ill|i will|well|we will) be back (?:in|on|next|after|tomorrow|soon|when|once|online)|(?:bye|goodbye) for now|back (?:online|on here) (?:when|once|in|next|after)|wont be on (?:here )?much (?:this|till|until))\b"
)

# Someone else's words about themselves, told with no word of the writer's own after
# them ("my brother keeps saying everyone would be better off without him"): the
# model's danger or concern alert on such a sentence is dropped (abuse is not).
THEIR_WORDS = re.compile(
    r"^(?:(?:my|our|his|her|their) (?:\w+ )?\w+|he|she|they) (?:(?:keeps?|kept|is|was|has been|always|just) )?(?:saying|says|said|telling|texting|posting|messaging|writing)\b(?!.*\b(?:i|im|ive|id|ill|me|myself|my|mine)\b)"
)

_SELF_HARM = ("recent_self_harm", "active_self_harm", "attempt")
# Harm done to someone else's body ("she showed me the cuts on her thigh last night").
_THEIR_BODY = re.compile(r"\b(?:her|his|their)\b(?!.*\b(?:my|myself|me)\b)")


def rule_match(plain: str) -> tuple[str, bool]:
    """(kind, guarded) for one normalised sentence: the kind of the gravest explicit
    phrase that no guard discounts, or ""; guarded when a phrase matched but was
    discounted (negated, in the past, about someone else, reported, a joke or about
    the topic)."""
    found, past, guarded = [], None, False
    for match in _COMBINED.finditer(plain):
        kind = match.lastgroup.rstrip("0123456789")
        level = LEVEL[kind]
        before = plain[max(0, match.start() - 60) : match.start()]
        if level != "unsafe" and (
            _REPORTED.search(before)
            or _ASKED.search(before)
            or _JOKE.search(plain)
            or _FIGURE.search(plain)
        ):
            continue  # not the writer's own intent, or not said in earnest: the model reads it
        if _YOU.search(before):
            guarded = True
            continue
        if (_NEGATED_BURDEN if kind == "burden" else _NEGATED).search(before) or (
            kind == "timing" and _AWAY.search(plain)
        ):
            guarded = True
            continue
        if (
            level != "unsafe" and kind != "burden" and _SOMEONE_ELSE.search(before)
        ) or (
            kind in _SELF_HARM
            and (
                (_ACCIDENT.search(plain) and not _INTENT.search(plain))
                or _THEIR_BODY.search(match.group())
            )
        ):
            # someone else, or an accident: discounted, but the model still reads the
            # sentence ("shes hit me again tonight" is not self-harm, and is abuse)
            guarded = guarded or kind not in _SELF_HARM
            continue
        if past is None:
            past = bool(
                _TOPIC.search(plain)
                or (
                    _PAST.search(plain)
                    and not _NOW.search(plain)
                    and not (_TODAY.search(plain) and not _MILESTONE.search(plain))
                )
            )
        if past:
            return "", True
        found.append(kind)
    if not found:
        return "", guarded
    return max(found, key=lambda k: GRAVITY[LEVEL[k]]), False
