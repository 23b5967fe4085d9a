"""The start and end surveys: a member answers for themselves, once (answering again updates),
may say "Not now"; out-of-range answers and closed surveys are refused and nothing is saved."""

from html import unescape

import pytest
from django.urls import reverse

from revans.evaluation import services
from revans.evaluation.models import Answer, ProgrammeQuestion, Response, Survey
from revans.evaluation.offers import END_NOT_YET, START_CLOSED
from revans.meetings.testing import make_meeting
from revans.sets.models import Set


def text(response) -> str:
    return unescape(response.content.decode())


def url(world, survey="start"):
    return reverse("survey", args=[world.aurora.pk, survey])


def test_a_member_sees_every_question_with_its_anchors(world):
    response = world.client(world.mo).get(url(world))
    assert response.status_code == 200
    page = text(response)
    assert "I know what my own development challenges are." in page
    assert "In my set I can say what I really think" in page
    assert page.count('type="radio"') == 8 * 5
    assert "<legend>" in page and "Not at all" in page and "Clearly" in page
    assert "Only you will ever see this" in page
    assert "What did you value most?" not in page  # the end survey's


def test_answering_saves_one_response_with_its_answers(world):
    client = world.client(world.mo)
    response = client.post(url(world), {"aware": "2", "confident": "4", "comment": " Mine "})
    assert response.status_code == 302
    assert response["Location"] == world.aurora.get_absolute_url()
    saved = Response.objects.get(user=world.mo, set=world.aurora, survey=Survey.START)
    assert saved.comment == "Mine" and not saved.skipped
    assert {a.question: a.value for a in saved.answers.all()} == {"aware": 2, "confident": 4}


def test_answering_twice_updates_and_never_duplicates(world):
    client = world.client(world.mo)
    client.post(url(world), {"aware": "2", "confident": "4"})
    response = client.post(url(world), {"aware": "5"}, follow=True)
    assert "Your answers are updated." in text(response)
    saved = Response.objects.get(user=world.mo, survey=Survey.START)
    assert {a.question: a.value for a in saved.answers.all()} == {"aware": 5}
    assert Response.objects.count() == 1
    # The page shows the answers given, to change.
    page = text(client.get(url(world)))
    assert 'value="5" checked' in page


@pytest.mark.parametrize("value", ["0", "6", "3.5", "three", "-1"])
def test_an_answer_off_the_scale_is_refused_and_nothing_saved(world, value):
    response = world.client(world.mo).post(url(world), {"aware": value, "confident": "3"})
    assert response.status_code == 200
    assert "Choose a point from 1 to 5." in text(response)
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_an_empty_survey_is_refused_with_a_message(world):
    response = world.client(world.mo).post(url(world), {})
    assert "Answer at least one question" in text(response)
    assert not Response.objects.exists()


def test_the_service_refuses_what_the_form_would_not_send(world):
    from django.core.exceptions import ValidationError

    for answers in ({"aware": 9}, {"aware": True}, {"nonsense": 3}, {"aware": "3"}):
        with pytest.raises(ValidationError):
            services.do_answer_survey(world.mo_in_aurora, Survey.START, answers)
    assert not Response.objects.exists()


def test_a_facilitator_or_observer_cannot_answer_through_the_service(world):
    from django.core.exceptions import ValidationError

    for membership in (world.fran_in_aurora, world.obi_in_aurora):
        with pytest.raises(ValidationError):
            services.do_answer_survey(membership, Survey.START, {"aware": 3})


@pytest.mark.parametrize("person", ["fran", "obi", "pam", "nia", "oli"])
def test_everyone_but_the_sets_members_gets_404(world, person):
    client = world.client(getattr(world, person))
    assert client.get(url(world)).status_code == 404
    assert client.post(url(world), {"aware": "3"}).status_code == 404
    assert client.post(reverse("survey_skip", args=[world.aurora.pk, "start"])).status_code == 404
    assert not Response.objects.exists()


def test_an_unknown_survey_is_404(world):
    assert world.client(world.mo).get(url(world, "middle")).status_code == 404


def test_the_start_survey_is_closed_once_the_set_has_closed(world):
    Set.objects.filter(pk=world.aurora.pk).update(status=Set.Status.CLOSED)
    client = world.client(world.mo)
    assert START_CLOSED in text(client.get(url(world)))
    response = client.post(url(world), {"aware": "3"}, follow=True)
    assert START_CLOSED in text(response)
    assert not Response.objects.exists()


def test_the_end_survey_waits_for_the_last_meeting_to_be_near(world):
    make_meeting(world.aurora, 1, days=-30)
    make_meeting(world.aurora, 2, days=60)
    client = world.client(world.mo)
    assert END_NOT_YET in text(client.get(url(world, "end")))
    client.post(url(world, "end"), {"aware": "3"})
    assert not Response.objects.exists()


def test_the_end_survey_asks_what_they_valued_and_whether_they_would_recommend(world):
    make_meeting(world.aurora, 1, days=-30)
    make_meeting(world.aurora, 2, days=7)
    client = world.client(world.mo)
    page = text(client.get(url(world, "end")))
    assert "What did you value most?" in page
    assert "Would you recommend action learning to a colleague?" in page
    assert "unattributed" in page
    client.post(
        url(world, "end"),
        {"aware": "4", "value_most": "Being heard", "recommend": "5", "share_theme": "on"},
    )
    saved = Response.objects.get(survey=Survey.END)
    assert saved.share_theme
    assert {a.question: (a.value, a.text) for a in saved.answers.all()} == {
        "aware": (4, ""),
        "value_most": (None, "Being heard"),
        "recommend": (5, ""),
    }


def test_sharing_needs_something_to_share(world):
    Set.objects.filter(pk=world.aurora.pk).update(status=Set.Status.CLOSED)
    world.client(world.mo).post(url(world, "end"), {"recommend": "4", "share_theme": "on"})
    assert not Response.objects.get(survey=Survey.END).share_theme


def test_the_programmes_own_questions_come_after_the_shipped_ones(world):
    own = ProgrammeQuestion.objects.create(programme=world.programme, text="I lead change well.")
    client = world.client(world.mo)
    page = text(client.get(url(world)))
    assert "Questions from your programme" in page
    assert page.index("In my set I can say") < page.index("I lead change well.")
    client.post(url(world), {own.key: "4"})
    assert Answer.objects.get().question == own.key


def test_not_now_is_remembered_and_answering_later_still_works(world):
    client = world.client(world.mo)
    response = client.post(reverse("survey_skip", args=[world.aurora.pk, "start"]))
    assert response.status_code == 302
    assert Response.objects.get().skipped
    page = text(client.get(world.aurora.get_absolute_url()))
    assert "Start survey" not in page
    client.post(url(world), {"aware": "3"})
    saved = Response.objects.get()
    assert not saved.skipped and saved.answers.count() == 1
    # Not now after answering leaves the answers as they are.
    client.post(reverse("survey_skip", args=[world.aurora.pk, "start"]))
    assert not Response.objects.get().skipped


def test_back_to_the_dashboard_when_opened_from_it(world):
    response = world.client(world.mo).post(url(world), {"aware": "3", "back": "dashboard"})
    assert response["Location"] == reverse("dashboard")
    response = world.client(world.mo).post(url(world), {"aware": "3", "back": "https://evil"})
    assert response["Location"] == world.aurora.get_absolute_url()
