"""Deleting a person's account (architecture.md §4): what is theirs alone goes, what they gave
their sets stays for the sets' history under "a former member", and their name goes from every
copy Revans made of it.

The person's row is kept, scrubbed: their questions, issues, actions, attendance and room events
point at it, and a deleted row would take them with it (or, where the link is nullable, leave the
set's history with holes). Everything happens in one transaction; files go after it commits.
"""

import contextlib
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from revans.accounts.models import User, new_calendar_token
from revans.audit.models import Action
from revans.audit.services import record
from revans.development.models import Evidence, PracticeEntry
from revans.development.models import Participant as Trainee
from revans.evaluation.models import Response
from revans.formation.models import Cohort
from revans.formation.models import Participant as CohortPerson
from revans.journal.models import Attachment, CommentsSeen, Entry, Log, Share
from revans.meetings.models import (
    Attendance,
    Meeting,
    Question,
    ReviewNote,
    RoomEvent,
    RoomPresence,
)
from revans.polls.models import Answer as PollAnswer
from revans.programmes.models import JoinRequest, Programme
from revans.sets.models import (
    Expectations,
    Invitation,
    Issue,
    Membership,
    MembershipChange,
    Role,
    Set,
)
from revans.sets.services import record_change

FORMER_MEMBER = "A former member"
PLACEHOLDER_DOMAIN = "former-member.invalid"  # RFC 2606: never delivered anywhere
BATCH = 500


@dataclass(frozen=True)
class HandOver:
    """A set or programme that would be left without anyone to run it."""

    name: str
    url: str
    what: str  # "set" or "programme"


def hand_overs(user: User) -> list[HandOver]:
    """The sets the person is the last facilitator of (a facilitated set still open, with other
    people or meetings in it) and the programmes they alone manage: they hand these over first."""
    sets = (
        # By subquery: a join on the person's own membership would count only it.
        Set.objects.filter(
            pk__in=Membership.objects.filter(user=user, role=Role.FACILITATOR).values("set_id"),
            self_facilitated=False,
        )
        .exclude(status=Set.Status.CLOSED)
        .annotate(
            facilitators=Count("memberships", filter=Q(memberships__role=Role.FACILITATOR)),
        )
        .filter(facilitators=1)
        .filter(
            Q(pk__in=Membership.objects.exclude(user=user).values("set_id"))
            | Q(pk__in=Meeting.objects.values("set_id"))
        )
        .order_by("name", "pk")
    )
    programmes = (
        Programme.objects.filter(pk__in=Programme.objects.filter(managers=user).values("pk"))
        .annotate(manager_count=Count("managers"))
        .filter(manager_count=1)
        .order_by("name", "pk")
    )
    return [HandOver(s.name, reverse("set_members", args=[s.pk]), "set") for s in sets] + [
        HandOver(p.name, reverse("programme_people", args=[p.pk]), "programme") for p in programmes
    ]


@dataclass(frozen=True)
class Consequences:
    """What deleting the account would do, counted for the page that asks."""

    logs: int
    entries: int
    files: int
    surveys: int
    expectations: int
    poll_answers: int
    practice_entries: int
    shares: int
    evidence: int
    questions: int
    issues: int
    actions: int
    attendance: int
    review_notes: int
    sets: int


def consequences(user: User) -> Consequences:
    return Consequences(
        logs=Log.objects.filter(owner=user).count(),
        entries=Entry.objects.filter(log__owner=user).count(),
        files=Attachment.objects.filter(entry__log__owner=user).count(),
        surveys=Response.objects.own(user).count(),
        expectations=Expectations.objects.filter(user=user).count(),
        poll_answers=PollAnswer.objects.filter(user=user).count(),
        practice_entries=PracticeEntry.objects.filter(user=user).count(),
        shares=Share.objects.filter(Q(log__owner=user) | Q(user=user)).count(),
        evidence=Evidence.objects.filter(trainee=user).count(),
        questions=Question.objects.filter(asker=user).count(),
        issues=Issue.objects.filter(owner=user).count(),
        actions=user.actions.count(),
        attendance=Attendance.objects.filter(user=user).count(),
        review_notes=ReviewNote.objects.filter(author=user).count(),
        sets=Membership.objects.filter(user=user).count(),
    )


