"""The demo: a programme "Leading Change" run by a regional councils' body, three sets across six
organisations. Loading it twice changes nothing."""

import csv
import io
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction

from revans.accounts.models import Organisation, User
from revans.actions.models import Action
from revans.coach import classify
from revans.formation.imports import do_import, preview_import
from revans.formation.models import Cohort
from revans.grouping.sample import generate
from revans.meetings import schedule, services
from revans.meetings.formats import TASTER, load_shipped_formats
from revans.meetings.models import (
    Attendance,
    Bid,
    Meeting,
    MeetingFormat,
    Question,
    ReviewNote,
    Room,
    Technique,
)
from revans.meetings.room import techniques
from revans.meetings.room.summary import build_summary
from revans.programmes.models import Programme, ShippedFormat
from revans.sets.models import (
    DEFAULT_GROUND_RULES,
    GroundRules,
    GroundRulesAgreement,
    Invitation,
    Issue,
    Membership,
    Role,
    Set,
)
from revans.site.demo_development import load_development_programme
from revans.site.demo_issues import load_issue_kinds_and_expectations
from revans.site.demo_log import load_fran_log, load_mo_journal
from revans.site.demo_people import demo_person
from revans.site.demo_polls import load_beacon_poll
from revans.site.demo_programme import (
    load_council_programme,
    load_leading_change_answers,
)

PASSWORD = "revans-demo"
DOMAIN = "demo.revans.test"

SIGN_INS = [
    (
        f"pam@{DOMAIN}",
        "programme manager of Leading Change, Merseyvale Council Leadership (a year in: see its "
        "dashboard), Northern Leaders 2027 (400 people to form into sets) and the facilitators' "
        "programme Facilitating Action Learning",
    ),
    (
        f"fran@{DOMAIN}",
        "facilitator of Aurora (Leading Change) and Rowan (Merseyvale Council Leadership); "
        "her practice record counts both, with two outside clients",
    ),
    (f"mo@{DOMAIN}", "member of Aurora"),
    (f"oli@{DOMAIN}", "member of Beacon (online), which has a date poll open"),
    (f"gus@{DOMAIN}", "facilitator of Beacon"),
    (f"nia@{DOMAIN}", "in no set"),
    (f"asa@{DOMAIN}", "assessor of Fran's ILM facilitator log"),
    (f"tina@{DOMAIN}", "trainer on Facilitating Action Learning; observed tara chairing Kestrel"),
    (f"tara@{DOMAIN}", "trainee, part-way: three outcomes signed off, observed practice, a log"),
    (f"theo@{DOMAIN}", "trainee, just started"),
    (f"hal@{DOMAIN}", "facilitator of Cedar, whose first meeting next week is a taster"),
]

ORGANISATIONS = {
    "nwcp": ("North West Councils Partnership", Organisation.Sector.LOCAL_GOVERNMENT),
    "mersey": ("Merseyvale Borough Council", Organisation.Sector.LOCAL_GOVERNMENT),
    "pennine": ("Pennine City Council", Organisation.Sector.LOCAL_GOVERNMENT),
    "nhs": ("Northshore NHS Foundation Trust", Organisation.Sector.HEALTH),
    "homes": ("Riverside Homes", Organisation.Sector.HOUSING),
    "harbour": ("Harbour Lights Trust", Organisation.Sector.CHARITY),
    "fell": ("Fellside District Council", Organisation.Sector.LOCAL_GOVERNMENT),
    "assess": ("Northern Leadership Assessment Centre", Organisation.Sector.EDUCATION),
}

