"""Every URL pattern answers with the headers of a private site: no cache keeps a copy of a page
or file for a signed-in person (nor of any page with set or log content for anyone), and every
page refuses frames, type sniffing and full referrers. Static files keep their long caching.

One request per pattern, by the first person of the access table who may open it (or, for a page
nobody here may open, the first signed in, who gets its redirect or 404)."""

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session as SessionModel
from django.test import Client
from django.urls import reverse

from revans.core.middleware import SEEN, refresh_seconds

from .test_access import PERSON, ROLES, TABLE, url_for

SIGNED_IN = [role for role in ROLES if role != "anonymous"]
# Pages for people not signed in that may be cached, and the calendar feed, which decides for
# itself, for whoever holds its address (calendar apps fetch it again every hour; the address is
# its secret: private, no-cache).
CACHEABLE_SIGNED_OUT = {"guide_index", "guide_page", "guide_search"}
OWN_CACHE_CONTROL = {"calendar_feed": "private"}


def opener(name: str) -> str:
    expected = TABLE[name]["expected"]
    return next((r for r in SIGNED_IN if expected[r] in (200, 302)), SIGNED_IN[0])


@pytest.fixture
def world(world_made_once):
    return world_made_once


def request(world, name: str, role: str):
    spec = TABLE[name]
    who = PERSON[role]
    person = getattr(world, who) if who else None
    ids: dict = {}
    url = url_for(name, world, ids)
    data = spec["data"](ids) if callable(spec["data"]) else spec["data"]
    client = world.client(person)
    return client.post(url, data) if spec["method"] == "post" else client.get(url)


def assert_framing_sniffing_referrer(response) -> None:
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("name", sorted(TABLE))
def test_every_answer_to_a_signed_in_person_is_kept_by_no_cache(world, name):
    role = opener(name)
    response = request(world, name, role)
    assert response.status_code == TABLE[name]["expected"][role]
    where = f"{role} {TABLE[name]['method'].upper()} {name}: {response.status_code}"
    expected = OWN_CACHE_CONTROL.get(name, "no-store")
    assert expected in response.get("Cache-Control", ""), where
    assert "public" not in response["Cache-Control"], where
    assert_framing_sniffing_referrer(response)


OPEN_SIGNED_OUT = sorted(n for n in TABLE if TABLE[n]["expected"]["anonymous"] == 200)


@pytest.mark.parametrize("name", OPEN_SIGNED_OUT)
def test_pages_open_signed_out_are_not_stored_unless_they_hold_nothing_of_anyone(world, name):
    response = request(world, name, "anonymous")
    assert response.status_code == 200
    assert_framing_sniffing_referrer(response)
    cache_control = response.get("Cache-Control", "")
    if name in CACHEABLE_SIGNED_OUT:
        assert "no-store" not in cache_control
    elif name in OWN_CACHE_CONTROL:
        assert OWN_CACHE_CONTROL[name] in cache_control
    else:
        assert "no-store" in cache_control, name


def test_the_guide_is_not_stored_for_a_signed_in_person(world):
    response = world.client(world.mo).get(reverse("guide_index"))
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_address_is_not_stored_either(world):
    response = world.client(world.mo).get("/no-such-page/")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


def test_static_files_keep_their_caching(world):
    for client in (Client(), world.client(world.mo)):
        response = client.get("/static/revans/revans.css")
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "")
        assert "max-age" in response["Cache-Control"]
        assert b"".join(response.streaming_content)


# Session expiry: a session lasts SESSION_COOKIE_AGE after its person's last request.


def session_of(client: Client) -> SessionStore:
    return SessionStore(client.cookies["sessionid"].value)


def test_signing_in_marks_the_session_seen_so_the_next_pages_do_not_save_it(world):
    client = world.client(world.mo)
    key = client.cookies["sessionid"].value
    assert abs(session_of(client)[SEEN] - time.time()) < 60
    expires = SessionModel.objects.get(pk=key).expire_date
    for _ in range(2):
        assert "sessionid" not in client.get(reverse("dashboard")).cookies  # not sent again
    assert SessionModel.objects.get(pk=key).expire_date == expires  # nor saved


def test_an_active_session_is_saved_again_with_a_later_expiry(world, settings):
    client = world.client(world.mo)
    stale = session_of(client)
    stale[SEEN] = int(time.time()) - refresh_seconds() - 1  # last saved a while ago
    stale.save()
    expired_at = SessionModel.objects.get(pk=stale.session_key).expire_date
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert session_of(client)[SEEN] > stale[SEEN]
    assert SessionModel.objects.get(pk=stale.session_key).expire_date > expired_at
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


def test_an_expired_session_signs_its_person_out(world, settings):
    client = world.client(world.mo)
    session = session_of(client)
    session.set_expiry(-1)  # ran out a second ago
    session.save()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_sessions_last_twelve_hours_by_default(settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert refresh_seconds() == 30 * 60
