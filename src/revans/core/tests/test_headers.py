"""Every URL pattern answers with the headers of a private site: no cache keeps a copy of a page
or file for a signed-in person (nor of any page with set or log content for anyone), and every
page refuses frames, type sniffing and full referrers, and carries a Content-Security-Policy that
allows no inline or eval'd script or style. Static files keep their long caching.

One request per pattern, by the first person of the access table who may open it (or, for a page
nobody here may open, the first signed in, who gets its redirect or 404)."""

import re
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


def policy_of(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def assert_strict_policy(response) -> None:
    """The policy the browser test (tests/browser/test_csp.py) sees pages keep to."""
    policy = policy_of(response)
    assert policy, "no Content-Security-Policy"
    if policy == {"default-src": ["'none'"], "sandbox": []}:
        return  # a log's attachment: stricter still, nothing in it runs
    for directive in ("script-src", "style-src"):
        assert policy[directive] == ["'self'"], (directive, policy[directive])
    for directive, sources in policy.items():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, directive
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


# What the policy would refuse in a page: a style attribute, an on… handler, hx-on (which htmx
# runs through eval), a javascript: address, an inline <style> or <script> (JSON data is not run).
INLINE = re.compile(
    rb"\sstyle=|\son[a-z]+=|\shx-on|javascript:|<style|<script(?![^>]*\bsrc=)(?![^>]*application/json)",
    re.IGNORECASE,
)


def assert_nothing_inline(response, where: str) -> None:
    """The fast net under the browser test, which sees every violation on the pages it opens."""
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        found = INLINE.search(response.content)
        assert found is None, f"{where}: {found and found.group()!r}"


def assert_framing_sniffing_referrer(response) -> None:
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert_strict_policy(response)


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
    assert_nothing_inline(response, where)


OPEN_SIGNED_OUT = sorted(n for n in TABLE if TABLE[n]["expected"]["anonymous"] == 200)


@pytest.mark.parametrize("name", OPEN_SIGNED_OUT)
def test_pages_open_signed_out_are_not_stored_unless_they_hold_nothing_of_anyone(world, name):
    response = request(world, name, "anonymous")
    assert response.status_code == 200
    assert_framing_sniffing_referrer(response)
    assert_nothing_inline(response, name)
    cache_control = response.get("Cache-Control", "")
    if name in CACHEABLE_SIGNED_OUT:
        assert "no-store" not in cache_control
    elif name in OWN_CACHE_CONTROL:
        assert OWN_CACHE_CONTROL[name] in cache_control
    else:
        assert "no-store" in cache_control, name


def test_the_admin_keeps_the_same_policy(world, django_user_model):
    operator = django_user_model.objects.create_superuser(
        email="operator@example.org", password="x-secret-enough"
    )
    client = Client()
    assert_strict_policy(client.get(reverse("admin:login")))
    client.force_login(operator)
    for name in ("admin:index", "admin:accounts_user_changelist"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert_strict_policy(response)
    response = client.get(reverse("admin:accounts_user_change", args=[operator.pk]))
    assert response.status_code == 200
    assert_strict_policy(response)


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
