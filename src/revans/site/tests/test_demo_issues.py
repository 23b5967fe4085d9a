"""The demo's issues of both kinds and the expectations given before a first meeting."""

from django.urls import reverse

from revans.accounts.models import User
from revans.sets.models import Expectations, Issue, Set
from revans.site.demo import load_demo
from revans.site.demo_issues import load_issue_kinds_and_expectations


def counts():
    return [
        Issue.objects.count(),
        Issue.objects.exclude(answers={}).count(),
        Expectations.objects.count(),
    ]


def test_the_demo_issues_and_expectations_load_once(db):
    load_demo(cohort=False, council=False)
    load_issue_kinds_and_expectations()
    first = counts()
    load_issue_kinds_and_expectations()
    assert counts() == first
    assert Issue.objects.filter(kind=Issue.Kind.OPERATING).count() == 2
    assert not Issue.objects.filter(set__programme__name="Leading Change", answers={}).exists()


def test_cedars_facilitator_reads_two_members_answers_and_one_is_waiting(db, client):
    load_demo(cohort=False, council=False)
    load_issue_kinds_and_expectations()
    cedar = Set.objects.get(name="Cedar")
    client.force_login(User.objects.get(email="hal@demo.revans.test"))
    html = client.get(reverse("expectations_list", args=[cedar.pk])).content.decode()
    assert "2 of 3 members have answered" in html
    assert "Lou Taylor" in html
    lou = User.objects.get(email="lou@demo.revans.test")
    client.force_login(lou)
    html = client.get(cedar.get_absolute_url()).content.decode()
    assert "Before your first meeting" in html


def test_an_operating_issue_shows_its_answers(db, client):
    load_demo(cohort=False, council=False)
    load_issue_kinds_and_expectations()
    issue = Issue.objects.get(owner__email="tom@demo.revans.test")
    client.force_login(User.objects.get(email="fran@demo.revans.test"))
    html = client.get(issue.get_absolute_url()).content.decode()
    assert "How I operate" in html and "When does it go well?" in html
