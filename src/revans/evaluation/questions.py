"""The questions of the surveys and the pulse, shipped as data (``data/questions.json``), plus the
questions a programme's managers add (``ProgrammeQuestion``), asked after the shipped ones.

The file is read once and checked as it is read: a mistake in it stops the first page that needs
it with a clear message rather than showing a survey with a missing scale.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "questions.json"
SCALE = range(1, 6)  # every scale runs 1 to 5
SCALE_KIND, TEXT_KIND = "scale", "text"


@dataclass(frozen=True)
class Question:
    """One question: a 1–5 scale with a plain-words anchor for each point, or free text."""

    key: str
    text: str
    kind: str = SCALE_KIND
    anchors: tuple[str, ...] = ()
    benefit: bool = False  # a self-assessment question: its start-to-end change is reported
    share_label: str = ""  # free text: the words of the "may share as a theme" tick
    short: str = ""  # a few words for a chart's axis, where the whole question does not fit

    @property
    def label(self) -> str:
        """The question in a few words (its own short name, or its words cut to 40 letters)."""
        if self.short:
            return self.short
        return self.text if len(self.text) <= 40 else self.text[:39].rstrip() + "…"

    @property
    def is_scale(self) -> bool:
        return self.kind == SCALE_KIND

    def points(self) -> list[tuple[int, str]]:
        """(value, anchor) for each point of a scale."""
        return list(zip(SCALE, self.anchors, strict=True))


@dataclass(frozen=True)
class Shipped:
    self_assessment: tuple[Question, ...]
    self_assessment_intro: str
    pulse: tuple[Question, ...]
    pulse_intro: str
    ending: tuple[Question, ...]
    ending_intro: str
    programme_anchors: tuple[str, ...]


def _question(raw: dict[str, Any], benefit: bool) -> Question:
    kind = raw.get("kind", SCALE_KIND)
    anchors = tuple(raw.get("anchors", ()))
    if kind not in (SCALE_KIND, TEXT_KIND):
        raise ValueError(f"{DATA.name}: question {raw.get('key')!r} has an unknown kind {kind!r}")
    if kind == SCALE_KIND and len(anchors) != len(SCALE):
        raise ValueError(f"{DATA.name}: question {raw['key']!r} needs {len(SCALE)} anchors")
    return Question(
        key=raw["key"],
        text=raw["text"],
        kind=kind,
        anchors=anchors,
        benefit=benefit and kind == SCALE_KIND,
        share_label=raw.get("share_label", ""),
        short=raw.get("short", ""),
    )


@cache
def shipped() -> Shipped:
    """The shipped questions, read and checked once."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    groups = {
        name: tuple(_question(q, name == "self_assessment") for q in raw[name]["questions"])
        for name in ("self_assessment", "pulse", "ending")
    }
    keys = [q.key for group in groups.values() for q in group]
    if len(keys) != len(set(keys)):
        raise ValueError(f"{DATA.name}: question keys must be unique")
    anchors = tuple(raw["programme_scale"]["anchors"])
    if len(anchors) != len(SCALE):
        raise ValueError(f"{DATA.name}: the programme scale needs {len(SCALE)} anchors")
    return Shipped(
        self_assessment=groups["self_assessment"],
        self_assessment_intro=raw["self_assessment"]["intro"],
        pulse=groups["pulse"],
        pulse_intro=raw["pulse"]["intro"],
        ending=groups["ending"],
        ending_intro=raw["ending"]["intro"],
        programme_anchors=anchors,
    )
