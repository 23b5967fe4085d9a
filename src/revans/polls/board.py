"""The poll's page in figures: its times with their answers, ranked, and a row per person who
answers in the set (three queries however many people and times)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from revans.accounts.models import User
from revans.sets.models import Membership

from .access import ANSWERING_ROLES
from .models import Answer, Poll, Slot
from .slots import Tally, best, ranked


@dataclass
class Column:
    slot: Slot
    ends_at: datetime
    tally: Tally
    cannot: list[str] = field(default_factory=list)  # who answered no
    best: bool = False

    @property
    def is_past(self) -> bool:
        return self.slot.starts_at <= timezone.now()


@dataclass
class Row:
    user: User
    role: str
    cells: list[tuple[Column, str]]  # each time with yes, if_need_be, no or "" (none yet)
    is_viewer: bool

    @property
    def answered(self) -> bool:
        return any(answer for _, answer in self.cells)


@dataclass
class Board:
    columns: list[Column]
    rows: list[Row]
    ranked: list[Column]
    waiting: list[User]

    @property
    def best(self) -> list[Column]:
        return [c for c in self.ranked if c.best]


def board_for(poll: Poll, viewer: User) -> Board:
    slots = list(poll.slots.all())
    memberships = list(
        Membership.objects.filter(set_id=poll.set_id, role__in=ANSWERING_ROLES)
        .select_related("user")
        .order_by("user__display_name", "user_id")
    )
    people = {m.user_id for m in memberships}
    # Only the answers of people who answer in the set now count.
    answers = {
        (a.slot_id, a.user_id): a.choice
        for a in Answer.objects.filter(slot__poll=poll, user_id__in=people)
    }
    names = {m.user_id: m.user.display_name for m in memberships}
    columns = []
    for slot in slots:
        given = [(user_id, answers.get((slot.pk, user_id), "")) for user_id in names]
        tally = Tally(
            key=slot.pk,
            starts_at=slot.starts_at,
            yes=sum(1 for _, c in given if c == Answer.Choice.YES),
            if_need_be=sum(1 for _, c in given if c == Answer.Choice.IF_NEED_BE),
            no=sum(1 for _, c in given if c == Answer.Choice.NO),
        )
        cannot = [names[u] for u, c in given if c == Answer.Choice.NO]
        ends = slot.starts_at + timedelta(minutes=poll.duration_minutes)
        columns.append(Column(slot, ends, tally, cannot))
    top = {t.key for t in best(c.tally for c in columns)}
    for column in columns:
        column.best = column.slot.pk in top
    by_key = {c.slot.pk: c for c in columns}
    order = [by_key[t.key] for t in ranked(c.tally for c in columns)]
    rows = [
        Row(
            user=m.user,
            role=m.role,
            cells=[(c, answers.get((c.slot.pk, m.user_id), "")) for c in columns],
            is_viewer=m.user_id == viewer.pk,
        )
        for m in memberships
    ]
    # The viewer's own row first: it is the one they edit.
    rows.sort(key=lambda r: not r.is_viewer)
    waiting = [r.user for r in rows if not r.answered]
    return Board(columns, rows, order, waiting)
