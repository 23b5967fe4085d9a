"""What grammar knows about questions, as ordered rules on the last question of a text.

A yes/no question led by an auxiliary verb is closed; an either/or is closed; a tag question or
"don't you think" leads; a suggestion phrased as a question ("Have you tried…?", "Why don't
you…?") is advice; a question led by what / how / why / who (and a few invitations such as
"tell me more") is open. ``open_score`` is the rules' estimate that the question is open.
"""

import json
import math
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import NotRequired, TypedDict

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
    "open": "An open question: it invites the presenter to think aloud.",
    "closed": "A closed question invites a yes, a no or a single fact. Try what, how or tell me more.",
    "leading": "This question carries your own answer. Ask what they think, not whether they agree.",
    "advice": "This is a suggestion phrased as a question. Ask about their options instead.",
    "advice_before": "You offered a suggestion, then asked what they think of it. Ask about their"
    " options instead.",
    "statement": "This is not a question yet. What would you like to ask?",
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
# A suggestion in the words before a question ("You could swap a meal for childcare.")...
ADVICE_STATEMENT = re.compile(
    r"\b(you (could|should|might want to|may want to|ought to|need to) [a-z]+|you (can|might) (try"
    r"|consider)|i('d| would) (recommend|suggest|advise)|i (recommend|suggest|advise)|my (advice"
    r"|suggestion)|it (would|might|could) (be good|be worth|help) (if|to)|maybe (you|try)|why not"
    r"|have you tried)\b"
)
# ...and then a question that asks only for a reaction to it.
REACTION = re.compile(
    r"^(what do you think|what are your thoughts|what would you think|how does that sound|does that"
    r" sound|would that (work|help|be)|do you think you (could|can|might)|could you do that|how would"
    r" you feel about|how do you feel about (that|this|trying)|is that something|how about that)\b"
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
    text = re.sub(r"\s+n't\b", "n't", text)
    text = re.sub(r"\s+'(s|re|ve|ll|d|m)\b", r"'\1", text)
    return re.sub(r"\s+([?.!,;:])", r"\1", text)


def _normalise(question: str) -> str:
    """Lower case, without the fillers and stutters of speech ("Um, so what-what do you…")."""
    question = re.sub(r"\s+", " ", question.lower().replace("’", "'").replace("‘", "'"))
    question = re.sub(r"\b([a-z']+(?: [a-z']+)?)(?:-+ ?| - )\1\b", r"\1", question)
    previous = None
    while previous != question:
        previous = question
        question = FILLER.sub("", question, count=1).lstrip(" ,.-")
        question = ASKING.sub("", question, count=1)
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
    core = re.sub(r"^(and|so|but|ok|okay|well)[,\s]+", "", question.strip(), flags=re.I)
    core = core.replace("’", "'").rstrip("?").strip()
    for pattern, template in REWRITES:
        match = re.match(pattern, core, flags=re.I)
        if match:
            groups = [match.group(0)] + [g or "" for g in match.groups()]
            text = re.sub(r"\s+", " ", template.format(*groups)).strip()
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
    score = model["bias"] + sum(weights.get(name, 0.0) for name in features(q, rules))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


def open_probability(q: str) -> float | None:
    """The learned probability that ``q`` is open, or None without a model."""
    return _probability("open", q, rule_names(q))


def _yes_no(q: str) -> bool:
    """Led by an auxiliary verb, and not a request such as "Can you tell me…"."""
    return (_starts(q, AUXILIARIES) or _starts(q, NEGATED)) and not AUX_INVITATION.match(q)


def classify(text: str) -> Verdict:
    """Labels the last question in ``text``. Never raises: empty or over-long text gets a
    ``statement`` verdict whose hint says why."""
    if not isinstance(text, str) or not text.strip():
        return Verdict("statement", 0.0, 1.0, HINTS["empty"])
    if len(text) > MAX_LENGTH:
        return Verdict("statement", 0.0, 1.0, HINTS["too_long"])
    text = _tidy(text)
    question, is_question = _last_question(text)
    q = _normalise(question)
    if not is_question and not (_starts(q, INVITATIONS) or UNMARKED_QUESTION.match(q)):
        return Verdict("statement", 0.0, 0.8, HINTS["statement"], question=question)
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

    def verdict(label: str, confidence: float, hint: str = "") -> Verdict:
        suggestion = "" if label == "open" else _rewrite(question)
        return Verdict(
            label, round(form, 3), round(confidence, 3), hint or HINTS[label], suggestion, question
        )

    if LEADING_FORM.match(q) or TAG_QUESTION.search(q):
        return verdict("leading", 0.8)
    if "advice_form" in rules:
        return verdict("advice", 0.85)
    if NEGATED_LEAD.match(q):
        return verdict("leading", 0.7)  # "Isn't it…?", "Haven't you already…?"
    context = text[: text.rfind(question)] if is_question else ""
    if REACTION.match(q) and ADVICE_STATEMENT.search(context.lower()):
        # "You could swap a meal for childcare. What do you think?"
        suggestion = "What options do you see?"
        return replace(verdict("advice", 0.75, HINTS["advice_before"]), suggestion=suggestion)
    advice = _probability("advice", q, rules)
    advice_model = _model().get("advice")
    threshold = advice_model.get("threshold", 0.5) if advice_model else 0.5
    if advice is not None and advice >= threshold and not {"wh_open", "invitation"} & set(rules):
        return verdict("advice", advice)
    if form >= 0.5:
        return verdict("open", (form - 0.5) * 2)
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
