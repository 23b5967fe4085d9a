"""Garbage posted to every form of Revans: a clear answer, never a 500, nothing half-saved."""

import pytest

from revans.accounts.models import Organisation, User
from revans.evaluation.models import Answer, ProgrammeQuestion, Response
from revans.formation.models import Cohort, Participant, ProposedSet
from revans.journal.models import Comment, Entry, Log, Share, Submission
from revans.programmes.models import Programme
from revans.sets.models import Expectations, GroundRules, Invitation, Issue, Membership, Set

from .test_access import url_for

FIELDS = [
    "name", "programme", "mode", "place", "video_link", "status", "self_facilitated", "facilitate",
    "title", "description", "why_it_matters", "rules", "emails", "role", "version", "sponsor",
    "starts_on", "ends_on", "cadence_weeks", "meeting_format", "manager_emails", "display_name",
    "organisation", "job_title", "time_zone", "line_manager_email", "sector", "password1",
    "password2", "login", "password", "email", "first_date", "first_time", "cadence",
    "interval_weeks", "count", "duration_minutes", "format", "date", "time", "note", "action",
    "presenters", "phase-0", "phase-3-questions", "status-1", "confirm", "preview", "reminders",
    "reminder_days", "question",
    "purpose", "started_on", "period_months", "words_min", "words_max", "template", "sections",
    "entry_date", "section", "meeting", "tags", "prompt_set", "body", "entry", "draft_key",
    "keep_draft", "log", "prompts",
    "file", "size_min", "size_max", "set_count", "max_per_organisation", "seconds",
    "sets_per_facilitator", "facilitator_same_organisation", "weight_organisation",
    "weight_sector", "weight_role_level", "weight_location", "kind", "first", "second", "person",
    "to", "locked", "set", "facilitator", "remove", "keep",
    "meeting_minutes", "set_size_min", "set_size_max", "facilitated_meetings", "contact",
    "facilitated", "open", "decision",
    "aware", "confident", "safety", "useful", "voice", "value_most", "recommend", "comment",
    "share_theme", "back", "text", "kind",
    "hopes", "worries", "for_facilitator", "work_on", "q_achieve", "q_what_happens", "c_can_act",
]  # fmt: skip
GARBAGE = {
    "null bytes": "\x00\x00",
    "huge": "x" * 100_000,
    "markup": "<script>alert(1)</script>",
    "negative": "-1",
    "unicode": "\u202e\U0001f600\ufffd",
    "sql": "1; DROP TABLE sets_set; --",
    "big number": "99999999999999999999999",
}
# (view, who posts): every view that accepts POST, as someone allowed to use it.
FORMS = [
    ("set_create", "nia"),
    ("set_edit", "fran"),
    ("invitation_create", "fran"),
    ("invitation_revoke", "fran"),
    ("membership_role", "fran"),
    ("membership_remove", "fran"),
    ("ground_rules_edit", "fran"),
    ("ground_rules_agree", "mo"),
    ("issue_create", "mo"),
    ("issue_edit", "mo"),
    ("expectations", "mo"),
    ("invitation_join", "nia"),
    ("invitation_accept", None),
    ("schedule_create", "fran"),
    ("meeting_create", "fran"),
    ("meeting_edit", "fran"),
    ("meeting_cancel", "fran"),
    ("meeting_facilitation", "fran"),
    ("meeting_apologies", "mo"),
    ("meeting_attendance", "fran"),
    ("format_copy", "fran"),
    ("format_edit", "fran"),
    ("calendar_reset", "mo"),
    ("practice_scenario", "nia"),
    ("practice_reset", "nia"),
    ("programme_create", "nia"),
    ("programme_edit", "pam"),
    ("profile", "mo"),
    ("organisation_list", "nia"),
    ("account_login", None),
    ("account_signup", None),
    ("account_reset_password", None),
    ("log_create", "mo"),
    ("log_edit", "mo"),
    ("entry_create", "mo"),
    ("entry_edit", "mo"),
    ("entry_autosave", "mo"),
    ("entry_preview", "mo"),
    ("entry_delete", "mo"),
    ("attachment_upload", "mo"),
    ("sketch_upload", "mo"),
    ("attachment_delete", "mo"),
    ("log_sharing", "mo"),
    ("share_create", "mo"),
    ("share_resend", "mo"),
    ("share_revoke", "mo"),
    ("share_accept", None),
    ("comment_create", "mo"),
    ("log_submit", "mo"),
    ("submission_decide", "mo"),
    ("meeting_reflect", "mo"),
    ("programme_prompts", "pam"),
    ("programme_prompt_edit", "pam"),
    ("programme_prompt_delete", "pam"),
    ("cohort_import", "pam"),
    ("cohort_import_confirm", "pam"),
    ("cohort_settings", "pam"),
    ("cohort_pairs", "pam"),
    ("cohort_pair_remove", "pam"),
    ("cohort_run", "pam"),
    ("cohort_run_cancel", "pam"),
    ("cohort_move", "pam"),
    ("cohort_lock", "pam"),
    ("cohort_facilitator", "pam"),
    ("cohort_facilitators_suggest", "pam"),
    ("cohort_pool", "pam"),
    ("cohort_accept", "pam"),
    ("join_request_create", "nia"),
    ("set_opening", "pam"),
    ("join_request_decide", "fran"),
    ("survey", "mo"),
    ("survey_skip", "mo"),
    ("pulse", "mo"),
    ("pulse_skip", "mo"),
    ("programme_questions", "pam"),
    ("programme_question_delete", "pam"),
    ("poll_create", "mo"),
    ("poll_answer", "mo"),
    ("poll_choose", "fran"),
    ("poll_close", "fran"),
    ("poll_answer_link", None),
]


