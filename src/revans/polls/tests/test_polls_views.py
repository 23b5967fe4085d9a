"""Date poll pages: proposing, answering in the page and by the e-mailed link, choosing and
closing; who is refused (404, like a missing poll) and bad input (a message, nothing saved)."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from revans.meetings.models import Meeting, MeetingFormat
from revans.polls import services
from revans.polls.links import answer_token
from revans.polls.models import MAX_SLOTS, Answer, Poll

LONDON = ZoneInfo("Europe/London")


def day(days: int) -> date:
    return (timezone.now() + timedelta(days=days)).astimezone(LONDON).date()


def at(days: int, hour: int = 10) -> datetime:
    d = day(days)
    return datetime(d.year, d.month, d.day, hour, tzinfo=LONDON)


def form_data(world, rows, **extra) -> dict:
    data = {
        "title": "Meeting 4",
        "note": "After the summer",
        "duration_minutes": "60",
        "format": str(MeetingFormat.objects.shipped().get(slug="one_hour").pk),
        "slot-TOTAL_FORMS": str(len(rows)),
        "slot-INITIAL_FORMS": "0",
    }
    for k, (d, t) in enumerate(rows):
        data[f"slot-{k}-date"] = d
        data[f"slot-{k}-time"] = t
    return {**data, **extra}


@pytest.fixture
def poll(world) -> Poll:
    return services.do_create_poll(
        world.aurora,
        world.fran,
        [at(10), at(11, 14), at(12)],
        title="Meeting 3",
        note="",
        duration_minutes=60,
        meeting_format=MeetingFormat.objects.shipped().get(slug="one_hour"),
        zone="Europe/London",
    )


def said(response) -> str:
    """The message the response left (the last one: earlier ones wait for a page)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


# Proposing


