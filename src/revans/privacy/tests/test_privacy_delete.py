"""Delete my account: what is theirs alone goes, what they gave their sets stays as "a former
member", their name goes from every copy, and the sets' history still reads."""

import os

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from revans.accounts.models import User
from revans.actions.models import Action
from revans.audit.models import Action as Audited
from revans.audit.models import AuditEvent
from revans.development.models import Evidence, PracticeEntry
from revans.evaluation.models import Response
from revans.journal.models import Attachment, Entry, Log, Share
from revans.meetings.models import Attendance, Question, ReviewNote, RoomEvent
from revans.meetings.room import rights
from revans.meetings.room.services import missed_events
from revans.polls.models import Answer as PollAnswer
from revans.privacy import services
from revans.privacy.services import FORMER_MEMBER, Scrubber, hand_overs
from revans.sets.models import Expectations, Issue, Membership, MembershipChange
from revans.site.testing import PASSWORD

from .conftest import NAME, NORAS_NOTE, NORAS_QUESTION

TEXT = (models.CharField, models.TextField, models.JSONField)


def texts_mentioning(*words: str) -> list[str]:
    """Every text and JSON column of every model, searched for ``words`` (any case)."""
    wanted = [w.casefold() for w in words]
    found = []
    for model in apps.get_models():
        columns = [f.name for f in model._meta.concrete_fields if isinstance(f, TEXT)]
        if not columns:
            continue
        for row in model._base_manager.values("pk", *columns).iterator():
            for column in columns:
                value = str(row[column]).casefold()
                if any(w in value for w in wanted):
                    found.append(f"{model._meta.label}.{column} #{row['pk']}: {row[column]!r}")
    return found


def delete(client, email):
    return client.post(reverse("delete_account"), {"email": email})


