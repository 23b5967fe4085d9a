"""The admin's sign-in is Revans' own.

Django's admin has a password form of its own, which knows neither the two-factor code nor
allauth's limits on guessing: a staff password alone would open the admin there. Its login view
is replaced by one that sends people to Revans' sign-in page and back, so the admin is reached
only through the same door as everything else."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def admin_login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """Signed out: Revans' sign-in, then back to the admin page asked for. Staff: that page.
    Anyone else signed in: the admin does not exist for them. A form posted here signs nobody
    in."""
    wanted = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        wanted = reverse("admin:index")
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(wanted, login_url=reverse("account_login"))
    if user.is_active and user.is_staff:
        return redirect(wanted)
    raise Http404
