"""allauth's pages drawn as Revans pages: the layout and elements in templates/allauth/."""

import pytest
from django.urls import reverse

from revans.accounts.templatetags.revans_accounts import sentence_case

SIGNED_OUT = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
    "account_inactive",
]
SIGNED_IN = [
    "account_email",
    "account_change_password",
    "account_reauthenticate",
    "account_logout",
    "mfa_index",
]


def assert_revans_page(html: str) -> None:
    assert 'class="page narrow card account-page"' in html
    assert "revans/accounts.css" in html
    assert "Menu:" not in html  # allauth's bare layout
    assert "placeholder=" not in html


@pytest.mark.parametrize("name", SIGNED_OUT)
def test_signed_out_pages_are_revans_pages(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_revans_page(response.content.decode())


@pytest.mark.parametrize("name", SIGNED_IN)
def test_signed_in_pages_are_revans_pages_with_the_account_menu(world, name):
    response = world.client(world.mo).get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert_revans_page(html)
    if name != "account_reauthenticate":  # an entrance page: no menu while confirming
        assert 'aria-label="Your account"' in html


def test_bad_links_get_a_revans_page(client, db):
    for url in [
        "/accounts/password/reset/key/1-not-a-key/",
        "/accounts/confirm-email/not-a-key/",
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert_revans_page(response.content.decode())


def test_sign_in_page_speaks_revans(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert "<title>Sign in · Revans</title>" in html
    assert "<h1>Sign in</h1>" in html
    assert '<label for="id_remember">Remember me</label>' in html
    assert ">Sign in</button>" in html


def test_form_errors_are_shown_the_revans_way(client, db):
    response = client.post(reverse("account_login"), {"login": "x@example.org", "password": "no"})
    html = response.content.decode()
    assert '<div class="errors" role="alert">' in html
    response = client.post(reverse("account_signup"), {})
    assert 'class="field invalid"' in response.content.decode()


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Sign In", "Sign in"),
        ("Two-Factor Authentication", "Two-factor authentication"),
        ("Verify Your Email Address", "Verify your email address"),
        ("Activate TOTP", "Activate TOTP"),
        ("  Re-send   Verification ", "Re-send verification"),
        ("Use <b>Key</b>", "Use <b>Key</b>"),
        ("", ""),
    ],
)
def test_sentence_case(title, expected):
    assert sentence_case(title) == expected
