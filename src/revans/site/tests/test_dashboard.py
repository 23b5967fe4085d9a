from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from revans.journal.models import Comment, Share, Submission
from revans.journal.tests.conftest import make_entry, make_log, share
from revans.sets.models import GroundRules, Issue, Membership, Set


def test_dashboard_lists_my_sets_role_and_issue(world):
    html = world.client(world.mo).get(reverse("dashboard")).content.decode()
    assert "Aurora" in html
    assert "Beacon" not in html
    assert world.mo_issue.title in html
    assert "Read and agree the ground rules" in html


def test_dashboard_prompt_disappears_once_agreed(world):
    client = world.client(world.fran)
    assert (
        "Read and agree the ground rules" not in client.get(reverse("dashboard")).content.decode()
    )


def test_programme_manager_sees_their_programmes(world):
    html = world.client(world.pam).get(reverse("dashboard")).content.decode()
    assert "Programmes I manage" in html
    assert "Leading Change" in html
    assert "2 sets" in html


def test_person_in_no_set_is_told_how_to_start(world):
    html = world.client(world.nia).get(reverse("dashboard")).content.decode()
    assert "You are not in a set yet" in html


def test_anonymous_home_goes_to_sign_in(client, db):
    response = client.get("/")
    assert response["Location"] == reverse("account_login")


def test_dashboard_query_count_does_not_grow_with_sets(world, django_assert_max_num_queries):
    """Guards against N+1 queries as a person joins more sets."""
    client = world.client(world.mo)
    for number in range(6):
        set_ = Set.objects.create(name=f"Set {number}", place="Here")
        Membership.objects.create(set=set_, user=world.mo)
        Issue.objects.create(set=set_, owner=world.mo, title=f"Issue {number}")
        GroundRules.objects.create(set=set_, version=1, rules=["Be kind"])
    # 3 the surveys waiting, 1 the sets open to join, 1 the facilitators' programmes
    with django_assert_max_num_queries(18):
        assert client.get(reverse("dashboard")).status_code == 200


# --- "New programme" -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["mo", "fran", "nia"])
def test_people_who_run_no_programme_are_not_offered_a_new_one(world, who):
    html = world.client(getattr(world, who)).get(reverse("dashboard")).content.decode()
    assert reverse("programme_create") not in html
    assert "New set" in html


def test_programme_managers_and_staff_are_offered_a_new_programme(world):
    assert reverse("programme_create") in (
        world.client(world.pam).get(reverse("dashboard")).content.decode()
    )
    world.nia.is_staff = True
    world.nia.save()
    assert reverse("programme_create") in (
        world.client(world.nia).get(reverse("dashboard")).content.decode()
    )


def test_starting_a_programme_still_works_for_someone_not_offered_the_link(world):
    """The link is not an access rule: the page stays open to anyone signed in."""
    assert world.client(world.nia).get(reverse("programme_create")).status_code == 200


# --- learning-log work waiting -------------------------------------------------------------


@pytest.fixture
def assessed(world):
    """mo's log shared with nia as assessor and obi as supervisor, with one saved entry."""
    log = make_log(world.mo)
    entry = make_entry(log, title="After meeting two")
    share(log, world.nia, role="assessor")
    share(log, world.obi, role="supervisor")
    return log, entry


def dashboard(world, who) -> str:
    return world.client(getattr(world, who)).get(reverse("dashboard")).content.decode()


def submit(world, log) -> Submission:
    world.client(world.mo).post(reverse("log_submit", args=[log.pk]))
    return log.submissions.get(status=Submission.Status.SUBMITTED)


def test_assessor_sees_a_version_awaiting_their_decision(world, assessed):
    log, _ = assessed
    submission = submit(world, log)
    html = dashboard(world, "nia")
    assert "To assess" in html
    assert reverse("submission_detail", args=[submission.pk]) in html
    assert "version 1" in html
    world.client(world.nia).post(
        reverse("submission_decide", args=[submission.pk]), {"decision": "sign_off"}
    )
    assert "To assess" not in dashboard(world, "nia")


def test_a_supervisor_is_not_asked_to_assess(world, assessed):
    submit(world, assessed[0])
    assert "To assess" not in dashboard(world, "obi")


def test_author_sees_a_version_returned_with_comments_until_they_submit_again(world, assessed):
    log, _ = assessed
    submission = submit(world, log)
    world.client(world.nia).post(
        reverse("submission_decide", args=[submission.pk]),
        {"decision": "return", "note": "Say more about the silence."},
    )
    html = dashboard(world, "mo")
    assert "Returned with comments" in html
    assert "Say more about the silence." in html
    assert reverse("submission_detail", args=[submission.pk]) in html
    submit(world, log)
    assert "Returned with comments" not in dashboard(world, "mo")


