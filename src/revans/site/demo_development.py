"""The demo's facilitators' programme, "Facilitating Action Learning": five training days (three
held), the trainer tina and two trainees, tara part-way (three outcomes signed off, one observed
practice session with feedback, a qualification log in progress) and theo just started; their
practice set Kestrel with the meeting tara chaired. Also fran's facilitator profile and her
practice beyond Revans (two outside clients, supervision, a CPD day), which her practice record
adds to the meetings Revans counts.

The words are data (``site/data/demo_development.toml``). Called by
``revans.site.demo.load_demo``; loading twice changes nothing.
"""

import tomllib
from datetime import datetime, time, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from revans.accounts.models import Organisation, User
from revans.core.dates import add_months
from revans.development.models import (
    DayAttendance,
    Evidence,
    Observation,
    Participant,
    PracticeEntry,
    SignOff,
    TrainingDay,
)
from revans.journal.models import Entry, Log
from revans.journal.prompts import log_templates
from revans.meetings.models import Attendance, Meeting, MeetingFormat, Room, RoomEvent
from revans.meetings.room.summary import build_summary
from revans.programmes.models import Programme
from revans.sets.models import DEFAULT_GROUND_RULES, GroundRules, Membership, Role, Set

from .demo_people import demo_person

WORDS = Path(__file__).with_name("data") / "demo_development.toml"
ZONE = ZoneInfo("Europe/London")
ILM = "ilm-facilitator-log"


@cache
def words() -> dict[str, Any]:
    with WORDS.open("rb") as f:
        return tomllib.load(f)


def _at(days: int, hour: int = 9) -> datetime:
    """``days`` from today at ``hour``, moved off a weekend (a Saturday to the Friday before, a
    Sunday to the Monday after): training days and practice sets meet on working days."""
    day = timezone.localdate() + timedelta(days=days)
    day += timedelta(days={5: -1, 6: 1}.get(day.weekday(), 0))
    return datetime.combine(day, time(hour), tzinfo=ZONE)


def _people(
    people: dict[str, User], organisations: dict[str, Organisation], password: str
) -> dict[str, User]:
    data = words()
    for key, (name, sector) in data["organisations"].items():
        organisations.setdefault(
            key, Organisation.objects.get_or_create(name=name, defaults={"sector": sector})[0]
        )
    domain = people["pam"].email.split("@")[1]
    found = dict(people)
    for key, (name, org, job, training, qualification, months, basis) in data["people"].items():
        found[key] = demo_person(
            f"{key}@{domain}",
            password,
            display_name=name,
            organisation=organisations[org],
            job_title=job,
            facilitator_training=training,
            qualification=qualification,
            qualified_on=add_months(timezone.localdate(), -months) if months else None,
            facilitator_basis=basis,
        )
    return found


def load_development_programme(
    people: dict[str, User], organisations: dict[str, Organisation], password: str
) -> Programme:
    """The facilitators' programme and fran's practice; ``password`` is the demo's, hashed."""
    data = words()
    people = _people(people, organisations, password)
    _fran(people["fran"], data)
    spec = data["programme"]
    programme, created = Programme.objects.get_or_create(
        name=spec["name"],
        kind=Programme.Kind.DEVELOPMENT,
        defaults={
            "sponsor": organisations[spec["sponsor"]],
            "description": " ".join(spec["description"].split()),
            "starts_on": timezone.localdate() + timedelta(days=spec["starts_in_days"]),
            "ends_on": timezone.localdate() + timedelta(days=spec["ends_in_days"]),
        },
    )  # its five outcomes come with it (revans.development.outcomes)
    if not created:
        return programme
    programme.managers.add(people[spec["manager"]])
    tina, tara, theo = people["tina"], people["tara"], people["theo"]
    Participant.objects.create(programme=programme, user=tina, role=Participant.Role.TRAINER)
    Participant.objects.create(programme=programme, user=tara)
    Participant.objects.create(programme=programme, user=theo)
    for day in data["days"]:
        held = TrainingDay.objects.create(
            programme=programme,
            title=day["title"],
            starts_at=_at(day["in_days"], 9),
            hours=Decimal("6"),
            place=day.get("place", ""),
            video_link=day.get("video_link", ""),
        )
        DayAttendance.objects.bulk_create(
            DayAttendance(day=held, user=people[key], status=day[key])
            for key in ("tara", "theo")
            if key in day
        )
    observation = _practice_set(programme, tina, tara, theo, data)
    _tara(programme, tina, tara, observation, data)
    return programme


