"""The journal's models: word counts, who may see a log (architecture.md §4), shares, attachments."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from revans.core.links.models import hash_token
from revans.journal.models import (
    Attachment,
    Comment,
    Entry,
    Log,
    ProgrammePromptSet,
    Share,
    Submission,
    add_months,
    split_tags,
)

from .conftest import make_entry, make_log, make_meeting, share


def test_word_count_is_cached_on_save_without_markdown_syntax(log):
    entry = make_entry(log, body="## Results\n\n**Two** actions _done_, [one](https://x.org) left.")
    assert entry.word_count == 6  # Results Two actions done one left
    entry.body = "Now *three* words"
    entry.save(update_fields=["body"])
    entry.refresh_from_db()
    assert entry.word_count == 3


def test_the_owner_sees_their_log_and_nobody_else_does(world, log):
    assert list(Log.objects.visible_to(world.mo)) == [log]
    for person in (world.fran, world.obi, world.pam, world.oli, world.nia):
        assert not Log.objects.visible_to(person).exists(), person


def test_anonymous_sees_no_log(world, log):
    from django.contrib.auth.models import AnonymousUser

    assert not Log.objects.visible_to(AnonymousUser()).exists()
    assert not Entry.objects.visible_to(AnonymousUser()).exists()


def test_an_accepted_share_lets_the_assessor_read(world, log, entry):
    share(log, world.nia)
    assert list(Log.objects.visible_to(world.nia)) == [log]
    assert list(Entry.objects.visible_to(world.nia)) == [entry]
    assert not Log.objects.owned_by(world.nia).exists()
    assert not Entry.objects.owned_by(world.nia).exists()


def test_a_revoked_share_lets_nobody_read(world, log, entry):
    item = share(log, world.nia)
    item.revoked_at = timezone.now()
    item.save()
    assert not Log.objects.visible_to(world.nia).exists()
    assert not Entry.objects.visible_to(world.nia).exists()


def test_a_share_not_yet_accepted_lets_nobody_read(world, log):
    pending = Share(log=log, email=world.nia.email)
    pending.new_token()
    pending.save()
    assert Share.objects.pending().get() == pending
    assert not Log.objects.visible_to(world.nia).exists()


def test_a_shared_reader_never_sees_the_authors_drafts(world, log, entry, draft):
    share(log, world.nia)
    assert set(Entry.objects.visible_to(world.mo)) == {entry, draft}
    assert list(Entry.objects.visible_to(world.nia)) == [entry]


def test_a_share_hashes_its_token_and_expires_like_an_invitation(world, log):
    item = Share(log=log, email="asa@example.org")
    token = item.new_token()
    item.save()
    assert item.token_hash == hash_token(token) and token not in item.token_hash
    assert item.status == "pending"
    Share.objects.filter(pk=item.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    item.refresh_from_db()
    assert item.status == "expired"
    assert not Share.objects.pending().exists()


def test_share_visibility_is_the_owner_and_the_reader(world, log):
    item = share(log, world.nia)
    assert list(Share.objects.visible_to(world.mo)) == [item]
    assert list(Share.objects.visible_to(world.nia)) == [item]
    assert not Share.objects.visible_to(world.fran).exists()


def test_submissions_and_comments_follow_the_log(world, log, entry):
    submission = Submission.objects.create(log=log, number=1, snapshot=log.snapshot())
    comment = Comment.objects.create(
        entry=entry, submission=submission, author=world.nia, body="Good"
    )
    assert not Submission.objects.visible_to(world.nia).exists()
    assert not Comment.objects.visible_to(world.nia).exists()
    share(log, world.nia)
    assert list(Submission.objects.visible_to(world.nia)) == [submission]
    assert list(Comment.objects.visible_to(world.nia)) == [comment]
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(log=log, number=1)


def test_the_snapshot_freezes_saved_entries_but_not_drafts(log, entry, draft):
    snapshot = log.snapshot()
    assert [e["title"] for e in snapshot["entries"]] == [entry.title]
    frozen = snapshot["entries"][0]
    assert frozen["section"] == "Results"
    assert frozen["body"] == entry.body
    assert frozen["word_count"] == entry.word_count
    assert snapshot["sections"] == log.sections


def test_a_word_range_upside_down_is_refused(world):
    log = Log(owner=world.mo, title="Log", words_min=8000, words_max=7000)
    with pytest.raises(ValidationError, match="at least the fewest"):
        log.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        log.save()


@pytest.mark.parametrize("months", [0, 25])
def test_a_period_outside_one_to_twenty_four_months_is_refused(world, months):
    log = Log(owner=world.mo, title="Log", period_months=months)
    with pytest.raises(ValidationError):
        log.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        log.save()


def test_an_entry_section_must_be_one_of_the_logs(log):
    entry = Entry(log=log, title="x", section="Not a section")
    with pytest.raises(ValidationError, match="log's sections"):
        entry.full_clean()
    entry.section = "Results"
    entry.full_clean()


def test_an_entry_may_link_only_to_a_meeting_of_the_authors_sets(world, log):
    aurora = make_meeting(world.aurora, 1, days=-7)
    beacon = make_meeting(world.beacon, 1, days=-7)
    Entry(log=log, title="x", meeting=aurora).full_clean()
    with pytest.raises(ValidationError, match="one of your sets"):
        Entry(log=log, title="x", meeting=beacon).full_clean()


def test_tags_are_trimmed_and_not_repeated(log):
    entry = make_entry(log, tags=" coaching, Confidence,,coaching ,  CONFIDENCE, silence ")
    assert entry.tag_list == ["coaching", "Confidence", "silence"]
    assert split_tags("") == []


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 15), 9, date(2026, 10, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 1), 1, date(2027, 1, 1)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
    ],
)
def test_months_are_added_as_calendar_months(start, months, expected):
    assert add_months(start, months) == expected


def test_a_log_ends_after_its_period(world):
    log = make_log(world.mo, started_on=date(2026, 9, 1), period_months=9)
    assert log.ends_on == date(2027, 6, 1)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_an_attachment_is_stored_under_a_random_name_and_deleted_with_its_entry(
    media, log, entry, django_capture_on_commit_callbacks
):
    attachment = Attachment(
        entry=entry, kind=Attachment.Kind.IMAGE, content_type="image/png", size=4
    )
    attachment.file.save("my secret plan.png", ContentFile(b"\x89PNG"), save=False)
    attachment.save()
    assert attachment.file.name.startswith(f"journal/{log.pk}/")
    assert attachment.file.name.endswith(".png")
    assert "secret" not in attachment.file.name
    path = media / attachment.file.name
    assert path.exists()
    assert attachment.markdown == f"![]({attachment.get_absolute_url()})"
    with django_capture_on_commit_callbacks(execute=True):
        entry.delete()
    assert not path.exists()


def test_audio_and_video_count_by_duration(media, log, entry):
    for kind, seconds in (("audio", 90), ("video", 30), ("image", None)):
        item = Attachment(
            entry=entry, kind=kind, content_type="audio/mpeg", size=1, duration_seconds=seconds
        )
        item.file.save("clip", ContentFile(b"x"), save=False)
        item.save()
    entry.refresh_media_seconds()
    entry.refresh_from_db()
    assert entry.media_seconds == 120
    assert entry.word_count > 0


def test_attachments_are_visible_with_their_entry(world, media, log, entry):
    item = Attachment(entry=entry, kind="image", content_type="image/png", size=1)
    item.file.save("a.png", ContentFile(b"x"), save=False)
    item.save()
    assert list(Attachment.objects.visible_to(world.mo)) == [item]
    assert not Attachment.objects.visible_to(world.fran).exists()


def test_programme_prompt_sets_list_their_prompt_lines(world):
    prompt_set = ProgrammePromptSet.objects.create(
        programme=world.programme, name="Ours", prompts="  First?\n\nSecond?  \n"
    )
    assert prompt_set.prompt_lines == ["First?", "Second?"]
    assert list(ProgrammePromptSet.objects.visible_to(world.obi)) == [prompt_set]
    assert not ProgrammePromptSet.objects.visible_to(world.nia).exists()


def test_journal_content_is_not_in_the_admin():
    from django.contrib import admin

    registered = {model._meta.label for model in admin.site._registry}
    content = {"Log", "Entry", "Attachment", "Share", "Submission", "Comment"}
    assert not registered & {f"journal.{name}" for name in content}
