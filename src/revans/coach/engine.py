"""What grammar knows about questions, as ordered rules on the last question of a text.

A yes/no question led by an auxiliary verb is closed; an either/or is closed; a tag question or
"don't you think" leads; a suggestion phrased as a question ("Have you tried…?", "Why don't
you…?") is advice; a question led by what / how / why / who (and a few invitations such as
"tell me more") is open. ``open_score`` is the rules' estimate that the question is open.
"""

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .features import features

MODEL = Path(__file__).resolve().parent / "model.json"

LABELS = ("open", "closed", "leading", "advice", "statement")
MAX_LENGTH = 1000

HINTS = {
    "open": "An open question: it invites the presenter to think aloud.",
    "closed": "A closed question invites a yes, a no or a single fact. Try what, how or tell me more.",
    "leading": "This question carries your own answer. Ask what they think, not whether they agree.",
    "advice": "This is a suggestion phrased as a question. Ask about their options instead.",
    "statement": "This is not a question yet. What would you like to ask?",
    "empty": "Write a question first.",
    "too_long": f"Keep a question under {MAX_LENGTH} characters.",
}

AUXILIARIES = [
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
]
NEGATED = (*tuple(f"{a}n't" for a in AUXILIARIES), "won't", "can't", "shan't", "ain't")
WH_OPEN = ("what", "how", "why", "who", "whom", "whose", "in what way", "to what extent")
WH_NARROW = ("when", "where", "which", "how many", "how much", "how long", "how often", "how old")
INVITATIONS = (
    "tell me", "say more", "could you say more", "can you say more", "talk me through",
    "describe", "help me understand", "walk me through", "i wonder", "i'm wondering",
)  # fmt: skip

ADVICE_PATTERNS = [
    r"^(have|had) you (tried|thought about|thought of|considered|looked at|looked into|asked|spoken to|talked to)\b",
    r"^do you (try|consider|want to try)\b",
    r"^why (don't|do not|not|wouldn't|won't) (you|we)\b",
    r"^why not\b",
    r"^what about\b",
    r"^how about\b",
    r"^(could|couldn't|can't|can|should|shouldn't|would|wouldn't|might|may) (you|we) (not )?(just |simply |maybe |perhaps )?(try|ask|talk|speak|tell|delegate|consider|stop|start|get|give|use|go|have|make|set|put|take|send|call|write|move|change|let|find)\b",
    r"^(wouldn't|won't) it be (better|easier|good|best)\b",
    r"^is it (worth|an idea)\b",
    r"^(isn't|wouldn't) it (worth|an idea)\b",
]
LEADING_PATTERNS = [
    r"^(don't|do not|wouldn't|won't|isn't|aren't|shouldn't|can't) you (think|agree|feel|see|reckon)\b",
    r"^(surely|obviously|clearly)\b",
    r"^(isn't|aren't|wasn't|weren't|doesn't|didn't) (it|that|this|he|she|they) (true|obvious|clear|the case|just|really)\b",
    r"^wouldn't you (say|agree)\b",
    r"^(you|we) (must|should|need to|have to)\b",
]
TAG_QUESTION = re.compile(
    r",\s*(isn't|aren't|wasn't|weren't|don't|doesn't|didn't|won't|wouldn't|can't|couldn't|shouldn't|haven't|hasn't|hadn't|is|are|do|does|did|will|would|can|could|right|yes|no|surely)\s*(it|they|he|she|we|you|i|that|there|this)?\s*\?$"
)
EITHER_OR = re.compile(r"\bor\b(?! (anything|something|someone|somebody|whatever|not)\b)")
SENTENCE = re.compile(r"[^.!?]*[.!?]+|[^.!?]+$")

