"""Download my data: every kind of record the person wrote or is recorded in, nobody else's
words, one consistent snapshot, never cached."""

import io
import json
import threading
import zipfile

import pytest
from asgiref.sync import async_to_sync
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from revans.audit.models import Action, AuditEvent
from revans.journal.models import Attachment, Entry
from revans.privacy import export
from revans.sets.models import Issue

from .conftest import (
    ASHAS_COMMENT,
    ASSESSOR_EMAIL,
    NAME,
    NORAS_ISSUE,
    NORAS_NOTE,
    NORAS_QUESTION,
    PNG,
    TINAS_SIGN_OFF,
    build_rich,
)


def download(client) -> zipfile.ZipFile:
    response = client.get(reverse("my_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.is_async  # served over ASGI a block at a time, never read whole first
    return zipfile.ZipFile(io.BytesIO(received(response)))


def received(response) -> bytes:
    """The file as a browser receives it: from the asynchronous blocks an ASGI server sends."""

    async def blocks() -> bytes:
        return b"".join([block async for block in response.streaming_content])

    return async_to_sync(blocks)()


def parts(archive: zipfile.ZipFile) -> dict:
    return {
        name: json.loads(archive.read(name))
        for name in archive.namelist()
        if name.endswith(".json")
    }


def test_the_download_holds_every_kind_of_record(world, rich):
    archive = download(world.client(world.mo))
    data = parts(archive)
    assert data["profile.json"]["display_name"] == NAME
    assert data["profile.json"]["email"] == world.mo.email
    assert [m["set"] for m in data["memberships.json"]["memberships"]] == ["Aurora"]
    assert data["memberships.json"]["memberships"][0]["role"] == "Member"
    assert data["issues.json"][0]["title"] == "Two teams that will not merge"
    assert data["issues.json"][0]["answers"]
    assert data["expectations.json"][0]["answers"]
    actions = {a["text"]: a for a in data["actions.json"]}
    assert actions["Call Sam"]["report_note"] == "Sam agreed to merge"
    assert "Book both team leaders together" in actions
    meetings = data["meetings.json"]
    assert [q["text"] for q in meetings["questions_asked"]] == [
        "What matters most to you about the depot?"
    ]
    assert meetings["attendance"][0]["status"] == "Present"
    assert meetings["bids"][0]["headline"] == "The rota merger"
    assert [n["text"] for n in meetings["review_notes"]] == [
        "Morwenna's note: good silences today."
    ]
    assert data["polls.json"]["answers"][0]["answer"] == "Yes"
    assert data["polls.json"]["proposed"][0]["note"] == "Mornings suit me."
    surveys = {s["survey"]: s for s in data["surveys.json"]}
    assert surveys["Start survey"]["private_comment"] == "Nervous."
    assert surveys["Start survey"]["answers"][0]["value"] == 3
    assert surveys["Pulse"]["answers"][0]["value"] == 4
    assert data["programmes.json"]["managed"][0]["name"] == "Leading Change"
    assert data["programmes.json"]["join_requests"][0]["note"] == "I run rotas too."
    development = data["development.json"]
    for key in (
        "programmes",
        "training_days",
        "evidence",
        "sign_offs",
        "observations_written",
        "sign_offs_given",
        "observations_of_my_chairing",
        "practice_record",
    ):
        assert development[key], key
    [log] = data["journal.json"]
    [entry] = log["entries"]
    assert entry["body"] == "The room went quiet."
    [attached] = entry["attachments"]
    assert archive.read(attached["file"]) == PNG
    assert data["shares.json"][0]["role"] == "Assessor"
    assert [c["text"] for c in data["comments.json"]] == ["Thank you, I will."]
    for name, part in data.items():
        assert part, f"{name} is empty"
    assert AuditEvent.objects.filter(actor_id=world.mo.pk, action=Action.DATA_DOWNLOADED).exists()


def test_the_index_is_readable_escaped_and_links_every_file(world, rich):
    archive = download(world.client(world.mo))
    index = archive.read("index.html").decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert "<script>" not in index
    assert "My &lt;b&gt;ILM&lt;/b&gt; log" in index
    for name in archive.namelist():
        if name != "index.html":
            assert f'href="{name}"' in index, name


def test_nobody_elses_words_are_in_the_download(world, rich):
    archive = download(world.client(world.mo))
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode(
        "utf-8", "replace"
    )
    for theirs in (
        NORAS_QUESTION,
        NORAS_NOTE,
        NORAS_ISSUE,
        ASHAS_COMMENT,
        TINAS_SIGN_OFF,
        ASSESSOR_EMAIL,
        "Nora Villiers",
        world.nora.email,
        world.fran.email,
        "Fran",
        "Asha Reader",
        world.mo.calendar_token,
    ):
        assert theirs not in everything, theirs


def test_a_person_with_nothing_gets_a_download_all_the_same(world):
    archive = download(world.client(world.nia))
    data = parts(archive)
    assert data["profile.json"]["email"] == world.nia.email
    assert data["journal.json"] == [] and data["issues.json"] == []
    assert "You have no learning logs" in archive.read("index.html").decode()


def test_the_download_is_of_the_person_signed_in_only(world, rich):
    archive = download(world.client(world.nia))
    everything = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8", "replace")
    assert NAME not in everything and "Call Sam" not in everything


def test_the_page_says_what_is_in_it_and_nobody_signed_out_downloads(world, client):
    page = world.client(world.mo).get(reverse("my_data"))
    assert page.status_code == 200
    assert reverse("my_data_download") in page.content.decode()
    response = client.get(reverse("my_data_download"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_attachment_gone_from_disk_is_named_not_fatal(world, rich):
    rich.attachment.file.storage.delete(rich.attachment.file.name)
    archive = download(world.client(world.mo))
    assert "deleted while this file was made" in archive.read("index.html").decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_edit_made_while_the_download_is_built_is_wholly_out_of_it(
    world, facilitators, monkeypatch
):
    """The person saves their issue and an entry after the download began: the file shows
    both as they were when it began, never one old and one new."""
    rich = build_rich(world, facilitators)
    edited = threading.Event()

    def edit_elsewhere() -> None:
        try:
            Issue.objects.filter(pk=world.mo_issue.pk).update(title="Edited title")
            Entry.objects.filter(pk=rich.entry.pk).update(body="Edited body")
        finally:
            connection.close()
            edited.set()

    reading = export.PARTS[0]

    def profile_then_edit(user):
        data = reading.read(user)
        threading.Thread(target=edit_elsewhere).start()
        assert edited.wait(10)
        return data

    monkeypatch.setattr(
        export,
        "PARTS",
        (export.Part(reading.file, reading.title, profile_then_edit), *export.PARTS[1:]),
    )
    data = parts(download(world.client(world.mo)))
    assert Issue.objects.get(pk=world.mo_issue.pk).title == "Edited title"  # it was saved
    assert data["issues.json"][0]["title"] == "Two teams that will not merge"
    assert data["journal.json"][0]["entries"][0]["body"] == "The room went quiet."
    data = parts(download(world.client(world.mo)))
    assert data["issues.json"][0]["title"] == "Edited title"
    assert data["journal.json"][0]["entries"][0]["body"] == "Edited body"


def queries_to_download(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        download(client)
    return len(queries)


def test_the_queries_do_not_grow_with_a_logs_entries(world, rich):
    """Guards against N+1: a log's entries and their attachments are read a query each."""
    client = world.client(world.mo)
    few = queries_to_download(client)
    for number in range(5):
        entry = Entry.objects.create(log=rich.log, title=f"Entry {number}", draft=False)
        Attachment.objects.create(
            entry=entry,
            kind="image",
            file=ContentFile(PNG, name="more.png"),
            content_type="image/png",
            size=len(PNG),
        )
    assert queries_to_download(client) == few
    assert len(parts(download(client))["journal.json"][0]["entries"]) == 6
