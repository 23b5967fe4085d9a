"""Two-factor authentication required, when the operator turns it on (REVANS_REQUIRE_2FA), of the
people who can read more than their own words: whoever manages a programme, facilitates a set or
trains facilitators (a trainer of a facilitators' programme reads trainees' evidence and logs),
and the admin's staff. Until such a person has an authenticator app, every page sends them to the
two-factor page with an explanation, but for signing out, the two-factor and re-authentication
pages themselves, and the guide; the room's socket refuses them (close code 4403). Members,
observers, trainees and assessors are not asked. With the setting off nothing here runs.

It lives in ``site``, the top layer, because the rule reads programmes, sets and development."""

from collections.abc import Awaitable, Callable
from typing import Any

from allauth.mfa.models import Authenticator
from channels.db import database_sync_to_async
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from revans.accounts.models import User
from revans.development.models import Participant
from revans.programmes.models import Programme
from revans.sets.models import Membership, Role

NEXT = "revans_two_factor_next"  # in the session: the page the person was opening
HEADER = "Revans-Two-Factor"  # "required" on every answer to a person who must set it up
REFUSED = 4403  # the room socket's close code for a person who must set up two-factor first

# Pages a person who must set up two-factor may still open.
OPEN = {
    "account_logout",
    "admin:logout",
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
    "mfa_index",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "guide_index",
    "guide_page",
    "guide_search",
}


def required() -> bool:
    return bool(getattr(settings, "REQUIRE_TWO_FACTOR", False))


def two_factor_due(user: Any) -> bool:
    """Whether ``user`` must set up an authenticator app before going on: required by the
    operator, a manager, facilitator, trainer or staff, and no TOTP authenticator yet. One
    query."""
    if not required() or not getattr(user, "is_authenticated", False):
        return False
    person = OuterRef("pk")
    return (
        User.objects.filter(pk=user.pk)
        .filter(
            Q(is_staff=True)
            | Q(is_superuser=True)
            | Exists(Programme.managers.through.objects.filter(user_id=person))
            | Exists(Membership.objects.filter(user_id=person, role=Role.FACILITATOR))
            | Exists(Participant.objects.filter(user_id=person, role=Participant.Role.TRAINER))
        )
        .exclude(Exists(Authenticator.objects.filter(user_id=person, type=Authenticator.Type.TOTP)))
        .exists()
    )


class TwoFactorMiddleware:
    """Sends a person who must set up two-factor to the two-factor page (an htmx request is told
    to go there), remembering the page they were opening; marks the request for the notice the
    account pages show (``allauth/layouts/_two_factor.html``), and the answer for the room's
    script, which asks its page why its socket was refused."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if getattr(request, "two_factor_due", False):
            response[HEADER] = "required"
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any):
        if not required() or not request.user.is_authenticated:
            return None
        due = two_factor_due(request.user)
        request.two_factor_due = due  # type: ignore[attr-defined]
        match = request.resolver_match
        if match is not None and match.view_name in OPEN:
            if not due:
                request.two_factor_next = request.session.get(NEXT)  # type: ignore[attr-defined]
            return None
        if not due:
            request.session.pop(NEXT, None)  # set up: they went on
            return None
        where = reverse("mfa_index")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(where)
        if request.method == "GET":
            request.session[NEXT] = request.get_full_path()
        return HttpResponseRedirect(where)


Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class TwoFactorSocketGuard:
    """ASGI middleware for the WebSockets, inside channels' AuthMiddlewareStack: a person who
    must set up two-factor is refused at the handshake (the room's page, asked why, answers
    with the redirect to the two-factor page, and the room says so)."""

    def __init__(self, inner: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.inner = inner

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        due = database_sync_to_async(two_factor_due)
        if scope["type"] == "websocket" and required() and await due(scope.get("user")):
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": REFUSED})
            return
        await self.inner(scope, receive, send)
