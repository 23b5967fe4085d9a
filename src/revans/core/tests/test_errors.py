"""The error page: the database out of reach is a 503 saying so, anything else a plain 500."""

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError, ProgrammingError
from django.test import Client

from revans.accounts.models import User
from revans.core.errors import database_unreachable


@pytest.fixture
def signed_in(db) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_user(email="ada@example.org", display_name="Ada"))
    return client


def failing(error: Exception):
    def load(self):
        raise error

    return load


def test_a_stopped_database_answers_503_with_a_page_that_says_so(signed_in, monkeypatch):
    # The session is the first thing a request reads from the database (in the middleware,
    # before any view): the page must not need it.
    monkeypatch.setattr(SessionStore, "load", failing(OperationalError("connection refused")))
    response = signed_in.get("/dashboard/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Revans cannot reach its database" in page
    assert "Something went wrong" not in page


def test_a_fault_in_revans_is_still_a_500(signed_in, monkeypatch):
    monkeypatch.setattr(SessionStore, "load", failing(ProgrammingError("no such column")))
    response = signed_in.get("/dashboard/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert not response.has_header("Retry-After")


def test_the_database_out_of_reach_is_recognised_through_its_causes():
    # The pool waiting past its timeout raises psycopg_pool.PoolTimeout, which Django wraps.
    try:
        try:
            raise psycopg.OperationalError("couldn't get a connection after 20.00 sec")
        except psycopg.OperationalError as cause:
            raise RuntimeError("while reading the session") from cause
    except RuntimeError as error:
        assert database_unreachable(error)
    assert database_unreachable(OperationalError("server closed the connection unexpectedly"))
    assert not database_unreachable(ProgrammingError("syntax error"))
    assert not database_unreachable(ValueError("not the database"))
    assert not database_unreachable(None)
