"""Kinds of issue: a work project or how one operates, each with its guiding questions, kept
as answers by question key; the checks that help a member choose a suitable issue."""

from importlib import import_module

import pytest
from django.urls import reverse

from revans.sets.models import Issue
from revans.sets.questions import MAX_ANSWER, shipped


def create_url(world, kind: str = "") -> str:
    url = reverse("issue_create", args=[world.aurora.pk])
    return f"{url}?kind={kind}" if kind else url


def test_the_shipped_kinds_are_the_models_kinds():
    assert [kind.key for kind in shipped().kinds] == list(Issue.Kind.values)
    for kind in shipped().kinds:
        assert kind.asked, f"{kind.key} asks no questions"


def test_the_migration_makes_existing_issues_work_projects(world):
    migration = import_module("revans.sets.migrations.0005_issue_kinds_expectations").Migration
    [add_kind] = [op for op in migration.operations if getattr(op, "name", "") == "kind"]
    assert add_kind.field.default == Issue.Kind.PROJECT
    # An issue made without a kind (as every issue before kinds was) is a work project.
    world.mo_issue.refresh_from_db()
    assert world.mo_issue.kind == Issue.Kind.PROJECT
    assert world.mo_issue.answers == {}


def test_the_form_asks_the_kind_first_with_each_explained(world):
    response = world.client(world.mo).get(create_url(world))
    html = response.content.decode()
    assert response.status_code == 200
    assert "What kind of issue is it?" in html
    for kind in shipped().kinds:
        assert kind.label in html and kind.summary in html
    # The check that helps choose well: guidance, before any form is filled in.
    assert "Is it a good issue for the set?" in html
    assert "a problem, not a puzzle" in html
    assert 'method="get"' in html  # works without JavaScript


@pytest.mark.parametrize("kind", ["project", "operating"])
def test_each_kind_asks_its_own_questions(world, kind):
    response = world.client(world.mo).get(create_url(world, kind))
    html = response.content.decode()
    mine = shipped().kind(kind)
    other = next(k for k in shipped().kinds if k.key != kind)
    assert mine is not None
    for question in mine.asked:
        assert question.text in html
    for question in other.asked:
        assert question.text not in html
    assert f'name="kind" value="{kind}"' in html
    assert f"?kind={other.key}" in html  # the other kind, a link away


def test_an_unknown_kind_in_the_address_asks_the_kind_again(world):
    response = world.client(world.mo).get(create_url(world, "puzzle"))
    assert "What kind of issue is it?" in response.content.decode()


def test_member_brings_a_how_i_operate_issue_with_answers(world):
    Issue.objects.all().delete()
    response = world.client(world.mo).post(
        create_url(world),
        {
            "kind": "operating",
            "title": "I say yes to everything",
            "status": "open",
            "q_what_happens": "Last week I took on two more projects.",
            "q_different": "  ",
            "c_can_act": "yes",
        },
    )
    issue = Issue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == issue.get_absolute_url()
    assert issue.kind == Issue.Kind.OPERATING
    assert issue.answers == {
        "what_happens": "Last week I took on two more projects.",
        "can_act": "yes",
    }


def test_the_issue_page_shows_the_answers_to_the_people_in_the_set(world):
    world.mo_issue.answers = {"achieve": "One rota for both teams.", "tried": "A joint away day."}
    world.mo_issue.save()
    for person in (world.mo, world.fran, world.obi):
        html = world.client(person).get(world.mo_issue.get_absolute_url()).content.decode()
        assert "What are you trying to achieve?" in html
        assert "One rota for both teams." in html
        assert "A joint away day." in html
        assert "A work project" in html


def test_the_issue_page_is_set_content(world):
    url = world.mo_issue.get_absolute_url()
    for person in (world.pam, world.oli, world.nia):
        assert world.client(person).get(url).status_code == 404
    through_another_set = reverse("issue_detail", args=[world.beacon.pk, world.mo_issue.pk])
    assert world.client(world.mo).get(through_another_set).status_code == 404


def test_a_check_warns_the_owner_but_never_blocks(world):
    Issue.objects.all().delete()
    response = world.client(world.mo).post(
        create_url(world),
        {
            "kind": "project",
            "title": "The council's budget",
            "status": "open",
            "c_can_act": "no",
            "c_known_answer": "yes",
        },
    )
    assert response.status_code == 302
    issue = Issue.objects.get()
    owner_html = world.client(world.mo).get(issue.get_absolute_url()).content.decode()
    for check in shipped().checks:
        assert check.warning in owner_html
    others_html = world.client(world.fran).get(issue.get_absolute_url()).content.decode()
    assert shipped().checks[0].warning not in others_html


