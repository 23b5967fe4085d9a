"""What makes a list of proposed times acceptable, and which times are best. Pure Python: the
form and the services ask the same questions, and the ranking is tested without a database."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from .models import MAX_SLOTS


def problems(starts: Sequence[datetime], now: datetime) -> list[str]:
    """Why these times cannot make a poll (none when they can): none at all, too many, one
    already past, or the same time twice."""
    if not starts:
        return ["Propose at least one time."]
    found = []
    if len(starts) > MAX_SLOTS:
        found.append(f"Propose at most {MAX_SLOTS} times.")
    if any(start <= now for start in starts):
        found.append("Every time must be in the future.")
    if len(set(starts)) != len(starts):
        found.append("The same time is proposed twice.")
    return found


@dataclass(frozen=True)
class Tally:
    """The answers to one time: how many yes, if need be and no."""

    key: int
    starts_at: datetime
    yes: int = 0
    if_need_be: int = 0
    no: int = 0

    @property
    def can_come(self) -> int:
        return self.yes + self.if_need_be


def ranked(tallies: Iterable[Tally]) -> list[Tally]:
    """Best first: most yes, then most if need be, then fewest no, then the earliest."""
    return sorted(tallies, key=lambda t: (-t.yes, -t.if_need_be, t.no, t.starts_at, t.key))


def best(tallies: Iterable[Tally]) -> list[Tally]:
    """The times that share the top place (none until someone can come to one)."""
    order = ranked(tallies)
    if not order or order[0].can_come == 0:
        return []
    top = order[0]
    return [t for t in order if (t.yes, t.if_need_be, t.no) == (top.yes, top.if_need_be, top.no)]
