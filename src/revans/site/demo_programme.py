"""The demo's second running programme, "Merseyvale Council Leadership": made from the council
leadership template (half a day every six weeks for a year, six meetings facilitated), five sets
about ten months in, with a year's record behind them: meetings held with attendance, questions
the coach labelled, actions committed and reported on, start surveys, pulses after most
meetings and, for the set that finished its year, end surveys and what members valued most. One
set is slipping by the rules of ``evaluation.delivery``. Fran facilitates one of its sets as well
as Aurora of "Leading Change", on days clear of her other meetings.

The words are data (``site/data/demo_programme.toml``); who came, what came of each action and
how people answered are drawn from a seeded generator, so every load makes the same shapes.
Rows are written in bulk: the demo must stay quick to start. Also gives Aurora and Beacon of
"Leading Change" some survey and pulse answers (``load_leading_change_answers``).

Called by ``revans.site.demo.load_demo``; loading twice changes nothing.
"""

import random
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress

from revans.accounts.models import Organisation, User
from revans.actions.models import Action
from revans.coach import classify
from revans.evaluation.models import Answer, Response, Survey
from revans.evaluation.questions import shipped
from revans.meetings import schedule, services
from revans.meetings.models import Attendance, Bid, Meeting, MeetingFormat, Question, Room
from revans.meetings.room.summary import build_summary
from revans.programmes.models import Programme
from revans.programmes.presets import COUNCIL_LEADERSHIP
from revans.sets.models import (
    DEFAULT_GROUND_RULES,
    GroundRules,
    GroundRulesAgreement,
    Issue,
    Membership,
    Role,
    Set,
)

WORDS = Path(__file__).with_name("data") / "demo_programme.toml"
SEED = 2027
ZONE = "Europe/London"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PRESENTERS = 3  # of the half-day format's four slots: the rest of the time goes to questions
QUESTIONS_EACH = 5  # questions asked in each presenter's airtime


@cache
def words() -> dict[str, Any]:
    with WORDS.open("rb") as f:
        return tomllib.load(f)


def programme_name() -> str:
    name: str = words()["programme"]["name"]
    return name


@dataclass
class Plan:
    """One set as planned: its spec from the data file, its people and its meetings' starts."""

    spec: dict[str, Any]
    facilitator: User
    members: list[User]
    starts: list[datetime]
    set_: Set | None = None
    meetings: list[Meeting] = field(default_factory=list)

    @property
    def shape(self) -> str:
        shape: str = self.spec["shape"]
        return shape


def load_council_programme(people: dict[str, User], organisations: dict[str, Organisation]) -> None:
    """The programme, its people, sets and year of records; nothing when it is already there.
    ``people`` and ``organisations`` are the demo's own."""
    data = words()
    if Programme.objects.filter(name=data["programme"]["name"]).exists():
        return
    rng = random.Random(SEED)
    organisations = organisations | _organisations(data["organisations"])
    people = people | _people(data["people"], organisations)
    zone = ZoneInfo(ZONE)
    now = datetime.now(zone)
    plans = [
        Plan(
            spec=spec,
            facilitator=people[spec["facilitator"]],
            members=[people[key] for key in spec["members"]],
            starts=_starts(spec, people[spec["facilitator"]], zone, now.date()),
        )
        for spec in data["sets"]
    ]
    first = min(plan.starts[0] for plan in plans).astimezone(zone).date()
    last = max(plan.starts[-1] for plan in plans).astimezone(zone).date()
    template = COUNCIL_LEADERSHIP
    programme = Programme.objects.create(
        name=data["programme"]["name"],
        sponsor=organisations[data["programme"]["sponsor"]],
        description=" ".join(data["programme"]["description"].split()),
        contact=data["programme"]["contact"],
        starts_on=first,
        # A year from the first set's start, or until the last set's year is over.
        ends_on=max(template.ends_on(first), last),
        cadence_weeks=template.cadence_weeks,
        meeting_format=template.meeting_format,
        meeting_minutes=template.meeting_minutes,
        set_size_min=template.set_size_min,
        set_size_max=template.set_size_max,
        facilitated_meetings=template.facilitated_meetings,
        template=template.key,
    )
    programme.managers.add(people[data["programme"]["manager"]])
    meeting_format = MeetingFormat.objects.shipped().get(slug=template.meeting_format)
    issues = iter(data["words"]["issues"])
    for plan in plans:
        plan.set_ = _set(programme, plan, issues)
        plan.meetings = services.do_create_schedule(
            plan.set_,
            plan.starts,
            zone=ZONE,
            duration_minutes=template.meeting_minutes,
            meeting_format=meeting_format,
            place=plan.set_.place,
            video_link="",
        )
    history = History(rng, data)
    for plan in plans:
        history.of(plan, now)
    history.save()
    Set.objects.filter(
        pk__in=[plan.set_.pk for plan in plans if plan.set_ and plan.shape == "finished"]
    ).update(status=Set.Status.CLOSED, closed_at=now)


