import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from revans.accounts.models import Organisation, User


def test_signup_asks_for_a_name_and_verifies_the_address(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "Newcomer@Example.org",
            "display_name": "Nell Newcomer",
            "password1": "correct horse battery",
            "password2": "correct horse battery",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="newcomer@example.org")
    assert user.display_name == "Nell Newcomer"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/confirm-email/\S+", mail.outbox[0].body).group(0)
    client.post(link)
    assert EmailAddress.objects.get(user=user).verified


def test_unverified_person_cannot_sign_in_until_they_confirm(client, db):
    user = User.objects.create_user(
        "unverified@example.org", "correct horse battery", display_name="U"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("dashboard")).status_code == 302


def test_sign_in_with_email_lands_on_the_dashboard(world, client):
    response = client.post(
        reverse("account_login"), {"login": "MO@example.org", "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_wrong_password_gets_a_message(world, client):
    response = client.post(reverse("account_login"), {"login": world.mo.email, "password": "nope"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_password_reset_sends_a_link(world, client):
    client.post(reverse("account_reset_password"), {"email": world.mo.email})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_two_factor_can_be_turned_on_by_anyone(world):
    client = world.client(world.mo)
    assert client.get(reverse("mfa_index")).status_code == 200
    client.post(reverse("account_reauthenticate"), {"password": "a-long-test-password"})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "totp_url" in page.context or "Authenticator" in page.content.decode()


def test_profile_saves_name_organisation_time_zone_and_line_manager(world):
    response = world.client(world.mo).post(
        reverse("profile"),
        {
            "display_name": "Mo R.",
            "organisation": world.trust.pk,
            "job_title": "Head of Service",
            "time_zone": "America/New_York",
            "line_manager_email": world.pam.email.upper(),
        },
    )
    assert response.status_code == 302
    world.mo.refresh_from_db()
    assert (world.mo.display_name, world.mo.organisation, world.mo.time_zone) == (
        "Mo R.",
        world.trust,
        "America/New_York",
    )
    assert world.mo.line_manager == world.pam


def test_profile_refuses_bad_time_zone_unknown_or_self_manager(world):
    client = world.client(world.mo)
    base = {"display_name": "Mo", "job_title": "", "time_zone": "Mars/Olympus"}
    response = client.post(reverse("profile"), {**base, "line_manager_email": "ghost@example.org"})
    errors = response.context["form"].errors
    assert "time_zone" in errors
    assert errors["line_manager_email"] == ["Nobody with that e-mail address uses Revans yet."]
    response = client.post(
        reverse("profile"),
        {**base, "time_zone": "Europe/London", "line_manager_email": world.mo.email},
    )
    assert response.context["form"].errors["line_manager_email"] == [
        "You cannot be your own line manager."
    ]
    world.mo.refresh_from_db()
    assert world.mo.display_name == "Mo"
    assert world.mo.line_manager is None


def test_times_show_in_the_persons_own_time_zone(world, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from revans.accounts.middleware import TimezoneMiddleware

    seen = []
    middleware = TimezoneMiddleware(
        lambda request: seen.append(timezone.get_current_timezone_name())
    )
    world.mo.time_zone = "Asia/Tokyo"
    request = rf.get("/")
    request.user = world.mo
    middleware(request)
    request.user = AnonymousUser()
    middleware(request)
    assert seen == ["Asia/Tokyo", "Europe/London"]


def test_organisations_are_listed_and_added_without_duplicates(world):
    client = world.client(world.nia)
    response = client.post(
        reverse("organisation_list"), {"name": "  Riverside   Homes ", "sector": "housing"}
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Riverside Homes").exists()
    again = client.post(
        reverse("organisation_list"), {"name": "riverside homes", "sector": "housing"}
    )
    assert "already exists" in again.content.decode()
    bad = client.post(reverse("organisation_list"), {"name": "X", "sector": "piracy"})
    assert "Select a valid choice" in bad.content.decode()
    assert Organisation.objects.filter(name__iexact="riverside homes").count() == 1
