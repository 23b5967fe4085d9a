"""What grammar knows about questions, as ordered rules on the last question of a turn and on
the statements before it.

A yes/no question led by an auxiliary verb is closed; an either/or is closed; a tag question or
"don't you think" leads; a suggestion phrased as a question ("Have you tried…?", "Why don't
you…?") is advice; a question led by what / how / why / who (and a few invitations such as
"tell me more") is open. ``open_score`` is the rules' estimate that the question is open.

The whole turn: a suggestion said before the question ("You should take it to your manager.
What do you think?") makes the turn advice, and the asker's own diagnosis ("The real problem is
your manager.") makes it leading, whatever the question; the presenter answers what was said
first. A reflection or a word of empathy before the question ("That sounds hard.") changes
nothing.
"""

import json
import math
import re
from dataclasses import dataclass, replace
from functools import cache
from itertools import repeat
from pathlib import Path
from typing import NamedTuple, NotRequired, TypedDict

from .features import features

MODEL = Path(__file__).resolve().parent / "model.json"


class LearnedModel(TypedDict):
    """One of the shipped logistic regressions in ``model.json``."""

    bias: float
    weights: dict[str, float]  # by feature name; features missing here weigh nothing
    threshold: NotRequired[float]  # ``advice`` only: the probability from which it says advice


LABELS = ("open", "closed", "leading", "advice", "statement")
MAX_LENGTH = 1000

HINTS = {
    "open": "A good open question: it invites the presenter to think aloud.",
    "open_invitation": "A good invitation: it gives the presenter room to say more in their own"
    " words.",
    "open_wh": "A good open question: a what or a how lets the presenter find their own answer.",
    "open_reflection": "Well done: you reflected what you heard, then asked an open question.",
    "closed": "A closed question invites a yes, a no or a single fact. Try what, how or tell me more.",
    "leading": "This question carries your own answer. Ask what they think, not whether they agree.",
    "advice": "This is a suggestion phrased as a question. Ask about their options instead.",
    "advice_before": "You offered a suggestion before your question; the presenter will answer your"
    " suggestion. Ask only the question.",
    "leading_before": "You gave your own view of the problem before your question; the presenter"
    " will answer your view. Ask only the question.",
    "advice_reaction": "You offered a suggestion, then asked what they think of it; the presenter"
    " will answer your suggestion. Ask about their options instead.",
    "leading_reaction": "You gave your own view of the problem, then asked what they think of it;"
    " the presenter will answer your view. Ask how they see it.",
    "statement": "This is not a question yet. What would you like to ask?",
    "statement_advice": "This is a suggestion, not a question. What could you ask instead?",
    "empty": "Write a question first.",
    "too_long": f"Keep a question under {MAX_LENGTH} characters.",
}

AUXILIARIES = (
    "am",
    "is",
    "are",
    "was",
    "were",
    "do",
    "does",
    "did",
    "have",
    "has",
    "had",
    "can",
    "could",
    "will",
    "would",
    "shall",
    "should",
    "may",
    "might",
    "must",
)
NEGATED = (*tuple(f"{a}n't" for a in AUXILIARIES), "won't", "can't", "shan't", "ain't")
WH_OPEN = ("what", "how", "why", "who", "whom", "whose", "in what way", "to what extent")
WH_NARROW = ("when", "where", "which", "how many", "how much", "how long", "how often", "how old")
# A wh-question after a single fact: "What time…?", "Who is your sponsor?"
NARROW_FACT = re.compile(
    r"^(what|which) (time|date|day|year|month|percentage|number|grade|band|size|age)\b|^(what|who)"
    r"('s| is| was) (his|her|their|your|the) (name|title|job title|grade|band|budget|deadline"
    r"|sponsor|manager|boss|line manager|chair)\b"
)
INVITATIONS = (
    "tell me", "tell us", "say more", "could you say more", "can you say more", "talk me through",
    "talk us through", "describe", "help me understand", "help us understand", "walk me through",
    "walk us through", "i wonder", "i'm wondering", "i'm curious",
)  # fmt: skip

