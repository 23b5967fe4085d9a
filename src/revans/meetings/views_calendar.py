"""Calendar views: a person's private feed, a meeting's .ics download, the feed's settings page.

The feed is public by design: calendar apps cannot sign in, so the secret token in its address
is the key. It lists the meetings of the sets the person belongs to; a person resets the token
to turn an address they shared by mistake off.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe

from revans.accounts.http import AuthenticatedHttpRequest
from revans.accounts.models import new_calendar_token

from .access import meeting_date
from .calendar import calendar_for
from .models import Meeting

CONTENT_TYPE = "text/calendar; charset=utf-8"
FEED_REFRESH = timedelta(hours=1)


def _ics_response(
    request: HttpRequest,
    meetings,
    name: str,
    filename: str,
    disposition: str,
    refresh: timedelta | None = None,
) -> HttpResponse:
    def link_for(meeting: Meeting) -> str:
        return request.build_absolute_uri(meeting.get_absolute_url())

    content = calendar_for(meetings, name, link_for, refresh=refresh)
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # The address is a secret: keep it out of shared caches and search engines.
    patch_cache_control(response, private=True, no_cache=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Every meeting of every set the token's owner is in, cancelled ones included.

    Two queries whatever the number of meetings: the person, then their meetings with their sets.
    Programmes a person only manages are not in it: their feed is their own sets.
    """
    person = get_object_or_404(get_user_model(), calendar_token=token, is_active=True)
    meetings = (
        Meeting.objects.with_content_for(person).select_related("set").order_by("starts_at", "pk")
    )
    return _ics_response(
        request, meetings, "Revans – my sets", "revans.ics", "inline", refresh=FEED_REFRESH
    )


@login_required
@require_safe
def meeting_ics(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_date(request.user, meeting_id)
    filename = f"{slugify(meeting.set.name) or 'set'}-meeting-{meeting.number}.ics"
    response = _ics_response(request, [meeting], str(meeting), filename, "attachment")
    patch_cache_control(response, no_store=True)  # a download to a signed-in person
    return response


@login_required
@require_safe
def calendar_settings(request: AuthenticatedHttpRequest) -> TemplateResponse:
    feed_url = request.build_absolute_uri(
        reverse("calendar_feed", args=[request.user.calendar_token])
    )
    context = {"feed_url": feed_url}
    response = TemplateResponse(request, "meetings/calendar_settings.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
def calendar_reset(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new secret: the old address answers 404 from now on."""
    user = request.user
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    messages.success(
        request,
        "Your calendar address has been reset. The old one no longer works: "
        "subscribe again with the new one below.",
    )
    return redirect("calendar_settings")