# key: (name, organisation, job title)
PEOPLE = {
    "pam": ("Pam Lloyd", "nwcp", "Programme Lead, Leadership Development"),
    "fran": ("Fran Okafor", "nwcp", "Action Learning Facilitator"),
    "gus": ("Gus Whitfield", "nwcp", "Action Learning Facilitator"),
    "hal": ("Hal Ahmed", "harbour", "Head of Learning"),
    "nia": ("Nia Jones", "pennine", "Policy Officer"),
    "asa": ("Asa Lindqvist", "assess", "External Assessor, ILM qualifications"),
    "mo": ("Mo Rahman", "mersey", "Head of Neighbourhood Services"),
    "priya": ("Priya Shah", "nhs", "Ward Manager"),
    "dev": ("Dev Patel", "homes", "Tenancy Services Manager"),
    "sue": ("Sue Carter", "harbour", "Volunteer Programme Manager"),
    "tom": ("Tom Hughes", "pennine", "Planning Team Leader"),
    "ana": ("Ana Costa", "fell", "Revenues Manager"),
    "oli": ("Oli Bennett", "pennine", "Customer Services Manager"),
    "kate": ("Kate Morgan", "mersey", "Adult Social Care Team Manager"),
    "raj": ("Raj Singh", "nhs", "Discharge Coordinator"),
    "lena": ("Lena Novak", "homes", "Repairs Manager"),
    "ben": ("Ben Clarke", "fell", "Waste Services Manager"),
    "zoe": ("Zoe Evans", "harbour", "Fundraising Manager"),
    "ida": ("Ida Brown", "nhs", "Practice Development Nurse"),
    "jay": ("Jay Wilson", "mersey", "Housing Options Manager"),
    "lou": ("Lou Taylor", "homes", "Community Investment Officer"),
    "max": ("Max Green", "pennine", "Digital Services Lead"),
    "eve": ("Eve Robinson", "fell", "Environmental Health Manager"),
}
LINE_MANAGERS = {"tom": "oli", "jay": "kate"}

SETS = {
    "Aurora": {
        "mode": Set.Mode.IN_PERSON,
        "place": "Committee Room 2, Merseyvale Town Hall",
        "video_link": "",
        "status": Set.Status.ACTIVE,
        "facilitator": "fran",
        "members": ["mo", "priya", "dev", "sue", "tom", "ana"],
        "agreed": ["fran", "mo", "priya", "dev", "sue"],
        # Half-way through: three of six monthly meetings are behind it.
        "schedule": {"format": "one_hour", "weeks_apart": 4, "count": 6, "past": 3, "at": time(10)},
    },
    "Beacon": {
        "mode": Set.Mode.ONLINE,
        "place": "",
        "video_link": "https://meet.jit.si/revans-demo-beacon",
        "status": Set.Status.ACTIVE,
        "facilitator": "gus",
        "members": ["oli", "kate", "raj", "lena", "ben", "zoe"],
        "agreed": ["gus", "oli", "kate", "raj", "lena", "ben", "zoe"],
        # Online, every two weeks; one meeting behind it.
        "schedule": {
            "format": "online_90",
            "weeks_apart": 2,
            "count": 8,
            "past": 1,
            "at": time(14),
        },
    },
    "Cedar": {
        "mode": Set.Mode.HYBRID,
        "place": "Riverside Homes, Dock Street office",
        "video_link": "https://meet.jit.si/revans-demo-cedar",
        "status": Set.Status.FORMING,
        "facilitator": "hal",
        "members": ["ida", "jay", "lou"],
        "agreed": [],
        # Starts next week with a taster first meeting, then half a day every six weeks.
        "schedule": {
            "taster": True,
            "format": "half_day",
            "weeks_apart": 6,
            "count": 8,
            "past": -1,
            "at": time(9, 30),
        },
    },
}
ZONE = "Europe/London"
# Who missed which of the past meetings, and how (everyone else was there).
MISSED = {
    ("Aurora", 1): {
        "tom": ("apologies", "Planning committee clash, sorry: I'll catch up with Fran.")
    },
    ("Aurora", 2): {"ana": ("apologies", "Year-end close."), "dev": ("absent", "")},
    ("Aurora", 3): {"sue": ("apologies", "Volunteer awards evening, back next time.")},
    ("Beacon", 1): {"zoe": ("absent", "")},
}

