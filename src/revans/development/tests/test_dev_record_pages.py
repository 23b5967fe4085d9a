"""The practice record page: the person's own record with their profile line, the entries they
add, edit and delete, the period, and every refusal."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.development.models import PracticeEntry
from revans.meetings.models import Meeting
from revans.meetings.testing import make_meeting

PAGE = "/me/practice/"


def entry_data(**fields):
    data = {
        "entry-kind": "practice",
        "entry-on": timezone.localdate().isoformat(),
        "entry-hours": "2.5",
        "entry-title": "Acme Ltd",
        "entry-note": "Two sets for their managers.",
    }
    data.update({f"entry-{k}": v for k, v in fields.items()})
    return data


def test_the_page_lives_at_me_practice(facilitators):
    assert reverse("practice_record") == PAGE


def test_a_facilitator_sees_her_record_and_profile_line(facilitators):
    f = facilitators
    f.tina.facilitator_training = "qualified"
    f.tina.qualification = "ILM Level 5"
    f.tina.qualified_on = "2024-03-01"
    f.tina.facilitator_basis = "external"
    f.tina.save()
    PracticeEntry.objects.create(user=f.tina, hours=3, title="Acme Ltd", on="2026-10-01")
    response = f.world.client(f.tina).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Qualified facilitator: ILM Level 5, 1 March 2024 · External facilitator" in html
    assert reverse("profile") + "#id_facilitator_training" in html
    assert "Kestrel" in html and "Facilitating Action Learning" in html
    assert "Acme Ltd" in html
    assert reverse("practice_record_pdf") in html and reverse("practice_record_csv") in html
    summary = dict(response.context["summary"])
    assert summary["Meetings facilitated in Revans"] == "1"
    assert summary["Facilitation hours"] == "4"


def test_signed_out_people_are_sent_to_sign_in(world):
    client = world.client(None)
    for url in (
        PAGE,
        reverse("practice_record_pdf"),
        reverse("practice_record_csv"),
        reverse("practice_entry_edit", args=[1]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    response = client.post(PAGE, entry_data())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not PracticeEntry.objects.exists()


def test_adding_an_entry(facilitators):
    f = facilitators
    client = f.world.client(f.tina)
    response = client.post(PAGE, entry_data())
    assert response.status_code == 302
    entry = PracticeEntry.objects.get()
    assert (entry.user, entry.kind, entry.hours, entry.title) == (
        f.tina,
        "practice",
        Decimal("2.5"),
        "Acme Ltd",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Added: Facilitation elsewhere, Acme Ltd." in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"hours": "0"}, "hours", "Give the hours: more than none."),
        ({"hours": "-2"}, "hours", "Give the hours: more than none."),
        ({"hours": "0.1"}, "hours", "Record a quarter of an hour (0.25) at least."),
        ({"hours": "25"}, "hours", "A day has 24 hours: record at most 24 on one date."),
        ({"hours": "100000"}, "hours", "A day has 24 hours: record at most 24 on one date."),
        ({"hours": "lots"}, "hours", "Enter a number."),
        ({"title": "   "}, "title", "Name the client, the supervisor or the event."),
        ({"kind": "holiday"}, "kind", None),
        ({"on": "not a date"}, "on", "Enter a valid date."),
        ({"note": "x" * 2001}, "note", None),
    ],
)
def test_bad_input_is_refused_clearly_and_nothing_saved(facilitators, fields, field, message):
    f = facilitators
    response = f.world.client(f.tina).post(PAGE, entry_data(**fields))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert errors[field] == [message]
        assert message.replace("'", "&#x27;") in response.content.decode()
    assert not PracticeEntry.objects.exists()


def test_a_date_more_than_a_year_ahead_is_refused(facilitators):
    f = facilitators
    ahead = timezone.localdate() + timedelta(days=400)
    response = f.world.client(f.tina).post(PAGE, entry_data(on=ahead.isoformat()))
    assert response.context["form"].errors["on"] == [
        "That date is more than a year ahead: check the year."
    ]
    soon = timezone.localdate() + timedelta(days=30)
    assert f.world.client(f.tina).post(PAGE, entry_data(on=soon.isoformat())).status_code == 302


def test_more_than_a_day_on_one_date_is_refused(facilitators):
    f = facilitators
    on = timezone.localdate() - timedelta(days=3)
    PracticeEntry.objects.create(user=f.tina, hours=20, title="Long day", on=on)
    PracticeEntry.objects.create(user=f.tara, hours=20, title="Not hers", on=on)
    client = f.world.client(f.tina)
    response = client.post(PAGE, entry_data(on=on.isoformat(), hours="5"))
    assert response.context["form"].errors["hours"] == [
        f"A day has 24 hours: you have already recorded 20 on {on.day} {on:%B %Y}, so this "
        "entry can have 4 at most."
    ]
    assert PracticeEntry.objects.filter(user=f.tina).count() == 1
    assert client.post(PAGE, entry_data(on=on.isoformat(), hours="4")).status_code == 302


def test_editing_and_deleting_her_own_entry(facilitators):
    f = facilitators
    entry = PracticeEntry.objects.create(user=f.tina, hours=2, title="Acme", on="2026-10-01")
    client = f.world.client(f.tina)
    url = reverse("practice_entry_edit", args=[entry.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"kind": "supervision", "on": "2026-10-02", "hours": "1.25", "title": "Sam", "note": ""},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.kind, str(entry.on), entry.hours, entry.title) == (
        "supervision",
        "2026-10-02",
        Decimal("1.25"),
        "Sam",
    )
    # Its own hours do not count twice against the day's 24.
    response = client.post(
        url, {"kind": "cpd", "on": "2026-10-02", "hours": "24", "title": "Sam", "note": ""}
    )
    assert response.status_code == 302
    response = client.post(url, {"kind": "cpd", "on": "2026-10-02", "hours": "0", "title": "S"})
    assert response.context["form"].errors["hours"] == ["Give the hours: more than none."]
    response = client.post(reverse("practice_entry_delete", args=[entry.pk]))
    assert response.status_code == 302
    assert not PracticeEntry.objects.exists()


def test_another_persons_entry_is_a_404(facilitators):
    f = facilitators
    entry = PracticeEntry.objects.create(user=f.tara, hours=2, title="Tara's", on="2026-10-01")
    data = {"kind": "cpd", "on": "2026-10-02", "hours": "1", "title": "Mine now"}
    for who in (f.tina, f.theo, f.world.pam):
        client = f.world.client(who)
        assert client.get(reverse("practice_entry_edit", args=[entry.pk])).status_code == 404
        assert client.post(reverse("practice_entry_edit", args=[entry.pk]), data).status_code == 404
        assert client.post(reverse("practice_entry_delete", args=[entry.pk])).status_code == 404
        assert "Tara&#x27;s" not in client.get(PAGE).content.decode()
    entry.refresh_from_db()
    assert entry.title == "Tara's"
    client = f.world.client(f.tara)
    assert client.get(reverse("practice_entry_edit", args=[999999])).status_code == 404
    assert client.get(reverse("practice_entry_delete", args=[entry.pk])).status_code == 405


def test_the_period_applies_to_the_page(facilitators):
    f = facilitators
    today = timezone.localdate()
    PracticeEntry.objects.create(
        user=f.tina, hours=2, title="Old client", on=today.replace(year=2020)
    )
    PracticeEntry.objects.create(user=f.tina, hours=2, title="New client", on=today)
    response = f.world.client(f.tina).get(PAGE, {"from": (today - timedelta(days=7)).isoformat()})
    html = response.content.decode()
    assert "New client" in html and "Old client" not in html and "Kestrel" in html
    assert f"{reverse('practice_record_pdf')}?from=" in html
    response = f.world.client(f.tina).get(PAGE, {"to": "2021-01-01"})
    html = response.content.decode()
    assert "Old client" in html and "New client" not in html and "Kestrel" not in html


def test_a_bad_period_says_so_and_shows_everything(facilitators):
    f = facilitators
    client = f.world.client(f.tina)
    response = client.get(PAGE, {"from": "2026-10-10", "to": "2026-10-01"})
    assert response.status_code == 200
    assert "The period ends before it starts: check the dates." in response.content.decode()
    assert "Kestrel" in response.content.decode()
    response = client.get(PAGE, {"from": "yesterday"})
    assert response.status_code == 200 and "Enter a valid date." in response.content.decode()
    response = client.get(reverse("practice_record_pdf"), {"from": "yesterday"})
    assert response.status_code == 302 and response["Location"].startswith(PAGE)


def test_the_page_takes_the_same_queries_however_long_the_history(
    facilitators, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    f = facilitators
    client = f.world.client(f.tina)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as few:
        assert client.get(PAGE).status_code == 200
    for n in range(2, 22):
        meeting = make_meeting(f.kestrel, n, days=-3 - n)
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
        PracticeEntry.objects.create(
            user=f.tina, hours=1, title=f"Client {n}", on=timezone.localdate()
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(PAGE).status_code == 200
    assert len(many) == len(few)
    with django_assert_max_num_queries(10):
        client.get(PAGE)
