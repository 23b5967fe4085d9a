"""Facilitated sessions: a set in a programme may be facilitated for an agreed number of its
meetings (the programme's ``facilitated_meetings``, e.g. 6 of a year's 8 or 9) and run the rest
itself. Programmes sit above meetings (architecture.md §6): the allowance is read through the
set's ``programme`` field, never by importing the programmes app."""

from django.db.models import QuerySet

from revans.sets.models import Set

from .models import Meeting


def allowance(set_: Set) -> int | None:
    """How many of the set's meetings a facilitator runs; None when there is no limit (a set
    on its own, or a programme whose facilitator runs every meeting)."""
    programme = set_.programme
    if programme is None:
        return None
    limit: int | None = programme.facilitated_meetings
    return limit


def counted(set_: Set) -> "QuerySet[Meeting]":
    """The meetings that use the allowance: facilitated ones not cancelled."""
    return set_.meetings.filter(facilitated=True).exclude(status=Meeting.Status.CANCELLED)


def left(set_: Set) -> int | None:
    """Facilitated meetings still to give out; None when there is no limit."""
    limit = allowance(set_)
    if limit is None:
        return None
    return max(0, limit - counted(set_).count())


def plan(set_: Set, count: int) -> list[bool]:
    """Which of ``count`` new meetings, in date order, are facilitated: none in a
    self-facilitated set, otherwise the first ones while the allowance lasts."""
    if set_.self_facilitated:
        return [False] * count
    remaining = left(set_)
    if remaining is None:
        return [True] * count
    return [index < remaining for index in range(count)]


def allowance_refusal(set_: Set, limit: int) -> str:
    return (
        f"{set_.name} has used all {limit} of its facilitated meetings. Mark another of its "
        "meetings self-facilitated first, or ask the programme's managers to raise the number."
    )