def _organisations(spec: dict[str, list[str]]) -> dict[str, Organisation]:
    return {
        key: Organisation.objects.get_or_create(name=name, defaults={"sector": sector})[0]
        for key, (name, sector) in spec.items()
    }


def _people(spec: dict[str, list[str]], organisations: dict[str, Organisation]) -> dict[str, User]:
    """The programme's people, made in two statements (they can sign in with the demo password,
    though nothing in the demo asks them to)."""
    from revans.site.demo import DOMAIN, hashed_password

    emails = {key: f"{key}@{DOMAIN}" for key in spec}
    existing = set(User.objects.filter(email__in=emails.values()).values_list("email", flat=True))
    User.objects.bulk_create(
        User(
            email=emails[key],
            display_name=name,
            organisation=organisations[org],
            job_title=job,
            password=hashed_password(),
        )
        for key, (name, org, job) in spec.items()
        if emails[key] not in existing
    )
    users = {u.email: u for u in User.objects.filter(email__in=emails.values())}
    verified = set(
        EmailAddress.objects.filter(email__in=emails.values()).values_list("email", flat=True)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=email, verified=True, primary=True)
        for email, user in users.items()
        if email not in verified
    )
    return {key: users[email] for key, email in emails.items()}


def _busy_days(person: User) -> set[date]:
    """The days ``person`` already facilitates a meeting on."""
    zone = ZoneInfo(ZONE)
    return {
        m.starts_at.astimezone(zone).date()
        for m in Meeting.objects.filter(
            set__memberships__user=person, set__memberships__role=Role.FACILITATOR
        ).exclude(status=Meeting.Status.CANCELLED)
    }


def _starts(spec: dict[str, Any], facilitator: User, zone: ZoneInfo, today: date) -> list[datetime]:
    """The starts of the set's meetings, every six weeks: ``past`` of them behind today and the
    next one ``next_in_weeks`` weeks after the coming week, on the first of the set's weekdays
    that keeps its facilitator clear of the days they already facilitate on."""
    busy = _busy_days(facilitator)
    at = time.fromisoformat(spec["at"])
    cadence = schedule.Cadence("weeks", COUNCIL_LEADERSHIP.cadence_weeks)
    starts: list[datetime] = []
    for weekday in spec["weekdays"]:
        # The next such weekday after today is where meeting past + 1 falls (or would).
        ahead = (WEEKDAYS.index(weekday) - today.weekday() - 1) % 7 + 1
        weeks = spec["next_in_weeks"] - cadence.interval * spec["past"]
        first = today + timedelta(days=ahead, weeks=weeks)
        starts = schedule.plan(datetime.combine(first, at), zone, cadence, spec["count"])
        if not busy & {start.astimezone(zone).date() for start in starts}:
            return starts
    raise ValueError(f"no weekday keeps {facilitator} clear of their other meetings")


def _set(programme: Programme, plan: Plan, issues: Iterable[str]) -> Set:
    """The set with its people, their issues and the ground rules they agreed."""
    spec = plan.spec
    set_ = Set.objects.create(
        programme=programme,
        name=spec["name"],
        mode=Set.Mode.IN_PERSON,
        place=spec["place"],
        status=Set.Status.ACTIVE,
    )
    Membership.objects.bulk_create(
        [Membership(set=set_, user=plan.facilitator, role=Role.FACILITATOR)]
        + [Membership(set=set_, user=member, role=Role.MEMBER) for member in plan.members]
    )
    titles = iter(issues)
    Issue.objects.bulk_create(
        Issue(
            set=set_,
            owner=member,
            title=next(titles),
            status=Issue.Status.RESOLVED
            if plan.shape == "finished" and index % 3 == 0
            else Issue.Status.PROGRESSING,
        )
        for index, member in enumerate(plan.members)
    )
    rules = GroundRules.objects.create(
        set=set_, version=1, rules=DEFAULT_GROUND_RULES, drafted_by=plan.facilitator
    )
    GroundRulesAgreement.objects.bulk_create(
        GroundRulesAgreement(ground_rules=rules, user=person)
        for person in [plan.facilitator, *plan.members]
    )
    return set_