ISSUES = {
    "mo": (
        "Getting two neighbourhood teams to work as one after the restructure",
        "Since the merger of the north and south teams, staff still book their own rotas and "
        "escalate to their old managers. Sickness absence has gone up in both.",
        "I promised the director a single service by April and I am losing the team's trust.",
    ),
    "priya": (
        "Reducing delayed discharges from my ward without burning out the nurses",
        "Patients medically fit to leave wait days for care packages; the team feels blamed.",
        "I want my staff to feel they can influence this, not just absorb it.",
    ),
    "dev": (
        "Tenants do not trust our repairs promises",
        "Complaints about missed repairs appointments have doubled this year.",
        "Our next regulator inspection will look at this, and so do I every time I walk the estate.",
    ),
    "sue": (
        "Keeping volunteers after their first three months",
        "Half of the volunteers we recruit stop coming before the end of their third month.",
        "Our services depend on them, and I do not know why they leave.",
    ),
    "oli": (
        "Moving phone enquiries online without leaving older residents behind",
        "The council wants 60% of contacts online within a year.",
        "My team worries about the residents they know by name.",
    ),
    "kate": (
        "Making a new hospital discharge pathway work across two organisations",
        "The pathway was agreed at board level; on the ground no one owns the handover.",
        "It is my team that takes the phone calls when it goes wrong.",
    ),
}


@cache
def hashed_password() -> str:
    """The demo password, hashed once for everyone: hashing it for each person took most of
    the demo's loading time."""
    return make_password(PASSWORD)


def _person(key: str, organisations: dict[str, Organisation]) -> User:
    name, org_key, job = PEOPLE[key]
    return demo_person(
        f"{key}@{DOMAIN}",
        hashed_password(),
        display_name=name,
        organisation=organisations[org_key],
        job_title=job,
    )


@transaction.atomic
def load_demo(cohort: bool = True, council: bool = True) -> None:
    """The demo data; ``cohort=False`` leaves out the 400 people awaiting formation,
    ``council=False`` the second running programme (the browser journeys load it where they
    need it: it is half the demo's loading time)."""
    # Normally there from the migration; tests may have flushed them.
    load_shipped_formats(MeetingFormat)
    organisations = {
        key: Organisation.objects.get_or_create(name=name, defaults={"sector": sector})[0]
        for key, (name, sector) in ORGANISATIONS.items()
    }
    people = {key: _person(key, organisations) for key in PEOPLE}
    for report, manager in LINE_MANAGERS.items():
        if people[report].line_manager_id is None:
            people[report].line_manager = people[manager]
            people[report].save(update_fields=["line_manager"])

    programme, created = Programme.objects.get_or_create(
        name="Leading Change",
        defaults={
            "sponsor": organisations["nwcp"],
            "description": "Action learning for middle managers across the region's public "
            "services: six meetings over six months.",
            "starts_on": date(2026, 9, 1),
            "ends_on": date(2027, 3, 31),
            "cadence_weeks": 4,
            "meeting_format": ShippedFormat.ONE_HOUR,
        },
    )
    if created:
        programme.managers.add(people["pam"])

    for name, spec in SETS.items():
        set_, created = Set.objects.get_or_create(
            name=name,
            programme=programme,
            defaults={
                "mode": spec["mode"],
                "place": spec["place"],
                "video_link": spec["video_link"],
                "status": spec["status"],
            },
        )
        if created:
            _people_and_content(set_, spec, people, name)
        if not set_.meetings.exists():
            _schedule(set_, spec, people, name)
    # Kinds of issue with their guiding answers, members' expectations before meeting 1, and
    # an open date poll in Beacon.
    load_issue_kinds_and_expectations()
    load_beacon_poll(Set.objects.get(name="Beacon", programme=programme), people)
    # Learning logs: Fran's ILM log shared with Asa, and Mo's set journal (each made once).
    load_fran_log(people["fran"], people["asa"])
    load_mo_journal(people["mo"])
    # Surveys and pulses from the members of Aurora and Beacon, but mo and oli: theirs wait.
    load_leading_change_answers(programme.sets.all(), keep_waiting=("mo", "oli"))
    # A facilitators' programme with its trainer and trainees, and fran's practice beyond Revans.
    load_development_programme(people, organisations, hashed_password())
    # A second programme, a year in, where Fran facilitates a set too.
    if council:
        load_council_programme(people, organisations)
    if cohort:
        load_cohort_programme(people["pam"], organisations["nwcp"])