ADVICE_PATTERNS = [
    r"^(have|had) you (ever |not |already )?(tried|thought about|thought of|considered|looked at"
    r"|looked into|asked|spoken to|talked to|explored|checked)\b(?! (what|how|why|when|where|who"
    r"|whether|if|that|this|those|these|it|them|any of)\b)",
    r"^did you (think|consider) (of|about)\b",
    r"^(do|would) you (try|consider|want to try|fancy)\b",
    r"^why (don't|do not|not|wouldn't|won't|can't) (you|we)\b(?! (start|begin|tell (me|us)|fill"
    r" (me|us) in)\b)",
    r"^why not\b",
    r"^(what|how) about (maybe |perhaps |just )?((?!(any|some|no|every)thing|morning|evening)"
    r"[a-z]+ing|a|an|some|if (you|we))\b",
    r"^what if (you|we) (just |simply |were to )?\b",
    r"^(could|couldn't|can't|should|shouldn't|might|may) (you|we) (not )?(just |simply |maybe "
    r"|perhaps |always |also )?(?!(see|be|have|remember|feel|imagine|say|think|tell (me|us)|describe"
    r"|explain|walk (me|us)|talk (me|us)|expand|elaborate|help (me|us))\b)[a-z]+\b",
    r"^(might|could) you be able to\b",
    r"^would you be (open|willing|prepared) to\b",
    r"^what would happen if (you|we) (just |simply )?(?!(did|do|didn't|don't) nothing\b)[a-z]+",
    r"^(wouldn't|won't|would) it (make (more )?sense|be (better|easier|wiser|simpler|fairer))\b",
    r"^is there (any |a |some )?(way|chance|option|possibility) (to|of|for)\b",
    r"^is there (someone|anyone|somebody) (in|at|from|who|else who) .*\b(could|can|might)\b",
    r"^(can|would) (you|we) (not )?(just "
    r"|simply |maybe |perhaps |always |also )?(try|ask|talk|speak|tell|delegate|consider|stop|start"
    r"|get|give|use|go|have|make|set|put|take|send|call|write|move|change|let|find|bring|book|offer"
    r"|request|suggest|arrange|invite|share|involve|escalate|refuse|push|hire|swap|run)\b",
    r"^(wouldn't|won't) it be (better|easier|good|best|simpler|quicker)\b",
    r"^would it (help|be (better|easier|worth|useful|an idea|good))\b",
    r"^(might|may|could) it (help|be (better|easier|worth|useful|an idea))\b",
    r"^is it (worth|an idea|not worth)\b",
    r"^(isn't|wouldn't) it (worth|an idea|better|easier)\b",
    r"^is there (any |a |some )?(way|chance|option|possibility) (that )?(you|we) (could|can|might)\b",
]
LEADING_PATTERNS = [
    r"^(don't|do not|wouldn't|won't|isn't|aren't|shouldn't|can't) you (think|agree|feel|see|reckon"
    r"|find|worry|believe)\b",
    r"^do you not (think|feel|agree|see|find|worry|believe)\b",
    r"^(surely|obviously|clearly)\b",
    r"^(wouldn't|won't) you (say|agree)\b",
    r"^(you|we) (must|should|need to|have to)\b",
    r"^(you'd|you would) (agree|say|admit)\b",
    r"^(i bet|i'm sure|i guess|i suppose) (you|that|it|they|he|she)\b",
    r"^are you sure\b",
    # The asker's own diagnosis, offered for agreement.
    r"^(is|was) (it|that|this) (maybe |perhaps |just |really |partly )?because\b",
    r"^(is|was|isn't|wasn't) (it|that|this|the (real )?(problem|issue|truth|answer|root))"
    r" (maybe |perhaps )?(really|actually|just|that|honestly)\b",
    r"^(is|are|was) (the|it|this|that) (problem |issue )?(really|actually|just)\b.*\bor\b",
    r"^couldn't it (be|just be) (that|because)\b",
]
ADVICE_FORM = re.compile("|".join(f"(?:{pattern})" for pattern in ADVICE_PATTERNS))
LEADING_FORM = re.compile("|".join(f"(?:{pattern})" for pattern in LEADING_PATTERNS))
# A question led by a negated verb ("Isn't it…?", "Haven't you…?") presumes its answer.
NEGATED_LEAD = re.compile(
    r"^(isn't|aren't|wasn't|weren't|don't|doesn't|didn't|haven't|hasn't|hadn't|won't|wouldn't"
    r"|couldn't|shouldn't|can't|do you not|did you not|is it not|are you not)\b"
)
TAG_QUESTION = re.compile(
    r",\s*(isn't|aren't|wasn't|weren't|don't|doesn't|didn't|won't|wouldn't|can't|couldn't|shouldn't|haven't|hasn't|hadn't|is|are|do|does|did|will|would|can|could|right|yes|no|surely)\s*(it|they|he|she|we|you|i|that|there|this)?\s*\?$"
)
EITHER_OR = re.compile(r"\bor\b(?! (anything|something|someone|somebody|whatever|not)\b)")
FILLER = re.compile(
    r"^(and|so|but|ok|okay|right|well|um+|uh+|erm+|er|mm+-?hmm|mhm|mm+|yeah|yes|hmm+|oh|alright"
    r"|now|then|you know|i see|indeed)\b[,.!]?(?=\s|$)"
)
# "Can I ask you, what…" is the question after the comma.
ASKING = re.compile(
    r"^((can|could|may) i ask( you)?( something| a question)?|let me ask you( something)?)"
    r"[,:]? (?=(what|how|why|who|where|when|which)\b)"
)
# "Can you tell me…", "Could you say more…": a yes/no form that invites a wide answer.
AUX_INVITATION = re.compile(
    r"^(can|could|would|will) you (please |just |maybe )?(tell (me|us)|describe|share (with|more|a"
    r" bit|a little|some)|say (more|a bit|a little|something)|talk (me|us) through|talk about|walk"
    r" (me|us)|explain|help (me|us) (to )?understand|think of|give (me|us) (an|a|some)|expand|elaborate"
    r"|unpack|paint)\b"
)
# A suggestion in a statement before the question: "You could swap a meal for childcare.", "I'd
# just tell them no.", "In my experience…", "It might be worth getting the union involved."
ADVICE_STATEMENT = (
    # One look behind for every alternative, not a \b in each: the search then tries them only
    # where a word starts (five times faster).
    r"(?<![a-z'])(?:you (should|shouldn't|ought to|need to|have to|had better|'d better)"
    r" (?!(be (proud|pleased|exhausted|tired|shattered|furious|worried|frustrated)|have (felt"
    r"|been)|feel)\b)[a-z]+"
    r"|you (could|must|might want to|may want to|might like to|may wish to) (?!(see|hear|feel"
    r"|sense|imagine|be|have (felt|been|had|seen)|tell (she|he|they|that|it|how|from|by))\b)[a-z]+"
    r"|you need (a|an|some|more)\b|you (can|could|might) (always|just|also) [a-z]+"
    r"|i('d| would)( just| probably| definitely| honestly| really| personally| seriously)*"
    r" (?!(just|probably|definitely|honestly|really|personally|seriously|like|love|be (?!(tempted"
    r"|inclined)\b)|imagine|guess|think|say|wonder|ask"
    r"|want to (know|hear|understand|ask)|have (felt|been)|feel|hate|agree|add)\b)[a-z]+"
    r"|i( (recommend|suggest|advise|would recommend)|'m (going|gonna) (to )?(recommend|suggest)"
    r"|( really)? (want|need) you to (?!(know|understand|feel|hear|tell|think)\b)|'d like you to)\b"
    r"|my (advice|suggestion|recommendation|tip)\b|in my experience\b|if (i were|i was)"
    r" you\b|what (worked|helped)"
    r" (for|with) me\b|what i did (was|in the end)\b|the only thing that (worked|helped)\b"
    r"|when i (was|had|faced|hit)\b[^.]*, i\b"
    r"|it('d| would| might| could| may)( really| probably| definitely)? (be (good|worth|better"
    r"|best|wise|helpful|useful|sensible|a good idea|an idea)|help) (to|if|for you)\b"
    r"|it('d| would| might| could| may)( really| probably| definitely)? be worth [a-z]+ing\b"
    r"|it('s| is) (probably |really |always |definitely )?(worth [a-z]+ing|a good idea to|best to)\b"
    r"|(the|your) (best|only|easiest|obvious|simplest|quickest|safest) (thing|way|option|move|bet"
    r"|approach|solution)\b.* (is|would be|'s)\b|^the (answer|solution|trick|key) (is|would be)"
    r" (to|just)\b|(one|another|an) option (is|would be|might be|could be)\b"
    r"|you('d| would)( be)? better off\b|you('re| are) better off\b|what you (need|should do"
    r"|have to do|want to do) is\b|maybe (you (could|should|can|might|need)|try|just)\b|why not\b"
    r"|have you tried\b|what i('d| would) (recommend|suggest|do)\b|i('d| would) like to"
    r" (recommend|suggest)\b|you('re| are) (going to|gonna) (have to|need to|want to|take)\b"
    r"|(it|that) (often |usually |really )?(helps|can help|works) (if|to|when) (you|people|they)\b"
    r"|it('s| is) (really |very |so )?important (that you|to (?!(you|them|him|her|me|us)\b)[a-z]+)"
    r"|(i've got|i have|here's) (an|another|one) idea\b"
    r")"
)
# The same, told: an imperative at the head of a sentence ("Talk to the finance lead first.").
# Not the asker's invitations: "Tell me more.", "Take your time.", "Go on.", "Look, …".
IMPERATIVE = (
    r"^(honestly,? |personally,? |seriously,? |then |first,? |just |maybe |perhaps |definitely"
    r" |always |please )*(don't |do not |never )?(try|talk to|speak to|ask (her|him|them|your|the"
    r"|for|hr)|tell (?!(me|us)\b)|go (to|back|straight|and|with|for)|take (it|them|him|her|this"
    r"|that|a (break|step|day|week))|get (a|an|the|some|them|him|her|it|your|legal|hr|help"
    r"|someone)|give (it|them|him|her)|make sure|stop (?!me\b)|start (with|by|saying|doing"
    r"|looking|to)|keep (a|it|them|your|doing|saying|pushing|asking)|put (it|them|your|a|the)|set"
    r" (a|up|some|clear)|book|call (her|him|them|a)|email|delegate|escalate|push|say no|raise"
    r"|schedule|send|hire|quit|resign|leave (it|them|him|her|the|your)|move (on|it|them)|sit down"
    r"|sort (it|this|that|out)|focus on|prioriti[sz]e|avoid|remember to|be (honest|clear|firm"
    r"|straight|upfront|direct|careful|brave)|ignore|refuse|document|insist|demand|let (it|them"
    r"|him|her|go)|find (a|an|someone|some|out)|look (into|for)|consider|bring|involve|walk away"
    r"|accept|check (with|that|the)|contact|arrange|offer|cut|drop|report|complain|apologi[sz]e"
    r"|wait (until|for|and)|step back|hand|agree (a|to|on)|stick|protect|block|record|write (it"
    r"|down|to|a))\b"
)
# The asker's own diagnosis before the question: "The real problem is your manager.", "It
# sounds like you're burnt out.", "I think you're afraid of conflict.", "That's classic scope
# creep." Naming a feeling the presenter showed ("It sounds like you're worried") is not one.
DIAGNOSIS = (
    r"(?<![a-z'])(?:(the|your|this|that)( real| actual| underlying| root| main| core| deeper"
    r"| bigger| whole| basic| fundamental| true)+ (problem|issue|difficulty|trouble|cause|thing"
    r"|question|story)"
    r" (here |really |for me )?(is|was|'s|seems|sounds|might be|may be|must be)\b"
    r"|(the|your) (problem|issue|trouble|cause) (here |really )?(is|'s|seems to be|sounds like)"
    r" (that )?(obviously |clearly |just |really |simply )?(you|your|obviously|clearly|just|really"
    r"|simply)\b"
    r"|^(clearly|obviously|frankly|surely|to me|i reckon|i bet (the|they|he|she|it|that|your)|i"
    r" suspect|if you ask me|the way i see it|i'd say|i would say|it seems to me|it sounds to me"
    r"|sounds to me|seems to me|my (guess|hunch|view|take|opinion|diagnosis|reading) is)\b"
    r"|^i (really |honestly |personally )?(think|believe|feel like|suspect)( that)? (you('re| are)"
    r" (?!(right|brave|doing|amazing|great|strong|resilient|capable|ready)\b)"
    r"|they('re| are)|he's|she's|it's (because|about|down to|a |an |the )|the |your (manager|boss"
    r"|team|director|head|chief|chair|line manager|organisation|company)|this is (about|because"
    r"|really))"
    r"|(that's|that is|it's|it is|this is)( just| clearly| obviously| really| probably"
    r"| basically| simply| all)* (classic|typical|a classic|a typical|textbook|a textbook)\b"
    r"|(that's|that is|it's|it is|this is) (clearly|obviously|basically|simply|probably) (?!the"
    r" (first|last|same|only|next|best|right)\b)(a|an|about|because|down to|the|their|his|her"
    r"|your)\b"
    r"|(that's|it's) (just|all) (poor|bad|politics|power|ego|jealousy|laziness|incompetence"
    r"|about (power|control|money|ego))\b"
    r"|(sounds|seems|looks) (to me )?like (a |an )?(classic|typical|textbook|case of)\b"
    r"|you('re| are| seem| sound| look)( like)?( just| being| really| clearly| obviously"
    r"| probably| a bit| far| way| so| quite)*"
    r" (too (nice|soft|hard|kind|trusting|passive|controlling|negative|available|cautious)"
    r"|avoiding|burnt out|burned out|overcommitted|overloaded|in denial|a perfectionist|a"
    r" people[- ]pleaser|conflict[- ]a(verse|voidant)|the problem|taking on too much|being taken"
    r" advantage|being used|not (assertive|firm|confident|delegating|listening)|threatened"
    r"|insecure|defensive|controlling|micromanaging|overthinking|procrastinating|(afraid|scared)"
    r" of (conflict|confrontation))\b"
    r"|(is|are|'s|'re|sounds|seems) (like )?(a bully|toxic|incompetent|useless|lazy|dysfunctional"
    r"|a control freak|a narcissist|threatened by you|out of (order|line|(his|her|their) depth)"
    r"|(just )?playing politics|taking (you|advantage)|testing you|manipulating|(just )?jealous)\b"
    r")"
)
# Words a reflection starts with: what follows is the presenter's own ("You said you need to…").
REPORTED = re.compile(
    r"^(you (said|say|mentioned|told|described|explained|talked|were saying|feel|felt|think"
    r"|thought|want|wanted|know|believe|seem to feel)|(i )?(hear|heard) you|as you (said|put it))\b"
)