class History:
    """A year of records for the programme's sets, gathered in memory and written in bulk."""

    def __init__(self, rng: random.Random, data: dict[str, Any]) -> None:
        self.rng = rng
        self.data = data
        self.attendance: list[Attendance] = []
        self.rooms: list[Room] = []
        self.bids: list[Bid] = []
        self.questions: list[Question] = []
        self.actions: list[Action] = []
        self.answers: list[tuple[Response, dict[str, int | str]]] = []
        self.closed: list[int] = []
        self.cancelled: list[int] = []
        self.issue_of: dict[int, str] = {}

    def of(self, plan: Plan, now: datetime) -> None:
        """What happened at the set's past meetings, and its members' surveys and pulses."""
        assert plan.set_ is not None
        spec = plan.spec
        self.issue_of.update(Issue.objects.filter(set=plan.set_).values_list("owner_id", "title"))
        past = [m for m in plan.meetings if m.ends_at <= now][: spec["past"]]
        held = [m for m in past if m.number != spec.get("cancelled")]
        self.cancelled += [m.pk for m in past if m.number == spec.get("cancelled")]
        self.closed += [m.pk for m in held]
        presented: dict[int, int] = {member.pk: 0 for member in plan.members}
        for index, meeting in enumerate(held):
            later = held[index + 1] if index + 1 < len(held) else None
            present = self._attendance(plan, meeting)
            self._room(plan, meeting, later, present, presented)
            self._pulses(plan, meeting, present)
        self._surveys(plan)

    # --- meetings -----------------------------------------------------------------------------

    def _falling(self, plan: Plan, meeting: Meeting) -> int:
        """How many more members stay away, at a slipping set's meetings after attendance began
        to fall."""
        start = plan.spec.get("falling_from")
        if plan.shape != "slipping" or start is None or meeting.number <= start:
            return 0
        return min(meeting.number - start + 1, 4)

    def _attendance(self, plan: Plan, meeting: Meeting) -> list[User]:
        """Records who came (the facilitator at the meetings they run); the members present."""
        rng = self.rng
        members = list(plan.members)
        away = self._falling(plan, meeting)
        if away == 0:
            # A steady set: now and then one member, at most two, sends apologies.
            away = rng.choices([0, 1, 2], weights=[5, 4, 1])[0]
        missing = set(rng.sample(range(len(members)), away))
        present = [m for i, m in enumerate(members) if i not in missing]
        recorder = plan.facilitator if meeting.facilitated else present[0]
        notes = self.data["words"]["apologies"]
        for i, member in enumerate(members):
            if i in missing:
                apologies = rng.random() < 0.75
                self.attendance.append(
                    Attendance(
                        meeting=meeting,
                        user=member,
                        status=Attendance.Status.APOLOGIES
                        if apologies
                        else Attendance.Status.ABSENT,
                        note=rng.choice(notes) if apologies else "",
                        recorded_by=recorder,
                    )
                )
            else:
                self.attendance.append(
                    Attendance(
                        meeting=meeting,
                        user=member,
                        status=Attendance.Status.PRESENT,
                        recorded_by=recorder,
                    )
                )
        if meeting.facilitated:
            self.attendance.append(
                Attendance(
                    meeting=meeting,
                    user=plan.facilitator,
                    status=Attendance.Status.PRESENT,
                    recorded_by=recorder,
                )
            )
        return present

    def _room(
        self,
        plan: Plan,
        meeting: Meeting,
        later: Meeting | None,
        present: list[User],
        presented: dict[int, int],
    ) -> None:
        """The presenters (those who have presented least), their questions and actions, and
        what came of each action at the set's next meeting."""
        rng = self.rng
        chair = plan.facilitator if meeting.facilitated else present[0]
        order = sorted(present, key=lambda m: (presented[m.pk], rng.random()))
        presenters = order[:PRESENTERS]
        self.rooms.append(
            Room(
                meeting=meeting,
                stage="summary",
                chair=chair,
                presenters=[p.pk for p in presenters],
                presenter_minutes=45,
                closed_at=meeting.ends_at,
            )
        )
        askers = present + ([plan.facilitator] if meeting.facilitated else [])
        for presenter in presenters:
            presented[presenter.pk] += 1
            self.bids.append(
                Bid(meeting=meeting, user=presenter, headline=self.issue_of[presenter.pk])
            )
            others = [a for a in askers if a.pk != presenter.pk]
            for text in self._questions(meeting.number):
                verdict = _label(text)
                self.questions.append(
                    Question(
                        meeting=meeting,
                        presenter=presenter,
                        asker=rng.choice(others),
                        text=text,
                        powerful=verdict[0] == "open" and rng.random() < 0.2,
                        label=verdict[0],
                        open_score=verdict[1],
                    )
                )
            for text in rng.sample(self.data["words"]["actions"], rng.choice([1, 1, 2])):
                self.actions.append(self._action(plan, meeting, later, presenter, text))

    def _questions(self, number: int) -> list[str]:
        """A presenter's questions at the set's meeting ``number``: a set learns to ask open
        questions, so their share grows from about half at the first meeting to most of them
        by the end of the year."""
        words = self.data["words"]["questions"]
        open_ = [q for q in words if _label(q)[0] == "open"]
        other = [q for q in words if _label(q)[0] != "open"]
        share = min(0.9, 0.5 + 0.06 * (number - 1))
        opened = sum(self.rng.random() < share for _ in range(QUESTIONS_EACH))
        return self.rng.sample(open_, opened) + self.rng.sample(other, QUESTIONS_EACH - opened)

    def _action(
        self, plan: Plan, meeting: Meeting, later: Meeting | None, owner: User, text: str
    ) -> Action:
        action = Action(set=plan.set_, owner=owner, text=text, committed_in=meeting)
        if later is None:
            return action  # still open: the set has not met since
        stalled = plan.spec.get("stalled_from")
        if plan.shape == "slipping" and stalled is not None and later.number >= stalled:
            status = Action.Status.NOT_DONE
        else:
            status = self.rng.choices(
                [Action.Status.DONE, Action.Status.PARTLY, Action.Status.NOT_DONE],
                weights=[55, 30, 15],
            )[0]
        action.status = status
        action.report_note = self.rng.choice(self.data["words"]["report_notes"][status])
        action.reported_in = later
        action.reported_at = later.starts_at
        return action

    # --- surveys and pulses -------------------------------------------------------------------

    def _pulses(self, plan: Plan, meeting: Meeting, present: Sequence[User]) -> None:
        """Most of those present answer the pulse: mostly 4s, some 3s and 5s; lower in a set
        that is slipping."""
        low = self._falling(plan, meeting) > 0
        points, weights = ([2, 3, 4, 5], [2, 5, 3, 0]) if low else ([3, 4, 5], [2, 6, 2])
        for member in present:
            if self.rng.random() < 0.1:
                continue
            answers: dict[str, int | str] = {
                q.key: self.rng.choices(points, weights)[0] for q in shipped().pulse
            }
            self.answers.append(
                (
                    Response(user=member, set=plan.set_, survey=Survey.PULSE, meeting=meeting),
                    answers,
                )
            )

    def _surveys(self, plan: Plan) -> None:
        """Start surveys from most members; in the set that finished its year, end surveys from
        most of them too, each benefit up by about a point, and what they valued most."""
        rng = self.rng
        benefits = [q.key for q in shipped().self_assessment]
        # One member in seven leaves the start survey for later, and never comes back to it.
        answering = [m for m in plan.members if rng.random() >= 0.15] or plan.members
        if plan.shape == "finished" and len(answering) < len(plan.members) - 1:
            answering = plan.members[1:]
        starts: dict[int, dict[str, int]] = {}
        for member in answering:
            level = rng.choice([2, 3, 3, 3, 4])
            starts[member.pk] = {
                key: max(1, min(4, level + rng.choice([-1, 0, 0, 1]))) for key in benefits
            }
            self.answers.append(
                (
                    Response(user=member, set=plan.set_, survey=Survey.START),
                    dict(starts[member.pk]),
                )
            )
        if plan.shape != "finished":
            return
        ending = answering[:-1]  # all but one answer the end survey as well
        valued = rng.sample(self.data["words"]["value_most"], len(ending))
        for benefit in benefits:
            # About a point up on average: most by one, some by none or two.
            steps = [0, 1, 1, 1, 1, 2] * (len(ending) // 6 + 1)
            rng.shuffle(steps)
            for member, step in zip(ending, steps, strict=False):
                starts[member.pk][f"end:{benefit}"] = min(5, starts[member.pk][benefit] + step)
        for index, member in enumerate(ending):
            answers: dict[str, int | str] = {
                key: starts[member.pk][f"end:{key}"] for key in benefits
            }
            answers["value_most"] = valued[index]
            answers["recommend"] = rng.choices([3, 4, 5], [1, 4, 5])[0]
            self.answers.append(
                (
                    Response(
                        user=member, set=plan.set_, survey=Survey.END, share_theme=index % 3 != 2
                    ),
                    answers,
                )
            )

    def save(self) -> None:
        """Writes everything gathered, a statement or two per kind of row."""
        Meeting.objects.filter(pk__in=self.closed).update(status=Meeting.Status.CLOSED)
        Meeting.objects.filter(pk__in=self.cancelled).update(status=Meeting.Status.CANCELLED)
        Attendance.objects.bulk_create(self.attendance)
        Room.objects.bulk_create(self.rooms)
        Bid.objects.bulk_create(self.bids)
        Question.objects.bulk_create(self.questions)
        Action.objects.bulk_create(self.actions)
        save_answers(self.answers)
        for meeting in Meeting.objects.filter(pk__in=self.closed).select_related("set"):
            Meeting.objects.filter(pk=meeting.pk).update(summary=build_summary(meeting))


def save_answers(answers: list[tuple[Response, dict[str, int | str]]]) -> None:
    """Responses and their answers, in two statements."""
    responses = Response.objects.bulk_create([response for response, _ in answers])
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=key,
            value=value if isinstance(value, int) else None,
            text=value if isinstance(value, str) else "",
        )
        for response, (_, given) in zip(responses, answers, strict=True)
        for key, value in given.items()
    )