COHORT_PROGRAMME = "Northern Leaders 2027"


def load_cohort_programme(manager: User, sponsor: Organisation) -> None:
    """A second programme whose 400 people from 60 organisations await formation into sets,
    imported from a generated cohort file as a programme manager would import it."""
    programme, created = Programme.objects.get_or_create(
        name=COHORT_PROGRAMME,
        defaults={
            "sponsor": sponsor,
            "description": "Action learning across Yorkshire's public, voluntary and private "
            "sectors: half a day every six weeks for a year.",
            "starts_on": date(2027, 1, 12),
            "ends_on": date(2027, 12, 14),
            "cadence_weeks": 6,
            "meeting_format": ShippedFormat.HALF_DAY,
        },
    )
    if created:
        programme.managers.add(manager)
    if Cohort.objects.filter(programme=programme).exists():
        return
    out = io.StringIO()
    # The importer's own input, never a file someone opens: no need for core.csv's guard.
    csv.writer(out).writerows(generate(realistic=True))
    preview = preview_import(out.getvalue().encode(), "northern-leaders-2027.csv")
    if not preview.ok:
        raise ValueError("the demo cohort does not import: " + "; ".join(preview.errors))
    do_import(programme, preview, manager)


def _people_and_content(set_: Set, spec: dict, people: dict[str, User], name: str) -> None:
    """The set's people, their issues, ground rules and a pending invitation."""
    Membership.objects.create(set=set_, user=people[spec["facilitator"]], role=Role.FACILITATOR)
    for key in spec["members"]:
        Membership.objects.create(set=set_, user=people[key], role=Role.MEMBER)
        if key in ISSUES:
            title, description, why = ISSUES[key]
            Issue.objects.create(
                set=set_,
                owner=people[key],
                title=title,
                description=description,
                why_it_matters=why,
                status=Issue.Status.PROGRESSING if key == "kate" else Issue.Status.OPEN,
            )
    if spec["agreed"]:
        rules = GroundRules.objects.create(
            set=set_,
            version=1,
            rules=DEFAULT_GROUND_RULES,
            drafted_by=people[spec["facilitator"]],
        )
        for key in spec["agreed"]:
            GroundRulesAgreement.objects.create(ground_rules=rules, user=people[key])
    if name == "Cedar":
        invitation = Invitation(
            set=set_, email=f"sam@{DOMAIN}", role=Role.MEMBER, invited_by=people["hal"]
        )
        invitation.new_token()
        invitation.save()


