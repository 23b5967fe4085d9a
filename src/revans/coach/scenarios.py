"""The sample problems that ship with Revans for question practice (the training pages and the
taster meeting's practice round), read once from ``data/scenarios.json``. They are invented: no
set content is involved."""

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class Scenario:
    slug: str
    title: str
    presenter: str  # a first name
    role: str
    summary: str  # one line, for the list of scenarios
    account: tuple[str, ...]  # paragraphs, in the presenter's own words
    hopes: tuple[str, ...]  # what the presenter might be hoping for from the set

    @property
    def words(self) -> int:
        return sum(len(paragraph.split()) for paragraph in self.account)


@cache
def all_scenarios() -> tuple[Scenario, ...]:
    raw = json.loads(files("revans.coach").joinpath("data/scenarios.json").read_text("utf-8"))
    return tuple(
        Scenario(
            slug=item["slug"],
            title=item["title"],
            presenter=item["presenter"],
            role=item["role"],
            summary=item["summary"],
            account=tuple(item["account"]),
            hopes=tuple(item["hopes"]),
        )
        for item in raw
    )


def get_scenario(slug: str) -> Scenario | None:
    return next((s for s in all_scenarios() if s.slug == slug), None)