class Scrubber:
    """Replaces a person's name and addresses, as whole words, in text and in JSON."""

    def __init__(self, words: Iterable[str]):
        wanted = sorted({w for w in words if w and w != FORMER_MEMBER}, key=len, reverse=True)
        self.words = wanted
        self.pattern = (
            re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in wanted), re.IGNORECASE)
            if wanted
            else None
        )

    def _replacement(self, match: re.Match[str]) -> str:
        # At the start of a text (a name on its own, a sentence) it is a capital A.
        return FORMER_MEMBER if match.start() == 0 else FORMER_MEMBER.lower()

    def text(self, value: str) -> str:
        if self.pattern is None or not value:
            return value
        return self.pattern.sub(self._replacement, value)

    def json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {key: self.json(item) for key, item in value.items()}
        return value

    def found_in(self, value: Any) -> bool:
        if self.pattern is None:
            return False
        return bool(self.pattern.search(json.dumps(value, ensure_ascii=False)))


def _sets_of(user: User) -> list[int]:
    """Every set the person is or was in, or met with: the sets whose history may hold their
    name."""
    now = Membership.objects.filter(user=user).values_list("set_id", flat=True)
    then = MembershipChange.objects.filter(person=user).values_list("set_id", flat=True)
    met = Attendance.objects.filter(user=user).values_list("meeting__set_id", flat=True)
    return sorted(set(now) | set(then) | set(met))


def _delete_private(user: User) -> list[int]:
    """What is theirs alone: logs (entries, attachments, shares, submissions; files go after
    commit, ``journal.models``), survey and pulse answers, expectations, poll answers, the
    practice record, evidence, requests to join, shares of other people's logs with them.
    Returns the ids of the logs deleted (their folders are removed after commit)."""
    logs = list(Log.objects.filter(owner=user).values_list("pk", flat=True))
    Evidence.objects.filter(trainee=user).delete()
    Log.objects.filter(pk__in=logs).delete()
    Share.objects.filter(user=user).delete()
    CommentsSeen.objects.filter(user=user).delete()
    Response.objects.filter(user=user).delete()
    Expectations.objects.filter(user=user).delete()
    PollAnswer.objects.filter(user=user).delete()
    PracticeEntry.objects.filter(user=user).delete()
    JoinRequest.objects.filter(person=user).delete()
    RoomPresence.objects.filter(user=user).delete()
    return logs


def _leave_everything(user: User) -> None:
    """Out of every set (each departure recorded, under the scrubbed name), every programme
    they manage, facilitators' programme and facilitator pool."""
    for membership in Membership.objects.filter(user=user).select_related("user"):
        record_change(membership, MembershipChange.Kind.LEFT, by=user, how="deleted")
        membership.delete()  # its signal tells the person's room sockets to check again
    for programme in Programme.objects.filter(managers=user):
        programme.managers.remove(user)
    Trainee.objects.filter(user=user).delete()
    for cohort in Cohort.objects.filter(facilitators=user):
        cohort.facilitators.remove(user)


