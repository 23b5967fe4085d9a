"""A closed meeting's summary on its page and as downloads: for the people in the set only."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from revans.meetings.room.summary import summary_pdf

from .conftest import SUMMARY, make_meeting

DOWNLOADS = ("meeting_summary_md", "meeting_summary_pdf")


def page(world, who, meeting) -> str:
    response = world.client(who).get(reverse("meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["mo", "obi", "fran"])
def test_people_in_the_set_read_the_summary_on_the_meeting_page(world, closed, who):
    html = page(world, getattr(world, who), closed)
    assert 'id="summary"' in html
    assert "<strong>Present:</strong> Fran, Mo" in html
    assert "<strong>Apologies:</strong> Obi" in html
    assert "Two teams that will not merge" in html
    assert "7 questions, 2 powerful" in html
    assert "Meet both team leaders together" in html
    assert "Call Sam about the rota" in html and "Partly done" in html
    assert "Sam is on leave until May" in html
    assert "7 asked, 2 marked powerful" in html
    assert "Good open questions today" in html
    assert (
        '<li class="change"><strong>What we\'ll change:</strong> Start the report-back on time'
        in html
    )
    assert reverse("meeting_summary_pdf", args=[closed.pk]) in html
    assert reverse("meeting_summary_md", args=[closed.pk]) in html
    assert "Download PDF" in html and "Download Markdown" in html


def test_programme_manager_sees_only_the_counts_of_the_summary(world, closed):
    html = page(world, world.pam, closed)
    assert "Summary made" in html
    assert "2 of 3 people present" in html
    assert "1 presenter ·" in html
    assert "1 action committed" in html
    assert "7 questions asked" in html
    for words in (
        "Two teams",
        "Meet both team leaders",
        "Call Sam",
        "Sam is on leave",
        "Good open questions",
        "Start the report-back",
        "<strong>Apologies:</strong>",
        "Download PDF",
        reverse("meeting_summary_md", args=[closed.pk]),
        reverse("meeting_summary_pdf", args=[closed.pk]),
    ):
        assert words not in html, words


def test_a_meeting_without_a_summary_shows_no_summary(world):
    meeting = make_meeting(world.aurora, 1, days=7)
    html = page(world, world.mo, meeting)
    assert 'id="summary"' not in html
    assert "Download PDF" not in html


def test_summary_text_is_escaped_on_the_page(world, closed):
    closed.summary = {**SUMMARY, "committed": [{"owner": "Mo", "text": "<script>x()</script>"}]}
    closed.save(update_fields=["summary"])
    html = page(world, world.mo, closed)
    assert "<script>x()" not in html
    assert "&lt;script&gt;x()" in html


def test_markdown_download_has_every_section(world, closed):
    response = world.client(world.mo).get(reverse("meeting_summary_md", args=[closed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="aurora-meeting-2-summary.md"'
    text = response.content.decode()
    assert text.startswith("# Aurora, meeting 2")
    for heading in (
        "## Attendance",
        "## Presenters",
        "## Actions committed",
        "## Actions reported on",
        "## Questions",
        "## Process review",
    ):
        assert heading in text
    assert "- Mo: Two teams that will not merge (7 questions, 2 powerful)" in text
    assert "- Mo: Meet both team leaders together" in text
    assert "- Mo: Call Sam about the rota (Partly done): Sam is on leave until May" in text
    assert "- We will change: Start the report-back on time" in text


HOSTILE = {
    **SUMMARY,
    "set": "<b>Aurora</b>",
    "attendance": [{"name": "<img src=x onerror=alert(1)>", "status": "present"}],
    "committed": [
        {"owner": "Mo", "text": "<script>alert(1)</script> & more"},
        {"owner": "Mo", "text": "[click](javascript:alert(1)) ![x](javascript:alert(2))"},
        {"owner": "Mo", "text": "<javascript:alert(3)> \\[again](javascript:alert(4))"},
        {"owner": "Mo", "text": "line one\n\n[ref]: javascript:alert(5)\n<iframe>"},
        {"owner": "Mo", "text": "`<code>` &lt;entity&gt;"},
    ],
    "review": [{"text": "<svg onload=alert(6)>", "change": True}],
}


def test_markdown_download_carries_no_html_links_or_images_from_peoples_words(world, closed):
    from markdown_it import MarkdownIt

    closed.summary = HOSTILE
    closed.save(update_fields=["summary"])
    text = world.client(world.mo).get(reverse("meeting_summary_md", args=[closed.pk]))
    text = text.content.decode()
    for raw in ("<script", "<img", "<iframe", "<svg", "<b>", "<javascript"):
        assert raw not in text, raw
    assert not re.search(r"(?<!\\)[\[\]]", text.replace("\\\\", ""))  # every bracket escaped
    assert "- Mo: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text
    assert "# &lt;b&gt;Aurora&lt;/b&gt;, meeting 2" in text
    # Even a renderer that lets raw HTML through makes no tag, link or image of them.
    html = MarkdownIt("commonmark", {"html": True}).enable(["linkify"]).render(text)
    for made in ("<script", "<img", "<iframe", "<svg", "<b>", "<a ", 'javascript:alert(1)"'):
        assert made not in html, made
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "[click](javascript:alert(1)) ![x](javascript:alert(2))" in html
    assert "`&lt;code&gt;` &amp;lt;entity&amp;gt;" in html
    assert "\\[again]" in html


def test_pdf_download_is_a_pdf(world, closed):
    response = world.client(world.obi).get(reverse("meeting_summary_pdf", args=[closed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="aurora-meeting-2-summary.pdf"'
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("name", DOWNLOADS)
def test_downloads_are_never_cached(world, closed, name):
    response = world.client(world.mo).get(reverse(name, args=[closed.pk]))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


UNICODE = {
    **SUMMARY,
    "set": "Ærøskøbing “Nord” – Łódź",
    "attendance": [
        {"name": "Zoë Łukasiewicz", "status": "present"},
        {"name": "王芳", "status": "present"},
        {"name": "Ólafur Þórsson", "status": "absent"},
    ],
    "presenters": [
        {"name": "Zoë Łukasiewicz", "headline": "“Why won’t it merge?” 😀", "questions": 1,
         "powerful": 0}
    ],
    "committed": [{"owner": "王芳", "text": "Ask ‘why’ five times — then wait\u202e…" + "x" * 600}],
    "reported": [{"owner": "Ólafur Þórsson", "text": "Ŝpeak to Ő", "status": "Done", "note": "€5 ✓"}],
    "review": [
        {"text": "Ünïcödé everywhere 🎉", "change": True},
        {"text": "Łódź, Ελληνικά, 中文, 日本語, 한국어, 😀", "change": False},
    ],
}  # fmt: skip


def pdf_fonts(reader: PdfReader) -> set[str]:
    return {
        str(font["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


def test_unicode_summaries_keep_every_character_in_the_pdf_and_the_markdown(world, closed, caplog):
    closed.summary = UNICODE
    closed.save(update_fields=["summary"])
    client = world.client(world.mo)
    pdf = client.get(reverse("meeting_summary_pdf", args=[closed.pk]))
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for words in (
        "Ærøskøbing “Nord” – Łódź, meeting 2",
        "Zoë Łukasiewicz, 王芳",
        "“Why won’t it merge?” 😀",
        "Ŝpeak to Ő",
        "€5 ✓",
        "Ünïcödé everywhere 🎉",
        "Łódź, Ελληνικά, 中文, 日本語, 한국어, 😀",
    ):
        assert words in text, words
    assert "?" not in text.replace("merge?", "")  # nothing turned into "?"
    assert "\u202e" not in text  # a direction override would reorder what follows it
    # Each drawn with a glyph of an embedded font (fpdf2 warns of any it has to leave out):
    # the text font and each fallback (DejaVu Sans has 😀 itself, not 🎉).
    assert "missing the following glyphs" not in caplog.text
    assert {"DejaVuSansBook", "DejaVuSansBold", "NotoSansSC", "NotoSansKR", "NotoEmoji"} <= (
        pdf_fonts(reader)
    )
    text = client.get(reverse("meeting_summary_md", args=[closed.pk])).content.decode()
    assert "# Ærøskøbing “Nord” – Łódź, meeting 2" in text
    assert "“Why won’t it merge?” 😀" in text
    assert "Ünïcödé everywhere 🎉" in text


def test_a_summary_with_no_content_still_makes_a_pdf(world, closed):
    closed.summary = {"meeting": 2, "set": "Aurora"}
    assert summary_pdf(closed).startswith(b"%PDF")


@pytest.mark.parametrize("name", DOWNLOADS)
@pytest.mark.parametrize("who", ["pam", "oli", "nia"])
def test_people_outside_the_set_get_404(world, closed, name, who):
    response = world.client(getattr(world, who)).get(reverse(name, args=[closed.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", DOWNLOADS)
def test_anonymous_visitors_are_sent_to_sign_in(world, closed, name):
    response = world.client(None).get(reverse(name, args=[closed.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_meeting_without_a_summary_yet_gets_404(world, name):
    meeting = make_meeting(world.aurora, 1, days=7)
    assert world.client(world.mo).get(reverse(name, args=[meeting.pk])).status_code == 404


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_missing_meeting_gets_404(world, name):
    assert world.client(world.mo).get(reverse(name, args=[999999])).status_code == 404