def _schedule(set_: Set, spec: dict, people: dict[str, User], name: str) -> None:
    """Plans the set's meetings relative to today, and records attendance at the past ones."""
    plan = spec["schedule"]
    zone = ZoneInfo(ZONE)
    today = datetime.now(zone).date()
    if plan["past"] >= 0:
        first_day = today - timedelta(weeks=plan["weeks_apart"] * plan["past"]) + timedelta(days=3)
    else:
        first_day = today + timedelta(weeks=1)
    starts = schedule.plan(
        datetime.combine(first_day, plan["at"]),
        zone,
        schedule.Cadence("weeks", plan["weeks_apart"]),
        plan["count"],
    )
    meeting_format = MeetingFormat.objects.shipped().get(slug=plan["format"])
    meetings = services.do_create_schedule(
        set_,
        starts,
        zone=ZONE,
        duration_minutes=meeting_format.total_minutes,
        meeting_format=meeting_format,
        place=set_.place,
        video_link=set_.video_link,
        first_format=(
            MeetingFormat.objects.shipped().get(slug=TASTER) if plan.get("taster") else None
        ),
    )
    everyone = [spec["facilitator"], *spec["members"]]
    past = [m for m in meetings if m.ends_at <= datetime.now(zone)]
    for meeting in meetings:
        if meeting.ends_at > datetime.now(zone):
            continue
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
        missed = MISSED.get((name, meeting.number), {})
        Attendance.objects.bulk_create(
            Attendance(
                meeting=meeting,
                user=people[key],
                status=missed.get(key, ("present", ""))[0],
                note=missed.get(key, ("", ""))[1],
                recorded_by=people[spec["facilitator"]],
            )
            for key in everyone
        )
    if name in HISTORY:
        _history(set_, past, people)


# What happened at Aurora's past meetings: who presented, their actions and what came of them.
HISTORY: dict[str, list[dict[str, Any]]] = {
    "Aurora": [
        {
            "presenter": "mo",
            # The set's first questions: advice and yes/no questions creep in (3 of 8 open).
            "questions": [
                ("priya", "What would “one service” look like on a Monday morning?", True),
                ("tom", "Have you tried a joint away day for both teams?", False),
                ("ana", "Did you tell the director it would be April?", False),
                ("dev", "Who else cares about this as much as you do?", False),
                ("dev", "Don't you think the old managers are the real problem?", False),
                ("priya", "Is sickness absence higher in the north team or the south?", False),
                ("sue", "What have you not tried yet because it felt too risky?", True),
                ("tom", "Why don't you merge the rotas yourself?", False),
            ],
            "actions": [
                (
                    "Meet both team leaders together, not one at a time",
                    "done",
                    "We agreed one rota from May.",
                ),
                (
                    "Ask HR about a joint induction for new starters",
                    "partly",
                    "HR will run one pilot in June.",
                ),
            ],
            "review": [("sue", "Good silence after questions: it gave Mo time to think.", False)],
        },
        {
            "presenter": "priya",
            # After "we drifted into advice": more open questions (5 of 8).
            "questions": [
                ("mo", "What would your nurses say is in their control?", True),
                ("ana", "What was different when a delayed discharge went well?", False),
                ("tom", "Have you asked the care agencies for a weekly call?", False),
                ("dev", "How do the nurses talk about the delays among themselves?", False),
                ("mo", "Is the discharge lounge open at weekends?", False),
                ("fran", "What do you notice in yourself when a discharge slips?", False),
                ("sue", "Don't you think the matron should own this?", False),
                ("ana", "What would change if you stopped absorbing the blame?", True),
            ],
            "actions": [
                (
                    "Map every delayed discharge for two weeks",
                    "done",
                    "12 delays, 9 waiting for care packages.",
                )
            ],
            "review": [("fran", "We drifted into advice twice: let's catch ourselves.", True)],
        },
        {
            "presenter": "dev",
            # The set has found its questions (7 of 8 open).
            "questions": [
                ("tom", "What would a tenant say a promise from you is worth?", True),
                ("priya", "How does a repair appointment start to go wrong?", False),
                ("mo", "What happens in the hour before an operative misses a slot?", False),
                ("sue", "Do the operatives see the complaints?", False),
                ("ana", "How would you know that trust was coming back?", False),
                ("fran", "What are you holding back from saying to the contractor?", True),
                ("mo", "Who on the estate do tenants trust, and why?", False),
                ("priya", "What part of this is yours to change?", False),
            ],
            "actions": [
                ("Shadow a repairs operative for a full day", None, ""),
                ("Ring five tenants whose appointments were missed", None, ""),
            ],
            "review": [("tom", "The questions round felt rushed: add two minutes.", False)],
            # The set worked on Dev's issue with two techniques (meetings/room/techniques.py).
            "techniques": [
                (
                    "force_field",
                    "Tenants trust our repairs promises again",
                    [
                        ("driving", "Regulator inspection next spring", 5),
                        ("driving", "Operatives want fewer angry doorsteps", 4),
                        ("driving", "New scheduling system arrives in March", 3),
                        ("restraining", "Contractor paid per job, not per slot kept", 5),
                        ("restraining", "No one rings tenants when a slot will be missed", 4),
                        ("restraining", "Years of broken promises", 3),
                    ],
                    {},
                ),
                (
                    "options_matrix",
                    "How to stop missed appointments",
                    [
                        ("options", "Renegotiate the contract around slots kept", None),
                        ("options", "Text tenants an hour before, with a live ETA", None),
                        ("options", "Bring evening repairs in-house", None),
                        ("criteria", "Effect on tenants' trust", 5),
                        ("criteria", "Cost this year", 3),
                        ("criteria", "Within my authority", 4),
                    ],
                    # (option, criterion): score 0-5, by the notes' order above (from 1)
                    {
                        (1, 4): 4,
                        (1, 5): 3,
                        (1, 6): 2,
                        (2, 4): 4,
                        (2, 5): 4,
                        (2, 6): 5,
                        (3, 4): 5,
                        (3, 5): 1,
                        (3, 6): 1,
                    },
                ),
            ],
        },
    ]
}


