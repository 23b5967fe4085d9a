"""What every response of Revans's own views shares: no cache keeps a copy, and a signed-in
person's session lasts while they use it.

Nearly every page holds somebody's words (a set's issues, a log, a meeting's summary) or at least
their name, so no browser or shared cache may keep one: the back button after signing out, a
shared computer, a proxy must not show them again, nor a file whose share was revoked since.
Static files never reach this middleware (WhiteNoise answers them first, with its long cache
headers); the guide's pages for people not signed in are the one exception views ask for
(``cacheable_signed_out``): they hold nothing of anyone's.
"""

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control

View = TypeVar("View", bound=Callable[..., Any])
SEEN = "revans_seen"  # in the session: when it was last saved, in seconds since the epoch


def cacheable_signed_out(view: View) -> View:
    """Marks a view whose page holds nothing of anyone's: it gets no ``no-store`` for people
    who are not signed in (signed in, the page shows their name and gets one)."""
    view.cacheable_signed_out = True  # type: ignore[attr-defined]
    return view


def refresh_seconds() -> int:
    """How often an active session is saved again, moving its expiry on: a 24th of its age
    (half an hour of twelve hours), never on every request, which would write the session's
    row each time (and add a query to every page)."""
    return max(60, settings.SESSION_COOKIE_AGE // 24)


def mark_seen(request: HttpRequest | None) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session[SEEN] = int(time.time())


class PrivateResponseMiddleware:
    """``Cache-Control: private, no-store`` on every response a view did not give one of its own
    (a view that does, as the calendar feed, decides for itself), and a signed-in person's
    session saved again while they use it, so that SESSION_COOKIE_AGE of inactivity ends it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in:
            seen = request.session.get(SEEN)
            if not isinstance(seen, int) or time.time() - seen >= refresh_seconds():
                mark_seen(request)  # SessionMiddleware, outside this one, saves it
        if not response.has_header("Cache-Control") and (signed_in or not self.cacheable(request)):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def cacheable(request: HttpRequest) -> bool:
        match = getattr(request, "resolver_match", None)
        return match is not None and getattr(match.func, "cacheable_signed_out", False)
