"""The one flow of e-mailed links (``revans.core.links``, architecture.md §6), checked for every
kind the project has: a kind brings only its words, so each must fill every part of the page,
the e-mail and the messages. The flow itself is tested through each kind's views (invitations
in ``sets``, shares in ``journal``)."""

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from revans.core.links.models import EmailLink, hash_token

KINDS = [model for model in apps.get_models() if issubclass(model, EmailLink)]
MESSAGES = ["subject", "sign_in", "welcome", "welcome_new", "name_help"]


class StandIn:
    """Stands for a link and for whatever a kind's words ask of it."""

    do_not_call_in_templates = True

    def __init__(self, status: str = "pending"):
        self.status = status

    def __getattr__(self, name: str) -> "StandIn":
        return self

    def __str__(self) -> str:
        return "Someone"


def words(kind, layout: str, link=None, **context) -> str:
    link = link or StandIn()
    context |= {"layout": layout, "link": link, kind._meta.model_name: link}
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return render_to_string(kind.words, context, request=request)


def test_the_project_has_its_kinds_of_link():
    names = {kind._meta.label for kind in KINDS}
    assert {"sets.Invitation", "journal.Share"} <= names


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind._meta.label)
def test_each_kind_names_its_route_and_who_accepted_it(kind):
    assert reverse(kind.accept_url_name, args=["a-token"]).endswith("/a-token/")
    assert kind._meta.get_field(kind.accepter).is_relation


@pytest.mark.parametrize("message", MESSAGES)
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind._meta.label)
def test_each_kind_says_every_message(kind, message):
    assert words(kind, "links/message.txt", message=message).strip()


@pytest.mark.parametrize("form", [None, "a form"])
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind._meta.label)
def test_each_kind_fills_the_accept_page(kind, form):
    page = words(kind, "links/page.html", form=form)
    assert not re.search(r"<title>\s*·", page)
    assert not re.search(r"<(h1|p|button)[^>]*>\s*</\1>", page)


@pytest.mark.parametrize("status", ["expired", "revoked", "accepted", "missing"])
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind._meta.label)
def test_each_kind_says_why_a_link_cannot_be_used(kind, status):
    link = None if status == "missing" else StandIn(status)
    page = words(kind, "links/page.html", link=link, closed=True)
    assert not re.search(r"<title>\s*·", page)
    assert not re.search(r"<(h1|p)[^>]*>\s*</\1>", page)


@pytest.mark.parametrize("existing", [True, False])
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind._meta.label)
def test_each_kind_writes_a_whole_email(kind, existing):
    url = "https://revans.example/links/a-token/"
    email = words(kind, "links/email.txt", url=url, existing=existing, days=14)
    before_link = email.split(url)[0].rstrip("\n").rsplit("\n", 1)[1]
    assert before_link.startswith("Open this link")
    assert "\n\n\n" not in email and "Someone" in email.split("\n\n")[1]
    assert "The link works for 14 days" in email


def test_only_a_hash_of_the_token_is_kept():
    assert hash_token("a-token") != "a-token" and len(hash_token("a-token")) == 64