def test_author_sees_new_comments_until_they_open_the_entry(world, assessed):
    _, entry = assessed
    Comment.objects.create(entry=entry, author=world.nia, body="What did you notice?")
    Comment.objects.create(entry=entry, author=world.obi, body="And then?")
    html = dashboard(world, "mo")
    assert "New comments on my logs" in html
    assert "2 new comments" in html
    assert world.client(world.mo).get(entry.get_absolute_url()).status_code == 200
    assert "New comments on my logs" not in dashboard(world, "mo")
    Comment.objects.create(entry=entry, author=world.nia, body="One more.")
    assert "1 new comment " in dashboard(world, "mo")


def test_ones_own_comments_are_never_new(world, assessed):
    _, entry = assessed
    Comment.objects.create(entry=entry, author=world.mo, body="A note for my readers.")
    assert "New comments on my logs" not in dashboard(world, "mo")


def test_reader_sees_the_authors_comments_to_answer(world, assessed):
    _, entry = assessed
    Comment.objects.create(entry=entry, author=world.nia, body="What did you notice?")
    Comment.objects.create(entry=entry, author=world.mo, body="The quiet, mostly.")
    html = dashboard(world, "nia")
    assert "Comments to answer" in html
    assert "Mo on “After meeting two”" in html
    assert "1 new comment " in html
    # Another reader's comment is not theirs to answer.
    Comment.objects.create(entry=entry, author=world.obi, body="Interesting.")
    assert "1 new comment " in dashboard(world, "nia")
    # Answering shows the whole thread: nothing on it is new any more.
    world.client(world.nia).post(
        reverse("comment_create", args=[entry.pk]), {"body": "Say more about the quiet."}
    )
    assert "Comments to answer" not in dashboard(world, "nia")


def test_a_revoked_reader_is_shown_nothing_of_the_log(world, assessed):
    log, entry = assessed
    submit(world, log)
    Comment.objects.create(entry=entry, author=world.mo, body="For my assessor.")
    Share.objects.filter(log=log, user=world.nia).update(revoked_at=timezone.now())
    html = dashboard(world, "nia")
    assert "Waiting for you" not in html
    assert log.title not in html


@pytest.mark.parametrize("who", ["fran", "pam", "gus"])
def test_people_the_log_is_not_shared_with_are_shown_nothing_of_it(world, assessed, who):
    log, entry = assessed
    submit(world, log)
    Comment.objects.create(entry=entry, author=world.mo, body="For my assessor.")
    html = dashboard(world, who)
    assert "Waiting for you" not in html
    assert log.title not in html


def test_comments_on_a_draft_are_not_listed_for_readers(world, assessed):
    log, _ = assessed
    draft = make_entry(log, title="Half a thought", draft=True)
    Comment.objects.create(entry=draft, author=world.mo, body="Not yet.")
    assert "Half a thought" not in dashboard(world, "nia")


def add_waiting_work(world, number: int) -> None:
    """Work waiting both ways between mo and nia, each the other's assessor: a version each to
    assess, one of mo's returned, and comments on both sides."""
    returned = make_log(world.mo, title=f"Log {number}")
    entry = make_entry(returned, title=f"Entry {number}")
    share(returned, world.nia, role="assessor")
    decided = {"decided_by": world.nia, "decided_at": timezone.now() - timedelta(days=1)}
    Submission.objects.create(
        log=returned, number=1, status=Submission.Status.SIGNED_OFF, **decided
    )
    Submission.objects.create(
        log=returned, number=2, status=Submission.Status.RETURNED, decision_note="More.", **decided
    )
    Comment.objects.create(entry=entry, author=world.nia, body="Why?")
    Comment.objects.create(entry=entry, author=world.mo, body="Because.")
    submitted = make_log(world.mo, title=f"Submitted log {number}")
    make_entry(submitted)
    share(submitted, world.nia, role="assessor")
    Submission.objects.create(log=submitted, number=1)
    theirs = make_log(world.nia, title=f"Nia's log {number}")
    their_entry = make_entry(theirs, title=f"Nia's entry {number}")
    share(theirs, world.mo, role="assessor")
    Submission.objects.create(log=theirs, number=1)
    Comment.objects.create(entry=their_entry, author=world.nia, body="Over to you.")
    Comment.objects.create(entry=their_entry, author=world.mo, body="Thanks.")


