"""Signing up: the "verification sent" page shows the link in the demo (which has no mailbox) and
never outside it, where "Send it again" mails a new one; following the link signs the newcomer in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from revans.accounts.models import User

PASSWORD = "correct horse battery"


def sign_up(client, email="nell@example.org"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "display_name": "Nell", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )


def mailed_link(message) -> str:
    return re.search(r"https?://\S+/confirm-email/\S+/", message.body).group(0)


@pytest.fixture
def demo(settings):
    settings.MODE = "demo"


def test_demo_shows_the_link_it_mailed_and_says_why(client, db, demo):
    page = sign_up(client)
    html = page.content.decode()
    assert page.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    assert "This is a demo" in html
    shown = re.search(r'href="([^"]+/confirm-email/[^"]+/)"', html).group(1)
    assert mailed_link(mail.outbox[0]).endswith(shown)


def test_demo_link_confirms_the_address_and_signs_the_newcomer_in(client, db, demo):
    html = sign_up(client).content.decode()
    shown = re.search(r'href="[^"]*(/accounts/confirm-email/[^"]+/)"', html).group(1)
    assert "Confirm" in client.get(shown).content.decode()
    response = client.post(shown)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert EmailAddress.objects.get(email="nell@example.org").verified
    assert client.get(reverse("dashboard")).status_code == 200


def test_outside_the_demo_the_link_is_never_on_the_page(client, db):
    html = sign_up(client).content.decode()
    assert "confirm-email/" not in html.replace(reverse("account_email_verification_sent"), "")
    assert "This is a demo" not in html
    assert "Send it again" in html
    assert len(mail.outbox) == 1


def test_demo_shows_no_link_when_the_address_already_has_an_account(client, world, demo):
    """Signing up with a known address mails "you already have an account": nothing to show,
    and the page reads as it would for a new address (no hint that the account exists)."""
    html = sign_up(client, email=world.mo.email).content.decode()
    assert "confirm-email/" not in html.replace(reverse("account_email_verification_sent"), "")
    assert "Check your e-mail" in html


def test_send_it_again_mails_a_new_link_to_the_address_signing_up(client, db, settings):
    settings.ACCOUNT_RATE_LIMITS = False
    sign_up(client)
    response = client.post(reverse("verification_resend"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["nell@example.org"]
    assert "Confirmation email sent to nell@example.org" in response.content.decode()


def test_send_it_again_answers_the_same_for_an_address_that_already_has_an_account(client, world):
    sign_up(client, email=world.mo.email)
    response = client.post(reverse("verification_resend"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    assert f"Confirmation email sent to {world.mo.email}" in response.content.decode()
    assert all(message.to == [world.mo.email] for message in mail.outbox)
    assert "confirm-email/" not in mail.outbox[-1].body


def test_send_it_again_is_rate_limited_with_a_message(client, db, settings):
    settings.ACCOUNT_RATE_LIMITS = {"confirm_email": "1/3m/key"}
    sign_up(client)
    response = client.post(reverse("verification_resend"), follow=True)
    assert "only a moment ago" in response.content.decode()
    assert len(mail.outbox) == 1


def test_send_it_again_without_a_sign_up_waiting_goes_to_sign_in(client, db):
    response = client.post(reverse("verification_resend"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("account_login")
    assert "to get a new link" in response.content.decode()
    assert mail.outbox == []


def test_send_it_again_for_someone_signed_in_goes_to_their_addresses(world):
    response = world.client(world.mo).post(reverse("verification_resend"))
    assert response["Location"] == reverse("account_email")
    assert mail.outbox == []


def test_send_it_again_only_answers_a_post(client, db):
    assert client.get(reverse("verification_resend")).status_code == 405


def test_unverified_person_signing_in_can_send_it_again(client, db, settings):
    settings.ACCOUNT_RATE_LIMITS = False
    user = User.objects.create_user("late@example.org", PASSWORD, display_name="Late")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("verification_resend"))
    assert [m.to for m in mail.outbox] == [[user.email], [user.email]]
    assert mailed_link(mail.outbox[1])


def test_someone_signed_in_is_sent_to_their_addresses_page_instead(world):
    html = world.client(world.mo).get(reverse("account_email_verification_sent")).content.decode()
    assert reverse("account_email") in html
    assert "Send it again" not in html