class TurnPatterns(NamedTuple):
    """The statement patterns above, compiled."""

    advice: re.Pattern[str]
    imperative: re.Pattern[str]
    diagnosis: re.Pattern[str]


@cache
def _turn_patterns() -> TurnPatterns:
    """The patterns for statements, compiled on first use: they take longer to compile (about
    12 ms) than the rest of the coach together, and a question on its own needs none of them."""
    return TurnPatterns(re.compile(ADVICE_STATEMENT), re.compile(IMPERATIVE), re.compile(DIAGNOSIS))


# Words that report the presenter's view inside a statement ("It sounds like you feel you should
# tell her."): what follows them is theirs, not the asker's.
REPORTED_INSIDE = re.compile(
    r"\b(you|they|she|he|your [a-z]+) (feel|felt|think|thought|said|say(?! (yes|no)\b)|believe"
    r"|believed|mentioned"
    r"|told (me|us)|wonder|wondered|want|wanted|were saying|are saying|keep saying|worry|worried"
    r"|fear|feared|hope|hoped|wish|wished)\b"
)
# A statement that gives back what was heard or felt, for the open question's encouragement.
REFLECTING = re.compile(
    r"^(you|it sounds|that sounds|sounds|i hear|i can (hear|see)|i'm hearing|so (you|there|it)|that"
    r" must|it must|it seems|i noticed|i'm struck|i'm noticing|thank|that's (a lot|hard|tough"
    r"|difficult))\b"
)
# A clause that sets up the question rather than saying anything: "If you were to list them, …"
CONDITION = re.compile(r"^(if|when|while|as|since|because|given|after|before|once|whether)\b")
# Where a question starts after a clause in its own sentence: "I'd just tell them no, but what
# do you think?"
CLAUSE_BEFORE = re.compile(
    r"[,;:] (?:but |and |so )?(?=(what|how|why|who|where|when|which|is|are|do|does|did|would"
    r"|could|can|will|have|has)\b)"
)
# ...and then a question that asks only for a reaction to it.
REACTION = re.compile(
    r"^(what do you think|what are your thoughts|what would you think|how does that sound|does that"
    r" sound|would that (work|help|be)|do you think you (could|can|might)|could you do that|how would"
    r" you feel about|how do you feel about (that|this|trying)|is that something|how about that|is"
    r" that (fair|right|true|it)|does that (make sense|ring true|fit|resonate)|would you agree)\b"
)
# A suggestion inside the question: "maybe try…?", "you could…?", "what if you…?"
SUGGESTING = re.compile(
    r"^(maybe|perhaps|possibly)\b|\byou (could|can|might|should) (just |maybe |always |also )?(try"
    r"|ask|talk|speak|tell|get|go|look|use|take|make|give|consider|see|call|find|put|set|start|stop"
    r"|bring|request|check|offer|book|let|write|join)\b|^what if you\b|^would it (help|be worth)\b"
)
# A question typed without its question mark ("how did the team react").
UNMARKED_QUESTION = re.compile(
    r"^(what|how|why|who|whom|whose|when|where|which|what's|how's|who's|where's|when's)\b(?! a\b)"
    r"\s*\S+\s+\S+|^(is|are|was|were|do|does|did|have|has|had|can|could|will|would|should|shall"
    r"|may|might)(n't)? (you|we|they|he|she|it|i|the|your|there|that|this|anyone|anybody|someone)\b"
)
SENTENCE = re.compile(r"[^.!?]*[.!?]+|[^.!?]+$")

