"""Every URL pattern of Revans, with every role, against the confidentiality table (architecture.md §4).

A URL pattern with no row here fails ``test_every_url_pattern_has_a_row``: a new view cannot ship
without deciding who may open it.
"""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from revans.meetings.models import Meeting, MeetingFormat
from revans.sets.models import Invitation

ROLES = ("anonymous", "other", "member", "observer", "facilitator", "manager")
PERSON = {
    "anonymous": None,
    "other": "nia",
    "member": "mo",
    "observer": "obi",
    "facilitator": "fran",
    "manager": "pam",
}
LOGIN = "login"  # a redirect to the sign-in page


def row(method="get", data=None, **statuses):
    """Expected status per role; roles not named expect ``default`` (or 404 when signed in).

    ``data`` may be a function of the ids of the objects url_for made (see cohort_for)."""
    default = statuses.pop("default", None)
    expected = {}
    for role in ROLES:
        if role in statuses:
            expected[role] = statuses[role]
        elif default is not None:
            expected[role] = default
        else:
            expected[role] = LOGIN if role == "anonymous" else 404
    return {"method": method, "data": data or {}, "expected": expected}


EVERYONE_SIGNED_IN = {r: 200 for r in ROLES if r != "anonymous"}
IN_SET = {"member": 200, "observer": 200, "facilitator": 200}
SEES_SET = {**IN_SET, "manager": 200}
MANAGES = {"facilitator": 200, "manager": 200}
DRAFT_KEY = "6f1c3c0e-9a0b-4a55-8a52-1d2d0c6c7f11"