def test_the_check_warning_is_in_the_form_once_chosen(world):
    world.mo_issue.answers = {"can_act": "no"}
    world.mo_issue.save()
    html = world.client(world.mo).get(
        reverse("issue_edit", args=[world.aurora.pk, world.mo_issue.pk])
    )
    html = html.content.decode()
    can_act, known_answer = shipped().checks
    shown = html.split(can_act.warning)[0].rsplit("<p", 1)[1]
    assert "hidden" not in shown
    hidden = html.split(known_answer.warning)[0].rsplit("<p", 1)[1]
    assert "hidden" in hidden


def test_changing_the_kind_keeps_the_other_kinds_answers(world):
    world.mo_issue.answers = {"achieve": "One rota for both teams."}
    world.mo_issue.save()
    client = world.client(world.mo)
    edit = reverse("issue_edit", args=[world.aurora.pk, world.mo_issue.pk])
    html = client.get(f"{edit}?kind=operating").content.decode()
    assert "What happens?" in html and "What are you trying to achieve?" not in html
    response = client.post(
        edit,
        {
            "kind": "operating",
            "title": world.mo_issue.title,
            "status": "open",
            "q_what_happens": "I fix the rota myself every Friday.",
        },
    )
    assert response.status_code == 302
    world.mo_issue.refresh_from_db()
    assert world.mo_issue.kind == Issue.Kind.OPERATING
    assert world.mo_issue.answers == {
        "achieve": "One rota for both teams.",
        "what_happens": "I fix the rota myself every Friday.",
    }
    page = client.get(world.mo_issue.get_absolute_url()).content.decode()
    assert "Answers from before the kind was changed" in page
    assert "One rota for both teams." in page


def test_clearing_an_answer_removes_it(world):
    world.mo_issue.answers = {"achieve": "One rota.", "tried": "An away day."}
    world.mo_issue.save()
    world.client(world.mo).post(
        reverse("issue_edit", args=[world.aurora.pk, world.mo_issue.pk]),
        {"kind": "project", "title": "T", "status": "open", "q_achieve": "One rota."},
    )
    world.mo_issue.refresh_from_db()
    assert world.mo_issue.answers == {"achieve": "One rota."}


def test_an_over_long_answer_is_refused_and_nothing_is_saved(world):
    before = Issue.objects.count()
    response = world.client(world.mo).post(
        create_url(world),
        {
            "kind": "project",
            "title": "A long one",
            "status": "open",
            "q_achieve": "x" * (MAX_ANSWER + 1),
        },
    )
    assert response.status_code == 200
    assert f"Keep each answer to {MAX_ANSWER} characters or fewer" in response.content.decode()
    assert Issue.objects.count() == before


@pytest.mark.parametrize("field", [{"kind": "puzzle"}, {"c_can_act": "perhaps"}])
def test_a_bad_kind_or_check_answer_is_refused_with_a_message(world, field):
    before = Issue.objects.count()
    data = {"kind": "project", "title": "An issue", "status": "open", **field}
    response = world.client(world.mo).post(create_url(world), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose the kind of issue" in html or "Select a valid choice" in html
    assert Issue.objects.count() == before


def test_an_edit_from_before_kinds_keeps_the_issues_kind(world):
    Issue.objects.filter(pk=world.mo_issue.pk).update(kind=Issue.Kind.OPERATING)
    world.client(world.mo).post(
        reverse("issue_edit", args=[world.aurora.pk, world.mo_issue.pk]),
        {"title": "Still me", "status": "open"},
    )
    world.mo_issue.refresh_from_db()
    assert (world.mo_issue.title, world.mo_issue.kind) == ("Still me", Issue.Kind.OPERATING)


def test_facilitators_and_observers_bring_no_issue(world):
    for person in (world.fran, world.obi):
        assert world.client(person).get(create_url(world, "project")).status_code == 404


def test_the_set_page_names_each_issues_kind_and_links_to_it(world):
    html = world.client(world.fran).get(reverse("set_detail", args=[world.aurora.pk]))
    html = html.content.decode()
    assert "A work project" in html
    assert world.mo_issue.get_absolute_url() in html
