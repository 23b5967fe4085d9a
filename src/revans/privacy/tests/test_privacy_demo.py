"""The demo's people, as real use leaves them: a member downloads everything and deletes her
account, and her set's history still reads for its facilitator."""

import io
import json
import zipfile

from django.test import Client
from django.urls import reverse

from revans.accounts.models import User
from revans.meetings.models import Meeting
from revans.privacy.services import FORMER_MEMBER
from revans.site.demo import load_demo

from .test_privacy_delete import texts_mentioning
from .test_privacy_download import received


def signed_in(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_a_demo_member_downloads_everything_then_deletes_her_account(
    db, django_capture_on_commit_callbacks
):
    load_demo()
    mo = User.objects.get(email="mo@demo.revans.test")
    client = signed_in(mo)
    response = client.get(reverse("my_data_download"))
    archive = zipfile.ZipFile(io.BytesIO(received(response)))
    data = {n: json.loads(archive.read(n)) for n in archive.namelist() if n.endswith(".json")}
    for name in ("issues.json", "actions.json", "expectations.json", "journal.json"):
        assert data[name], name
    assert data["meetings.json"]["questions_asked"] and data["meetings.json"]["attendance"]
    everything = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8", "replace")
    assert "fran@demo.revans.test" not in everything

    name = mo.display_name
    assert texts_mentioning(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("delete_account"), {"email": mo.email})
    assert response.status_code == 302
    assert texts_mentioning(name, "mo@demo.revans.test") == []

    fran = signed_in(User.objects.get(email="fran@demo.revans.test"))
    closed = Meeting.objects.filter(set__name="Aurora", status=Meeting.Status.CLOSED)
    assert closed.exists()
    for meeting in closed:
        page = fran.get(reverse("meeting_detail", args=[meeting.pk]))
        assert page.status_code == 200
        assert FORMER_MEMBER in page.content.decode()
        assert fran.get(reverse("meeting_summary_pdf", args=[meeting.pk])).status_code == 200
        assert fran.get(reverse("meeting_room", args=[meeting.pk])).status_code == 200
    members = fran.get(reverse("set_members", args=[closed[0].set_id]))
    assert members.status_code == 200 and FORMER_MEMBER in members.content.decode()
