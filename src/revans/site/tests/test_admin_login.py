"""The admin is reached through Revans' own sign-in (two-factor code and allauth's limits), never
through the admin's password form."""

from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.urls import reverse

from revans.site.testing import PASSWORD, make_person

pytestmark = pytest.mark.django_db


def test_signed_out_the_admin_sends_people_to_revans_sign_in_and_back(client):
    to_admin_login = client.get(reverse("admin:index"))
    assert to_admin_login.status_code == 302
    assert to_admin_login["Location"].startswith(reverse("admin:login"))

    response = client.get(to_admin_login["Location"])

    assert response.status_code == 302
    where = urlsplit(response["Location"])
    assert where.path == reverse("account_login")
    assert parse_qs(where.query)["next"] == [reverse("admin:index")]


def test_a_password_posted_to_the_admins_form_signs_nobody_in(client):
    operator = make_person("operator", is_staff=True, is_superuser=True)
    response = client.post(
        reverse("admin:login"), {"username": operator.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_login")
    assert client.get(reverse("admin:index")).status_code == 302


def test_an_operator_with_two_factor_is_asked_for_the_code_before_the_admin(client):
    """The hole this closes: with the admin's form, a staff password alone was enough."""
    operator = make_person("operator", is_staff=True, is_superuser=True)
    Authenticator.objects.create(
        user=operator, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    response = client.post(
        reverse("account_login"),
        {"login": operator.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("admin:index")).status_code == 302


def test_signed_in_staff_go_on_to_the_page_they_asked_for(client):
    client.force_login(make_person("operator", is_staff=True, is_superuser=True))
    wanted = reverse("admin:accounts_organisation_changelist")
    response = client.get(reverse("admin:login"), {"next": wanted})
    assert response.status_code == 302
    assert response["Location"] == wanted


def test_a_next_address_elsewhere_goes_to_the_admins_index(client):
    client.force_login(make_person("operator", is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:login"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("admin:index")


def test_for_people_who_are_not_staff_the_admin_does_not_exist(client):
    client.force_login(make_person("mo"))
    assert client.get(reverse("admin:login")).status_code == 404
    assert (
        client.post(reverse("admin:login"), {"username": "x", "password": "y"}).status_code == 404
    )


def test_an_operator_made_at_the_command_line_signs_in_without_verifying_the_address(
    client, monkeypatch
):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "an-operator-secret")
    call_command(
        "createsuperuser",
        "--noinput",
        "--email",
        "ops@example.org",
        "--display_name",
        "Ops",
        stdout=StringIO(),
    )
    response = client.post(
        reverse("account_login"), {"login": "ops@example.org", "password": "an-operator-secret"}
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
