"""Two-factor required, when the operator turns it on, of programme managers, facilitators,
trainers of facilitators and staff (revans.site.twofactor): each role with the setting on and
off, the pages still open, the way back to the page they were opening, a wrong code, htmx, and
the room's socket."""

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.urls import reverse

from revans.asgi import application
from revans.development.models import Participant
from revans.meetings.room import services as room_services
from revans.meetings.testing import make_meeting
from revans.site.testing import PASSWORD, Facilitators, make_person
from revans.site.twofactor import HEADER, NEXT, REFUSED, two_factor_due

MUST = ("pam", "fran", "gus")  # manages Leading Change; facilitate Aurora, Beacon
NEED_NOT = ("mo", "obi", "oli", "nia")  # member, observer, member, in no set


@pytest.fixture
def required(settings):
    settings.REQUIRE_TWO_FACTOR = True


def with_totp(user) -> None:
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )


def sent_to_set_up(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("mfa_index")


def test_off_by_default_nobody_is_asked(world, django_user_model):
    assert settings.REQUIRE_TWO_FACTOR is False
    operator = make_person("op", is_staff=True, is_superuser=True)
    for user in (world.pam, world.fran, operator):
        assert not two_factor_due(user)
        assert world.client(user).get(reverse("dashboard")).status_code == 200
    assert world.client(operator).get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("key", MUST)
def test_managers_and_facilitators_without_an_authenticator_are_sent_to_set_one_up(
    world, required, key
):
    client = world.client(getattr(world, key))
    for path in (reverse("dashboard"), world.aurora.get_absolute_url(), reverse("profile")):
        assert sent_to_set_up(client.get(path)), path
    page = client.get(reverse("mfa_index"))
    assert page.status_code == 200
    assert "Set up two-factor authentication to go on" in page.content.decode()
    assert page[HEADER] == "required"  # the room's script reads it


@pytest.mark.parametrize("key", NEED_NOT)
def test_members_observers_and_others_are_not_asked(world, required, key):
    client = world.client(getattr(world, key))
    assert client.get(reverse("dashboard")).status_code == 200
    page = client.get(reverse("mfa_index"))
    assert "Set up two-factor authentication to go on" not in page.content.decode()
    assert HEADER not in page


def test_a_trainer_of_facilitators_is_asked_and_a_trainee_is_not(world, required):
    facilitators = Facilitators(world)
    trainer = make_person("trainer")  # trains, facilitates no set
    Participant.objects.create(
        programme=facilitators.programme, user=trainer, role=Participant.Role.TRAINER
    )
    assert sent_to_set_up(world.client(trainer).get(reverse("dashboard")))
    assert world.client(facilitators.tara).get(reverse("dashboard")).status_code == 200


def test_staff_are_asked_before_the_admin(world, required):
    operator = make_person("op", is_staff=True, is_superuser=True)
    client = world.client(operator)
    assert sent_to_set_up(client.get(reverse("admin:index")))
    assert sent_to_set_up(client.get(reverse("dashboard")))
    assert client.post(reverse("admin:logout")).status_code == 200  # signing out stays open
    client.force_login(operator)
    with_totp(operator)
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("key", MUST)
def test_with_an_authenticator_they_go_on(world, required, key):
    with_totp(getattr(world, key))
    client = world.client(getattr(world, key))
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(world.aurora.get_absolute_url()).status_code in (200, 404)


def test_a_recovery_code_alone_is_not_enough(world, required):
    Authenticator.objects.create(
        user=world.fran, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00" * 20}
    )
    assert sent_to_set_up(world.client(world.fran).get(reverse("dashboard")))


def test_the_guide_sign_out_and_the_two_factor_pages_stay_open(world, required):
    client = world.client(world.fran)
    for name in ("guide_index", "mfa_index", "account_logout", "account_reauthenticate"):
        assert client.get(reverse(name)).status_code == 200, name
    page = reverse("guide_page", args=["what-is-action-learning"])
    assert client.get(page).status_code == 200
    # Activating asks for the password again first (allauth's own step), not for two-factor.
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 302
    assert activate["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get("/static/revans/revans.css").status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_change_posted_before_setting_up_is_refused_and_not_made(world, required):
    client = world.client(world.fran)
    response = client.post(
        reverse("invitation_create", args=[world.aurora.pk]),
        {"emails": "new@example.org", "role": "member"},
    )
    assert sent_to_set_up(response)
    assert not world.aurora.invitations.exists()
    assert NEXT not in client.session  # a POST is not a page to go back to


def test_an_htmx_request_is_told_to_go_to_the_two_factor_page(world, required):
    response = world.client(world.fran).get(reverse("dashboard"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("mfa_index")


def current_code(client) -> str:
    """What the authenticator app shows now, for the secret the activation page offered."""
    secret = client.session[SECRET_SESSION_KEY]
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def test_after_setting_up_they_carry_on_to_the_page_they_were_opening(world, required):
    client = world.client(world.fran)
    set_page = world.aurora.get_absolute_url()
    assert sent_to_set_up(client.get(set_page))
    assert client.session[NEXT] == set_page
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert "Set up two-factor authentication to go on" in page.content.decode()
    done = client.post(reverse("mfa_activate_totp"), {"code": current_code(client)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=world.fran, type="totp").exists()
    codes = client.get(done["Location"])
    assert codes.status_code == 200
    html = codes.content.decode()
    assert "Two-factor authentication is on" in html
    assert f'href="{set_page}"' in html
    assert client.get(set_page).status_code == 200
    assert NEXT not in client.session


def test_a_wrong_code_sets_nothing_up(world, required):
    client = world.client(world.fran)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    wrong = "000000" if current_code(client) != "000000" else "111111"
    response = client.post(reverse("mfa_activate_totp"), {"code": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not Authenticator.objects.filter(user=world.fran).exists()
    assert sent_to_set_up(client.get(reverse("dashboard")))
    for bad in ("", "12", "abcdef", "1" * 200):
        response = client.post(reverse("mfa_activate_totp"), {"code": bad})
        assert response.status_code == 200, bad
        assert response.context["form"].errors
    assert not Authenticator.objects.filter(user=world.fran).exists()


# The room's socket: the consumers run in another thread, which sees only committed rows.

socket_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def room_socket(world, user):
    meeting = make_meeting(world.aurora, days=0)
    room_services.open_room(meeting)
    client = world.client(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    headers = [
        (b"origin", b"http://localhost"),
        (b"host", b"localhost"),
        (b"cookie", cookie.encode()),
    ]

    async def talk():
        communicator = WebsocketCommunicator(
            application, f"/ws/meetings/{meeting.pk}/room/", headers=headers
        )
        connected, code = await communicator.connect()
        if connected:
            await communicator.disconnect()
        return connected, code

    return async_to_sync(talk)()


@socket_db
def test_the_room_socket_refuses_a_facilitator_without_two_factor(world, required):
    assert room_socket(world, world.fran) == (False, REFUSED)


@socket_db
def test_the_room_socket_lets_in_a_facilitator_with_two_factor_and_any_member(world, required):
    with_totp(world.fran)
    assert room_socket(world, world.fran)[0] is True
    assert room_socket(world, world.mo)[0] is True


@socket_db
def test_the_room_socket_asks_nothing_when_the_setting_is_off(world):
    assert room_socket(world, world.fran)[0] is True