def test_a_member_proposes_times_on_one_form(world, django_capture_on_commit_callbacks, mailoutbox):
    client = world.client(world.mo)
    url = reverse("poll_create", args=[world.aurora.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('type="date"') == 3
    rows = [(day(8).isoformat(), "10:00"), ("", ""), (day(9).isoformat(), "14:30")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(world, rows))
    poll = Poll.objects.get()
    assert response.status_code == 302 and response["Location"] == poll.get_absolute_url()
    assert [s.starts_at for s in poll.slots.all()] == [
        at(8),
        datetime(*day(9).timetuple()[:3], 14, 30, tzinfo=LONDON),
    ]
    assert (poll.created_by, poll.title, poll.note) == (world.mo, "Meeting 4", "After the summer")
    assert sorted(a for m in mailoutbox for a in m.to) == ["fran@example.org"]


def test_times_are_read_in_the_proposers_zone(world):
    world.mo.time_zone = "America/New_York"
    world.mo.save()
    client = world.client(world.mo)
    client.post(
        reverse("poll_create", args=[world.aurora.pk]),
        form_data(world, [(day(8).isoformat(), "10:00")]),
    )
    poll = Poll.objects.get()
    d = day(8)
    expected = datetime(d.year, d.month, d.day, 10, tzinfo=ZoneInfo("America/New_York"))
    assert poll.slots.get().starts_at == expected
    assert poll.time_zone == "America/New_York"


def test_add_another_gives_one_more_row_and_saves_nothing(world):
    client = world.client(world.mo)
    rows = [(day(8).isoformat(), "10:00")] * 3
    page = client.post(
        reverse("poll_create", args=[world.aurora.pk]), form_data(world, rows, add="1")
    )
    assert page.status_code == 200
    assert page.content.decode().count('type="date"') == 4
    assert not Poll.objects.exists()


@pytest.mark.parametrize(
    "rows, message",
    [
        ([("", ""), ("", "")], "Propose at least one time."),
        ([("2020-01-07", "10:00")], "This time has passed: choose one in the future."),
        ([("D8", "10:00"), ("D8", "10:00")], "This time is already proposed above."),
        ([("D8", "")], "Give the time of day."),
        ([("", "10:00")], "Give the date for this time."),
        ([("not a date", "25:99")], "Enter a valid date."),
        ([("2027-03-28", "01:30")], "does not exist in Europe/London"),
        ([(f"D{k + 2}", "10:00") for k in range(MAX_SLOTS + 1)], f"at most {MAX_SLOTS} times"),
    ],
)
def test_bad_times_are_named_and_nothing_is_saved(world, rows, message):
    rows = [(day(int(d[1:])).isoformat() if d.startswith("D") else d, t) for d, t in rows]
    client = world.client(world.mo)
    response = client.post(reverse("poll_create", args=[world.aurora.pk]), form_data(world, rows))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Poll.objects.exists()


def test_a_tampered_management_form_is_refused_not_a_500(world):
    client = world.client(world.mo)
    data = form_data(world, [(day(8).isoformat(), "10:00")])
    data["slot-TOTAL_FORMS"] = "100000"
    response = client.post(reverse("poll_create", args=[world.aurora.pk]), data)
    assert response.status_code == 200 and not Poll.objects.exists()
    del data["slot-TOTAL_FORMS"]
    response = client.post(reverse("poll_create", args=[world.aurora.pk]), data)
    assert response.status_code == 200 and not Poll.objects.exists()


@pytest.mark.parametrize("who", [None, "nia", "pam", "obi", "oli"])
def test_only_members_and_facilitators_may_propose(world, who):
    client = world.client(who and getattr(world, who))
    url = reverse("poll_create", args=[world.aurora.pk])
    response = client.post(url, form_data(world, [(day(8).isoformat(), "10:00")]))
    assert response.status_code == (302 if who is None else 404)
    assert not Poll.objects.exists()


# The poll's page


def test_the_page_shows_the_grid_best_times_and_ones_own_row_to_edit(world, poll):
    first, second, third = poll.slots.all()
    services.do_answer(poll, world.fran, {first.pk: "yes", second.pk: "yes", third.pk: "no"})
    services.do_answer(poll, world.mo, {first.pk: "no", second.pk: "if_need_be"})
    page = world.client(world.mo).get(poll.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Europe/London" in html
    assert html.count("<select") == 3  # mo's own row only
    assert 'value="if_need_be" selected' in html
    assert "can't come: Mo" in html  # first time: mo said no
    # The second time is best: 1 yes and 1 if need be.
    best = page.context["board"].best
    assert [c.slot for c in best] == [second]
    assert "Choose this time" not in html  # mo neither chairs nor proposed


def test_observers_see_but_do_not_answer(world, poll):
    page = world.client(world.obi).get(poll.get_absolute_url())
    assert page.status_code == 200
    assert "<select" not in page.content.decode()
    response = world.client(world.obi).post(
        reverse("poll_answer", args=[poll.pk]), {f"slot-{poll.slots.first().pk}": "yes"}
    )
    assert response.status_code == 404
    assert not Answer.objects.exists()


@pytest.mark.parametrize("who", ["nia", "pam", "oli", "gus"])
def test_people_not_in_the_set_get_404(world, poll, who):
    client = world.client(getattr(world, who))
    assert client.get(poll.get_absolute_url()).status_code == 404
    slot = poll.slots.first()
    for name, data in [
        ("poll_answer", {f"slot-{slot.pk}": "yes"}),
        ("poll_choose", {"slot": slot.pk}),
        ("poll_close", {}),
    ]:
        assert client.post(reverse(name, args=[poll.pk]), data).status_code == 404
    assert not Answer.objects.exists() and not Meeting.objects.exists()
    assert Poll.objects.get().is_open


def test_anonymous_is_sent_to_sign_in(world, poll):
    response = Client().get(poll.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_set_page_shows_the_open_poll_to_people_in_the_set_only(world, poll):
    html = world.client(world.mo).get(world.aurora.get_absolute_url()).content.decode()
    assert "Date polls" in html and poll.get_absolute_url() in html
    assert "Say when you can come" in html
    observer = world.client(world.obi).get(world.aurora.get_absolute_url()).content.decode()
    assert poll.get_absolute_url() in observer and "Find a date" not in observer
    manager = world.client(world.pam).get(world.aurora.get_absolute_url()).content.decode()
    assert "Date polls" not in manager and poll.get_absolute_url() not in manager


def test_the_set_page_asks_a_fixed_number_of_queries_for_its_polls(
    world, poll, django_assert_max_num_queries
):
    """Guards against a query per poll or per answer on the set page."""
    client = world.client(world.mo)
    client.get(world.aurora.get_absolute_url())
    with django_assert_max_num_queries(40) as few:
        client.get(world.aurora.get_absolute_url())
    for _ in range(3):
        more = services.do_create_poll(
            world.aurora,
            world.fran,
            [at(20)],
            title="More",
            note="",
            duration_minutes=60,
            meeting_format=poll.format,
            zone="Europe/London",
        )
        services.do_answer(more, world.mo, {more.slots.get().pk: "yes"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(world.aurora.get_absolute_url())


def test_the_poll_page_asks_a_fixed_number_of_queries(world, poll, django_assert_num_queries):
    """Guards against a query per person or per time on the poll's page."""
    client = world.client(world.mo)
    client.get(poll.get_absolute_url())
    with CaptureQueriesContext(connection) as before:
        client.get(poll.get_absolute_url())
    for slot in poll.slots.all():
        services.do_answer(poll, world.mo, {slot.pk: "yes"})
        services.do_answer(poll, world.fran, {slot.pk: "no"})
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(poll.get_absolute_url())


# Answering in the page


def test_answering_in_the_page(world, poll):
    first, second, _ = poll.slots.all()
    client = world.client(world.mo)
    response = client.post(
        reverse("poll_answer", args=[poll.pk]),
        {f"slot-{first.pk}": "yes", f"slot-{second.pk}": "if_need_be"},
    )
    assert response.status_code == 302
    assert said(response) == "Your answers are saved."
    mine = dict(Answer.objects.filter(user=world.mo).values_list("slot_id", "choice"))
    assert mine == {first.pk: "yes", second.pk: "if_need_be"}


@pytest.mark.parametrize("value", ["maybe", "x" * 1000, "\x00"])
def test_an_answer_that_is_not_one_is_refused(world, poll, value):
    client = world.client(world.mo)
    response = client.post(
        reverse("poll_answer", args=[poll.pk]), {f"slot-{poll.slots.first().pk}": value}
    )
    assert response.status_code == 302
    assert said(response) == "Answer each time yes, if need be or no."
    assert not Answer.objects.exists()


def test_answers_on_a_closed_poll_are_refused(world, poll):
    services.do_close(poll, world.fran)
    response = world.client(world.mo).post(
        reverse("poll_answer", args=[poll.pk]), {f"slot-{poll.slots.first().pk}": "yes"}
    )
    assert said(response) == "This poll is closed: it no longer takes answers."
    assert not Answer.objects.exists()


# Choosing and closing


def test_choosing_asks_first_then_makes_the_meeting(
    world, poll, django_capture_on_commit_callbacks
):
    slot = poll.slots.all()[1]
    client = world.client(world.fran)
    confirm = client.get(reverse("poll_choose", args=[poll.pk]) + f"?slot={slot.pk}")
    assert confirm.status_code == 200
    assert "Make this the set's meeting?" in confirm.content.decode()
    assert not Meeting.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("poll_choose", args=[poll.pk]), {"slot": slot.pk})
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.starts_at == slot.starts_at
    # A double submit: the same meeting, nothing more.
    again = client.post(reverse("poll_choose", args=[poll.pk]), {"slot": slot.pk})
    assert again["Location"] == meeting.get_absolute_url()
    assert said(again) == f"That time is already meeting {meeting.number}."
    assert Meeting.objects.count() == 1
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "Chosen: meeting" in page and "<select" not in page


@pytest.mark.parametrize("slot", ["", "abc", "999999", "other"])
def test_choosing_a_time_not_of_this_poll_is_refused(world, poll, slot):
    if slot == "other":
        other = services.do_create_poll(
            world.aurora,
            world.mo,
            [at(30)],
            title="Other",
            note="",
            duration_minutes=60,
            meeting_format=poll.format,
            zone="Europe/London",
        )
        slot = str(other.slots.get().pk)
    client = world.client(world.fran)
    response = client.post(reverse("poll_choose", args=[poll.pk]), {"slot": slot})
    assert response.status_code == 302 and response["Location"] == poll.get_absolute_url()
    assert said(response)
    assert not Meeting.objects.exists()
    confirm = client.get(reverse("poll_choose", args=[poll.pk]) + f"?slot={slot}")
    assert confirm.status_code == 302


def test_members_who_did_not_propose_may_not_choose_or_close(world, poll):
    client = world.client(world.mo)
    slot = poll.slots.first()
    assert (
        client.get(reverse("poll_choose", args=[poll.pk]) + f"?slot={slot.pk}").status_code == 404
    )
    assert client.post(reverse("poll_choose", args=[poll.pk]), {"slot": slot.pk}).status_code == 404
    assert client.post(reverse("poll_close", args=[poll.pk])).status_code == 404
    assert Poll.objects.get().is_open


def test_closing_without_a_date(world, poll):
    client = world.client(world.fran)
    response = client.post(reverse("poll_close", args=[poll.pk]))
    assert said(response) == "The poll is closed without a date."
    assert Poll.objects.get().status == Poll.Status.CLOSED
    again = client.post(reverse("poll_close", args=[poll.pk]))
    assert said(again) == "This poll was already closed."
    chose = client.post(reverse("poll_choose", args=[poll.pk]), {"slot": poll.slots.first().pk})
    assert said(chose) == "This poll was closed without a date."
    assert not Meeting.objects.exists()


# The e-mailed answer link


def link_in(message) -> str:
    return re.search(r"https?://\S+/polls/answer/\S+/", message.body).group(0)


def test_the_e_mailed_link_answers_without_signing_in(world, poll, mailoutbox):
    url = reverse("poll_answer_link", args=[answer_token(poll.pk, world.mo.pk)])
    client = Client()
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Mo, when can you come?" in html and "Europe/London" in html
    assert "Fran" not in html  # nobody else's answers or names
    first = poll.slots.first()
    response = client.post(url, {f"slot-{first.pk}": "if_need_be"})
    assert response.status_code == 302
    assert Answer.objects.get(user=world.mo).choice == "if_need_be"
    assert 'value="if_need_be" checked' in client.get(url).content.decode()


def test_the_link_in_the_invitation_opens_the_answer_page(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.do_create_poll(
            world.aurora,
            world.fran,
            [at(10)],
            title="Meeting 3",
            note="",
            duration_minutes=60,
            meeting_format=MeetingFormat.objects.shipped().get(slug="one_hour"),
            zone="Europe/London",
        )
    (message,) = mailoutbox
    assert message.to == ["mo@example.org"]
    path = link_in(message).split("://", 1)[1].split("/", 1)[1]
    assert Client().get("/" + path).status_code == 200


def test_the_link_shows_times_in_the_persons_own_zone(world, poll):
    world.mo.time_zone = "Asia/Kolkata"
    world.mo.save()
    html = Client().get(reverse("poll_answer_link", args=[answer_token(poll.pk, world.mo.pk)]))
    text = html.content.decode()
    assert "Asia/Kolkata" in text
    assert f"{at(10).astimezone(ZoneInfo('Asia/Kolkata')):%H:%M}" in text


def test_the_link_is_for_its_person_only(world, poll):
    url = reverse("poll_answer_link", args=[answer_token(poll.pk, world.mo.pk)])
    assert world.client(world.fran).get(url).status_code == 404
    assert world.client(world.mo).get(url).status_code == 200


@pytest.mark.parametrize("token", ["nonsense", "a" * 300, "eyJwIjoxfQ:1:abc"])
def test_a_bad_link_is_a_missing_poll(world, poll, token):
    assert Client().get(reverse("poll_answer_link", args=[token])).status_code == 404


def test_the_link_stops_answering_when_its_person_leaves_or_the_poll_closes(world, poll):
    url = reverse("poll_answer_link", args=[answer_token(poll.pk, world.mo.pk)])
    services.do_close(poll, world.fran)
    closed = Client().post(url, {f"slot-{poll.slots.first().pk}": "yes"})
    assert closed.status_code == 410 and "This poll is closed" in closed.content.decode()
    assert not Answer.objects.exists()
    world.mo_in_aurora.delete()
    assert Client().get(url).status_code == 404
    # A link for someone who was never in the set, or for another set's poll, is no link.
    assert (
        Client()
        .get(reverse("poll_answer_link", args=[answer_token(poll.pk, world.nia.pk)]))
        .status_code
        == 404
    )
