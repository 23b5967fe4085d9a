"""A log's progress: words against the range, per section, months gone, entries per month."""

from dataclasses import dataclass
from datetime import date

from revans.journal.progress import glance, log_progress, months_between


@dataclass
class FakeLog:
    started_on: date = date(2026, 9, 1)
    period_months: int = 9
    words_min: int = 1500
    words_max: int = 7000
    sections: tuple = ("Purpose", "Results")

    @property
    def ends_on(self) -> date:
        from revans.core.dates import add_months

        return add_months(self.started_on, self.period_months)


@dataclass
class FakeEntry:
    entry_date: date
    word_count: int
    section: str = ""
    draft: bool = False
    media_seconds: int = 0


def test_words_are_counted_against_the_range_and_drafts_apart():
    entries = [
        FakeEntry(date(2026, 9, 10), 400, "Purpose"),
        FakeEntry(date(2026, 10, 5), 600, "Results", media_seconds=120),
        FakeEntry(date(2026, 10, 20), 250, "Results", draft=True),
    ]
    progress = log_progress(FakeLog(), entries, today=date(2026, 11, 15))
    assert (progress.words, progress.entries) == (1000, 2)
    assert (progress.draft_words, progress.drafts) == (250, 1)
    # Two minutes of video count as 2 × 130 words towards the target.
    assert (progress.media_minutes, progress.media_words, progress.counted) == (2, 260, 1260)
    assert progress.state == "below" and progress.to_go == 240
    assert 0 < progress.min_percent < progress.max_percent < 100
    assert progress.percent < progress.min_percent


def test_a_log_kept_as_video_meets_its_target_by_the_stated_pace():
    diary = [FakeEntry(date(2026, 9, 2 + week), 0, media_seconds=5 * 60) for week in range(3)]
    progress = log_progress(FakeLog(), diary, today=date(2026, 10, 1))
    assert (progress.words, progress.media_words, progress.words_per_minute) == (0, 1950, 130)
    assert progress.state == "within" and progress.to_go == 0
    assert progress.percent > progress.min_percent


def test_states_within_and_over_the_range():
    log = FakeLog(words_min=10, words_max=20)
    assert log_progress(log, [FakeEntry(date(2026, 9, 2), 15)], date(2026, 9, 3)).state == "within"
    over = log_progress(log, [FakeEntry(date(2026, 9, 2), 50)], date(2026, 9, 3))
    assert over.state == "over" and over.percent == 100.0


def test_each_section_against_an_even_share_of_the_range():
    entries = [FakeEntry(date(2026, 9, 10), 400, "Purpose"), FakeEntry(date(2026, 9, 11), 5, "")]
    progress = log_progress(FakeLog(), entries, today=date(2026, 9, 15))
    purpose, results, loose = progress.sections
    assert (purpose.title, purpose.words, purpose.share_min, purpose.share_max) == (
        "Purpose",
        400,
        750,
        3500,
    )
    assert purpose.state == "below"
    assert (results.words, results.entries) == (0, 0)
    assert (loose.title, loose.words) == ("", 5)


def test_a_log_without_sections_has_no_section_rows():
    progress = log_progress(
        FakeLog(sections=()), [FakeEntry(date(2026, 9, 2), 9)], date(2026, 9, 3)
    )
    assert progress.sections == []


def test_months_gone_and_the_current_month():
    log = FakeLog()
    assert months_between(date(2026, 9, 1), date(2026, 9, 30)) == 0
    assert months_between(date(2026, 9, 1), date(2026, 10, 1)) == 1
    assert months_between(date(2026, 1, 31), date(2026, 2, 27)) == 0
    assert months_between(date(2026, 9, 1), date(2026, 8, 1)) == 0
    running = log_progress(log, [], today=date(2026, 12, 15))
    assert (running.months_gone, running.current_month, running.period_state) == (3, 4, "running")
    assert log_progress(log, [], today=date(2026, 8, 1)).period_state == "not_started"
    ended = log_progress(log, [], today=date(2027, 7, 1))
    assert (ended.period_state, ended.months_gone, ended.elapsed_percent) == ("ended", 9, 100.0)


def test_entries_per_month_from_the_start_to_now_with_empty_months():
    entries = [
        FakeEntry(date(2026, 9, 10), 100),
        FakeEntry(date(2026, 9, 20), 100),
        FakeEntry(date(2026, 11, 2), 50),
        FakeEntry(date(2026, 11, 3), 50, draft=True),
    ]
    progress = log_progress(FakeLog(), entries, today=date(2026, 11, 15))
    rows = [(m.month, m.entries, m.words, m.percent) for m in progress.months]
    assert rows == [
        (date(2026, 9, 1), 2, 200, 100.0),
        (date(2026, 10, 1), 0, 0, 0.0),
        (date(2026, 11, 1), 1, 50, 50.0),
    ]


def test_months_stop_at_the_end_of_the_period_but_show_entries_outside_it():
    log = FakeLog(period_months=2)
    entries = [FakeEntry(date(2026, 8, 20), 10), FakeEntry(date(2027, 3, 1), 10)]
    months = [m.month for m in log_progress(log, entries, today=date(2027, 5, 1)).months]
    assert months[0] == date(2026, 8, 1) and months[-1] == date(2027, 3, 1)
    long_ago = [FakeEntry(date(2001, 1, 1), 1)]
    assert len(log_progress(log, long_ago, today=date(2027, 5, 1)).months) == 36


def test_a_glance_from_totals():
    progress = glance(FakeLog(), words=2000, entries=4, drafts=1, today=date(2026, 10, 2))
    assert (progress.state, progress.current_month, progress.drafts) == ("within", 2, 1)