def snapshot():
    return [
        model.objects.count()
        for model in (
            User,
            Organisation,
            Programme,
            Set,
            Membership,
            Issue,
            GroundRules,
            Invitation,
            Expectations,
            Log,
            Entry,
            Share,
            Submission,
            Comment,
            Cohort,
            Participant,
            ProposedSet,
            Response,
            Answer,
            ProgrammeQuestion,
        )
    ]


@pytest.fixture
def world(world_made_once):
    return world_made_once  # once for the module's many requests (conftest.py)


@pytest.mark.parametrize("kind", GARBAGE)
@pytest.mark.parametrize(("name", "who"), FORMS)
def test_garbage_never_gives_a_server_error(world, name, who, kind):
    client = world.client(who and getattr(world, who))
    url = url_for(name, world)
    before = snapshot()
    response = client.post(url, {field: GARBAGE[kind] for field in FIELDS})
    assert response.status_code < 500
    assert b"<script>alert(1)</script>" not in response.content
    takes_no_input = (
        "membership_remove",
        "invitation_revoke",
        "meeting_cancel",
        "calendar_reset",
        "entry_delete",
        "share_resend",
        "share_revoke",
        "log_submit",
        "programme_prompt_delete",
        "survey_skip",
        "pulse_skip",
        "programme_question_delete",
    )
    if kind in ("null bytes", "huge") and name not in takes_no_input:
        # No field accepts these, so nothing may be saved (those two views take no input).
        assert snapshot() == before, f"{name} saved something from {kind!r} garbage"


@pytest.mark.parametrize(("name", "who"), FORMS)
def test_an_empty_post_never_gives_a_server_error(world, name, who):
    client = world.client(who and getattr(world, who))
    response = client.post(url_for(name, world), {})
    assert response.status_code < 500


@pytest.mark.parametrize(
    "path", ["/sets/abc/", "/sets/99999999999999999999999/", "/invitations/%00/"]
)
def test_malformed_urls_answer_404(world, path):
    assert world.client(world.mo).get(path).status_code == 404
