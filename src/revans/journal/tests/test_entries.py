"""Writing entries: the editor, saving, the entry's page, deleting, and the live preview."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.journal.models import Entry, ProgrammePromptSet

from .conftest import make_meeting, share

PREVIEW = reverse("entry_preview")


def entry_data(**fields) -> dict:
    data = {
        "title": "After meeting three",
        "entry_date": timezone.localdate().isoformat(),
        "section": "Results",
        "meeting": "",
        "tags": "questions",
        "prompt_set": "gibbs",
        "body": "## Description\n\nThe set was quiet for a long time.",
        "draft_key": str(uuid.uuid4()),
    }
    data.update(fields)
    return data


# --- the editor ---------------------------------------------------------------------------


def test_the_editor_offers_the_logs_sections_prompts_and_past_meetings(world, log, past_meeting):
    future = make_meeting(world.aurora, 2, days=7)
    beacon = make_meeting(world.beacon, 1, days=-3)
    url = reverse("entry_create", args=[log.pk])
    html = world.client(world.mo).get(url).content.decode()
    assert '<option value="Results">Results</option>' in html
    assert f'value="{past_meeting.pk}"' in html and "Aurora, meeting 1" in html
    assert f'value="{future.pk}"' not in html
    assert f'value="{beacon.pk}"' not in html
    # An ILM log starts from the ILM prompts, shown beside the text.
    assert '<option value="ilm-facilitator-log" selected>' in html
    assert "Which questions proved powerful" in html
    assert 'data-autosave-url="' + reverse("entry_autosave", args=[log.pk]) in html
    assert 'hx-post="' + PREVIEW in html
    assert "revans/journal.js" in html


def test_the_editor_starts_from_the_prompts_and_section_asked_for(world, log, past_meeting):
    url = reverse("entry_create", args=[log.pk])
    html = (
        world.client(world.mo)
        .get(f"{url}?prompts=after-a-meeting&section=Looking+ahead&meeting={past_meeting.pk}")
        .content.decode()
    )
    assert '<option value="after-a-meeting" selected>' in html
    assert '<option value="Looking ahead" selected>' in html
    assert f'<option value="{past_meeting.pk}" selected>' in html
    odd = world.client(world.mo).get(f"{url}?prompts=nope&section=Nope&meeting=abc")
    assert odd.status_code == 200


def test_programme_prompts_are_offered_to_the_programmes_members(world, log):
    prompt_set = ProgrammePromptSet.objects.create(
        programme=world.programme, name="Leading Change check-in", prompts="How is your team?"
    )
    html = world.client(world.mo).get(reverse("entry_create", args=[log.pk])).content.decode()
    assert f'value="programme-{prompt_set.pk}"' in html
    assert "How is your team?" in html


def test_saving_a_new_entry_makes_it_not_a_draft(world, log, past_meeting):
    data = entry_data(meeting=str(past_meeting.pk), tags="questions,  silence ,questions")
    response = world.client(world.mo).post(reverse("entry_create", args=[log.pk]), data)
    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert not entry.draft
    assert (entry.section, entry.meeting, entry.prompt_set) == ("Results", past_meeting, "gibbs")
    assert entry.tags == "questions, silence"
    assert entry.word_count == 9


def test_keep_as_draft_saves_a_draft(world, log):
    world.client(world.mo).post(reverse("entry_create", args=[log.pk]), entry_data(keep_draft=""))
    assert Entry.objects.get().draft


def test_saving_after_an_autosave_updates_that_draft_instead_of_making_another(world, log):
    data = entry_data()
    client = world.client(world.mo)
    client.post(reverse("entry_autosave", args=[log.pk]), data)
    draft = Entry.objects.get()
    assert draft.draft
    client.post(reverse("entry_create", args=[log.pk]), {**data, "title": "Final"})
    entry = Entry.objects.get()
    assert (entry.pk, entry.title, entry.draft) == (draft.pk, "Final", False)


def test_editing_an_entry(world, log, entry):
    url = reverse("entry_edit", args=[entry.pk])
    html = world.client(world.mo).get(url).content.decode()
    assert entry.body in html and f'name="entry" value="{entry.pk}"' in html
    response = world.client(world.mo).post(url, entry_data(title="Changed", body="Two words"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.word_count, entry.draft) == ("Changed", 2, False)


def test_saving_a_draft_as_an_entry(world, log, draft):
    world.client(world.mo).post(reverse("entry_edit", args=[draft.pk]), entry_data())
    draft.refresh_from_db()
    assert not draft.draft


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Give the entry a title"),
        ({"title": "x" * 201}, "at most 200 characters"),
        ({"entry_date": ""}, "Give the entry a date"),
        ({"entry_date": "2026-02-30"}, "Enter a valid date"),
        ({"entry_date": "1999-01-01"}, "cannot be before 1 January 2000"),
        ({"entry_date": "2999-01-01"}, "cannot be in the future"),
        ({"section": "Not a section"}, "Select a valid choice"),
        ({"prompt_set": "made-up"}, "Select a valid choice"),
        ({"meeting": "999999"}, "Select a valid choice"),
        ({"meeting": "abc"}, "Select a valid choice"),
        ({"tags": ",".join(f"t{n}" for n in range(21))}, "at most 20 tags"),
        ({"tags": "x" * 41}, "under 40 characters"),
        ({"body": "x" * 100_001}, "at most 100,000 characters"),
        ({"body": "a\x00b"}, "Null characters are not allowed"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(world, log, fields, message):
    response = world.client(world.mo).post(
        reverse("entry_create", args=[log.pk]), entry_data(**fields)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Nothing was saved" in html
    assert not Entry.objects.exists()


def test_a_meeting_of_another_set_cannot_be_linked(world, log):
    beacon = make_meeting(world.beacon, 1, days=-3)
    response = world.client(world.mo).post(
        reverse("entry_create", args=[log.pk]), entry_data(meeting=str(beacon.pk))
    )
    assert response.status_code == 400
    assert not Entry.objects.exists()


def test_an_entry_of_a_log_without_sections_has_no_section(world):
    from .conftest import make_log

    log = make_log(world.mo, sections=[], template="set-journal")
    url = reverse("entry_create", args=[log.pk])
    html = world.client(world.mo).get(url).content.decode()
    assert 'type="hidden" name="section"' in html
    assert '<option value="after-a-meeting" selected>' in html
    world.client(world.mo).post(url, entry_data(section=""))
    assert Entry.objects.get().section == ""


@pytest.mark.parametrize("person", ["fran", "obi", "pam", "oli", "nia"])
def test_nobody_else_can_write_in_the_log(world, log, entry, draft, person):
    client = world.client(getattr(world, person))
    for url in (
        reverse("entry_create", args=[log.pk]),
        reverse("entry_edit", args=[entry.pk]),
        reverse("entry_delete", args=[entry.pk]),
        entry.get_absolute_url(),
        draft.get_absolute_url(),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, entry_data()).status_code == 404, url
    assert Entry.objects.count() == 2


def test_a_shared_reader_reads_entries_but_not_drafts_and_cannot_change_them(
    world, log, entry, draft
):
    share(log, world.nia)
    client = world.client(world.nia)
    html = client.get(entry.get_absolute_url()).content.decode()
    assert entry.body in html and "By Mo" in html
    assert reverse("entry_edit", args=[entry.pk]) not in html
    assert "journal.js" not in html
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("entry_edit", args=[entry.pk])).status_code == 404
    assert client.post(reverse("entry_delete", args=[entry.pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, world, log, entry):
    for url in (
        reverse("entry_create", args=[log.pk]),
        reverse("entry_edit", args=[entry.pk]),
        entry.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


# --- the entry's page and deleting ------------------------------------------------------------


def test_the_entry_page_renders_sanitised_markdown(world, log):
    from .conftest import make_entry

    entry = make_entry(
        log,
        body="# Big moment\n\n<script>alert(1)</script> [x](javascript:alert(1))",
        meeting=make_meeting(world.aurora, 4, days=-1),
        tags="silence",
    )
    html = world.client(world.mo).get(entry.get_absolute_url()).content.decode()
    assert "<h2>Big moment</h2>" in html
    assert "<script>alert(1)</script>" not in html
    assert 'href="javascript' not in html
    assert "After Aurora, meeting 4" in html
    assert '<span class="tag">silence</span>' in html
    assert f'data-entry="{entry.pk}"' in html  # clears the browser's copy once saved


def test_deleting_an_entry_asks_first(world, log, entry):
    url = reverse("entry_delete", args=[entry.pk])
    client = world.client(world.mo)
    assert "Delete this entry?" in client.get(url).content.decode()
    assert Entry.objects.exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == log.get_absolute_url()
    assert not Entry.objects.exists()


# --- the live preview -------------------------------------------------------------------------


def test_the_preview_renders_the_posted_markdown_and_counts_its_words(world):
    response = world.client(world.mo).post(PREVIEW, {"body": "**Three** little words"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Three</strong> little words" in html
    assert '<output id="word-count" hx-swap-oob="true">3 words</output>' in html


def test_the_preview_never_lets_a_script_through(world):
    html = world.client(world.mo).post(PREVIEW, {"body": "<script>alert(1)</script>"}).content
    assert b"<script>alert(1)</script>" not in html


def test_the_preview_refuses_a_too_long_text_politely(world):
    response = world.client(world.mo).post(PREVIEW, {"body": "word " * 30_000})
    assert response.status_code == 200
    assert "too long to preview" in response.content.decode()


def test_the_preview_is_post_only_and_needs_a_sign_in(client, world):
    assert world.client(world.mo).get(PREVIEW).status_code == 405
    response = client.post(PREVIEW, {"body": "x"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_an_entry_dated_yesterday_is_fine(world, log):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    world.client(world.mo).post(
        reverse("entry_create", args=[log.pk]), entry_data(entry_date=yesterday)
    )
    assert Entry.objects.get().entry_date.isoformat() == yesterday
