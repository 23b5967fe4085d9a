"""My learning logs: the list, a new log, editing it, and the log's page with its progress."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.journal.models import Log, Submission

from .conftest import ILM, make_entry, make_log, share

JOURNAL = reverse("journal")
CREATE = reverse("log_create")


def form_data(**fields) -> dict:
    data = {
        "template": "ilm-facilitator-log",
        "title": "My ILM log",
        "purpose": "",
        "started_on": timezone.localdate().isoformat(),
        "period_months": "9",
        "words_min": "1500",
        "words_max": "7000",
        "sections": "",
    }
    data.update(fields)
    return data


# --- the list ----------------------------------------------------------------------------


def test_the_journal_lists_my_logs_with_their_progress(world, log, entry, draft):
    html = world.client(world.mo).get(JOURNAL).content.decode()
    assert log.title in html
    assert f"{entry.word_count}</strong> of 1,500–7,000 words" in html
    assert "Month 3 of 9 · 1 entry · 1 draft" in html


def test_someone_without_logs_is_offered_the_templates(world):
    html = world.client(world.nia).get(JOURNAL).content.decode()
    assert "Start a log" in html
    assert "?template=ilm-facilitator-log" in html
    assert "My set journal" in html


def test_other_peoples_logs_are_not_listed(world, log):
    for person in (world.fran, world.obi, world.pam, world.nia):
        assert log.get_absolute_url() not in world.client(person).get(JOURNAL).content.decode()


def test_logs_shared_with_me_are_listed_apart_and_read_only(world, log, entry):
    share(log, world.nia, role="assessor")
    html = world.client(world.nia).get(JOURNAL).content.decode()
    assert "Shared with me" in html
    assert log.title in html and "Mo" in html and "you are their assessor" in html
    assert reverse("entry_create", args=[log.pk]) not in html


def test_an_assessor_sees_which_version_awaits_their_decision(world, log, entry):
    share(log, world.nia, role="assessor")
    Submission.objects.create(log=log, number=1, snapshot={}, status="returned")
    version = Submission.objects.create(log=log, number=2, snapshot={})
    html = world.client(world.nia).get(JOURNAL).text
    assert "Version 2 awaiting your decision" in html and "Version 1" not in html
    assert reverse("submission_detail", args=[version.pk]) in html


@pytest.mark.parametrize("status", ["returned", "signed_off"])
def test_no_badge_once_the_assessor_has_decided(world, log, status):
    share(log, world.nia, role="assessor")
    Submission.objects.create(log=log, number=1, snapshot={}, status=status)
    assert "awaiting your decision" not in world.client(world.nia).get(JOURNAL).text


def test_a_supervisor_sees_no_decision_badge(world, log):
    share(log, world.nia, role="supervisor")
    Submission.objects.create(log=log, number=1, snapshot={})
    html = world.client(world.nia).get(JOURNAL).text
    assert log.title in html and "awaiting your decision" not in html


def test_the_journal_needs_a_sign_in(client, db):
    response = client.get(JOURNAL)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_journal_query_count_does_not_grow_with_logs_and_entries(world, django_assert_num_queries):
    """Guards against N+1 queries as logs, entries and shares grow."""
    client = world.client(world.mo)

    def add(count: int) -> None:
        for number in range(count):
            log = make_log(world.mo, title=f"Log {number}")
            make_entry(log)
            make_entry(log, draft=True)
            other = make_log(world.fran, title=f"Fran's {number}")
            share(other, world.mo)
            Submission.objects.create(log=other, number=1, snapshot={})  # awaits mo's decision

    add(1)
    with django_assert_num_queries(4):
        assert client.get(JOURNAL).status_code == 200
    add(5)
    with django_assert_num_queries(4):
        assert client.get(JOURNAL).status_code == 200


# --- a new log --------------------------------------------------------------------------


def test_a_new_ilm_log_copies_the_templates_sections_and_purpose(world):
    response = world.client(world.mo).post(CREATE, form_data())
    log = Log.objects.get()
    assert response.status_code == 302 and response["Location"] == log.get_absolute_url()
    assert (log.owner, log.title, log.template) == (world.mo, "My ILM log", ILM.slug)
    assert log.sections == list(ILM.sections)
    assert log.purpose == ILM.purpose
    assert (log.period_months, log.words_min, log.words_max) == (9, 1500, 7000)


def test_own_sections_and_purpose_win_over_the_templates(world):
    world.client(world.mo).post(
        CREATE,
        form_data(sections="Before\n\n  After  \nBefore\n", purpose="For me", title="  A   log "),
    )
    log = Log.objects.get()
    assert log.sections == ["Before", "After"]
    assert (log.purpose, log.title) == ("For me", "A log")


def test_a_blank_log_has_no_template_and_no_sections(world):
    world.client(world.mo).post(CREATE, form_data(template=""))
    log = Log.objects.get()
    assert (log.template, log.sections, log.purpose) == ("", [], "")


def test_the_new_log_form_starts_from_a_chosen_template(world):
    html = world.client(world.mo).get(CREATE + "?template=set-journal").content.decode()
    assert re.findall(r'name="template" value="([^"]*)"[^>]*checked', html) == ["set-journal"]
    assert world.client(world.mo).get(CREATE + "?template=nonsense").status_code == 200


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"words_min": "8000", "words_max": "7000"}, "at least the fewest words"),
        ({"period_months": "0"}, "1 to 24 months"),
        ({"period_months": "25"}, "1 to 24 months"),
        ({"period_months": "many"}, "Enter a whole number"),
        ({"words_max": "999999999"}, "at most 200,000 words"),
        ({"words_min": "-5"}, "greater than or equal to 0"),
        ({"started_on": "1999-12-31"}, "cannot be before"),
        ({"started_on": "2999-01-01"}, "too far ahead"),
        ({"started_on": "31/02/2026"}, "Enter a valid date"),
        ({"title": "   "}, "This field is required"),
        ({"title": "x" * 201}, "at most 200 characters"),
        ({"template": "made-up"}, "Select a valid choice"),
        ({"sections": "x" * 201}, "under 200 characters"),
        ({"sections": "\n".join(f"S{n}" for n in range(21))}, "at most 20 sections"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(world, fields, message):
    response = world.client(world.mo).post(CREATE, form_data(**fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Log.objects.exists()


# --- editing a log ------------------------------------------------------------------------


def test_the_owner_edits_the_log_and_its_sections(world, log):
    url = reverse("log_edit", args=[log.pk])
    assert "Purpose of the log\nExamples" in world.client(world.mo).get(url).content.decode()
    sections = "\n".join([*ILM.sections, "Extra"])
    response = world.client(world.mo).post(
        url, form_data(title="Renamed", sections=sections, period_months="6")
    )
    assert response.status_code == 302
    log.refresh_from_db()
    assert (log.title, log.period_months, log.sections[-1]) == ("Renamed", 6, "Extra")
    assert log.template == ILM.slug  # editing never changes where it started from


def test_a_section_with_entries_cannot_be_dropped(world, log, entry):
    url = reverse("log_edit", args=[log.pk])
    response = world.client(world.mo).post(url, form_data(sections="Purpose of the log"))
    assert "Entries are filed under “Results”" in response.content.decode()
    log.refresh_from_db()
    assert "Results" in log.sections


@pytest.mark.parametrize("person", ["fran", "obi", "pam", "nia", "oli"])
def test_nobody_else_can_edit_or_see_the_log(world, log, person):
    client = world.client(getattr(world, person))
    assert client.get(reverse("log_edit", args=[log.pk])).status_code == 404
    assert client.post(reverse("log_edit", args=[log.pk]), form_data()).status_code == 404
    assert client.get(log.get_absolute_url()).status_code == 404


def test_a_shared_reader_may_read_but_not_edit(world, log, entry, draft):
    share(log, world.nia)
    client = world.client(world.nia)
    html = client.get(log.get_absolute_url()).content.decode()
    assert entry.title in html
    assert draft.title not in html
    assert reverse("log_edit", args=[log.pk]) not in html
    assert "Mo's log, shared with you to read" in html
    assert client.get(reverse("log_edit", args=[log.pk])).status_code == 404


def test_a_missing_log_is_404(world):
    assert world.client(world.mo).get(reverse("log_detail", args=[999999])).status_code == 404


# --- the log's page -----------------------------------------------------------------------


def test_the_log_page_shows_progress_and_entries_by_section_newest_first(world, log, draft):
    today = timezone.localdate()
    older = make_entry(
        log, title="Older result", section="Results", entry_date=today - timedelta(5)
    )
    newer = make_entry(log, title="Newer result", section="Results", entry_date=today)
    purpose = make_entry(log, title="Why a log", section="Purpose of the log")
    html = world.client(world.mo).get(log.get_absolute_url()).content.decode()
    words = older.word_count + newer.word_count + purpose.word_count
    assert f'<span class="stat">{words}</span> words of 1,500–7,000' in html
    assert "Month 3</span> of 9" in html
    assert "Entries per month" in html and "Words per section" in html
    assert html.index("Why a log") < html.index("Newer result") < html.index("Older result")
    assert html.index("Older result") < html.index(draft.title)  # drafts without a section last
    assert "Draft</span>" in html
    assert "1 draft (3 words) not counted yet" in html


def test_log_detail_query_count_does_not_grow_with_entries(world, log, django_assert_num_queries):
    """Guards against N+1 queries as a log fills up."""
    client = world.client(world.mo)
    make_entry(log, section="Results", tags="a, b")
    # Two of them are the log's sharing: whom it is shared with, and a version under assessment.
    with django_assert_num_queries(6):
        assert client.get(log.get_absolute_url()).status_code == 200
    from .conftest import make_meeting

    meeting = make_meeting(world.aurora, 1, days=-3)
    for number in range(10):
        make_entry(log, title=f"Entry {number}", section=ILM.sections[number % 7], meeting=meeting)
        make_entry(log, title=f"Draft {number}", draft=True, tags="x")
    with django_assert_num_queries(6):
        assert client.get(log.get_absolute_url()).status_code == 200