TABLE = {
    "home": row(default=302),
    "dashboard": row(**EVERYONE_SIGNED_IN),
    "profile": row(**EVERYONE_SIGNED_IN),
    # Your data: each page is about the person signed in, with no ids to reach anyone else's.
    # Deleting is a POST; here everyone may read what it would do (privacy/tests test the rest).
    "my_data": row(**EVERYONE_SIGNED_IN),
    "my_data_download": row(**EVERYONE_SIGNED_IN),
    "delete_account": row(**EVERYONE_SIGNED_IN),
    "organisation_list": row(**EVERYONE_SIGNED_IN),
    "programme_create": row(**EVERYONE_SIGNED_IN),
    "programme_detail": row(manager=200),
    "programme_people": row(manager=200),
    "programme_edit": row(manager=200),
    # Figures only, for the programme's managers; each set's for its facilitators alone.
    "programme_dashboard": row(manager=200),
    "programme_dashboard_refresh": row("post", manager=302),
    "programme_report_pdf": row(manager=200),
    "programme_report_csv": row(manager=200),
    "programme_report_xlsx": row(manager=200),
    "facilitator_sets": row(**EVERYONE_SIGNED_IN),  # one's own sets only
    "set_figures": row(facilitator=200),
    # Open sets: everyone taking part in the programme sees them (in this world every
    # organisation takes part: see programmes/tests/test_joining.py for outsiders); asking to
    # join answers with a message (people in the set and managers are refused, nia is heard).
    "programme_open_sets": row(**EVERYONE_SIGNED_IN),
    "join_request_create": row("post", {"note": "Hello"}, **{r: 302 for r in ROLES[1:]}),
    "set_opening": row("post", {"open": "1"}, manager=302),
    "join_requests": row(facilitator=200, manager=200),
    "join_request_decide": row("post", {"decision": "decline"}, facilitator=302, manager=302),
    "set_create": row(**EVERYONE_SIGNED_IN),
    "set_detail": row(**SEES_SET),
    "set_edit": row(**MANAGES),
    "set_members": row(**MANAGES),
    "invitation_create": row(
        "post", {"emails": "new@example.org", "role": "member"}, facilitator=302, manager=302
    ),
    "invitation_revoke": row("post", facilitator=302, manager=302),
    "membership_role": row("post", {"role": "observer"}, facilitator=302, manager=302),
    "membership_remove": row("post", facilitator=302, manager=302),
    "ground_rules": row(**IN_SET),
    "ground_rules_edit": row(facilitator=200),
    "ground_rules_agree": row("post", {"version": "1"}, **IN_SET),
    "issue_create": row(member=200),
    "issue_edit": row(member=200),
    "issue_detail": row(**IN_SET),
    # The expectations questionnaire: a member answers their own; only the set's facilitators
    # read everyone's (not observers, not the programme's managers).
    "expectations": row(member=200),
    "expectations_list": row(facilitator=200),
    # The pending invitation is for someone else: nobody signed in here may use it.
    "invitation_join": row("post"),
    "invitation_accept": row(anonymous=200, default=404),
    # Meetings are set dates: the programme's managers see them; only the chair records attendance.
    "schedule_create": row(**MANAGES),
    "meeting_create": row(**MANAGES),
    "format_list": row(**MANAGES),
    "format_copy": row(**MANAGES),
    "format_edit": row(**MANAGES),
    "meeting_detail": row(**SEES_SET),
    "meeting_edit": row(**MANAGES),
    "meeting_cancel": row("post", facilitator=302, manager=302),
    # Giving out a facilitator's time: the set's facilitators and the programme's managers.
    "meeting_facilitation": row("post", {"facilitated": "0"}, facilitator=302, manager=302),
    "meeting_apologies": row("post", {"note": "Sorry"}, member=302, observer=302, facilitator=302),
    "meeting_attendance": row("post", {"status-1": "present"}, facilitator=302),
    "meeting_ics": row(**SEES_SET),
    # The live room is set content: never the programme's managers.
    "meeting_room": row(**IN_SET),
    # A meeting's summary is set content too: the programme's managers see only its counts.
    "meeting_summary_md": row(**IN_SET),
    "meeting_summary_pdf": row(**IN_SET),
    # Date polls are set content (url_for: poll_for): facilitators and members propose and
    # answer, observers only see; fran chairs, so she chooses and closes. The e-mailed answer
    # link is mo's own: it answers him signed out or in, and nobody else.
    "poll_create": row(member=200, facilitator=200),
    "poll_detail": row(**IN_SET),
    "poll_answer": row(
        "post", lambda ids: {f"slot-{ids['slot_id']}": "yes"}, member=302, facilitator=302
    ),
    "poll_choose": row("post", lambda ids: {"slot": ids["slot_id"]}, facilitator=302),
    "poll_close": row("post", facilitator=302),
    "poll_answer_link": row(anonymous=200, member=200, default=404),
    # Questioning insight shows questions: set content (managers get one figure per set).
    "set_questioning": row(**IN_SET),
    "my_actions": row(**EVERYONE_SIGNED_IN),
    # A learning log is its author's alone (here mo's): anyone else gets the 404 of a missing one.
    "journal": row(**EVERYONE_SIGNED_IN),
    "log_create": row(**EVERYONE_SIGNED_IN),
    "log_detail": row(member=200),
    "log_edit": row(member=200),
    "entry_create": row(member=200),
    "entry_autosave": row("post", {"body": "Words", "draft_key": DRAFT_KEY}, member=200),
    "entry_detail": row(member=200),
    "entry_edit": row(member=200),
    "entry_delete": row(member=200),
    "log_export_docx": row(member=200),
    "log_export_pdf": row(member=200),
    "entry_export_docx": row(member=200),
    "entry_export_pdf": row(member=200),
    "attachment_file": row(member=200),
    # Uploads go to one's own log only; a post without a file is refused with a message.
    "attachment_upload": row("post", {"draft_key": DRAFT_KEY}, member=302),
    "sketch_upload": row("post", {"draft_key": DRAFT_KEY}, member=302),
    "attachment_delete": row("post", member=302),
    # "Add to my log" is for the people in the set (their own contributions); the programme's
    # managers choose prompt sets for their programme but never see a set's meetings' content.
    "meeting_reflect": row(**IN_SET),
    "programme_prompts": row(manager=200),
    "programme_prompt_edit": row(manager=200),
    "programme_prompt_delete": row(manager=200),
    # Sharing and assessment: only the log's author (mo) manages its shares and submits it; the
    # share's link is for the address it went to (nobody here); only an assessor of the log decides.
    "log_sharing": row(member=200),
    "share_create": row("post", {"email": "asa@example.org", "role": "assessor"}, member=302),
    "share_resend": row("post", member=302),
    "share_revoke": row("post", member=302),
    "share_accept": row(anonymous=200, default=404),
    "comment_create": row("post", {"body": "Thank you"}, member=302),
    "log_submit": row("post", member=302),
    "log_history": row(member=200),
    "submission_detail": row(member=200),
    "submission_decide": row("post", {"decision": "sign_off"}),
    # The live preview renders only the text posted to it and reads nothing stored.
    "entry_preview": row("post", {"body": "Hello"}, **EVERYONE_SIGNED_IN),
    # Question practice uses invented problems, no set content: anyone signed in may practise.
    "practice": row(**EVERYONE_SIGNED_IN),
    "practice_scenario": row(**EVERYONE_SIGNED_IN),
    "practice_reset": row("post", **{r: 302 for r in ROLES if r != "anonymous"}),
    # The guide ships with Revans and holds nothing of any set: open to everyone, signed in or
    # not (an unknown page is a 404: guide/tests/test_guide_views.py).
    "guide_index": row(default=200),
    "guide_page": row(default=200),
    "guide_search": row(default=200),
    # A facilitator's practice record is each person's own (mo's entry for the entry views).
    "practice_record": row(**EVERYONE_SIGNED_IN),
    "practice_record_pdf": row(**EVERYONE_SIGNED_IN),
    "practice_record_csv": row(**EVERYONE_SIGNED_IN),
    "practice_entry_edit": row(member=200),
    "practice_entry_delete": row("post", member=302),
    # The feed's secret address is its own key: it answers whoever holds it.
    "calendar_feed": row(default=200),
    "calendar_settings": row(**EVERYONE_SIGNED_IN),
    "calendar_reset": row("post", **{r: 302 for r in ROLES if r != "anonymous"}),
    # Sign-in pages (django-allauth): open to everyone, or sending signed-in people onwards.
    "account_login": row(anonymous=200, default=302),
    "account_signup": row(anonymous=200, default=302),
    "account_logout": row(anonymous=302, default=200),
    "account_inactive": row(default=200),
    "account_reauthenticate": row(**EVERYONE_SIGNED_IN),
    # Re-authenticating by an e-mailed code: the request page for anyone signed in; the
    # confirmation page only after a code was requested, so everyone else is sent back.
    "account_request_reauthentication_code": row(**EVERYONE_SIGNED_IN),
    "account_confirm_reauthentication_code": row(
        anonymous=LOGIN, **{r: 302 for r in ROLES if r != "anonymous"}
    ),
    "account_email": row(**EVERYONE_SIGNED_IN),
    "account_email_verification_sent": row(default=200),
    # "Send it again" resends to the sign-up waiting in this browser; with none, sign in again.
    "verification_resend": row("post", anonymous=LOGIN, default=302),
    "account_change_password": row(**EVERYONE_SIGNED_IN),
    "account_set_password": row(anonymous=LOGIN, default=302),
    "account_reset_password": row(default=200),
    "account_reset_password_done": row(default=200),
    "account_confirm_login_code": row(anonymous=302, default=302),
    "account_confirm_email": row(default=200),
    "account_reset_password_from_key": row(default=200),
    "account_reset_password_from_key_done": row(default=200),
    "mfa_index": row(**EVERYONE_SIGNED_IN),
    "mfa_authenticate": row(default=302),
    "mfa_reauthenticate": row(anonymous=LOGIN, default=302),
    # Turning two-factor on asks for the password again; there is nothing to turn off yet.
    "mfa_activate_totp": row(anonymous=LOGIN, default=302),
    "mfa_deactivate_totp": row(),
    "mfa_view_recovery_codes": row(),
    "mfa_generate_recovery_codes": row(anonymous=LOGIN, default=302),
    "mfa_download_recovery_codes": row(),
    # Forming a programme's sets from its cohort: its managers only, everyone else the 404 of
    # a missing programme (cohort_for makes the cohort, its proposed sets and a finished run).
    "cohort": row(manager=200),
    "cohort_import": row(manager=200),
    "cohort_import_confirm": row("post", manager=302),  # nothing checked: upload again
    "cohort_settings": row(
        "post",
        {
            "size_min": "4",
            "size_max": "8",
            "seconds": "1",
            "sets_per_facilitator": "2",
            "weight_organisation": "3",
            "weight_sector": "0",
            "weight_role_level": "1",
            "weight_location": "1",
        },
        manager=302,
    ),
    "cohort_pairs": row(manager=200),
    "cohort_pair_remove": row(
        "post", lambda ids: {"kind": "manager", "first": ids["report"]}, manager=302
    ),
    "cohort_run": row("post", manager=302),
    "cohort_run_status": row(manager=302),  # the run has finished: back to the cohort
    "cohort_run_cancel": row("post", manager=302),
    "cohort_move": row(
        "post", lambda ids: {"person": ids["report"], "to": ids["other_set"]}, manager=302
    ),
    "cohort_lock": row("post", lambda ids: {"person": ids["report"], "locked": "1"}, manager=302),
    "cohort_facilitator": row(
        "post", lambda ids: {"set": ids["set"], "facilitator": ids["gus"]}, manager=302
    ),
    "cohort_facilitators_suggest": row("post", manager=302),
    "cohort_pool": row("post", {"email": "nia@example.org"}, manager=302),
    "cohort_export": row(manager=200),
    # The proposed sets are too small to accept: pam is told so.
    "cohort_accept": row("post", manager=302),
    # Surveys and pulses: a member answers for themselves; the facilitator, observers and the
    # programme's managers never answer, and never read an answer (they get figures of n ≥ 5).
    "survey": row(member=200),
    "survey_skip": row("post", member=302),
    "pulse": row(member=200),
    "pulse_skip": row("post", member=302),
    "my_answers": row(**EVERYONE_SIGNED_IN),  # one's own answers only
    "programme_questions": row(manager=200),
    "programme_question_delete": row("post", manager=302),
    # Observed practice (url_for: obi observes mo's chairing of Aurora's next meeting): whoever
    # chairs the meeting arranges and cancels; the feedback is the observer's to write and the
    # trainee's and the observer's alone to read; only the trainee adds it to their log (not
    # written yet: a message). The list is one's own.
    "observation_list": row(**EVERYONE_SIGNED_IN),
    "observation_arrange": row("post", facilitator=302),
    "observation_cancel": row("post", facilitator=302),
    "observation_detail": row(member=200, observer=200),
    "observation_feedback": row(observer=200),
    "observation_to_log": row("post", {"log": "new"}, member=302),
    # A facilitators' programme (url_for: development_for): pam manages it, fran trains, mo is
    # a trainee. Its page is for all three; managers run days, people and outcomes; managers
    # and trainers record attendance and open a trainee's page (managers see sign-offs only);
    # only trainers sign off, only trainees attach and remove their own evidence.
    "development_programme": row(member=200, facilitator=200, manager=200),
    "training_day_create": row(manager=200),
    "training_day_edit": row(manager=200),
    "training_day_delete": row("post", manager=302),
    "training_day_attendance": row(facilitator=200, manager=200),
    "development_people": row(manager=200),
    "participant_role": row("post", {"role": "trainer"}, manager=302),
    "participant_remove": row("post", manager=302),
    "development_outcomes_manage": row(manager=200),
    "development_outcome_edit": row(manager=200),
    "development_outcome_delete": row("post", manager=302),
    "development_my_outcomes": row(member=200),
    "development_evidence_add": row(
        "post",
        lambda ids: {f"o{ids['outcome_id']}-evidence": f"entry:{ids['entry_id']}"},
        member=302,
    ),
    "development_evidence_remove": row("post", member=302),
    "development_trainee": row(facilitator=200, manager=200),
    "development_sign_off": row(
        "post", lambda ids: {f"o{ids['outcome_id']}-note": "Met."}, facilitator=302
    ),
}
# Django's admin is for operators (staff) only; nobody in this table is staff.
ADMIN_SAMPLES = [
    "admin:index",
    "admin:accounts_user_changelist",
    "admin:sets_set_changelist",
    "admin:audit_auditevent_changelist",  # the audit log: the operator's alone
]


