"""Submitting a log for assessment, the assessor's decision, the log's history of versions, and
comments on entries by the author and the log's readers."""

from django.urls import reverse

from revans.journal.models import Comment, Submission

from .conftest import make_entry, share


def submit(world, log):
    return world.client(world.mo).post(reverse("log_submit", args=[log.pk]), follow=True)


def decide(client, submission, decision, note=""):
    return client.post(
        reverse("submission_decide", args=[submission.pk]), {"decision": decision, "note": note}
    )


# --- submitting --------------------------------------------------------------------------


def test_a_log_with_no_saved_entry_cannot_be_submitted(world, log, draft):
    response = submit(world, log)
    assert "nothing to submit yet" in response.content.decode()
    assert not Submission.objects.exists()


def test_submitting_freezes_the_saved_entries_and_tells_the_assessors(
    world, log, entry, draft, mailoutbox
):
    share(log, world.nia, role="assessor")
    share(log, world.obi, role="supervisor")
    response = submit(world, log)
    assert "Version 1 is submitted" in response.content.decode()
    submission = log.submissions.get()
    assert submission.number == 1 and submission.status == "submitted"
    assert [e["title"] for e in submission.snapshot["entries"]] == [entry.title]  # no draft
    assert [m.to for m in mailoutbox] == [["nia@example.org"]]  # the assessor, not the supervisor
    assert reverse("submission_detail", args=[submission.pk]) in mailoutbox[0].body


def test_submitting_with_no_assessor_yet_says_so(world, log, entry, mailoutbox):
    response = submit(world, log)
    assert "no assessor has accepted a share" in response.content.decode()
    assert log.submissions.count() == 1 and mailoutbox == []


def test_while_under_assessment_the_owner_keeps_writing_but_cannot_submit_again(world, log, entry):
    submit(world, log)
    response = submit(world, log)
    assert "already under assessment" in response.content.decode()
    assert log.submissions.count() == 1
    html = world.client(world.mo).get(log.get_absolute_url()).content.decode()
    assert "Version 1 is under assessment" in html and "New entry" in html
    assert world.client(world.mo).get(reverse("entry_create", args=[log.pk])).status_code == 200


# --- deciding ----------------------------------------------------------------------------


def test_the_assessor_signs_it_off_and_the_author_is_told(world, log, entry, mailoutbox):
    share(log, world.nia, role="assessor")
    submit(world, log)
    submission = log.submissions.get()
    nia = world.client(world.nia)
    page = nia.get(reverse("submission_detail", args=[submission.pk])).content.decode()
    assert "Sign it off" in page
    response = decide(nia, submission, "sign_off", "A thoughtful log.")
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "signed_off" and submission.decided_by == world.nia
    assert mailoutbox[-1].to == ["mo@example.org"]
    assert "signed off" in mailoutbox[-1].body and "A thoughtful log." in mailoutbox[-1].body
    # Decided once: a second decision changes nothing.
    decide(nia, submission, "return", "Changed my mind")
    submission.refresh_from_db()
    assert submission.status == "signed_off" and len(mailoutbox) == 2


def test_the_assessor_returns_it_with_a_note_and_the_author_submits_again(
    world, log, entry, mailoutbox
):
    share(log, world.nia, role="assessor")
    submit(world, log)
    submission = log.submissions.get()
    nia = world.client(world.nia)
    response = decide(nia, submission, "return", "   ")
    assert response.status_code == 400 and "Say what to change" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == "submitted"
    decide(nia, submission, "return", "Say more about your questions.")
    submission.refresh_from_db()
    assert submission.status == "returned"
    assert "returned for changes" in mailoutbox[-1].body
    make_entry(log, title="On my questions", body="I asked fewer closed questions.")
    submit(world, log)
    assert list(log.submissions.values_list("number", "status")) == [
        (2, "submitted"),
        (1, "returned"),
    ]


def test_a_supervisor_reads_but_cannot_sign_off(world, log, entry):
    share(log, world.obi, role="supervisor")
    submit(world, log)
    submission = log.submissions.get()
    obi = world.client(world.obi)
    page = obi.get(reverse("submission_detail", args=[submission.pk]))
    assert page.status_code == 200 and "Sign it off" not in page.content.decode()
    assert decide(obi, submission, "sign_off").status_code == 404
    assert decide(world.client(world.mo), submission, "sign_off").status_code == 404
    submission.refresh_from_db()
    assert submission.status == "submitted"


