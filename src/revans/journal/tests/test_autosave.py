"""Autosave: the first save makes the entry as a draft, later ones update it, never anyone else's."""

import uuid

import pytest
from django.urls import reverse

from revans.journal.models import Entry

from .conftest import make_log, share


def autosave(client, log, **fields):
    data = {"draft_key": str(uuid.uuid4()), "body": "First words", "title": ""}
    data.update(fields)
    return client.post(reverse("entry_autosave", args=[log.pk]), data)


def test_the_first_autosave_makes_a_draft_once_and_then_updates_it(world, log):
    client = world.client(world.mo)
    key = str(uuid.uuid4())
    first = autosave(client, log, draft_key=key, body="Some first words")
    assert first.status_code == 200
    data = first.json()
    entry = Entry.objects.get()
    assert data["saved"] and data["entry"] == entry.pk and data["draft"]
    assert data["edit_url"] == reverse("entry_edit", args=[entry.pk])
    assert data["word_count"] == 3
    assert (entry.draft, entry.title, entry.body) == (True, "", "Some first words")

    # The next save names the entry; a lost answer is retried with the key alone.
    autosave(client, log, draft_key=key, entry=str(entry.pk), body="More words now")
    autosave(client, log, draft_key=key, body="More words now, again")
    entry = Entry.objects.get()
    assert entry.body == "More words now, again" and entry.draft


def test_autosave_never_changes_whether_an_entry_is_a_draft(world, log, entry):
    response = autosave(world.client(world.mo), log, entry=str(entry.pk), title="Edited")
    assert response.status_code == 200 and response.json()["draft"] is False
    entry.refresh_from_db()
    assert (entry.title, entry.draft) == ("Edited", False)


def test_autosave_refuses_invalid_input_and_saves_nothing(world, log):
    client = world.client(world.mo)
    for fields in (
        {"section": "No such section"},
        {"body": "x" * 100_001},
        {"title": "x" * 201},
        {"entry_date": "1900-01-01"},
        {"meeting": "12345"},
    ):
        response = autosave(client, log, **fields)
        assert response.status_code == 400, fields
        assert response.json()["saved"] is False
        assert response.json()["errors"]
    assert not Entry.objects.exists()


def test_autosave_needs_a_draft_key_or_an_entry(world, log):
    response = world.client(world.mo).post(
        reverse("entry_autosave", args=[log.pk]), {"body": "x", "draft_key": "not-a-uuid"}
    )
    assert response.status_code == 400
    assert not Entry.objects.exists()


@pytest.mark.parametrize("person", ["fran", "obi", "pam", "oli", "nia"])
def test_autosave_refuses_other_people(world, log, entry, person):
    client = world.client(getattr(world, person))
    assert autosave(client, log).status_code == 404
    assert autosave(client, log, entry=str(entry.pk), body="Hijacked").status_code == 404
    entry.refresh_from_db()
    assert entry.body != "Hijacked"
    assert Entry.objects.count() == 1


def test_autosave_refuses_a_shared_reader(world, log, entry):
    share(log, world.nia)
    assert autosave(world.client(world.nia), log, entry=str(entry.pk)).status_code == 404


def test_autosave_cannot_move_an_entry_into_another_log(world, log, entry):
    other = make_log(world.mo, title="Second log")
    response = autosave(world.client(world.mo), other, entry=str(entry.pk), body="Moved?")
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.log == log and entry.body != "Moved?"


@pytest.mark.parametrize("entry_id", ["abc", "-1", "99999999"])
def test_autosave_with_a_bad_entry_id_is_404(world, log, entry_id):
    assert autosave(world.client(world.mo), log, entry=entry_id).status_code == 404


def test_autosave_is_post_only_and_needs_a_sign_in(client, world, log):
    url = reverse("entry_autosave", args=[log.pk])
    assert world.client(world.mo).get(url).status_code == 405
    response = client.post(url, {"body": "x"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_draft_needs_no_title_or_date_yet(world, log):
    from django.utils import timezone

    response = autosave(world.client(world.mo), log, title="", entry_date="")
    assert response.status_code == 200
    assert Entry.objects.get().entry_date == timezone.localdate()


@pytest.mark.parametrize("odd", ["²", "١٢", "12a"])
def test_ids_that_only_look_like_digits_answer_404_or_are_ignored(world, log, odd):
    client = world.client(world.mo)
    assert autosave(client, log, entry=odd, body="Words").status_code == 404
    response = client.get(reverse("entry_create", args=[log.pk]), {"meeting": odd})
    assert response.status_code == 200
    assert client.get(reverse("set_create"), {"programme": odd}).status_code == 200
