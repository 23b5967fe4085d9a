"""The request a signed-in view receives, for type checking."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind ``login_required``: its user is a signed-in ``User``, never anonymous,
    and ``htmx`` is what django-htmx's middleware (on every request) read of its headers.
    Only an annotation: Django still hands the view its own request class."""

    user: User
    htmx: HtmxDetails
