"""Prompt sets and log templates: shipped as data (``data/prompts.json``), plus the prompt sets
programme managers add for their programmes (``ProgrammePromptSet``).

The shipped data is read once and checked as it is read, so a mistake in the file stops start-up
of the first page that needs it with a clear message instead of showing a half-empty editor.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "prompts.json"
PROGRAMME_PREFIX = "programme-"


@dataclass(frozen=True)
class Prompt:
    """One question to reflect on, with a line or two of guidance under it."""

    text: str
    guidance: tuple[str, ...] = ()


@dataclass(frozen=True)
class PromptSet:
    """Questions an entry can start from (architecture.md §2, "Learning log")."""

    slug: str
    name: str
    description: str
    prompts: tuple[Prompt, ...]
    programme: str = ""  # the programme's name, for a programme's own prompt set

    def as_markdown(self) -> str:
        """The prompts as Markdown headings with empty space to write under each."""
        return "".join(f"## {prompt.text}\n\n\n" for prompt in self.prompts)


@dataclass(frozen=True)
class LogTemplate:
    """A kind of log: its sections, the prompt set its entries start from, its targets."""

    slug: str
    name: str
    description: str
    purpose: str
    sections: tuple[str, ...]
    prompt_set: str
    period_months: int
    words_min: int
    words_max: int


def _text(item: dict, key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{DATA.name}: {where} needs a non-empty {key!r}")
    return value.strip()


def _prompt_set(item: dict) -> PromptSet:
    slug = _text(item, "slug", "a prompt set")
    prompts = item.get("prompts")
    if not isinstance(prompts, list) or not prompts:
        raise ValueError(f"{DATA.name}: prompt set {slug!r} has no prompts")
    return PromptSet(
        slug=slug,
        name=_text(item, "name", slug),
        description=item.get("description", ""),
        prompts=tuple(
            Prompt(_text(p, "text", slug), tuple(str(g) for g in p.get("guidance", [])))
            for p in prompts
        ),
    )


def _log_template(item: dict, prompt_sets: dict[str, PromptSet]) -> LogTemplate:
    slug = _text(item, "slug", "a log template")
    template = LogTemplate(
        slug=slug,
        name=_text(item, "name", slug),
        description=item.get("description", ""),
        purpose=item.get("purpose", ""),
        sections=tuple(str(s) for s in item.get("sections", [])),
        prompt_set=item.get("prompt_set", ""),
        period_months=int(item.get("period_months", 9)),
        words_min=int(item.get("words_min", 1500)),
        words_max=int(item.get("words_max", 7000)),
    )
    if template.prompt_set and template.prompt_set not in prompt_sets:
        raise ValueError(f"{DATA.name}: template {slug!r} names no shipped prompt set")
    if template.words_min > template.words_max:
        raise ValueError(f"{DATA.name}: template {slug!r} has words_min above words_max")
    return template


@cache
def _load() -> tuple[dict[str, PromptSet], dict[str, LogTemplate]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    prompt_sets = {s.slug: s for s in map(_prompt_set, data["prompt_sets"])}
    templates = {t.slug: t for t in (_log_template(i, prompt_sets) for i in data["log_templates"])}
    if any(slug.startswith(PROGRAMME_PREFIX) for slug in prompt_sets):
        raise ValueError(f"{DATA.name}: {PROGRAMME_PREFIX!r} is kept for programmes' prompt sets")
    return prompt_sets, templates


def shipped_prompt_sets() -> dict[str, PromptSet]:
    """The prompt sets Revans ships, by slug, in the file's order."""
    return _load()[0]


def log_templates() -> dict[str, LogTemplate]:
    """The log templates Revans ships, by slug, in the file's order (a blank log has none)."""
    return _load()[1]


def from_programme(prompt_set) -> PromptSet:
    """A ``ProgrammePromptSet`` as a ``PromptSet``: one prompt per non-empty line."""
    return PromptSet(
        slug=f"{PROGRAMME_PREFIX}{prompt_set.pk}",
        name=prompt_set.name,
        description=f"From {prompt_set.programme.name}",
        prompts=tuple(Prompt(line) for line in prompt_set.prompt_lines),
        programme=prompt_set.programme.name,
    )


def prompt_sets_for(user) -> list[PromptSet]:
    """The prompt sets ``user`` may start an entry from: the shipped ones, then those of the
    programmes of the sets they are in (and of the programmes they manage)."""
    from .models import ProgrammePromptSet

    own = ProgrammePromptSet.objects.visible_to(user).select_related("programme")
    return [*shipped_prompt_sets().values(), *(from_programme(p) for p in own if p.prompt_lines)]