def _fran(fran: User, data: dict[str, Any]) -> None:
    if not fran.facilitator_training:
        fran.facilitator_training = "trained"
        fran.facilitator_basis = "internal"
        fran.save(update_fields=["facilitator_training", "facilitator_basis"])
    if PracticeEntry.objects.filter(user=fran).exists():
        return
    PracticeEntry.objects.bulk_create(
        PracticeEntry(
            user=fran,
            kind=row["kind"],
            on=timezone.localdate() - timedelta(days=row["days_ago"]),
            hours=Decimal(row["hours"]),
            title=row["title"],
            note=row["note"],
        )
        for row in data["fran_practice"]
    )


def _practice_set(
    programme: Programme, tina: User, tara: User, theo: User, data: dict[str, Any]
) -> Observation:
    """Kestrel, the practice set: the meeting tara chaired with tina observing, and the next."""
    spec = data["practice_set"]
    kestrel = Set.objects.create(
        name=spec["name"], programme=programme, place=spec["place"], status=Set.Status.ACTIVE
    )
    Membership.objects.bulk_create(
        [
            Membership(set=kestrel, user=tina, role=Role.FACILITATOR),
            Membership(set=kestrel, user=tara, role=Role.MEMBER),
            Membership(set=kestrel, user=theo, role=Role.MEMBER),
        ]
    )
    GroundRules.objects.create(set=kestrel, version=1, rules=list(DEFAULT_GROUND_RULES))
    one_hour = MeetingFormat.objects.shipped().get(slug="one_hour")
    held = Meeting.objects.create(
        set=kestrel,
        number=1,
        starts_at=_at(-spec["held_days_ago"], 14),
        time_zone="Europe/London",
        duration_minutes=60,
        format=one_hour,
        status=Meeting.Status.CLOSED,
    )
    Meeting.objects.create(
        set=kestrel,
        number=2,
        starts_at=_at(spec["next_in_days"], 14),
        time_zone="Europe/London",
        duration_minutes=60,
        format=one_hour,
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=held, user=person, status=Attendance.Status.PRESENT)
        for person in (tina, tara, theo)
    )
    # tina handed the chair to tara at the start; the room kept the time in each phase.
    Room.objects.create(
        meeting=held,
        chair=tara,
        stage="summary",
        closed_at=held.starts_at + timedelta(minutes=62),
        stage_elapsed={"check_in": 420, "bidding": 300, "process_review": 540},
    )
    RoomEvent.objects.create(meeting=held, seq=1, kind="hand_over", actor=tina)
    Meeting.objects.filter(pk=held.pk).update(summary=build_summary(held))
    feedback = data["observation"]
    return Observation.objects.create(
        meeting=held,
        trainee=tara,
        observer=tina,
        arranged_by=tina,
        written_at=held.starts_at + timedelta(hours=3),
        **{field: feedback[field].strip() for field in _FEEDBACK},
    )


_FEEDBACK = ("went_well", "opening_questions", "interventions", "try_next")


def _tara(
    programme: Programme, tina: User, tara: User, observation: Observation, data: dict[str, Any]
) -> None:
    """tara's qualification log, her evidence for four outcomes and three sign-offs."""
    spec = data["log"]
    template = log_templates()[ILM]
    log = Log.objects.create(
        owner=tara,
        title=spec["title"],
        purpose=template.purpose,
        template=ILM,
        sections=list(template.sections),
        started_on=add_months(timezone.localdate(), -spec["started_months_ago"]),
        period_months=template.period_months,
        words_min=template.words_min,
        words_max=template.words_max,
    )
    outcomes = {o.number: o for o in programme.outcomes.all()}
    for written in spec["entries"]:
        body = "\n\n".join(" ".join(p.split()) for p in written["body"].strip().split("\n\n"))
        entry = Entry(
            log=log,
            title=written["title"],
            section=written["section"],
            entry_date=timezone.localdate() - timedelta(days=written["days_ago"]),
            body=body,
            draft=written.get("draft", False),
        )
        entry.save()
        if "outcome" in written:
            Evidence.objects.create(
                outcome=outcomes[written["outcome"]],
                trainee=tara,
                kind=Evidence.Kind.ENTRY,
                entry=entry,
                note=written["evidence_note"],
            )
    Evidence.objects.create(
        outcome=outcomes[5],
        trainee=tara,
        kind=Evidence.Kind.OBSERVATION,
        observation=observation,
        note="My first observed session chairing Kestrel, with Tina's feedback.",
    )
    for number, note in data["sign_offs"].items():
        SignOff.objects.create(outcome=outcomes[int(number)], trainee=tara, trainer=tina, note=note)
