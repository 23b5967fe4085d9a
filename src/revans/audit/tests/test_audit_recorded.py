"""Each action the audit log keeps writes exactly one event, with its actor, action and target,
and nothing anyone wrote: exports, shares of a log, memberships and roles, programme managers,
trainees and trainers, backups and restores. A refused action writes none."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from revans.audit.models import AuditEvent
from revans.development import services as development
from revans.development.models import Participant
from revans.journal.models import Entry, Log
from revans.journal.prompts import log_templates
from revans.meetings.models import Meeting
from revans.meetings.testing import make_meeting
from revans.sets.models import Membership, Role
from revans.sets.services import do_change_role, do_invite, do_remove_member

LINK = re.compile(r"https?://\S+/journal/shared/(\S+)/")
TITLE = "What the silence taught me"
BODY = "Dana said she would resign if the merger went ahead"


@pytest.fixture
def log(world) -> Log:
    template = log_templates()["ilm-facilitator-log"]
    return Log.objects.create(
        owner=world.mo,
        title="My confidential log",
        template=template.slug,
        sections=list(template.sections),
        started_on=timezone.localdate() - timedelta(days=30),
    )


@pytest.fixture
def entry(log) -> Entry:
    return Entry.objects.create(log=log, title=TITLE, body=BODY, section="Results", draft=False)


def only_event(**expected) -> AuditEvent:
    """The one event there is, checked against ``expected`` fields."""
    event = AuditEvent.objects.get()
    for field, value in expected.items():
        assert getattr(event, field) == value, field
    return event


def stored(event: AuditEvent) -> str:
    return json.dumps(
        [event.actor_id, event.via, event.action, event.target_type, event.target_id, event.facts]
    )


# --- exports -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_exporting_a_log_is_recorded_without_its_words(world, log, entry, fmt):
    response = world.client(world.mo).get(reverse(f"log_export_{fmt}", args=[log.pk]))
    assert response.status_code == 200
    event = only_event(actor_id=world.mo.pk, action="export", target_type="journal.log")
    assert (event.target_id, event.facts) == (str(log.pk), {"format": fmt})
    for words in (TITLE, BODY, log.title, "Dana", world.mo.email):
        assert words not in stored(event)


def test_exporting_one_entry_is_recorded(world, log, entry):
    response = world.client(world.mo).get(reverse("entry_export_pdf", args=[entry.pk]))
    assert response.status_code == 200
    event = only_event(actor_id=world.mo.pk, action="export", target_type="journal.entry")
    assert event.facts == {"format": "pdf", "log": log.pk}
    assert TITLE not in stored(event)


def test_an_export_refused_is_not_recorded(world, log, entry):
    assert world.client(world.fran).get(reverse("log_export_pdf", args=[log.pk])).status_code == 404
    empty = Log.objects.create(owner=world.mo, title="Empty", started_on=timezone.localdate())
    response = world.client(world.mo).get(reverse("log_export_pdf", args=[empty.pk]))
    assert response.status_code == 302  # nothing to export: a message, no file
    assert not AuditEvent.objects.exists()


SUMMARY = {
    "meeting": 1,
    "set": "Aurora",
    "date": "2026-03-12T10:00:00+00:00",
    "attendance": [{"name": "Mo", "status": "present"}],
    "presenters": [
        {"name": "Mo", "headline": "Two teams that will not merge", "questions": 3, "powerful": 0}
    ],
    "committed": [],
    "reported": [],
    "questions": 3,
    "powerful": 0,
    "review": [],
}


@pytest.mark.parametrize("fmt", ["md", "pdf"])
def test_downloading_a_meeting_summary_is_recorded(world, fmt):
    meeting = make_meeting(world.aurora, 1, days=-7, status=Meeting.Status.CLOSED, summary=SUMMARY)
    response = world.client(world.obi).get(reverse(f"meeting_summary_{fmt}", args=[meeting.pk]))
    assert response.status_code == 200
    event = only_event(actor_id=world.obi.pk, action="export", target_type="meetings.meeting")
    assert (event.target_id, event.facts) == (
        str(meeting.pk),
        {"format": fmt, "set": world.aurora.pk},
    )
    assert "Two teams" not in stored(event)


@pytest.mark.parametrize("fmt", ["pdf", "csv", "xlsx"])
def test_downloading_a_programme_report_is_recorded(world, fmt):
    url = reverse(f"programme_report_{fmt}", args=[world.programme.pk])
    assert world.client(world.pam).get(url).status_code == 200
    event = only_event(actor_id=world.pam.pk, action="export", target_type="programmes.programme")
    assert (event.target_id, event.facts) == (
        str(world.programme.pk),
        {"format": fmt, "what": "report"},
    )
    assert world.client(world.mo).get(url).status_code == 404
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize("fmt", ["pdf", "csv"])
def test_downloading_ones_practice_record_is_recorded(world, fmt):
    response = world.client(world.fran).get(reverse(f"practice_record_{fmt}"))
    assert response.status_code == 200
    event = only_event(actor_id=world.fran.pk, action="export", target_type="accounts.user")
    assert (event.target_id, event.facts) == (
        str(world.fran.pk),
        {"format": fmt, "what": "practice_record"},
    )


def test_a_practice_record_for_a_wrong_period_is_not_downloaded_nor_recorded(world):
    response = world.client(world.fran).get(reverse("practice_record_csv"), {"from": "nonsense"})
    assert response.status_code == 302
    assert not AuditEvent.objects.exists()


# --- shares of a log -------------------------------------------------------------------


def test_sharing_accepting_and_revoking_a_log_are_recorded_once_each(world, log, entry, mailoutbox):
    response = world.client(world.mo).post(
        reverse("share_create", args=[log.pk]), {"email": world.nia.email, "role": "assessor"}
    )
    assert response.status_code == 302
    share = log.shares.get()
    created = only_event(actor_id=world.mo.pk, action="share.created", target_type="journal.share")
    assert (created.target_id, created.facts) == (
        str(share.pk),
        {"log": log.pk, "role": "assessor"},
    )

    link = reverse("share_accept", args=[LINK.search(mailoutbox[-1].body).group(1)])
    assert world.client(world.nia).post(link).status_code == 302
    accepted = AuditEvent.objects.get(action="share.accepted")
    assert (accepted.actor_id, accepted.target_id) == (world.nia.pk, str(share.pk))
    assert accepted.facts == {"log": log.pk, "role": "assessor"}

    revoke = reverse("share_revoke", args=[share.pk])
    assert world.client(world.mo).post(revoke).status_code == 302
    world.client(world.mo).post(revoke)  # already revoked: nothing more happens
    revoked = AuditEvent.objects.get(action="share.revoked")
    assert (revoked.actor_id, revoked.target_id) == (world.mo.pk, str(share.pk))
    assert revoked.facts == {"log": log.pk, "reader": world.nia.pk}
    assert AuditEvent.objects.count() == 3
    for event in AuditEvent.objects.all():
        for words in (TITLE, BODY, log.title, world.nia.email, "Nia"):
            assert words not in stored(event)


def test_a_share_someone_else_tries_to_revoke_is_not_recorded(world, log):
    world.client(world.mo).post(
        reverse("share_create", args=[log.pk]), {"email": world.nia.email, "role": "assessor"}
    )
    share = log.shares.get()
    assert (
        world.client(world.fran).post(reverse("share_revoke", args=[share.pk])).status_code == 404
    )
    assert not AuditEvent.objects.filter(action="share.revoked").exists()


# --- memberships, roles, managers, trainees and trainers --------------------------------


def test_a_role_change_and_a_removal_in_a_set_are_recorded(world):
    fran = world.client(world.fran)
    fran.post(
        reverse("membership_role", args=[world.aurora.pk, world.obi_in_aurora.pk]),
        {"role": "member"},
    )
    role = only_event(actor_id=world.fran.pk, action="membership.role", target_type="sets.set")
    assert role.facts == {"person": world.obi.pk, "role": "member", "old_role": "observer"}
    fran.post(reverse("membership_remove", args=[world.aurora.pk, world.mo_in_aurora.pk]))
    removed = AuditEvent.objects.get(action="membership.removed")
    assert (removed.actor_id, removed.target_id) == (world.fran.pk, str(world.aurora.pk))
    assert removed.facts == {"person": world.mo.pk, "role": "member"}
    assert AuditEvent.objects.count() == 2


def test_leaving_a_set_and_a_role_unchanged(world):
    do_change_role(world.mo_in_aurora, Role.MEMBER, by=world.fran)  # no change: no event
    assert not AuditEvent.objects.exists()
    do_remove_member(world.obi_in_aurora, by=world.obi)
    only_event(actor_id=world.obi.pk, action="membership.left", target_id=str(world.aurora.pk))


def test_joining_on_an_invitation_is_recorded_with_who_invited(world, mailoutbox):
    (invitation,) = do_invite(world.aurora, [world.nia.email], Role.MEMBER, world.fran, str)
    response = world.client(world.nia).post(reverse("invitation_join", args=[invitation.pk]))
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="membership.joined")
    assert event.actor_id == world.fran.pk
    assert event.facts == {"person": world.nia.pk, "role": "member", "how": "invitation"}
    assert Membership.objects.filter(set=world.aurora, user=world.nia).exists()


def test_a_refused_role_change_writes_no_event(world):
    response = world.client(world.fran).post(
        reverse("membership_role", args=[world.aurora.pk, world.fran_in_aurora.pk]),
        {"role": "member"},
    )
    assert response.status_code in (200, 302)
    assert Membership.objects.get(pk=world.fran_in_aurora.pk).role == Role.FACILITATOR
    assert not AuditEvent.objects.exists()


PROGRAMME = {
    "name": "Leading Change",
    "description": "",
    "sponsor": "",
    "starts_on": "2026-09-01",
    "ends_on": "2027-03-31",
    "cadence_weeks": "6",
    "meeting_format": "half_day",
    "meeting_minutes": "240",
    "set_size_min": "6",
    "set_size_max": "8",
    "facilitated_meetings": "",
    "retention_months": "12",
    "contact": "",
}


def test_managers_added_and_removed_with_a_programme_are_recorded(world):
    url = reverse("programme_edit", args=[world.programme.pk])
    data = {**PROGRAMME, "sponsor": world.council.pk, "manager_emails": world.gus.email}
    assert world.client(world.pam).post(url, data).status_code == 302
    added = only_event(actor_id=world.pam.pk, action="manager.added")
    assert (added.target_type, added.target_id) == ("programmes.programme", str(world.programme.pk))
    assert added.facts == {"person": world.gus.pk}
    data["manager_emails"] = ""
    assert world.client(world.pam).post(url, data).status_code == 302
    removed = AuditEvent.objects.get(action="manager.removed")
    assert (removed.actor_id, removed.facts) == (world.pam.pk, {"person": world.gus.pk})
    assert world.client(world.pam).post(url, data).status_code == 302  # nothing changed
    assert AuditEvent.objects.count() == 2


def test_a_new_programme_records_its_managers(world):
    data = {
        **PROGRAMME,
        "name": "Leading Together",
        "sponsor": world.trust.pk,
        "manager_emails": world.gus.email,
    }
    assert world.client(world.nia).post(reverse("programme_create"), data).status_code == 302
    events = AuditEvent.objects.filter(action="manager.added", actor_id=world.nia.pk)
    assert sorted(e.facts["person"] for e in events) == sorted([world.nia.pk, world.gus.pk])


def test_trainees_and_trainers_added_changed_and_removed_are_recorded(world, facilitators):
    programme = facilitators.programme
    place = development.do_add_participant(programme, world.nia, "trainee", by=world.pam)
    added = only_event(actor_id=world.pam.pk, action="participant.added")
    assert added.facts == {"person": world.nia.pk, "role": "trainee"}
    development.do_change_role(place, Participant.Role.TRAINER, by=world.pam)
    changed = AuditEvent.objects.get(action="participant.role")
    assert changed.facts == {"person": world.nia.pk, "role": "trainer", "old_role": "trainee"}
    development.do_remove_participant(place, by=world.pam)
    removed = AuditEvent.objects.get(action="participant.removed")
    assert (removed.target_id, removed.facts) == (
        str(programme.pk),
        {"person": world.nia.pk, "role": "trainer"},
    )
    assert AuditEvent.objects.count() == 3


# --- commands ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as the backup tests
def test_a_backup_is_recorded_as_revans_own_doing(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("backup", "-o", str(tmp_path / "b.zip"), stdout=io.StringIO())
    event = only_event(actor_id=None, action="backup", via="command")
    assert event.facts == {"files": 0, "vendor": event.facts["vendor"]}


def test_an_invitation_sent_and_revoked_is_recorded_without_the_address(world, mailoutbox):
    address = "new.person@example.org"
    url = reverse("invitation_create", args=[world.aurora.pk])
    response = world.client(world.fran).post(url, {"emails": address, "role": "member"})
    assert response.status_code == 302
    sent = only_event(actor_id=world.fran.pk, action="invitation.sent")
    invitation = world.aurora.invitations.get(email=address)
    assert (sent.target_type, sent.target_id) == ("sets.invitation", str(invitation.pk))
    assert sent.facts == {"set": world.aurora.pk, "role": "member"}

    revoke = reverse("invitation_revoke", args=[world.aurora.pk, invitation.pk])
    assert world.client(world.fran).post(revoke).status_code == 302
    assert world.client(world.fran).post(revoke).status_code == 302  # no longer open: no event
    events = AuditEvent.objects.order_by("pk")
    assert [e.action for e in events] == ["invitation.sent", "invitation.revoked"]
    assert all(address not in stored(e) and "new.person" not in stored(e) for e in events)