# Open rewrites for the common shapes; a question that fits none gets no suggestion.
REWRITES = [
    (
        r"^(have|had) you (tried|considered|thought about|thought of) (.+)$",
        "What have you tried so far, and what other options do you see?",
    ),
    (r"^why (don't|do not|wouldn't) (you|we) (just )?(.+)$", "What would change if you {4}?"),
    (r"^why not (just )?(.+)$", "What would change if you {2}?"),
    (r"^(what|how) about (.+)$", "What do you make of {2}?"),
    (
        r"^(could|can|should|would|might|couldn't|can't|shouldn't) (you|we) (not )?(just |simply )?(.+)$",
        "What would help you decide whether to {5}?",
    ),
    (
        r"^(don't|wouldn't|won't|do) you (think|agree|feel) (that )?(.+)$",
        "What do you think about whether {4}?",
    ),
    (r"^(do|does|did) you (think|feel|believe) (.+)$", "What do you {2} about {3}?"),
    (r"^.+\bor\b.+$", "What draws you to each of those?"),
]

REWRITE_FORMS = [(re.compile(pattern, flags=re.I), template) for pattern, template in REWRITES]
LEAD_WORD = re.compile(r"^(and|so|but|ok|okay|well)[,\s]+", flags=re.I)
# Compiled once: classify runs on every question typed in a room.
SPACES = re.compile(r"\s+")
STUTTER = re.compile(r"\b([a-z']+(?: [a-z']+)?)(?:-+ ?| - )\1\b")
SPLIT_NOT = re.compile(r"\s+n't\b")
SPLIT_CLITIC = re.compile(r"\s+'(s|re|ve|ll|d|m)\b")
SPACE_BEFORE_MARK = re.compile(r"\s+([?.!,;:])")
WHAT_OR_HOW = re.compile(r"(what|how)(?:$|[ ,])")


