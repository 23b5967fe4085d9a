"""The guide's pages as shipped: each renders, has the anchors other pages link to, and every
link inside the guide reaches a page and a section that exist."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import resolve

from revans.guide import pages
from revans.guide.markdown import render_parts, slugify

ANCHORS = {
    "running-meetings": {
        "check-in",
        "report-back",
        "bidding",
        "airtime",
        "process-review",
        "summary",
    },
    "techniques": {
        "force-field-analysis",
        "five-whys",
        "options-matrix",
        "fishbone",
        "swot",
        "stakeholder-map",
    },
    "when-things-go-wrong": {
        "silence",
        "advice-giving",
        "dominant-member",
        "member-in-distress",
        "confidentiality-broken",
    },
    "first-meeting": {"expectations", "choosing-an-issue", "ground-rules", "practice-round"},
    "what-is-action-learning": {"compared", "l-p-q", "what-it-is", "what-it-is-not"},
    "setting-up": {"size", "mix", "in-company-or-mixed", "contracting", "ground-rules"},
}


class _Read(HTMLParser):
    """The ids, link targets and h1 headings of a piece of HTML."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.h1 = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a":
            self.links.append(attributes.get("href", ""))
        if tag == "h1":
            self.h1 += 1


def read(html: str) -> _Read:
    reader = _Read()
    reader.feed(html)
    return reader


def test_the_pages_are_in_reading_order_and_named_in_pages():
    shipped = pages.all_pages()
    assert [p.slug for p in shipped] == list(pages.PAGES)
    assert [p.order for p in shipped] == list(range(1, len(shipped) + 1))


@pytest.mark.parametrize("slug", pages.PAGES)
def test_every_page_renders_with_title_summary_and_sections(slug):
    shown = pages.page(slug)
    assert shown is not None
    assert shown.title and shown.summary and "\n" not in shown.summary
    html = read(shown.html)
    assert html.h1 == 0  # the page's template holds its only h1
    assert len(shown.sections) >= 3
    assert {s.id for s in shown.sections} <= html.ids
    assert len(re.findall(r"\w+", " ".join(p.text for p in shown.parts))) > 400


@pytest.mark.parametrize("slug, anchors", ANCHORS.items())
def test_the_anchors_other_pages_link_to_exist(slug, anchors):
    shown = pages.page(slug)
    assert shown is not None
    assert anchors <= read(shown.html).ids


def test_ids_are_unique_on_each_page():
    for shown in pages.all_pages():
        ids = [p.id for p in shown.parts if p.id]
        assert len(ids) == len(set(ids)), shown.slug


def test_every_link_inside_the_guide_reaches_a_page_and_section():
    for shown in pages.all_pages():
        for href in read(shown.html).links:
            assert not href.startswith(("http:", "javascript:")), href
            path, _, anchor = href.partition("#")
            target = shown if not path else pages.page(resolve(path).kwargs["slug"])
            assert target is not None, href
            assert not anchor or anchor in target.anchors, f"{shown.slug}: {href}"


def test_phase_links_reach_existing_anchors():
    assert set(pages.PHASE_LINKS) == {
        "taster",
        "check_in",
        "report_back",
        "bidding",
        "airtime",
        "process_review",
        "summary",
    }
    for phase, (slug, anchor, text) in pages.PHASE_LINKS.items():
        target = pages.page(slug)
        assert target is not None and text
        assert not anchor or anchor in target.anchors
        assert pages.phase_url(phase) == f"/guide/{slug}/" + (f"#{anchor}" if anchor else "")
    assert pages.phase_url("taster") == "/guide/first-meeting/"
    assert pages.phase_url("check_in") == "/guide/running-meetings/#check-in"


def test_technique_urls_reach_the_techniques_sections():
    kinds = ["force_field", "five_whys", "options_matrix", "fishbone", "swot", "stakeholder_map"]
    techniques = pages.page("techniques")
    assert techniques is not None
    for kind in kinds:
        url = pages.technique_url(kind)
        path, _, anchor = url.partition("#")
        assert path == "/guide/techniques/"
        assert anchor in techniques.anchors
    assert pages.technique_url("five_whys") == "/guide/techniques/#five-whys"


def test_an_unknown_phase_or_technique_is_a_key_error():
    with pytest.raises(KeyError):
        pages.phase_url("coffee")
    with pytest.raises(KeyError):
        pages.technique_url("tarot")


def test_a_section_alone_runs_to_the_next_heading_of_its_level():
    running = pages.page("running-meetings")
    assert running is not None
    airtime = read(running.section_html("airtime"))
    assert {"airtime", "present", "questions", "actions", "reflection", "timer"} <= airtime.ids
    assert "process-review" not in airtime.ids
    assert read(running.section_html("present")).ids == {"present"}


def test_neighbours_follow_the_reading_order():
    assert pages.neighbours("what-is-action-learning") == (None, pages.page("setting-up"))
    last = pages.neighbours("when-things-go-wrong")
    assert last == (pages.page("endings"), None)


def test_pages_are_read_once_per_process():
    assert pages.page("techniques") is pages.page("techniques")


def test_the_renderer_keeps_raw_html_and_unsafe_links_out():
    parts = render_parts(
        "## Hello {#hi}\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) "
        '<img src=x onerror="alert(1)">\n'
    )
    html = "".join(p.html for p in parts)
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html
    assert '<h2 id="hi">Hello</h2>' in html


def test_headings_without_an_id_get_one_from_their_words_and_repeats_are_numbered():
    parts = render_parts("## What now?\n\ntext\n\n## What now?\n\nmore\n")
    assert [p.id for p in parts if p.id] == ["what-now", "what-now-2"]
    assert slugify("  ") == "section"


def test_table_cells_name_their_column_for_a_phone():
    parts = render_parts("| Aspect | Mine | Yours |\n|---|---|---|\n| Who | me | you |\n")
    html = "".join(p.html for p in parts)
    assert "<td>Who</td>" in html  # the row's own heading has no column name
    assert '<td data-label="Mine">me</td>' in html
    assert '<td data-label="Yours">you</td>' in html
