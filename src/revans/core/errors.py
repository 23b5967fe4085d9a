"""The page for an error no view answered (``handler500``). When the cause is the database being
out of reach (stopped, restarting, refusing connections, the pool waiting past its timeout), the
person gets a 503 saying so and to try again in a moment, not "something went wrong": nothing
they did caused it, and nothing they sent was half-saved (each write is one transaction).

Both pages are plain HTML with no template logic: rendering them must not need the database, the
session or anything else that may be the very thing that failed."""

import sys

import psycopg
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# Django wraps the driver's errors in its own; the driver's, should one reach here unwrapped.
UNREACHABLE = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)

# Seconds a browser or a proxy is told to wait before asking again.
RETRY_AFTER = 10


def database_unreachable(error: BaseException | None) -> bool:
    """Whether ``error`` (or what caused it) is the database being out of reach, rather than a
    fault in Revans: a query that is wrong raises ProgrammingError or IntegrityError, never
    these two."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, UNREACHABLE):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    if database_unreachable(sys.exc_info()[1]):
        page = loader.get_template("503.html").render()
        response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
    else:
        response = HttpResponse(loader.get_template("500.html").render(), status=500)
    response["Cache-Control"] = "no-store"
    return response
