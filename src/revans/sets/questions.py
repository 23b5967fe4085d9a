"""The guiding questions of each kind of issue and the expectations questionnaire, shipped as
data (``data/questions.json``) so that their words can change without losing answers: answers
are stored by question key (``Issue.answers``, ``Expectations.answers``), and a question taken
out of use is marked ``"retired": true`` rather than deleted, so the answers given to it are
still shown with their question.

The file is read once and checked as it is read: a mistake in it stops the first page that
needs it with a clear message.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "questions.json"
MAX_ANSWER = 2000  # characters in one answer: a few paragraphs, never a pasted document


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    help: str = ""
    retired: bool = False  # no longer asked; its answers are still shown


@dataclass(frozen=True)
class Check:
    """A question that helps a member see whether an issue suits the set. Guidance only: an
    answer in ``warn`` shows ``warning``, and never stops the issue being saved."""

    key: str
    text: str
    options: tuple[tuple[str, str], ...]
    warn: frozenset[str]
    warning: str


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    switch: str  # the words of the link that changes an issue to this kind
    summary: str
    examples: tuple[str, ...]
    questions: tuple[Question, ...]

    @property
    def asked(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if not q.retired)


@dataclass(frozen=True)
class Shipped:
    kinds: tuple[Kind, ...]
    checks: tuple[Check, ...]
    suitability_intro: str
    suitability_points: tuple[str, ...]
    not_suitable: str
    expectations: tuple[Question, ...]
    expectations_intro: str

    def kind(self, key: str) -> Kind | None:
        return next((kind for kind in self.kinds if kind.key == key), None)

    def issue_question(self, key: str) -> Question | None:
        """A question of any kind, retired or not, by its key."""
        for kind in self.kinds:
            for question in kind.questions:
                if question.key == key:
                    return question
        return None

    @property
    def asked_expectations(self) -> tuple[Question, ...]:
        return tuple(q for q in self.expectations if not q.retired)


def _questions(raw: list[dict[str, Any]]) -> tuple[Question, ...]:
    return tuple(
        Question(
            key=item["key"],
            text=item["text"],
            help=item.get("help", ""),
            retired=bool(item.get("retired", False)),
        )
        for item in raw
    )


@cache
def shipped() -> Shipped:
    """The shipped questions, read and checked once."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    kinds = tuple(
        Kind(
            key=item["key"],
            label=item["label"],
            switch=item["switch"],
            summary=item["summary"],
            examples=tuple(item.get("examples", ())),
            questions=_questions(item["questions"]),
        )
        for item in raw["issue_kinds"]
    )
    checks = tuple(
        Check(
            key=item["key"],
            text=item["text"],
            options=tuple((value, label) for value, label in item["options"]),
            warn=frozenset(item["warn"]),
            warning=item["warning"],
        )
        for item in raw["issue_checks"]
    )
    for check in checks:
        values = {value for value, _ in check.options}
        if not check.warn <= values:
            raise ValueError(
                f"{DATA.name}: check {check.key!r} warns on an answer it does not offer"
            )
    # One key space per questionnaire: an issue's answers hold every kind's questions and the
    # checks, so a change of kind keeps what was written for the other.
    issue_keys = [q.key for kind in kinds for q in kind.questions] + [c.key for c in checks]
    if len(issue_keys) != len(set(issue_keys)):
        raise ValueError(f"{DATA.name}: an issue question's key is used twice")
    expectations = _questions(raw["expectations"]["questions"])
    if len({q.key for q in expectations}) != len(expectations):
        raise ValueError(f"{DATA.name}: an expectations question's key is used twice")
    suitability = raw["suitability"]
    return Shipped(
        kinds=kinds,
        checks=checks,
        suitability_intro=suitability["intro"],
        suitability_points=tuple(suitability["points"]),
        not_suitable=suitability["not_suitable"],
        expectations=expectations,
        expectations_intro=raw["expectations"]["intro"],
    )
