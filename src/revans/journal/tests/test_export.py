"""Word and PDF exports of a log and of one entry: opened again with python-docx and pypdf to
check what is in them, who may download them, and the ``revans journal export`` command."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from docx import Document
from PIL import Image
from pypdf import PdfReader

from revans.journal.export import duration_text, export_entry, export_log
from revans.journal.models import Attachment

from .conftest import make_entry, make_log, share

BODY = """Opening line with **bold words** and *a slanted thought*.

## What I noticed

- first point
- second point

1. one
2. two

> A quote from the set.

See [the ILM site](https://www.i-l-m.com) for more.

![The room at the end](/journal/attachments/{image}/)

After the image: the closing paragraph.
"""


def picture(fmt: str = "PNG", size=(240, 180), colour=(30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def attach(entry, kind="image", data=None, content_type="image/png", **fields) -> Attachment:
    item = Attachment(entry=entry, kind=kind, content_type=content_type, **fields)
    data = picture() if data is None else data
    item.size = len(data)
    item.file.save("upload", ContentFile(data), save=False)
    item.save()
    return item


@pytest.fixture
def full_log(world, past_meeting):
    """mo's log: an entry in "Results" showing an image in its text and with a sketch and an
    audio diary after it, an entry in no section, and a draft."""
    log = make_log(world.mo, purpose="To show how my facilitating grew.")
    results = make_entry(
        log,
        title="The quiet meeting",
        section="Results",
        meeting=past_meeting,
        tags="questions, silence",
        body="",
    )
    shown = attach(results, description="The room at the end")
    attach(results, kind="sketch", data=picture(size=(300, 200)), description="My sketch")
    attach(
        results, kind="audio", content_type="audio/mpeg", data=b"ID3" + b"\0" * 64,
        duration_seconds=200,
    )  # fmt: skip
    results.body = BODY.format(image=shown.pk)
    results.save()
    results.refresh_media_seconds()
    make_entry(log, title="A loose thought", body="Nothing to do with a section, this one.")
    make_entry(log, title="Secret draft", body="Unfinished musings", draft=True)
    return log


def docx_text(content: bytes) -> tuple[Document, str]:
    doc = Document(io.BytesIO(content))
    return doc, "\n".join(p.text for p in doc.paragraphs)


def pdf_pages(content: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(content))
    return reader, [page.extract_text() for page in reader.pages]


# --- the documents ---------------------------------------------------------------------------


def test_the_word_export_has_the_cover_sections_entries_and_images(world, full_log):
    doc, text = docx_text(export_log(full_log, "docx"))
    assert doc.paragraphs[0].text == "ILM facilitator log"
    assert doc.paragraphs[0].style.name == "Title"
    for cover in (
        "Mo",  # the owner's name
        "To show how my facilitating grew.",
        "Words: ",
        "(target 1,500–7,000)",
        "Entries: 2",
        "Audio and video: 3 minutes",
        "Drafts are not included.",
    ):
        assert cover in text, cover
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    # The log's sections in its own order, each on its own, with entries without one last.
    assert headings.index("Results") < headings.index("The quiet meeting")
    assert headings.index("Purpose of the log") < headings.index("Results")
    assert headings[-2:] == ["Other entries", "A loose thought"]
    assert "What I noticed" in headings
    assert "Set Aurora, meeting 1" in text and "Tags: questions, silence" in text
    assert "After the image: the closing paragraph." in text
    assert "Audio diary, 3 min 20 s" in text
    assert "Secret draft" not in text and "Unfinished musings" not in text
    # The image shown in the text and the sketch after it.
    assert len(doc.inline_shapes) == 2
    bold = [r.text for p in doc.paragraphs for r in p.runs if r.bold]
    assert "bold words" in bold
    assert any(p.style.name == "List Bullet" and p.text == "first point" for p in doc.paragraphs)
    assert any(p.style.name == "Quote" for p in doc.paragraphs)
    footer = doc.sections[0].footer.paragraphs[0]._p.xml
    assert "NUMPAGES" in footer and " PAGE " in footer


def test_the_pdf_export_has_the_cover_entries_footers_and_images(world, full_log):
    reader, pages = pdf_pages(export_log(full_log, "pdf"))
    count = len(reader.pages)
    assert count >= 3
    cover = pages[0]
    assert "ILM facilitator log" in cover and "Mo" in cover
    assert "To show how my facilitating grew." in cover
    assert "Drafts are not included." in cover and "Entries" in cover
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {count}" in page
    text = "\n".join(pages)
    assert "Results" in text and "The quiet meeting" in text and "Other entries" in text
    assert "bold words" in text and "Audio diary, 3 min 20 s" in text
    assert "Set Aurora, meeting 1" in text
    assert "Secret draft" not in text
    assert sum(len(page.images) for page in reader.pages) == 2


def test_an_image_that_is_not_in_the_entry_is_not_placed(world, full_log):
    """An image address of someone else's attachment stays a description, never fetched."""
    other_log = make_log(world.nia, title="Nia's log")
    theirs = attach(make_entry(other_log, title="Nia's entry"))
    entry = full_log.entries.get(title="A loose thought")
    entry.body = (
        f"![their picture](/journal/attachments/{theirs.pk}/) and ![web](https://x.test/a.png)"
    )
    entry.save()
    doc, text = docx_text(export_entry(entry, "docx"))
    assert len(doc.inline_shapes) == 0
    assert "[image: their picture]" in text and "[image: web]" in text


def test_one_entry_exports_with_whose_log_it_is(world, full_log):
    entry = full_log.entries.get(title="The quiet meeting")
    doc, text = docx_text(export_entry(entry, "docx"))
    assert "ILM facilitator log · Mo" in text and "The quiet meeting" in text
    assert "A loose thought" not in text
    assert len(doc.inline_shapes) == 2
    reader, pages = pdf_pages(export_entry(entry, "pdf"))
    assert "The quiet meeting" in pages[0] and f"Page 1 of {len(pages)}" in pages[0]
    assert sum(len(page.images) for page in reader.pages) == 2


def test_unusual_text_and_a_missing_image_file_do_not_break_an_export(world, full_log):
    entry = full_log.entries.get(title="A loose thought")
    gone = attach(entry, description="Lost")
    gone.file.storage.delete(gone.file.name)
    entry.body = (
        "Łódź – “quotes” 漢字 \x0b and a control, then `code` ~~struck~~\n\n```\nblock\n```"
    )
    entry.save()
    _, text = docx_text(export_entry(entry, "docx"))
    assert "Łódź – “quotes” 漢字" in text and "[image not available: Lost]" in text
    _, pages = pdf_pages(export_entry(entry, "pdf"))
    assert "Łódź – “quotes” 漢字" in pages[0]


WORLD_WORDS = "Łódź, Ελληνικά, 中文, 日本語, 한국어, 😀 🎉"


def test_the_pdf_keeps_every_script_in_every_style(world, full_log, caplog):
    """Text in any script comes back out of the PDF, drawn with a glyph of an embedded font
    (fpdf2 warns of any it has to leave out), in plain, bold, italic, code, headings and quotes."""
    entry = full_log.entries.get(title="A loose thought")
    entry.title = f"Title {WORLD_WORDS}"
    entry.tags = "Łódź, 中文"
    entry.body = (
        f"Plain {WORLD_WORDS}\n\n**Bold {WORLD_WORDS}**\n\n*Italic {WORLD_WORDS}*\n\n"
        f"***Both {WORLD_WORDS}***\n\n`code {WORLD_WORDS}`\n\n## Heading {WORLD_WORDS}\n\n"
        f"- item {WORLD_WORDS}\n\n> quote {WORLD_WORDS}\n\n"
        f"[link {WORLD_WORDS}](https://example.org)\n\n"
        "Joined 👍🏽 ❤️ 👩\u200d💻, marked\u200f\u202e done"
    )
    entry.save()
    for content in (export_entry(entry, "pdf"), export_log(full_log, "pdf")):
        _, pages = pdf_pages(content)
        text = " ".join(" ".join(pages).split())
        for style in ("Title", "Plain", "Bold", "Italic", "Both", "code", "Heading", "item",
                      "quote", "link"):  # fmt: skip
            assert f"{style} {WORLD_WORDS}" in text, style
        assert "Tags: Łódź, 中文" in text
        assert "?" not in text
        # Modifiers and joiners drawn as what they join; no invisible mark reorders the text.
        assert "Joined 👍🏽 ❤ 👩💻, marked done" in text
    assert "missing the following glyphs" not in caplog.text


def test_durations_read_as_people_say_them():
    assert duration_text(200) == "3 min 20 s"
    assert duration_text(45) == "45 s"
    assert duration_text(3720) == "1 h 2 min"
    assert duration_text(None) == ""


# --- the downloads ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_owner_downloads_the_log_with_a_proper_filename(world, full_log, fmt):
    response = world.client(world.mo).get(reverse(f"log_export_{fmt}", args=[full_log.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="ilm-facilitator-log.{fmt}"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content[:4] == (b"PK\x03\x04" if fmt == "docx" else b"%PDF")


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_an_entry_downloads_with_a_proper_filename(world, full_log, fmt):
    entry = full_log.entries.get(title="The quiet meeting")
    response = world.client(world.mo).get(reverse(f"entry_export_{fmt}", args=[entry.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="ilm-facilitator-log-the-quiet-meeting.{fmt}"'
    )


def test_a_log_with_no_saved_entries_says_so(world):
    log = make_log(world.mo, title="Empty log")
    make_entry(log, draft=True)
    client = world.client(world.mo)
    response = client.get(reverse("log_export_pdf", args=[log.pk]), follow=True)
    assert response.redirect_chain[-1][0] == log.get_absolute_url()
    assert "no saved entries to export yet" in response.content.decode()


def test_others_get_404_and_anonymous_people_sign_in(world, full_log):
    entry = full_log.entries.get(title="The quiet meeting")
    urls = [
        reverse("log_export_docx", args=[full_log.pk]),
        reverse("entry_export_pdf", args=[entry.pk]),
    ]
    for url in urls:
        assert world.client(world.nia).get(url).status_code == 404
        assert world.client(world.fran).get(url).status_code == 404
        response = world.client(None).get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_an_assessor_downloads_what_they_may_read_and_never_drafts(world, full_log):
    share(full_log, world.nia)
    client = world.client(world.nia)
    response = client.get(reverse("log_export_docx", args=[full_log.pk]))
    assert response.status_code == 200
    _, text = docx_text(response.content)
    assert "The quiet meeting" in text and "Secret draft" not in text
    draft = full_log.entries.get(draft=True)
    assert client.get(reverse("entry_export_pdf", args=[draft.pk])).status_code == 404


def test_a_revoked_share_downloads_nothing(world, full_log):
    from django.utils import timezone

    share(full_log, world.nia, revoked_at=timezone.now() - timedelta(minutes=1))
    url = reverse("log_export_pdf", args=[full_log.pk])
    assert world.client(world.nia).get(url).status_code == 404


def test_the_log_and_entry_pages_offer_the_downloads(world, full_log):
    client = world.client(world.mo)
    html = client.get(full_log.get_absolute_url()).content.decode()
    assert reverse("log_export_docx", args=[full_log.pk]) in html
    assert reverse("log_export_pdf", args=[full_log.pk]) in html
    entry = full_log.entries.get(title="The quiet meeting")
    html = client.get(entry.get_absolute_url()).content.decode()
    assert reverse("entry_export_docx", args=[entry.pk]) in html


# --- the command -----------------------------------------------------------------------------


def test_the_command_writes_a_log_and_an_entry(world, full_log, tmp_path):
    out = tmp_path / "log.pdf"
    call_command("journal", "export", "--log", str(full_log.pk), "--format", "pdf", "-o", str(out))
    assert "Page 1 of" in PdfReader(out).pages[0].extract_text()
    entry = full_log.entries.get(title="A loose thought")
    out = tmp_path / "entry.docx"
    call_command("journal", "export", "--entry", str(entry.pk), "--format", "docx", "-o", str(out))
    assert "A loose thought" in docx_text(out.read_bytes())[1]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--log", "999999", "--format", "pdf"], "There is no log with id 999999."),
        (["--entry", "999999", "--format", "pdf"], "There is no entry with id 999999."),
        (["--log", "1", "--format", "odt"], "invalid choice: 'odt'"),
    ],
)
def test_the_command_refuses_clearly(world, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("journal", "export", *arguments, "-o", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_the_command_refuses_an_empty_log(world, tmp_path):
    log = make_log(world.mo, title="Empty log")
    with pytest.raises(CommandError, match="no saved entries to export yet"):
        call_command(
            "journal", "export", "--log", str(log.pk), "--format", "docx", "-o", str(tmp_path / "x")
        )
    assert not (tmp_path / "x").exists()


def test_the_command_refuses_a_folder_that_is_not_there(world, full_log, tmp_path):
    out = tmp_path / "missing" / "log.pdf"
    with pytest.raises(CommandError, match="There is no folder"):
        call_command(
            "journal", "export", "--log", str(full_log.pk), "--format", "pdf", "-o", str(out)
        )