def url_names(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}"


def test_every_url_pattern_has_a_row():
    names = {name for name in url_names() if not name.startswith("admin:")}
    assert names == set(TABLE), (
        f"URL patterns without a row: {sorted(names - set(TABLE))}; "
        f"rows without a pattern: {sorted(set(TABLE) - names)}"
    )


def meetings_for(world):
    """A meeting next week, one last week, and a format of Aurora's own."""
    shipped = MeetingFormat.objects.shipped().get(slug="one_hour")
    own = MeetingFormat.objects.create(
        set=world.aurora, name="Aurora's hour", phases=shipped.phases, copied_from=shipped
    )
    common = {
        "set": world.aurora,
        "time_zone": "Europe/London",
        "duration_minutes": 60,
        "format": shipped,
    }
    now = timezone.now()
    past = Meeting.objects.create(number=1, starts_at=now - timedelta(days=7), **common)
    meeting = Meeting.objects.create(number=2, starts_at=now + timedelta(days=7), **common)
    return meeting, past, own


JOURNAL_URLS = {
    "log_detail": "log_id",
    "log_edit": "log_id",
    "entry_create": "log_id",
    "entry_autosave": "log_id",
    "entry_detail": "entry_id",
    "entry_edit": "entry_id",
    "entry_delete": "entry_id",
    "log_export_docx": "log_id",
    "log_export_pdf": "log_id",
    "entry_export_docx": "entry_id",
    "entry_export_pdf": "entry_id",
    "attachment_file": "attachment_id",
    "attachment_upload": "log_id",
    "sketch_upload": "log_id",
    "attachment_delete": "attachment_id",
    "log_sharing": "log_id",
    "share_create": "log_id",
    "share_resend": "share_id",
    "share_revoke": "share_id",
    "share_accept": "token",
    "comment_create": "entry_id",
    "log_submit": "log_id",
    "log_history": "log_id",
    "submission_detail": "submission_id",
    "submission_decide": "submission_id",
}