def _canvas(kind: str, title: str, notes: list, scores: dict) -> dict:
    """A technique's canvas, made through the edits the room applies."""
    canvas = techniques.edit(kind, techniques.new_canvas(), "title", {"text": title})
    for number, (zone, text, score) in enumerate(notes, start=1):
        canvas = techniques.edit(kind, canvas, "add", {"zone": zone, "text": text})
        if score is not None:
            canvas = techniques.edit(kind, canvas, "edit", {"item": number, "score": score})
    for (option, criterion), value in scores.items():
        canvas = techniques.edit(
            kind, canvas, "score", {"option": option, "criterion": criterion, "value": value}
        )
    return canvas


def _history(set_: Set, past: list[Meeting], people: dict[str, User]) -> None:
    """Rooms, questions, actions, report-backs and summaries for the set's past meetings."""
    for index, (meeting, story) in enumerate(zip(past, HISTORY[set_.name], strict=False)):
        presenter = people[story["presenter"]]
        Room.objects.create(
            meeting=meeting,
            stage="summary",
            chair=people["fran"],
            presenters=[presenter.pk],
            presenter_minutes=35,
            closed_at=meeting.ends_at,
        )
        Bid.objects.create(meeting=meeting, user=presenter, headline=ISSUES[story["presenter"]][0])
        for asker, text, powerful in story["questions"]:
            verdict = classify(text)  # as the room labels a question when it is captured
            Question.objects.create(
                meeting=meeting,
                presenter=presenter,
                asker=people[asker],
                text=text,
                powerful=powerful,
                label=verdict.label,
                open_score=verdict.open_score,
            )
        for text, status, note in story["actions"]:
            action = Action.objects.create(
                set=set_, owner=presenter, text=text, committed_in=meeting
            )
            if status and index + 1 < len(past):
                Action.objects.filter(pk=action.pk).update(
                    status=status,
                    report_note=note,
                    reported_in=past[index + 1],
                    reported_at=past[index + 1].starts_at,
                )
        for author, text, change in story["review"]:
            ReviewNote.objects.create(
                meeting=meeting, author=people[author], text=text, change=change
            )
        for kind, title, notes, scores in story.get("techniques", []):
            Technique.objects.create(
                meeting=meeting,
                presenter=presenter,
                kind=kind,
                data=_canvas(kind, title, notes, scores),
                opened_by=presenter,
            )
    for meeting in past:
        Meeting.objects.filter(pk=meeting.pk).update(summary=build_summary(meeting))
