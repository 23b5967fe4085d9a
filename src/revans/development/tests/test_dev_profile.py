"""A facilitator's profile: trained or qualified (with the qualification and its date),
internal or external, on the profile page, with clear refusals."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

BASE = {"display_name": "Tina", "job_title": "", "time_zone": "Europe/London"}


def test_a_facilitator_says_they_are_qualified_and_external(facilitators):
    f = facilitators
    response = f.world.client(f.tina).post(
        reverse("profile"),
        {
            **BASE,
            "facilitator_training": "qualified",
            "qualification": "  ILM Level 5   Certificate in Action Learning ",
            "qualified_on": "2025-06-30",
            "facilitator_basis": "external",
        },
    )
    assert response.status_code == 302
    f.tina.refresh_from_db()
    assert (
        f.tina.facilitator_training,
        f.tina.qualification,
        str(f.tina.qualified_on),
        f.tina.facilitator_basis,
    ) == ("qualified", "ILM Level 5 Certificate in Action Learning", "2025-06-30", "external")
    page = f.world.client(f.tina).get(reverse("profile")).content.decode()
    assert "Not trained as a facilitator" in page and "ILM Level 5" in page
    assert f'href="{reverse("practice_record")}"' in page


def test_trained_and_internal_needs_nothing_else(facilitators):
    f = facilitators
    response = f.world.client(f.tara).post(
        reverse("profile"),
        {**BASE, "facilitator_training": "trained", "facilitator_basis": "internal"},
    )
    assert response.status_code == 302
    f.tara.refresh_from_db()
    assert (f.tara.facilitator_training, f.tara.facilitator_basis) == ("trained", "internal")


def test_refusals_are_clear_and_nothing_is_saved(facilitators):
    f = facilitators
    client = f.world.client(f.tina)
    tomorrow = timezone.localdate() + timedelta(days=1)
    cases = [
        (
            {"facilitator_training": "qualified"},
            "qualification",
            "Name the qualification you hold.",
        ),
        (
            {
                "facilitator_training": "qualified",
                "qualification": "ILM 5",
                "qualified_on": tomorrow.isoformat(),
            },
            "qualified_on",
            "The date you qualified cannot be in the future.",
        ),
        (
            {"facilitator_training": "trained", "qualified_on": "2024-01-01"},
            "qualified_on",
            "A date of qualifying goes with “Qualified”: choose it above, or leave the date empty.",
        ),
        ({"facilitator_basis": "freelance"}, "facilitator_basis", None),
        (
            {
                "facilitator_training": "qualified",
                "qualification": "x",
                "qualified_on": "31/31/2024",
            },
            "qualified_on",
            None,
        ),
    ]
    for data, field, message in cases:
        response = client.post(reverse("profile"), {**BASE, **data})
        assert response.status_code == 200, data
        errors = response.context["form"].errors
        assert field in errors, data
        if message:
            assert errors[field] == [message]
            assert message.replace("“", "&ldquo;")[:20] in response.content.decode() or (
                message[:20] in response.content.decode()
            )
    f.tina.refresh_from_db()
    assert (f.tina.facilitator_training, f.tina.qualification, f.tina.qualified_on) == (
        "",
        "",
        None,
    )
