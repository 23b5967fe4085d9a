"""The practice record as PDF and CSV for an accrediting body: opened again (pypdf, csv) and
read, for the person's own record only and the period asked for."""

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from revans.development.models import Observation, PracticeEntry

from .test_dev_record import history  # noqa: F401  (the fixture)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def csv_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_pdf_has_who_the_profile_the_summary_and_every_line(history):  # noqa: F811
    f = history
    f.tina.facilitator_training = "qualified"
    f.tina.qualification = "ILM Level 7 Certificate in Action Learning"
    f.tina.qualified_on = "2024-03-01"
    f.tina.facilitator_basis = "internal"
    f.tina.display_name = "Tina Ōkafor"
    f.tina.save()
    PracticeEntry.objects.filter(title="Acme Ltd").update(note="Two sets; ✓ agreed")
    response = f.world.client(f.tina).get(reverse("practice_record_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "practice-record" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content)
    for expected in (
        "Tina Ōkafor",
        "Qualified facilitator: ILM Level 7 Certificate in Action Learning, 1 March 2024",
        "Internal facilitator",
        "Everything recorded",
        "Facilitation hours",
        "6.5",
        "Meetings facilitated in Revans (3)",
        "Osprey",
        "co-facilitated",
        "Observing Tara",
        "Peers",
        "Day 1: the method",
        "Acme Ltd",
        "Two sets; ✓ agreed",
        "Sam Supervisor",
        "Action Learning conference",
    ):
        assert expected in text, expected
    assert "Tara's client" not in text


def test_the_csv_has_one_row_per_line(history):  # noqa: F811
    f = history
    PracticeEntry.objects.filter(title="Acme Ltd").update(note="=HYPERLINK(1)")
    response = f.world.client(f.tina).get(reverse("practice_record_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response.content)
    assert rows[0] == ["Date", "Kind", "What", "Set or client", "Programme", "Hours", "Note"]
    body = rows[1:]
    assert len(body) == 3 + 1 + 1 + 1 + 3  # facilitated, peer, observed, day, entries
    by_kind: dict[str, list[list[str]]] = {}
    for row in body:
        by_kind.setdefault(row[1], []).append(row)
    osprey = next(r for r in by_kind["Facilitation (Revans)"] if r[3] == "Osprey")
    assert osprey[2] == "Meeting 1, co-facilitated" and osprey[5] == "1.5"
    assert by_kind["Supervision (peer set)"][0][3:6] == ["Peers", "", "2"]
    assert by_kind["CPD (training day)"][0][2:6] == [
        "Day 1: the method",
        "",
        "Facilitating Action Learning",
        "6",
    ]
    assert by_kind["Observed practice"][0][2] == "Observing Tara"
    assert by_kind["Observed practice"][0][6] == "Feedback written"
    acme = by_kind["Facilitation elsewhere"][0]
    assert acme[3] == "Acme Ltd" and acme[5] == "3"
    assert acme[6] == "'=HYPERLINK(1)"  # kept from running as a formula
    assert [row[0] for row in body] == sorted(row[0] for row in body)
    assert "Tara's client" not in response.content.decode()


def test_the_files_keep_to_the_period(history):  # noqa: F811
    f = history
    today = timezone.localdate()
    start = (today - timedelta(days=14)).isoformat()
    client = f.world.client(f.tina)
    rows = csv_rows(client.get(reverse("practice_record_csv"), {"from": start}).content)[1:]
    assert {row[1] for row in rows} == {"Facilitation (Revans)", "Observed practice", "Supervision"}
    text = pdf_text(client.get(reverse("practice_record_pdf"), {"from": start}).content)
    assert f"From {today - timedelta(days=14):%-d %B %Y}" in text
    assert "Acme Ltd" not in text and "Sam Supervisor" in text


def test_an_empty_record_still_makes_both_files(facilitators):
    f = facilitators
    client = f.world.client(f.world.nia)
    text = pdf_text(client.get(reverse("practice_record_pdf")).content)
    assert "Facilitator profile not filled in" in text and "None in this period." in text
    assert csv_rows(client.get(reverse("practice_record_csv")).content) == [
        ["Date", "Kind", "What", "Set or client", "Programme", "Hours", "Note"]
    ]


def test_the_observed_see_their_feedback_as_written_not_its_words(history):  # noqa: F811
    f = history
    Observation.objects.filter(trainee=f.tara).update(try_next="A private word")
    client = f.world.client(f.tara)
    text = pdf_text(client.get(reverse("practice_record_pdf")).content)
    assert "Observed by Tina" in text and "Written" in text
    content = client.get(reverse("practice_record_csv")).content.decode()
    assert "A private word" not in text and "A private word" not in content
    assert "Words that stay" not in text and "Words that stay" not in content


def test_signed_out_people_get_no_file(world):
    client = world.client(None)
    for name in ("practice_record_pdf", "practice_record_csv"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_long_record_runs_over_pages_with_every_line_and_any_script(facilitators):
    f = facilitators
    today = timezone.localdate()
    PracticeEntry.objects.bulk_create(
        PracticeEntry(
            user=f.tina,
            kind="practice",
            hours=1,
            title=f"客户 {n} — Ørsted Kraków très long client name for a set of managers",
            on=today - timedelta(days=n),
            note=("A long note, " * 150)[:2000] if n % 10 == 0 else "",
        )
        for n in range(80)
    )
    response = f.world.client(f.tina).get(reverse("practice_record_pdf"))
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) > 3
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Facilitation elsewhere (80)" in text
    # The table's head again at the top of every page it runs onto.
    assert all("Date Client Hours" in page.extract_text() for page in reader.pages[1:])
    for n in (0, 41, 79):
        assert f"客户 {n} " in text
    rows = csv_rows(f.world.client(f.tina).get(reverse("practice_record_csv")).content)
    assert len(rows) == 1 + 80 + 1  # the header, the entries and Kestrel's meeting