@pytest.mark.parametrize("who", ["mo", "nia"])
def test_dashboard_query_count_does_not_grow_with_logs(world, who, django_assert_num_queries):
    """Guards against N+1 queries as learning logs, versions and comments pile up: the same
    number of queries for one log each way as for six."""
    client = world.client(getattr(world, who))
    add_waiting_work(world, 0)
    with CaptureQueriesContext(connection) as one:
        html = client.get(reverse("dashboard")).content.decode()
    assert "Waiting for you" in html
    for number in range(1, 6):
        add_waiting_work(world, number)
    with django_assert_num_queries(len(one)):
        html = client.get(reverse("dashboard")).content.decode()
    assert "Log 5" in html and "Log 1" in html


def test_the_waiting_work_takes_three_queries(world, django_assert_num_queries):
    """Three queries a person, whatever they have waiting."""
    from revans.journal.waiting import waiting_for

    for number in range(3):
        add_waiting_work(world, number)
    with django_assert_num_queries(6):
        mine, theirs = waiting_for(world.mo), waiting_for(world.nia)
    assert [len(mine.to_assess), len(mine.returned), len(mine.to_answer)] == [3, 3, 3]
    assert len(mine.new_on_mine) == 3
    assert [len(theirs.to_assess), len(theirs.returned), len(theirs.to_answer)] == [3, 0, 3]
    assert len(theirs.new_on_mine) == 3


def test_coming_up_leaves_out_what_a_facilitators_set_runs_itself(world):
    from datetime import timedelta

    from django.utils import timezone

    from revans.meetings.models import Meeting, MeetingFormat

    for number, facilitated in ((1, True), (2, False)):
        Meeting.objects.create(
            set=world.aurora,
            number=number,
            starts_at=timezone.now() + timedelta(days=7 * number),
            duration_minutes=60,
            format=MeetingFormat.objects.shipped().get(slug="one_hour"),
            facilitated=facilitated,
        )
    fran = world.client(world.fran).get("/dashboard/").context["upcoming"]
    mo = world.client(world.mo).get("/dashboard/").context["upcoming"]
    assert [m.number for m in fran] == [1]
    assert [m.number for m in mo] == [1, 2]


def test_the_programmes_open_sets_are_offered_to_those_taking_part(world):
    from revans.programmes.models import OpenSet
    from revans.sets.models import Membership

    OpenSet.objects.create(set=world.beacon)
    # oli (the trust) is a member of Beacon; nia works for the trust too: her organisation
    # takes part, so she may ask to join.
    for person in (world.nia, world.mo):
        page = world.client(person).get("/dashboard/")
        assert [p.name for p in page.context["joinable"]] == ["Leading Change"]
        assert "1 set open to new members" in page.content.decode()
    # A manager never joins by request; a stranger's organisation takes no part.
    assert world.client(world.pam).get("/dashboard/").context["joinable"] == []
    Membership.objects.filter(
        set__programme=world.programme, user__organisation=world.trust
    ).exclude(user=world.fran).delete()
    world.nia.organisation = None
    world.nia.save()
    assert world.client(world.nia).get("/dashboard/").context["joinable"] == []
    world.beacon.status = "closed"
    world.beacon.save()
    assert world.client(world.mo).get("/dashboard/").context["joinable"] == []


def test_trainers_and_trainees_find_their_facilitators_programme(world, facilitators):
    f = facilitators
    trainee = world.client(f.tara).get(reverse("dashboard")).content.decode()
    assert "Facilitator development" in trainee
    assert reverse("development_my_outcomes", args=[f.programme.pk]) in trainee
    assert reverse("practice_record") in trainee and reverse("observation_list") in trainee
    trainer = world.client(f.tina).get(reverse("dashboard")).content.decode()
    assert reverse("development_programme", args=[f.programme.pk]) in trainer
    assert "your trainees' outcomes" in trainer
    manager = world.client(world.pam).get(reverse("dashboard")).content.decode()
    assert "Training days, trainees and outcomes" in manager
    assert reverse("programme_dashboard", args=[f.programme.pk]) not in manager
    assert reverse("programme_dashboard", args=[world.programme.pk]) in manager
    # Someone who neither facilitates nor trains is not offered a practice record.
    member = world.client(world.mo).get(reverse("dashboard")).content.decode()
    assert "Facilitator development" not in member and reverse("practice_record") not in member


def test_a_member_is_asked_for_their_expectations_before_the_first_meeting(world):
    from revans.meetings.testing import make_meeting
    from revans.sets.models import Expectations

    make_meeting(world.aurora, 1, days=7)
    url = reverse("expectations", args=[world.aurora.pk])
    assert url in world.client(world.mo).get(reverse("dashboard")).content.decode()
    # Not the facilitator, who reads them; not once answered.
    assert url not in world.client(world.fran).get(reverse("dashboard")).content.decode()
    Expectations.objects.create(set=world.aurora, user=world.mo, answers={"hopes": "Clarity"})
    assert url not in world.client(world.mo).get(reverse("dashboard")).content.decode()