@dataclass(frozen=True)
class Verdict:
    """The coach's view of one question."""

    label: str
    open_score: float
    confidence: float
    hint: str
    suggestion: str = ""
    question: str = ""


def _last_question(text: str) -> tuple[str, bool]:
    """The last sentence ending with a question mark (or the last sentence), and whether it is
    a question at all."""
    sentences = [s.strip() for s in SENTENCE.findall(text) if s.strip()]
    questions = [s for s in sentences if s.endswith("?")]
    if questions:
        return questions[-1], True
    return (sentences[-1] if sentences else text.strip()), False


def _tidy(text: str) -> str:
    """Undoes tokenised text ("do n't", "it 's", "now ?") and curly quotes."""
    text = text.replace("’", "'").replace("‘", "'").replace("—", " - ").replace("–", " - ")
    text = SPLIT_NOT.sub("n't", text)
    text = SPLIT_CLITIC.sub(r"'\1", text)
    return SPACE_BEFORE_MARK.sub(r"\1", text)


def _normalise(question: str) -> str:
    """Lower case, without the fillers and stutters of speech ("Um, so what-what do you…")."""
    question = " ".join(question.lower().replace("’", "'").replace("‘", "'").split())
    if "-" in question:
        question = STUTTER.sub(r"\1", question)
    question = question.lstrip(" ,.-")
    while lead := FILLER.match(question) or ASKING.match(question):
        question = question[lead.end() :].lstrip(" ,.-")
    return question.strip()