def _rewrite_copies(user: User, sets: list[int], scrub: Scrubber, addresses: list[str]) -> None:
    """Every copy Revans made of the person's name or address: the record of membership
    changes, meetings' summaries, the stored room events, cohorts' rows, invitations and log
    shares sent to their address, the admin's history."""
    MembershipChange.objects.filter(person=user).update(person_name=FORMER_MEMBER)
    MembershipChange.objects.filter(by=user).update(by_name=FORMER_MEMBER)

    meetings = Meeting.objects.filter(set_id__in=sets)
    for meeting in meetings.filter(summary__isnull=False).only("pk", "summary"):
        if scrub.found_in(meeting.summary):
            meeting.summary = scrub.json(meeting.summary)
            meeting.save(update_fields=["summary"])
    # Page by page (a set's history holds thousands of events), each page read whole before
    # its rows are written: no cursor stays open over the rows being rewritten.
    events = RoomEvent.objects.filter(meeting__in=meetings).only("pk", "payload").order_by("pk")
    after = 0
    while page := list(events.filter(pk__gt=after)[:BATCH]):
        after = page[-1].pk
        changed = [event for event in page if scrub.found_in(event.payload)]
        for event in changed:
            event.payload = scrub.json(event.payload)
        RoomEvent.objects.bulk_update(changed, ["payload"])

    address = Q()
    for email in addresses:
        address |= Q(email__iexact=email)
    if addresses:
        for person in CohortPerson.objects.filter(address):
            person.email = f"former-member-{person.pk}@{PLACEHOLDER_DOMAIN}"
            person.name = FORMER_MEMBER
            person.location = ""
            person.availability = []
            person.extra = {}
            person.save(update_fields=["email", "name", "location", "availability", "extra"])
        now = timezone.now()
        placeholder = f"former-member@{PLACEHOLDER_DOMAIN}"
        for links in (Invitation.objects.filter(address), Share.objects.filter(address)):
            links.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
            links.update(email=placeholder)

    people = ContentType.objects.get_for_model(User)
    LogEntry.objects.filter(content_type=people, object_id=str(user.pk)).update(
        object_repr=FORMER_MEMBER
    )
    mentions = Q()
    for word in scrub.words:
        mentions |= Q(object_repr__icontains=word)
    if scrub.words:
        for entry in LogEntry.objects.filter(mentions).only("pk", "object_repr"):
            entry.object_repr = scrub.text(entry.object_repr)
            entry.save(update_fields=["object_repr"])


def _scrub_person(user: User) -> None:
    """The row stays (the set's history points at it), with nothing of the person in it."""
    User.objects.filter(line_manager=user).update(line_manager=None)
    user.display_name = FORMER_MEMBER
    user.email = f"{uuid.uuid4().hex}@{PLACEHOLDER_DOMAIN}"
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.organisation = None
    user.line_manager = None
    user.job_title = ""
    user.time_zone = settings.TIME_ZONE
    user.reminders = False
    user.facilitator_training = ""
    user.qualification = ""
    user.qualified_on = None
    user.facilitator_basis = ""
    user.calendar_token = new_calendar_token()
    user.last_login = None
    user.save()  # all fields: the rights check sees the new password and tells their sockets
    user.groups.clear()
    user.user_permissions.clear()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    key = str(user.pk)
    ended = [
        s.session_key
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(s.get_decoded().get("_auth_user_id")) == key
    ]
    Session.objects.filter(session_key__in=ended).delete()


def _remove_folders(logs: list[int]) -> None:
    """The attachments' files go with their rows (``journal.models``); their emptied folders
    after them."""
    root = Path(settings.MEDIA_ROOT) / "journal"
    for log in logs:
        folder = root / str(log)
        # Gone already, or not empty (a file whose deletion failed): left as it is.
        with contextlib.suppress(OSError):
            folder.rmdir()


def do_delete_account(user: User) -> None:
    """Deletes the person's account as ``delete.html`` tells them it will; refuses
    (ValidationError, nothing changed) while they must hand a set or programme over."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        waiting = hand_overs(user)
        if waiting:
            names = ", ".join(h.name for h in waiting)
            raise ValidationError(f"Hand these over first: {names}. Nothing has been deleted.")
        addresses = sorted(
            {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
        )
        scrub = Scrubber([user.display_name, *addresses])
        sets = _sets_of(user)
        logs = _delete_private(user)
        _scrub_person(user)  # first: the departures below are recorded under the new name
        _leave_everything(user)
        _rewrite_copies(user, sets, scrub, addresses)
        # Counts only: who the person was is what has just been deleted.
        record(user, Action.ACCOUNT_DELETED, logs=len(logs), sets=len(sets))
        transaction.on_commit(lambda: _remove_folders(logs))