def test_the_page_says_what_will_happen_before_it_happens(world, rich):
    page = world.client(world.mo).get(reverse("delete_account"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 log, 1 entry and 1 image" in text
    assert "2 questions you asked" not in text and "1 question you asked" in text
    assert "a former member" in text
    assert "Hand over first" not in text
    assert User.objects.get(pk=world.mo.pk).is_active


def test_deleting_anonymises_everywhere_and_keeps_the_sets_history(
    world, rich, django_capture_on_commit_callbacks, monkeypatch
):
    mo = world.mo
    email = mo.email
    told = []
    monkeypatch.setattr(rights, "tell_to_check", lambda user_id, **kw: told.append(user_id))
    elsewhere = world.client(mo)  # another browser, signed in
    elsewhere.get(reverse("profile"))
    Authenticator.objects.create(user=mo, type="totp", data={"secret": "x"})
    for changed, repr_ in ((mo, str(mo)), (world.mo_in_aurora, f"{NAME} (Member) in Aurora")):
        LogEntry.objects.create(  # the operator changed her in the admin
            user=world.pam,
            content_type=ContentType.objects.get_for_model(changed),
            object_id=str(changed.pk),
            object_repr=repr_,
            action_flag=CHANGE,
            change_message="[]",
        )
    assert texts_mentioning(NAME, email)  # the world holds copies of her name to rewrite
    file_path = rich.attachment.file.path
    assert os.path.exists(file_path)

    with django_capture_on_commit_callbacks(execute=True):
        response = delete(world.client(mo), f"  {email.upper()} ")
    assert response.status_code == 302 and response["Location"] == reverse("home")

    assert texts_mentioning(NAME, email) == []
    assert AuditEvent.objects.get(action=Audited.ACCOUNT_DELETED).actor_id == mo.pk
    mo.refresh_from_db()
    assert mo.display_name == FORMER_MEMBER and not mo.is_active
    assert not mo.has_usable_password() and mo.email.endswith(".invalid")
    assert not EmailAddress.objects.filter(user=mo).exists()
    assert not Authenticator.objects.filter(user=mo).exists()
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(mo.pk)
    ]
    assert elsewhere.get(reverse("profile")).status_code == 302  # signed out there too
    assert mo.pk in told
    # Theirs alone: gone, files too.
    assert not Log.objects.filter(pk=rich.log.pk).exists()
    assert not Entry.objects.filter(pk=rich.entry.pk).exists()
    assert not Attachment.objects.exists() and not os.path.exists(file_path)
    for private in (Response, Expectations, PollAnswer, PracticeEntry, Evidence, Share):
        assert not private.objects.exists(), private
    # Given to the set: kept, as a former member.
    assert Question.objects.filter(asker=mo).count() == 1
    assert Question.objects.filter(text=NORAS_QUESTION, presenter=mo).exists()
    assert Issue.objects.filter(owner=mo).count() == 1
    assert Action.objects.filter(owner=mo).count() == 2
    assert Attendance.objects.filter(user=mo).exists()
    assert (
        ReviewNote.objects.filter(author=mo).exists()
        and ReviewNote.objects.filter(text=NORAS_NOTE).exists()
    )
    assert not Membership.objects.filter(user=mo).exists()
    left = MembershipChange.objects.filter(person=mo).first()
    assert left.sentence.startswith("A former member left the set")
    summary = rich.meeting.__class__.objects.get(pk=rich.meeting.pk).summary
    assert summary["presenters"][0]["name"] == FORMER_MEMBER
    # The set's history still reads for the others.
    fran = world.client(world.fran)
    for page in (
        reverse("meeting_detail", args=[rich.meeting.pk]),
        reverse("meeting_summary_md", args=[rich.meeting.pk]),
        reverse("meeting_summary_pdf", args=[rich.meeting.pk]),
        reverse("set_members", args=[world.aurora.pk]),
        reverse("set_detail", args=[world.aurora.pk]),
        reverse("issue_detail", args=[world.aurora.pk, world.mo_issue.pk]),
        reverse("meeting_room", args=[rich.meeting.pk]),
    ):
        response = fran.get(page)
        assert response.status_code == 200, page
    assert (
        FORMER_MEMBER
        in fran.get(reverse("meeting_detail", args=[rich.meeting.pk])).content.decode()
    )
    assert (
        FORMER_MEMBER in fran.get(reverse("set_members", args=[world.aurora.pk])).content.decode()
    )
    replay = missed_events(rich.meeting, 0)
    assert replay and NAME not in str(replay)
    assert RoomEvent.objects.filter(
        meeting=rich.meeting, payload__icontains="former member"
    ).exists()


def test_the_last_facilitator_hands_over_first_and_nothing_changes(world, rich):
    assert [h.name for h in hand_overs(world.fran)] == ["Aurora"]
    page = world.client(world.fran).get(reverse("delete_account"))
    assert "Hand over first" in page.content.decode()
    assert reverse("set_members", args=[world.aurora.pk]) in page.content.decode()
    response = delete(world.client(world.fran), world.fran.email)
    assert response.status_code == 400
    assert "Hand over" in response.content.decode()
    fran = User.objects.get(pk=world.fran.pk)
    assert fran.is_active and fran.display_name == "Fran" and fran.check_password(PASSWORD)
    assert Membership.objects.filter(user=fran).exists()
    assert not AuditEvent.objects.filter(action=Audited.ACCOUNT_DELETED).exists()
    # Another facilitator named: now she may go.
    world.nora_in_aurora = Membership.objects.filter(user=world.nora).update(role="facilitator")
    assert hand_overs(world.fran) == []


def test_the_only_manager_of_a_programme_hands_over_first(world):
    assert [h.what for h in hand_overs(world.pam)] == ["programme"]
    response = delete(world.client(world.pam), world.pam.email)
    assert response.status_code == 400
    assert reverse("programme_people", args=[world.programme.pk]) in response.content.decode()
    assert User.objects.get(pk=world.pam.pk).is_active
    assert world.programme.managers.filter(pk=world.pam.pk).exists()


def test_a_manager_beside_another_leaves_the_programme(world, django_capture_on_commit_callbacks):
    world.programme.managers.add(world.nia)
    with django_capture_on_commit_callbacks(execute=True):
        assert delete(world.client(world.nia), world.nia.email).status_code == 302
    assert list(world.programme.managers.all()) == [world.pam]


@pytest.mark.parametrize("typed", ["", "someone@example.org", "mo@example"])
def test_a_wrong_confirmation_deletes_nothing(world, rich, typed):
    response = delete(world.client(world.mo), typed)
    assert response.status_code == 400
    assert "Nothing has been deleted" in response.content.decode() or typed == ""
    mo = User.objects.get(pk=world.mo.pk)
    assert mo.is_active and mo.display_name == NAME
    assert Log.objects.filter(owner=mo).exists()


def test_nobody_signed_out_reaches_it_and_a_get_deletes_nothing(world, client):
    response = client.post(reverse("delete_account"), {"email": world.mo.email})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert User.objects.get(pk=world.mo.pk).is_active
    world.client(world.mo).get(reverse("delete_account"), {"email": world.mo.email})
    assert User.objects.get(pk=world.mo.pk).is_active


def test_another_persons_address_deletes_only_oneself_never_them(world):
    response = delete(world.client(world.nia), world.mo.email)
    assert response.status_code == 400
    assert User.objects.get(pk=world.mo.pk).is_active
    assert User.objects.get(pk=world.nia.pk).is_active


def test_the_name_is_replaced_as_whole_words_only():
    scrub = Scrubber(["Al Ng"])
    assert scrub.text("Al Ng joined") == "A former member joined"
    assert scrub.text("Airtime: al ng · Questions") == "Airtime: a former member · Questions"
    assert scrub.text("Al Nguyen stays") == "Al Nguyen stays"
    assert scrub.json({"people": [{"name": "Al Ng"}], "n": 3}) == {
        "people": [{"name": FORMER_MEMBER}],
        "n": 3,
    }


def test_the_page_reads_as_many_queries_for_a_full_life_as_for_an_empty_one(world, rich):
    """Guards against N+1: what deleting would do is counted, never listed row by row."""

    def queries(person) -> int:
        client = world.client(person)
        with CaptureQueriesContext(connection) as done:
            assert client.get(reverse("delete_account")).status_code == 200
        return len(done)

    assert queries(world.mo) == queries(world.nia)


def test_every_page_of_a_long_room_history_is_rewritten(world, rich, monkeypatch):
    monkeypatch.setattr(services, "BATCH", 3)
    events = RoomEvent.objects.filter(meeting=rich.meeting)
    assert sum(NAME in str(e.payload) for e in events.all()) > 3
    services.do_delete_account(world.mo)
    assert not [e.seq for e in events.all() if NAME in str(e.payload)]
    assert events.count() > 3