def test_a_bad_decision_is_refused(world, log, entry):
    share(log, world.nia, role="assessor")
    submit(world, log)
    submission = log.submissions.get()
    response = decide(world.client(world.nia), submission, "approve-everything")
    assert response.status_code == 400
    submission.refresh_from_db()
    assert submission.status == "submitted"


# --- history -----------------------------------------------------------------------------


def test_the_history_lists_each_version_with_its_decision(world, log, entry):
    share(log, world.nia, role="assessor")
    submit(world, log)
    first = log.submissions.get()
    decide(world.client(world.nia), first, "return", "Add your results.")
    submit(world, log)
    for person in (world.mo, world.nia):
        html = world.client(person).get(reverse("log_history", args=[log.pk])).content.decode()
        assert "Version 1" in html and "Version 2" in html
        assert "Returned for changes" in html and "Add your results." in html
        assert "Under assessment" in html


def test_a_frozen_version_is_read_only_sanitised_and_keeps_its_text(world, log):
    entry = make_entry(log, title="Risky", body="Hello <script>alert(1)</script> **bold**")
    submit(world, log)
    submission = log.submissions.get()
    entry.body = "Rewritten later"
    entry.save()
    html = world.client(world.mo).get(reverse("submission_detail", args=[submission.pk]))
    html = html.content.decode()
    assert "<strong>bold</strong>" in html and "<script>alert(1)" not in html
    assert "Rewritten later" not in html
    assert reverse("entry_edit", args=[entry.pk]) not in html


# --- comments ----------------------------------------------------------------------------


def test_the_assessor_comments_and_the_owner_sees_it_and_replies(world, log, entry):
    share(log, world.nia, role="assessor")
    nia, mo = world.client(world.nia), world.client(world.mo)
    url = reverse("comment_create", args=[entry.pk])
    response = nia.post(url, {"body": "What did the silence tell you?"})
    assert response.status_code == 302
    owner_page = mo.get(entry.get_absolute_url()).content.decode()
    assert "What did the silence tell you?" in owner_page and "Assessor" in owner_page
    mo.post(url, {"body": "That they were thinking."})
    reader_page = nia.get(entry.get_absolute_url()).content.decode()
    assert "That they were thinking." in reader_page
    assert [c.author for c in Comment.objects.all()] == [world.nia, world.mo]


def test_a_comment_during_assessment_belongs_to_the_submission(world, log, entry):
    share(log, world.nia, role="assessor")
    submit(world, log)
    submission = log.submissions.get()
    world.client(world.nia).post(
        reverse("comment_create", args=[entry.pk]), {"body": "Good example."}
    )
    assert Comment.objects.get().submission == submission
    html = world.client(world.mo).get(reverse("submission_detail", args=[submission.pk]))
    assert "Good example." in html.content.decode()


def test_a_comment_by_htmx_answers_the_comments_alone(world, log, entry):
    share(log, world.nia)
    response = world.client(world.nia).post(
        reverse("comment_create", args=[entry.pk]), {"body": "Noted"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="comments"' in html and "Noted" in html
    assert "<html" not in html


def test_an_empty_or_oversized_comment_is_refused(world, log, entry):
    share(log, world.nia)
    nia = world.client(world.nia)
    url = reverse("comment_create", args=[entry.pk])
    response = nia.post(url, {"body": "   "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "Write a comment first." in response.content.decode()
    response = nia.post(url, {"body": "x" * 10_001}, follow=True)
    assert "at most 10000 characters" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_draft_takes_no_comments(world, log, draft):
    response = world.client(world.mo).post(
        reverse("comment_create", args=[draft.pk]), {"body": "Note to self"}, follow=True
    )
    assert "Drafts take no comments" in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_are_shown_only_to_people_who_read_the_log(world, log, entry):
    share(log, world.nia)
    world.client(world.nia).post(reverse("comment_create", args=[entry.pk]), {"body": "Private"})
    assert world.client(world.fran).get(entry.get_absolute_url()).status_code == 404
    assert Comment.objects.visible_to(world.fran).count() == 0


def test_entry_comments_query_count_does_not_grow_with_comments(world, log, entry):
    """Guards against N+1 queries as comments pile up under an entry."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    share(log, world.nia, role="assessor")
    share(log, world.obi, role="supervisor")
    client = world.client(world.mo)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(entry.get_absolute_url()).status_code == 200
        return len(captured)

    Comment.objects.create(entry=entry, author=world.nia, body="One")
    few = queries()
    submit(world, log)
    for number in range(10):
        for person in (world.nia, world.obi, world.mo):
            Comment.objects.create(entry=entry, author=person, body=f"Comment {number}")
    assert queries() == few
