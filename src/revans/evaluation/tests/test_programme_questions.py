"""A programme's own survey questions: its managers add and remove them; nobody else can."""

from html import unescape

import pytest
from django.urls import reverse

from revans.evaluation.models import ProgrammeQuestion, Survey

from .conftest import answer


def text(response) -> str:
    return unescape(response.content.decode())


def url(world):
    return reverse("programme_questions", args=[world.programme.pk])


def test_a_manager_adds_questions_in_order_after_the_shipped_ones(world):
    client = world.client(world.pam)
    page = text(client.get(url(world)))
    assert "I know what my own development challenges are." in page  # shipped, listed
    response = client.post(url(world), {"text": "I lead change.", "kind": "scale"})
    assert response.status_code == 302
    client.post(url(world), {"text": "Anything else?", "kind": "text"})
    assert [(q.text, q.kind, q.position) for q in ProgrammeQuestion.objects.all()] == [
        ("I lead change.", "scale", 1),
        ("Anything else?", "text", 2),
    ]
    assert "I lead change." in text(client.get(url(world)))


@pytest.mark.parametrize(
    "data", [{"text": "", "kind": "scale"}, {"text": "Q?", "kind": "dance"}, {}]
)
def test_bad_questions_are_refused_with_a_message(world, data):
    response = world.client(world.pam).post(url(world), data)
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode() or "errorlist" in response.content.decode()
    assert not ProgrammeQuestion.objects.exists()


@pytest.mark.parametrize("person", ["fran", "mo", "obi", "nia"])
def test_only_the_programmes_managers_reach_its_questions(world, person):
    question = ProgrammeQuestion.objects.create(programme=world.programme, text="I lead.")
    client = world.client(getattr(world, person))
    assert client.get(url(world)).status_code == 404
    assert client.post(url(world), {"text": "Mine", "kind": "scale"}).status_code == 404
    delete = reverse("programme_question_delete", args=[world.programme.pk, question.pk])
    assert client.post(delete).status_code == 404
    assert list(ProgrammeQuestion.objects.values_list("text", flat=True)) == ["I lead."]


def test_a_question_nobody_answered_can_be_removed(world):
    question = ProgrammeQuestion.objects.create(programme=world.programme, text="I lead.")
    delete = reverse("programme_question_delete", args=[world.programme.pk, question.pk])
    response = world.client(world.pam).post(delete, follow=True)
    assert "is no longer asked" in text(response)
    assert not ProgrammeQuestion.objects.exists()


def test_an_answered_question_stays(world):
    question = ProgrammeQuestion.objects.create(programme=world.programme, text="I lead.")
    answer(world.mo_in_aurora, Survey.START, {question.key: 3})
    delete = reverse("programme_question_delete", args=[world.programme.pk, question.pk])
    response = world.client(world.pam).post(delete, follow=True)
    assert "People have answered this question" in text(response)
    assert ProgrammeQuestion.objects.exists()


def test_a_question_of_another_programme_is_404(world):
    from revans.programmes.models import Programme

    other = Programme.objects.create(
        name="Other", sponsor=world.trust, starts_on="2026-01-01", ends_on="2026-12-31"
    )
    theirs = ProgrammeQuestion.objects.create(programme=other, text="Theirs")
    delete = reverse("programme_question_delete", args=[world.programme.pk, theirs.pk])
    assert world.client(world.pam).post(delete).status_code == 404
    assert ProgrammeQuestion.objects.filter(pk=theirs.pk).exists()


def test_the_programme_page_leads_its_managers_to_the_questions(world):
    page = text(world.client(world.pam).get(world.programme.get_absolute_url()))
    assert url(world) in page and "Survey questions" in page