@cache
def _prefix_pattern(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    return re.compile(rf"(?:{words})(?:$|[ ,])")


def _starts(question: str, prefixes: tuple[str, ...]) -> bool:
    """Whether ``question`` begins with one of ``prefixes`` as whole words."""
    return _prefix_pattern(tuple(prefixes)).match(question) is not None


def _rewrite(question: str) -> str:
    """An open rewrite in the asker's own words, or "" when none can be made."""
    core = LEAD_WORD.sub("", question.strip())
    core = core.replace("’", "'").rstrip("?").strip()
    for pattern, template in REWRITE_FORMS:
        match = pattern.match(core)
        if match:
            groups = [match.group(0)] + [g or "" for g in match.groups()]
            text = SPACES.sub(" ", template.format(*groups)).strip()
            return text[0].upper() + text[1:]
    return ""


@cache
def _model() -> dict[str, LearnedModel]:
    """The shipped weights (``python -m revans.coach.train`` writes them): ``open`` for open vs
    closed, ``advice`` for a suggestion phrased as a question."""
    if not MODEL.exists():
        return {}
    models: dict[str, LearnedModel] = json.loads(MODEL.read_text())
    return models


def rule_names(q: str) -> tuple[str, ...]:
    """What grammar says about a normalised question, as names the models weigh."""
    names = []
    if _starts(q, INVITATIONS) or AUX_INVITATION.match(q):
        names.append("invitation")
    if _starts(q, WH_NARROW) or NARROW_FACT.match(q):
        names.append("wh_narrow")
    elif _starts(q, WH_OPEN):
        names.append("wh_open")
    if _starts(q, AUXILIARIES) or _starts(q, NEGATED):
        names.append("auxiliary")
    if EITHER_OR.search(q):
        names.append("either_or")
    if len(q.split()) <= 3:
        names.append("short")
    if not AUX_INVITATION.match(q) and ADVICE_FORM.match(q):
        names.append("advice_form")
    if SUGGESTING.search(q):
        names.append("suggesting")
    return tuple(names)


def _probability(kind: str, q: str, rules: tuple[str, ...]) -> float | None:
    model = _model().get(kind)
    if not model:
        return None
    weights = model["weights"]
    score = model["bias"] + sum(map(weights.get, features(q, rules), repeat(0.0)))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


def open_probability(q: str) -> float | None:
    """The learned probability that ``q`` is open, or None without a model."""
    return _probability("open", q, rule_names(q))


def _yes_no(q: str) -> bool:
    """Led by an auxiliary verb, and not a request such as "Can you tell me…"."""
    return (_starts(q, AUXILIARIES) or _starts(q, NEGATED)) and not AUX_INVITATION.match(q)


def _before(context: str, question: str) -> tuple[str, bool, str]:
    """What the statements before the question do: ``"advice"`` (a suggestion), ``"leading"``
    (the asker's own diagnosis) or ``""``; whether one of them reflects what was heard; and the
    question without a clause of its own sentence that said something first."""
    sentences = [s for s in SENTENCE.findall(context) if not s.strip().endswith("?")]
    bare = question
    clauses = list(CLAUSE_BEFORE.finditer(question))
    if clauses:
        clause = question[: clauses[-1].start()]
        said = _normalise(clause)
        # Not a condition ("If you were to…, what…?") nor a question of its own ("What have you
        # tried, and what else…?").
        if not (CONDITION.match(said) or UNMARKED_QUESTION.match(said) or _yes_no(said)):
            sentences.append(clause)
            bare = question[clauses[-1].end() :]
            bare = bare[:1].upper() + bare[1:]
    found, reflecting = "", False
    turn = _turn_patterns()
    for sentence in sentences:
        s = _normalise(sentence).rstrip(" .!")
        if not s:
            continue
        if REPORTED.match(s):
            reflecting = True  # "You said you need to…": their words, not the asker's
            continue
        # "It sounds like you feel you should tell her": what follows "you feel" is theirs.
        inside = REPORTED_INSIDE.search(s)
        own = s[: inside.start()] if inside else s
        if turn.imperative.match(own) or turn.advice.search(own):
            return "advice", reflecting, bare
        if turn.diagnosis.search(own):
            found = "leading"
        elif REFLECTING.match(s):
            reflecting = True
    return found, reflecting, bare


def classify(text: str) -> Verdict:
    """Labels a turn by its last question and the statements before it. Never raises: empty or
    over-long text gets a ``statement`` verdict whose hint says why."""
    if not isinstance(text, str) or not text.strip():
        return Verdict("statement", 0.0, 1.0, HINTS["empty"])
    if len(text) > MAX_LENGTH:
        return Verdict("statement", 0.0, 1.0, HINTS["too_long"])
    text = _tidy(text)
    question, is_question = _last_question(text)
    q = _normalise(question)
    if not is_question and not (_starts(q, INVITATIONS) or UNMARKED_QUESTION.match(q)):
        turn = _turn_patterns()
        advises = turn.imperative.match(q) or turn.advice.search(q)
        hint = HINTS["statement_advice" if advises else "statement"]
        return Verdict("statement", 0.0, 0.8, hint, question=question)
    context = text[: text.rfind(question)] if is_question else ""
    if context or "," in question:
        before, reflecting, bare = _before(context, question)
    else:
        before, reflecting, bare = "", False, question
    own = _question_verdict(question, q, reflecting)
    if before and own.label != "advice" and (before == "advice" or own.label != "leading"):
        # The presenter answers what was said first, whatever the question: "You should take it
        # to your manager. What do you think?" is advice.
        reaction = REACTION.match(_normalise(bare))
        if reaction:
            suggestion = "What options do you see?" if before == "advice" else "How do you see it?"
        elif bare != question:
            suggestion = _rewrite(bare) or bare
        elif own.label == "open":
            suggestion = question  # the question alone is a good one
        else:
            suggestion = own.suggestion
        hint = HINTS[f"{before}_reaction" if reaction else f"{before}_before"]
        return replace(own, label=before, hint=hint, suggestion=suggestion)
    if before == "advice":
        return replace(own, hint=HINTS["advice_before"])
    return own


def _question_verdict(question: str, q: str, reflecting: bool = False) -> Verdict:
    """The label of the question alone (``q`` is ``question`` normalised); ``reflecting``: a
    reflection came before it, for the open question's word of encouragement."""
    rules = rule_names(q)
    learned = _probability("open", q, rules)
    form = learned if learned is not None else _rules_open_score(q)
    if _yes_no(q):
        # A yes/no question led by an auxiliary verb is closed, whatever the data says.
        form = min(form, 0.2)
    elif NARROW_FACT.match(q):
        form = min(form, 0.3)
    elif "invitation" in rules:
        form = max(form, 0.75)  # "Tell me more…", "Can you walk us through…" invite a wide answer

    def verdict(label: str, confidence: float) -> Verdict:
        suggestion = "" if label == "open" else _rewrite(question)
        return Verdict(
            label, round(form, 3), round(confidence, 3), HINTS[label], suggestion, question
        )

    if LEADING_FORM.match(q) or TAG_QUESTION.search(q):
        return verdict("leading", 0.8)
    if "advice_form" in rules:
        return verdict("advice", 0.85)
    if NEGATED_LEAD.match(q):
        return verdict("leading", 0.7)  # "Isn't it…?", "Haven't you already…?"
    advice = _probability("advice", q, rules)
    advice_model = _model().get("advice")
    threshold = advice_model.get("threshold", 0.5) if advice_model else 0.5
    if advice is not None and advice >= threshold and not {"wh_open", "invitation"} & set(rules):
        return verdict("advice", advice)
    if form >= 0.5:
        # A word of encouragement, by what made the question good.
        if reflecting:
            hint = HINTS["open_reflection"]
        elif "invitation" in rules:
            hint = HINTS["open_invitation"]
        elif WHAT_OR_HOW.match(q):
            hint = HINTS["open_wh"]
        else:
            hint = HINTS["open"]
        confidence = round((form - 0.5) * 2, 3)
        return Verdict("open", round(form, 3), confidence, hint, "", question)
    return verdict("closed", (0.5 - form) * 2)


def _rules_open_score(q: str) -> float:
    """Grammar's guess at how open ``q`` is, for when no learned model is shipped."""
    if _starts(q, INVITATIONS) or AUX_INVITATION.match(q):
        return 0.9
    if _starts(q, WH_NARROW) or NARROW_FACT.match(q):
        return 0.3
    if _starts(q, WH_OPEN):
        return 0.85
    if _yes_no(q):
        return 0.1
    if EITHER_OR.search(q):
        return 0.2
    if len(q.split()) <= 3:
        return 0.35  # "Really?", "Anything else?"
    return 0.6


def classify_many(texts: list[str]) -> list[Verdict]:
    return [classify(text) for text in texts]