def journal_for(world, name: str) -> dict:
    """mo's learning log with an entry (and, if asked for, an image of it): only mo sees them."""
    from django.core.files.base import ContentFile

    from revans.journal.models import Attachment, Entry, Log

    log = Log.objects.create(owner=world.mo, title="My set journal", sections=["Meetings"])
    entry = Entry.objects.create(log=log, title="After meeting 1", body="I noticed.", draft=False)
    ids = {"log_id": log.pk, "entry_id": entry.pk}
    if name in ("attachment_file", "attachment_delete"):
        image = Attachment(entry=entry, kind="image", content_type="image/png", size=8)
        image.file.save("sketch.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
        image.save()
        ids["attachment_id"] = image.pk
    if name.startswith(("share_", "submission_")):
        from revans.journal.models import Share, Submission

        pending = Share(log=log, email="asa@example.org")
        ids["token"] = pending.new_token()
        pending.save()
        ids["share_id"] = pending.pk
        submission = Submission.objects.create(log=log, number=1, snapshot=log.snapshot())
        ids["submission_id"] = submission.pk
    key = JOURNAL_URLS[name]
    return {key: ids[key]}


def cohort_for(world) -> dict:
    """A cohort of eight in Leading Change, formed by hand into two sets of four (too small
    for sets of 6–8, so it cannot be accepted), with gus in its facilitator pool and one
    finished run. Returns the ids the cohort URLs and their posts need."""
    from revans.formation.models import Cohort, FormationRun, Participant, ProposedSet

    cohort = Cohort.objects.create(programme=world.programme, file_name="cohort.csv", seconds=1)
    sets = [ProposedSet.objects.create(cohort=cohort, name=str(k), position=k) for k in (1, 2)]
    people = Participant.objects.bulk_create(
        Participant(
            cohort=cohort,
            row=k + 2,
            email=f"c{k}@example.org",
            name=f"C{k}",
            organisation=world.council if k % 2 else world.trust,
            proposed_set=sets[k % 2],
        )
        for k in range(8)
    )
    people[2].manager = people[0]
    people[2].save()
    cohort.facilitators.add(world.gus)
    run = FormationRun.objects.create(
        cohort=cohort, seconds=1, status=FormationRun.Status.DONE, finished_at=timezone.now()
    )
    return {
        "programme_id": world.programme.pk,
        "run_id": run.pk,
        "report": people[2].pk,
        "set": sets[0].pk,
        "other_set": sets[1].pk,
        "gus": world.gus.pk,
    }


JOINING_URLS = (
    "programme_open_sets",
    "join_request_create",
    "set_opening",
    "join_requests",
    "join_request_decide",
)


def joining_for(world, name: str) -> dict:
    """Aurora open to join, with oli's request waiting (oli is in Beacon, not Aurora)."""
    from revans.programmes.models import JoinRequest, OpenSet

    OpenSet.objects.create(set=world.aurora, opened_by=world.pam)
    waiting = JoinRequest.objects.create(set=world.aurora, person=world.oli, note="May I?")
    kwargs = {"programme_id": world.programme.pk}
    if name in ("join_request_create", "set_opening"):
        kwargs["set_id"] = world.aurora.pk
    if name == "join_request_decide":
        kwargs["request_id"] = waiting.pk
    return kwargs


DEVELOPMENT_URLS = {
    "development_programme": (),
    "training_day_create": (),
    "training_day_edit": ("day_id",),
    "training_day_delete": ("day_id",),
    "training_day_attendance": ("day_id",),
    "development_people": (),
    "participant_role": ("participant_id",),
    "participant_remove": ("participant_id",),
    "development_outcomes_manage": (),
    "development_outcome_edit": ("outcome_id",),
    "development_outcome_delete": ("outcome_id",),
    "development_my_outcomes": (),
    "development_evidence_add": ("outcome_id",),
    "development_evidence_remove": ("evidence_id",),
    "development_trainee": ("user_id",),
    "development_sign_off": ("user_id", "outcome_id"),
}


def development_for(world, name: str, ids: dict) -> dict:
    """A facilitators' programme: pam manages it, fran trains, mo is a trainee with a saved
    log entry attached as evidence to outcome 1; a training day; outcome 2 has nothing yet."""
    from revans.development.models import Evidence, Participant, TrainingDay
    from revans.journal.models import Entry, Log
    from revans.programmes.models import Programme

    programme = Programme.objects.create(
        name="Facilitating Action Learning",
        kind=Programme.Kind.DEVELOPMENT,
        sponsor=world.council,
        starts_on="2026-09-01",
        ends_on="2027-05-31",
    )
    programme.managers.add(world.pam)
    Participant.objects.create(programme=programme, user=world.fran, role="trainer")
    mo = Participant.objects.create(programme=programme, user=world.mo, role="trainee")
    day = TrainingDay.objects.create(programme=programme, title="Day 1", starts_at=timezone.now())
    outcomes = list(programme.outcomes.order_by("number"))
    log = Log.objects.create(owner=world.mo, title="My facilitator's log")
    entry = Entry.objects.create(log=log, title="Silence", body="I waited.", draft=False)
    evidence = Evidence.objects.create(
        outcome=outcomes[0], trainee=world.mo, kind="entry", entry=entry
    )
    ids.update(
        programme_id=programme.pk,
        day_id=day.pk,
        participant_id=mo.pk,
        outcome_id=outcomes[1].pk,
        evidence_id=evidence.pk,
        entry_id=entry.pk,
        user_id=world.mo.pk,
    )
    keys = ("programme_id", *DEVELOPMENT_URLS[name])
    return {key: ids[key] for key in keys}


def poll_for(world, name: str, ids: dict) -> dict:
    """A date poll in Aurora proposed by fran, with two times to come."""
    from revans.polls.links import answer_token
    from revans.polls.models import Poll, Slot

    poll = Poll.objects.create(
        set=world.aurora,
        created_by=world.fran,
        duration_minutes=60,
        format=MeetingFormat.objects.shipped().get(slug="one_hour"),
        time_zone="Europe/London",
    )
    soon = timezone.now() + timedelta(days=10)
    slots = [Slot.objects.create(poll=poll, starts_at=soon + timedelta(days=k)) for k in (0, 1)]
    ids["slot_id"] = slots[0].pk
    if name == "poll_create":
        return {"set_id": world.aurora.pk}
    if name == "poll_answer_link":
        return {"token": answer_token(poll.pk, world.mo.pk)}
    return {"poll_id": poll.pk}


def url_for(name: str, world, ids: dict | None = None) -> str:
    """The URL of ``name`` with objects to open; ``ids`` receives the ids made for it."""
    ids = ids if ids is not None else {}
    pending = Invitation(set=world.aurora, email="newcomer@example.org", invited_by=world.fran)
    token = pending.new_token()
    pending.save()
    meeting, past_meeting, own_format = meetings_for(world)
    if name in ("meeting_summary_md", "meeting_summary_pdf", "meeting_reflect"):
        Meeting.objects.filter(pk=past_meeting.pk).update(
            status=Meeting.Status.CLOSED,
            summary={"meeting": 1, "set": "Aurora", "attendance": [], "presenters": []},
        )
    kwargs = {
        "meeting_detail": {"meeting_id": meeting.pk},
        "meeting_edit": {"meeting_id": meeting.pk},
        "meeting_cancel": {"meeting_id": meeting.pk},
        "meeting_facilitation": {"meeting_id": meeting.pk},
        "meeting_apologies": {"meeting_id": meeting.pk},
        "meeting_attendance": {"meeting_id": past_meeting.pk},
        "meeting_ics": {"meeting_id": meeting.pk},
        "meeting_room": {"meeting_id": meeting.pk},
        "meeting_summary_md": {"meeting_id": past_meeting.pk},
        "meeting_reflect": {"meeting_id": past_meeting.pk},
        "programme_prompts": {"programme_id": world.programme.pk},
        "meeting_summary_pdf": {"meeting_id": past_meeting.pk},
        "format_copy": {"set_id": world.aurora.pk, "format_id": own_format.copied_from_id},
        "format_edit": {"set_id": world.aurora.pk, "format_id": own_format.pk},
        "calendar_feed": {"token": world.mo.calendar_token},
        "programme_detail": {"programme_id": world.programme.pk},
        "programme_people": {"programme_id": world.programme.pk},
        "programme_edit": {"programme_id": world.programme.pk},
        "programme_dashboard": {"programme_id": world.programme.pk},
        "programme_dashboard_refresh": {"programme_id": world.programme.pk},
        "programme_report_pdf": {"programme_id": world.programme.pk},
        "programme_report_csv": {"programme_id": world.programme.pk},
        "programme_report_xlsx": {"programme_id": world.programme.pk},
        "issue_edit": {"set_id": world.aurora.pk, "issue_id": world.mo_issue.pk},
        "issue_detail": {"set_id": world.aurora.pk, "issue_id": world.mo_issue.pk},
        "invitation_revoke": {"set_id": world.aurora.pk, "invitation_id": pending.pk},
        "membership_role": {"set_id": world.aurora.pk, "membership_id": world.mo_in_aurora.pk},
        "membership_remove": {"set_id": world.aurora.pk, "membership_id": world.mo_in_aurora.pk},
        "invitation_join": {"invitation_id": pending.pk},
        "invitation_accept": {"token": token},
        "guide_page": {"slug": "running-meetings"},
        "practice_scenario": {"slug": "two-teams-one-ward"},
        "practice_reset": {"slug": "two-teams-one-ward"},
        "account_confirm_email": {"key": "not-a-key"},
        "account_reset_password_from_key": {"uidb36": "1", "key": "not-a-key"},
    }.get(name)
    if name in JOURNAL_URLS:
        kwargs = journal_for(world, name)
    if name in JOINING_URLS:
        kwargs = joining_for(world, name)
    if name in ("programme_prompt_edit", "programme_prompt_delete"):
        from revans.journal.models import ProgrammePromptSet

        prompts = ProgrammePromptSet.objects.create(
            programme=world.programme, name="After each meeting", prompts="What moved?"
        )
        kwargs = {"programme_id": world.programme.pk, "prompt_set_id": prompts.pk}
    set_views = (
        "set_",
        "invitation_create",
        "ground_rules",
        "issue_",
        "expectations",
        "schedule_",
        "meeting_create",
        "format_list",
    )
    if name in ("survey", "survey_skip"):
        kwargs = {"set_id": world.aurora.pk, "survey": "start"}
    if name in ("pulse", "pulse_skip"):
        kwargs = {"meeting_id": past_meeting.pk}
    if name.startswith("programme_question"):
        from revans.evaluation.models import ProgrammeQuestion

        question = ProgrammeQuestion.objects.create(programme=world.programme, text="I lead.")
        kwargs = {"programme_id": world.programme.pk}
        if name == "programme_question_delete":
            kwargs["question_id"] = question.pk
    if name.startswith("observation_") and name != "observation_list":
        from revans.development.models import Observation

        observed = Observation.objects.create(meeting=meeting, trainee=world.mo, observer=world.obi)
        kwargs = {"observation_id": observed.pk}
        if name == "observation_arrange":
            kwargs = {"meeting_id": meeting.pk}
    if name.startswith("cohort"):
        ids.update(cohort_for(world))
        keys = ("programme_id", "run_id") if name.startswith("cohort_run_") else ("programme_id",)
        kwargs = {key: ids[key] for key in keys}
    if name in DEVELOPMENT_URLS:
        kwargs = development_for(world, name, ids)
    if name in ("practice_entry_edit", "practice_entry_delete"):
        from revans.development.models import PracticeEntry

        entry = PracticeEntry.objects.create(
            user=world.mo, hours=1, title="Acme", on=timezone.localdate()
        )
        kwargs = {"entry_id": entry.pk}
    if name.startswith("poll_"):
        kwargs = poll_for(world, name, ids)
    if kwargs is None and name.startswith(set_views):
        kwargs = {"set_id": world.aurora.pk} if name not in ("set_create",) else {}
    return reverse(name, kwargs=kwargs or {})


CASES = [(name, role) for name in TABLE for role in ROLES]


@pytest.fixture
def world(world_made_once):
    return world_made_once  # once for the module's many requests (conftest.py)


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_access_table(world, name, role):
    spec = TABLE[name]
    person = PERSON[role] and getattr(world, PERSON[role])
    client = world.client(person)
    ids: dict = {}
    url = url_for(name, world, ids)
    data = spec["data"](ids) if callable(spec["data"]) else spec["data"]
    if spec["method"] == "post":
        response = client.post(url, data)
    else:
        response = client.get(url)
    expected = spec["expected"][role]
    if expected == LOGIN:
        assert response.status_code == 302, f"{role} GET {url}"
        assert response["Location"].startswith(reverse("account_login")), response["Location"]
    else:
        assert response.status_code == expected, f"{role} {spec['method'].upper()} {url}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ADMIN_SAMPLES)
def test_admin_is_for_staff_only(world, name, role):
    person = PERSON[role] and getattr(world, PERSON[role])
    response = world.client(person).get(reverse(name))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_admin_has_no_set_content(world):
    from django.contrib import admin

    registered = {model._meta.label for model in admin.site._registry}
    assert not registered & {
        "sets.Issue",
        "sets.GroundRules",
        "sets.GroundRulesAgreement",
        "sets.Expectations",
    }
