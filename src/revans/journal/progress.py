"""A log's progress at one glance: words against the target range, words per section, months of
the period gone, entries per month. Plain arithmetic on entries already fetched: no queries."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from revans.core.dates import add_months

MAX_MONTHS_SHOWN = 36
SCALE_HEADROOM = 1.15  # the word bar runs a little past the target's top, so "over" shows


@dataclass
class SectionProgress:
    title: str
    words: int = 0
    entries: int = 0
    share_min: int = 0
    share_max: int = 0

    @property
    def state(self) -> str:
        return _state(self.words, self.share_min, self.share_max)

    @property
    def percent(self) -> float:
        """Words against the top of an even share (a full bar at or over it)."""
        return _percent(self.words, self.share_max)


# A video or audio diary counts towards a log's word target at a speaking pace: each minute as
# this many words, shown as such beside the written words (a log kept as video can meet its
# target). About the pace of considered, reflective speech.
WORDS_PER_MINUTE = 130


@dataclass
class MonthCount:
    month: date
    entries: int = 0
    words: int = 0
    percent: float = 0.0


@dataclass
class Progress:
    words_min: int
    words_max: int
    started_on: date
    ends_on: date
    today: date
    words: int = 0
    draft_words: int = 0
    entries: int = 0
    drafts: int = 0
    media_seconds: int = 0
    scale: int = 1
    sections: list[SectionProgress] = field(default_factory=list)
    months: list[MonthCount] = field(default_factory=list)
    period_months: int = 0
    months_gone: int = 0
    elapsed_percent: float = 0.0

    @property
    def media_words(self) -> int:
        """The words audio and video count as: their minutes at ``WORDS_PER_MINUTE``."""
        return round(self.media_seconds / 60 * WORDS_PER_MINUTE)

    @property
    def counted(self) -> int:
        """What counts towards the target: the words written and the media's equivalent."""
        return self.words + self.media_words

    @property
    def words_per_minute(self) -> int:
        return WORDS_PER_MINUTE

    @property
    def state(self) -> str:
        """``below``, ``within`` or ``over`` the target range."""
        return _state(self.counted, self.words_min, self.words_max)

    @property
    def percent(self) -> float:
        return _percent(self.counted, self.scale)

    @property
    def min_percent(self) -> float:
        return _percent(self.words_min, self.scale)

    @property
    def max_percent(self) -> float:
        return _percent(self.words_max, self.scale)

    @property
    def range_percent(self) -> float:
        return self.max_percent - self.min_percent

    @property
    def to_go(self) -> int:
        return max(self.words_min - self.counted, 0)

    @property
    def media_minutes(self) -> int:
        return round(self.media_seconds / 60)

    @property
    def period_state(self) -> str:
        """``not_started``, ``running`` or ``ended``."""
        if self.today < self.started_on:
            return "not_started"
        return "ended" if self.today >= self.ends_on else "running"

    @property
    def current_month(self) -> int:
        """Month 1 is the first month of the period."""
        return min(self.months_gone + 1, self.period_months)


def _state(words: int, low: int, high: int) -> str:
    if words < low:
        return "below"
    return "over" if words > high else "within"


def _percent(part: float, whole: float) -> float:
    return round(min(max(part / whole, 0), 1) * 100, 1) if whole else 0.0


def months_between(start: date, today: date) -> int:
    """Whole calendar months from ``start`` to ``today`` (0 before the first month is over)."""
    months = (today.year - start.year) * 12 + today.month - start.month
    if months > 0 and add_months(start, months) > today:
        months -= 1
    return max(months, 0)


def _month(day: date) -> date:
    return day.replace(day=1)


def _period(log, today: date, words: int, media_seconds: int = 0) -> Progress:
    progress = Progress(
        words_min=log.words_min,
        words_max=log.words_max,
        words=words,
        media_seconds=media_seconds,
        period_months=log.period_months,
        started_on=log.started_on,
        ends_on=log.ends_on,
        today=today,
    )
    progress.scale = max(round(log.words_max * SCALE_HEADROOM), progress.counted, 1)
    span = (log.ends_on - log.started_on).days or 1
    progress.elapsed_percent = _percent((today - log.started_on).days, span)
    progress.months_gone = min(months_between(log.started_on, today), log.period_months)
    return progress


def glance(
    log, words: int, entries: int, drafts: int, today: date, media_seconds: int = 0
) -> Progress:
    """Words against the target and months of the period, from totals (for a list of logs)."""
    progress = _period(log, today, words, media_seconds)
    progress.entries, progress.drafts = entries, drafts
    return progress


def log_progress(log, entries, today: date) -> Progress:
    """The progress of ``log`` from ``entries`` (drafts are counted apart from the rest)."""
    saved = [entry for entry in entries if not entry.draft]
    progress = _period(
        log,
        today,
        sum(entry.word_count for entry in saved),
        sum(entry.media_seconds for entry in saved),
    )
    progress.entries = len(saved)
    progress.drafts = len(entries) - len(saved)
    progress.draft_words = sum(entry.word_count for entry in entries if entry.draft)

    sections = {title: SectionProgress(title) for title in log.sections}
    unsectioned = SectionProgress("")
    per_month: Counter = Counter()
    words_per_month: Counter = Counter()
    for entry in saved:
        section = sections.get(entry.section, unsectioned)
        section.words += entry.word_count
        section.entries += 1
        per_month[_month(entry.entry_date)] += 1
        words_per_month[_month(entry.entry_date)] += entry.word_count

    if sections:
        count = len(sections)
        for section in sections.values():
            section.share_min = round(log.words_min / count)
            section.share_max = round(log.words_max / count)
        progress.sections = list(sections.values())
        if unsectioned.entries:
            progress.sections.append(unsectioned)

    first = min([_month(log.started_on), *per_month])
    last_of_period = _month(add_months(log.started_on, log.period_months - 1))
    last = max([min(_month(today), last_of_period), *per_month])
    month = first
    while month <= last:
        progress.months.append(MonthCount(month, per_month[month], words_per_month[month]))
        month = add_months(month, 1)
    progress.months = progress.months[-MAX_MONTHS_SHOWN:]
    busiest = max((m.entries for m in progress.months), default=0)
    for row in progress.months:
        row.percent = _percent(row.entries, busiest)
    return progress
