"""The guide's pages, read once per process from ``data/<slug>.md``, and the links into them
that other apps use (the live room's phases, the techniques of an airtime).

Each file starts with a TOML header between ``+++`` lines: ``title``, ``summary`` (one line)
and ``order``. Its sections are its ``##`` headings; ``###`` headings are searchable too.
"""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .markdown import Part, render_parts

CONTENT = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    summary: str
    order: int
    parts: tuple[Part, ...]

    @property
    def html(self) -> SafeString:
        return mark_safe("".join(part.html for part in self.parts))  # sanitised part by part

    @property
    def sections(self) -> tuple[Section, ...]:
        """The page's ``##`` headings: its "On this page" list."""
        return tuple(Section(p.id, p.title) for p in self.parts if p.level == 2)

    @property
    def anchors(self) -> frozenset[str]:
        return frozenset(p.id for p in self.parts if p.id)

    def section_html(self, anchor: str) -> SafeString:
        """One section, with its heading and everything under it up to the next heading of
        its level or higher (for a page part elsewhere, such as the live room)."""
        start = next(k for k, p in enumerate(self.parts) if p.id == anchor)
        level = self.parts[start].level
        end = next(
            (k for k in range(start + 1, len(self.parts)) if self.parts[k].level <= level),
            len(self.parts),
        )
        return mark_safe("".join(p.html for p in self.parts[start:end]))

    def get_absolute_url(self) -> str:
        return reverse("guide_page", args=[self.slug])


def _read(path: Path) -> Page:
    text = path.read_text(encoding="utf-8")
    _, header, body = text.split("+++\n", 2)
    meta = tomllib.loads(header)
    return Page(
        slug=path.stem,
        title=meta["title"],
        summary=meta["summary"],
        order=meta["order"],
        parts=tuple(render_parts(body)),
    )


@cache
def _pages() -> dict[str, Page]:
    pages = sorted((_read(path) for path in CONTENT.glob("*.md")), key=lambda p: p.order)
    return {p.slug: p for p in pages}


def all_pages() -> list[Page]:
    """Every page, in reading order."""
    return list(_pages().values())


def page(slug: str) -> Page | None:
    return _pages().get(slug)


def neighbours(slug: str) -> tuple[Page | None, Page | None]:
    """The pages before and after ``slug`` in reading order."""
    pages = all_pages()
    k = [p.slug for p in pages].index(slug)
    return (pages[k - 1] if k > 0 else None, pages[k + 1] if k + 1 < len(pages) else None)


# The slugs in reading order, for code that names a page (the files are the truth; a test
# checks that the two agree).
PAGES = (
    "what-is-action-learning",
    "setting-up",
    "first-meeting",
    "running-meetings",
    "questioning",
    "techniques",
    "online-sets",
    "endings",
    "when-things-go-wrong",
)

# A room phase (meetings/room/machine.py) -> (page, anchor, link text). An empty anchor is
# the top of the page.
PHASE_LINKS: dict[str, tuple[str, str, str]] = {
    "taster": ("first-meeting", "", "How a taster first meeting runs"),
    "check_in": ("running-meetings", "check-in", "About the check-in"),
    "report_back": ("running-meetings", "report-back", "About report-back"),
    "bidding": ("running-meetings", "bidding", "About bidding for airtime"),
    "airtime": ("running-meetings", "airtime", "About airtime"),
    "process_review": ("running-meetings", "process-review", "About the process review"),
    "summary": ("running-meetings", "summary", "About the summary"),
}

# A technique's kind -> (page, anchor, link text).
TECHNIQUE_LINKS: dict[str, tuple[str, str, str]] = {
    "force_field": ("techniques", "force-field-analysis", "Force-field analysis"),
    "five_whys": ("techniques", "five-whys", "Five whys"),
    "options_matrix": ("techniques", "options-matrix", "Options appraisal (weighted matrix)"),
    "fishbone": ("techniques", "fishbone", "Fishbone"),
    "swot": ("techniques", "swot", "SWOT"),
    "stakeholder_map": ("techniques", "stakeholder-map", "Stakeholder map"),
}


def link_url(slug: str, anchor: str = "") -> str:
    url = reverse("guide_page", args=[slug])
    return f"{url}#{anchor}" if anchor else url


def phase_url(phase: str) -> str:
    """The guide's page on a room phase (``check_in``, ``airtime``, ``taster`` ...); a
    KeyError for a phase the guide does not know."""
    slug, anchor, _ = PHASE_LINKS[phase]
    return link_url(slug, anchor)


def technique_url(kind: str) -> str:
    """The guide's section on a technique (``force_field``, ``five_whys`` ...); a KeyError for
    a kind the guide does not know."""
    slug, anchor, _ = TECHNIQUE_LINKS[kind]
    return link_url(slug, anchor)
