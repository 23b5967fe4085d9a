"""Creating a facilitators' programme from the programme form, finding it from the programme's
page, and the dashboard's list of one's facilitators' programmes."""

from html import unescape

from django.urls import reverse

from revans.development.dashboard import programmes_for
from revans.development.models import Participant
from revans.programmes.models import Programme

VALID = {
    "name": "Facilitating Together",
    "description": "Five days and practice sets.",
    "starts_on": "2027-01-10",
    "ends_on": "2027-06-10",
    "cadence_weeks": "4",
    "meeting_format": "one_hour",
    "meeting_minutes": "60",
    "set_size_min": "4",
    "set_size_max": "8",
    "facilitated_meetings": "",
    "contact": "",
    "manager_emails": "",
}


def test_the_create_form_offers_both_kinds(world):
    page = unescape(world.client(world.nia).get(reverse("programme_create")).content.decode())
    assert "Action learning sets" in page and "Facilitator development" in page


def test_a_facilitators_programme_is_created_with_the_shipped_outcomes(world):
    data = {**VALID, "sponsor": world.trust.pk, "kind": "development"}
    response = world.client(world.nia).post(reverse("programme_create"), data)
    assert response.status_code == 302
    programme = Programme.objects.get(name="Facilitating Together")
    assert programme.kind == Programme.Kind.DEVELOPMENT
    assert programme.outcomes.count() == 5
    page = world.client(world.nia).get(programme.get_absolute_url()).content.decode()
    link = reverse("development_programme", args=[programme.pk])
    assert f'href="{link}"' in page
    assert world.client(world.nia).get(link).status_code == 200


def test_a_programme_is_of_sets_unless_asked_otherwise(world):
    response = world.client(world.nia).post(
        reverse("programme_create"), {**VALID, "sponsor": world.trust.pk}
    )
    assert response.status_code == 302
    programme = Programme.objects.get(name="Facilitating Together")
    assert programme.kind == Programme.Kind.SETS and not programme.outcomes.exists()
    page = world.client(world.nia).get(programme.get_absolute_url()).content.decode()
    assert "/development/" not in page


def test_a_kind_that_is_not_one_is_refused(world):
    data = {**VALID, "sponsor": world.trust.pk, "kind": "circus"}
    response = world.client(world.nia).post(reverse("programme_create"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Programme.objects.filter(name="Facilitating Together").exists()


def test_a_programme_keeps_its_kind_when_its_settings_change(facilitators):
    f = facilitators
    url = reverse("programme_edit", args=[f.programme.pk])
    data = {**VALID, "sponsor": f.world.council.pk, "kind": "sets"}
    assert f.world.client(f.world.pam).post(url, data).status_code == 302
    f.programme.refresh_from_db()
    assert f.programme.kind == Programme.Kind.DEVELOPMENT
    assert f.programme.name == "Facilitating Together"


def test_programmes_for_lists_each_persons_facilitators_programmes_with_their_part(facilitators):
    f = facilitators
    Participant.objects.create(programme=f.programme, user=f.world.pam, role="trainer")
    assert [(p.programme, p.role) for p in programmes_for(f.tara)] == [(f.programme, "trainee")]
    assert [(p.programme, p.role) for p in programmes_for(f.tina)] == [(f.programme, "trainer")]
    assert [(p.programme, p.role) for p in programmes_for(f.world.pam)] == [
        (f.programme, "trainer")
    ]
    assert programmes_for(f.world.nia) == []
    assert programmes_for(f.world.mo) == []  # a programme of sets is not listed
    assert programmes_for(f.tara)[0].url == reverse(
        "development_my_outcomes", args=[f.programme.pk]
    )
    assert programmes_for(f.tina)[0].url == reverse("development_programme", args=[f.programme.pk])
    assert programmes_for(f.tina)[0].role_label == "Trainer"