@cache
def _label(text: str) -> tuple[str, float]:
    """The coach's label and open score, as the room gives them when a question is captured."""
    verdict = classify(text)
    return verdict.label, verdict.open_score


# --- Leading Change -------------------------------------------------------------------------


def load_leading_change_answers(sets: Iterable[Set], keep_waiting: Iterable[str]) -> None:
    """Start surveys and pulses for the sets of "Leading Change" that have begun, from every
    member but those in ``keep_waiting`` (the demo's sign-ins, who find their surveys waiting);
    nothing when any of these sets has answers already."""
    sets = [s for s in sets if s.status == Set.Status.ACTIVE]
    if Response.objects.filter(set__in=sets).exists():
        return
    rng = random.Random(SEED + 1)
    waiting = set(keep_waiting)
    benefits = [q.key for q in shipped().self_assessment]
    answers: list[tuple[Response, dict[str, int | str]]] = []
    now = datetime.now(ZoneInfo(ZONE))
    for set_ in sets:
        members = [
            m.user
            for m in set_.memberships.filter(role=Role.MEMBER).select_related("user")
            if m.user.email.split("@")[0] not in waiting
        ]
        for member in members:
            level = rng.choice([2, 3, 3, 4])
            given: dict[str, int | str] = {
                key: max(1, min(5, level + rng.choice([-1, 0, 0, 1]))) for key in benefits
            }
            answers.append((Response(user=member, set=set_, survey=Survey.START), given))
        for meeting in set_.meetings.filter(status=Meeting.Status.CLOSED, starts_at__lte=now):
            present = set(
                meeting.attendance.filter(status=Attendance.Status.PRESENT).values_list(
                    "user_id", flat=True
                )
            )
            for member in members:
                if member.pk in present:
                    pulse: dict[str, int | str] = {
                        q.key: rng.choices([3, 4, 5], [2, 6, 2])[0] for q in shipped().pulse
                    }
                    answers.append(
                        (
                            Response(user=member, set=set_, survey=Survey.PULSE, meeting=meeting),
                            pulse,
                        )
                    )
    save_answers(answers)
