"""Submitting a log asks first: a page says what submitting means (the version is frozen, the
assessor is told) before the button that does it."""

import pytest
from django.core import mail
from django.urls import reverse

from revans.journal.models import Submission

from .conftest import make_entry, share


def confirm_page(world, log, who="mo"):
    return world.client(getattr(world, who)).get(reverse("log_submit", args=[log.pk]))


def test_the_page_says_what_submitting_means_and_submits_nothing(world, log, entry, draft):
    share(log, world.nia, role="assessor")
    make_entry(log, title="Second", body="Three more words")
    response = confirm_page(world, log)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Submit version 1 for assessment?" in html
    assert "It is frozen." in html
    assert "2 saved entries" in html
    assert "1 draft is not included" in html
    assert "Nia gets an e-mail" in html
    assert 'method="post"' in html
    assert not Submission.objects.exists()
    assert mail.outbox == []


def test_the_button_on_the_page_submits_and_tells_the_assessor(world, log, entry):
    share(log, world.nia, role="assessor")
    client = world.client(world.mo)
    client.get(reverse("log_submit", args=[log.pk]))
    response = client.post(reverse("log_submit", args=[log.pk]))
    assert response["Location"] == reverse("log_history", args=[log.pk])
    assert Submission.objects.get(log=log).number == 1
    assert mail.outbox[0].to == [world.nia.email]


def test_the_next_version_number_is_the_one_offered(world, log, entry):
    Submission.objects.create(log=log, number=1, status=Submission.Status.RETURNED)
    assert "Submit version 2" in confirm_page(world, log).content.decode()


def test_without_an_assessor_the_page_warns_that_nobody_is_told(world, log, entry):
    share(log, world.obi, role="supervisor")
    html = confirm_page(world, log).content.decode()
    assert "No assessor has accepted a share of this log yet" in html
    assert "Obi" not in html


def test_with_nothing_saved_there_is_no_button(world, log, draft):
    html = confirm_page(world, log).content.decode()
    assert "Nothing to submit yet" in html
    assert 'method="post"' not in html.split("<main")[1]


def test_with_a_version_under_assessment_there_is_no_button(world, log, entry):
    Submission.objects.create(log=log, number=1)
    html = confirm_page(world, log).content.decode()
    assert "Version 1 is under assessment" in html
    assert 'method="post"' not in html.split("<main")[1]


def test_the_history_page_leads_to_the_question_not_straight_to_submitting(world, log, entry):
    html = world.client(world.mo).get(reverse("log_history", args=[log.pk])).content.decode()
    assert f'href="{reverse("log_submit", args=[log.pk])}"' in html
    assert f'action="{reverse("log_submit", args=[log.pk])}"' not in html


@pytest.mark.parametrize("who", ["nia", "obi", "fran", "pam"])
def test_only_the_author_is_asked(world, log, entry, who):
    share(log, world.nia, role="assessor")
    share(log, world.obi, role="supervisor")
    assert confirm_page(world, log, who).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, log):
    response = client.get(reverse("log_submit", args=[log.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_missing_log_is_404_and_other_methods_are_refused(world, log, entry):
    client = world.client(world.mo)
    assert client.get(reverse("log_submit", args=[log.pk + 999])).status_code == 404
    assert client.put(reverse("log_submit", args=[log.pk])).status_code == 405
    assert client.delete(reverse("log_submit", args=[log.pk])).status_code == 405


def test_submitting_twice_makes_one_version(world, log, entry):
    client = world.client(world.mo)
    client.post(reverse("log_submit", args=[log.pk]))
    response = client.post(reverse("log_submit", args=[log.pk]), follow=True)
    assert "already under assessment" in response.content.decode()
    assert Submission.objects.filter(log=log).count() == 1
