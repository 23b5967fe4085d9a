"""A person with something of every kind: Morwenna (the world's mo, renamed so her name is
unmistakable) in Aurora, with Nora beside her, through a meeting run in the room and closed."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from revans.actions.models import Action
from revans.development.models import (
    DayAttendance,
    Evidence,
    Observation,
    Participant,
    PracticeEntry,
    SignOff,
    TrainingDay,
)
from revans.evaluation.models import Answer as SurveyAnswer
from revans.evaluation.models import Response
from revans.evaluation.questions import shipped
from revans.journal.models import Attachment, Comment, Entry, Log, Share
from revans.meetings.models import Meeting, MeetingFormat, Room
from revans.meetings.room.services import apply, open_room
from revans.meetings.testing import make_meeting
from revans.polls.models import Answer as PollAnswer
from revans.polls.models import Poll, Slot
from revans.programmes.models import JoinRequest, OpenSet
from revans.sets.models import Expectations, Membership
from revans.sets.services import record_change
from revans.site.testing import make_person

NAME = "Morwenna Quist"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4

# Other people's words: none of them may be in Morwenna's download.
NORAS_QUESTION = "Nora asks: what would the rota look like in a year?"
NORAS_NOTE = "Nora's note: we drifted into advice."
NORAS_ISSUE = "Nora's issue about the depot"
ASHAS_COMMENT = "Asha's comment: say more about the silence."
TINAS_SIGN_OFF = "Tina's sign-off note for outcome one."
ASSESSOR_EMAIL = "asha@example.org"


@dataclass
class Rich:
    meeting: Meeting
    log: Log
    entry: Entry
    attachment: Attachment


def go(meeting, who, name, **args):
    return apply(meeting.pk, who, name, args)[0]


def build_rich(world, facilitators) -> Rich:
    mo = world.mo
    mo.display_name = NAME
    mo.job_title = "Head of rotas"
    mo.save()
    nora = make_person("nora", world.trust, display_name="Nora Villiers")
    record_change(Membership.objects.create(set=world.aurora, user=nora), "joined")
    record_change(world.mo_in_aurora, "joined", by=world.fran, how="invitation")
    world.mo_issue.answers = {"owner": "I own the rota."}
    world.mo_issue.save()
    world.nora_issue = world.aurora.issues.create(owner=nora, title=NORAS_ISSUE)
    world.nora = nora
    world.programme.managers.add(mo)  # beside pam: not the only manager

    earlier = make_meeting(world.aurora, number=1, days=-30)
    Meeting.objects.filter(pk=earlier.pk).update(status=Meeting.Status.CLOSED)
    Action.objects.create(set=world.aurora, owner=mo, text="Call Sam", committed_in=earlier)
    meeting = make_meeting(world.aurora, number=2)
    open_room(meeting)
    go(meeting, mo, "check_in")
    go(meeting, nora, "check_in")
    go(meeting, world.fran, "advance")  # report-back: mo's
    action = Action.objects.get(text="Call Sam")
    go(meeting, mo, "report_back", action=action.pk, status="done", note="Sam agreed to merge")
    go(meeting, world.fran, "advance")  # bidding
    go(meeting, mo, "bid", headline="The rota merger")
    go(meeting, world.fran, "order_bids", presenters=[mo.pk, nora.pk])
    go(meeting, world.fran, "advance")  # mo presents
    go(meeting, world.fran, "advance")  # questions to mo
    go(meeting, nora, "question", text=NORAS_QUESTION)
    go(meeting, world.fran, "advance")  # mo's actions
    go(meeting, mo, "add_action", text="Book both team leaders together")
    go(meeting, world.fran, "advance")  # reflection
    go(meeting, world.fran, "advance")  # nora presents
    go(meeting, world.fran, "advance")  # questions to nora
    go(meeting, mo, "question", text="What matters most to you about the depot?")
    Room.objects.filter(meeting=meeting).update(stage="process_review")
    go(meeting, mo, "review_note", text="Morwenna's note: good silences today.")
    go(meeting, nora, "review_note", text=NORAS_NOTE)
    go(meeting, world.fran, "close")
    meeting.refresh_from_db()

    Expectations.objects.create(
        set=world.aurora, user=mo, answers={"hopes": "To stop firefighting."}
    )
    start = Response.objects.create(user=mo, set=world.aurora, survey="start", comment="Nervous.")
    SurveyAnswer.objects.create(response=start, question=shipped().self_assessment[0].key, value=3)
    pulse = Response.objects.create(user=mo, set=world.aurora, survey="pulse", meeting=meeting)
    SurveyAnswer.objects.create(response=pulse, question=shipped().pulse[0].key, value=4)

    poll = Poll.objects.create(
        set=world.aurora,
        created_by=mo,
        title="Meeting three",
        note="Mornings suit me.",
        duration_minutes=60,
        format=MeetingFormat.objects.shipped().get(slug="one_hour"),
        time_zone="Europe/London",
    )
    slot = Slot.objects.create(poll=poll, starts_at=timezone.now() + timedelta(days=20))
    PollAnswer.objects.create(slot=slot, user=mo, choice="yes")

    log = Log.objects.create(owner=mo, title="My <b>ILM</b> log", purpose="To learn.")
    entry = Entry.objects.create(
        log=log, title="<script>alert(1)</script>", body="The room went quiet.", draft=False
    )
    attachment = Attachment.objects.create(
        entry=entry,
        kind="image",
        file=ContentFile(PNG, name="sketch.png"),
        content_type="image/png",
        size=len(PNG),
        description="A sketch of the rota",
    )
    asha = make_person("asha", display_name="Asha Reader")
    share = Share(log=log, email=ASSESSOR_EMAIL, role="assessor", user=asha)
    share.new_token()
    share.accepted_at = timezone.now()
    share.save()
    Comment.objects.create(entry=entry, author=asha, body=ASHAS_COMMENT)
    Comment.objects.create(entry=entry, author=mo, body="Thank you, I will.")

    OpenSet.objects.create(set=world.beacon, opened_by=world.pam)
    JoinRequest.objects.create(set=world.beacon, person=mo, note="I run rotas too.")

    programme = facilitators.programme
    Participant.objects.create(programme=programme, user=mo)
    day = TrainingDay.objects.create(
        programme=programme, title="Day one", starts_at=timezone.now() - timedelta(days=3)
    )
    DayAttendance.objects.create(day=day, user=mo, status="present")
    outcome = facilitators.outcomes[0]
    Evidence.objects.create(
        outcome=outcome, trainee=mo, kind="entry", entry=entry, note="I held the silence."
    )
    SignOff.objects.create(
        outcome=outcome, trainee=mo, trainer=facilitators.tina, note=TINAS_SIGN_OFF
    )
    Observation.objects.create(
        meeting=meeting,
        trainee=mo,
        observer=world.fran,
        went_well="You let the silence work.",
        written_at=timezone.now(),
    )
    Observation.objects.create(
        meeting=facilitators.practice,
        trainee=facilitators.tara,
        observer=mo,
        try_next="Morwenna writes: slow down.",
        written_at=timezone.now(),
    )
    SignOff.objects.create(
        outcome=outcome, trainee=facilitators.tara, trainer=mo, note="Morwenna signs: well held."
    )
    PracticeEntry.objects.create(
        user=mo, kind="supervision", on=timezone.localdate(), hours=Decimal("1.5"), title="Sup"
    )
    return Rich(meeting=meeting, log=log, entry=entry, attachment=attachment)


@pytest.fixture
def rich(world, facilitators) -> Rich:
    return build_rich(world, facilitators)