# Open rewrites for the common shapes; a question that fits none gets no suggestion.
REWRITES = [
    (
        r"^(have|had) you (tried|considered|thought about|thought of) (.+)$",
        "What options do you see, {3} among them or not?",
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


def _normalise(question: str) -> str:
    question = question.lower().replace("’", "'").replace("‘", "'")
    question = re.sub(
        r"^(and|so|but|ok|okay|right|well|um|uh|erm|mm-hmm|yeah|hmm)[,\s]+", "", question
    )
    question = re.sub(r"^(so|and|then)[,\s]+", "", question)
    return re.sub(r"\s+", " ", question).strip()


def _starts(question: str, prefixes) -> bool:
    return any(
        question == p or question.startswith(p + " ") or question.startswith(p + ",")
        for p in prefixes
    )


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
def _model() -> tuple[float, dict[str, float]]:
    """The shipped open-vs-closed weights (``python -m revans.coach.train`` writes them)."""
    if not MODEL.exists():
        return 0.0, {}
    data = json.loads(MODEL.read_text())
    return data["bias"], data["weights"]


def rule_names(q: str) -> tuple[str, ...]:
    """What grammar says about a normalised question, as names the model weighs."""
    names = []
    if _starts(q, INVITATIONS):
        names.append("invitation")
    if _starts(q, WH_NARROW):
        names.append("wh_narrow")
    elif _starts(q, WH_OPEN):
        names.append("wh_open")
    if _starts(q, AUXILIARIES) or _starts(q, NEGATED):
        names.append("auxiliary")
    if EITHER_OR.search(q):
        names.append("either_or")
    if len(q.split()) <= 3:
        names.append("short")
    return tuple(names)


def open_probability(q: str) -> float | None:
    """The learned probability that ``q`` is open, or None without a model."""
    bias, weights = _model()
    if not weights:
        return None
    score = bias + sum(weights.get(name, 0.0) for name in features(q, rule_names(q)))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


def classify(text: str) -> Verdict:
    """Labels the last question in ``text``. Never raises: empty or over-long text gets a
    ``statement`` verdict whose hint says why."""
    if not isinstance(text, str) or not text.strip():
        return Verdict("statement", 0.0, 1.0, HINTS["empty"])
    if len(text) > MAX_LENGTH:
        return Verdict("statement", 0.0, 1.0, HINTS["too_long"])
    question, is_question = _last_question(text)
    q = _normalise(question)
    if not is_question and not _starts(q, INVITATIONS):
        return Verdict("statement", 0.0, 0.8, HINTS["statement"], question=question)

    def verdict(label: str, open_score: float, confidence: float) -> Verdict:
        suggestion = "" if label == "open" else _rewrite(question)
        return Verdict(label, open_score, confidence, HINTS[label], suggestion, question)

    if any(re.match(p, q) for p in LEADING_PATTERNS) or TAG_QUESTION.search(q):
        return verdict("leading", 0.1, 0.8)
    if any(re.match(p, q) for p in ADVICE_PATTERNS):
        return verdict("advice", 0.1, 0.8)
    learned = open_probability(q)
    if learned is not None and not (_starts(q, AUXILIARIES) or _starts(q, NEGATED)):
        # Past the clear cases, what the data taught decides between open and closed.
        label = "open" if learned >= 0.5 else "closed"
        return verdict(label, learned, abs(learned - 0.5) * 2)
    if _starts(q, INVITATIONS):
        return verdict("open", 0.9, 0.8)
    if _starts(q, WH_NARROW):
        return verdict("closed", 0.3, 0.6)
    if _starts(q, WH_OPEN):
        return verdict("open", 0.85, 0.75)
    if _starts(q, AUXILIARIES) or _starts(q, NEGATED):
        # A yes/no question led by an auxiliary verb is closed, whatever the data says.
        return verdict("closed", min(learned, 0.2) if learned is not None else 0.1, 0.85)
    if EITHER_OR.search(q):
        return verdict("closed", 0.2, 0.7)
    if len(q.split()) <= 3:
        return verdict("closed", 0.35, 0.5)  # "Really?", "Anything else?"
    return verdict("open", 0.6, 0.4)


def classify_many(texts: list[str]) -> list[Verdict]:
    return [classify(text) for text in texts]
