"""A programme's settings: created from a template ("council leadership", or the standard six
one-hour meetings), each setting explained in plain words, and refused clearly when wrong."""

from django.urls import reverse

from revans.programmes.models import Programme
from revans.programmes.presets import COUNCIL_LEADERSHIP, STANDARD

from .test_programmes import VALID


def test_the_new_programme_page_offers_the_templates_and_starts_from_the_standard_one(world):
    response = world.client(world.nia).get(reverse("programme_create"))
    html = response.content.decode()
    assert "Council leadership" in html and "Six one-hour meetings" in html
    form = response.context["form"]
    assert form.initial["set_size_min"] == 6 and form.initial["set_size_max"] == 8
    assert form.initial["cadence_weeks"] == 4
    assert form.initial["meeting_minutes"] == 60
    assert form.initial["facilitated_meetings"] is None
    assert response.context["template"] == STANDARD


def test_council_leadership_fills_in_six_weekly_half_days_for_a_year(world):
    response = world.client(world.nia).get(
        reverse("programme_create"), {"template": "council_leadership"}
    )
    initial = response.context["form"].initial
    assert initial["cadence_weeks"] == 6
    assert initial["meeting_format"] == "half_day"
    assert initial["meeting_minutes"] == 240
    assert (initial["set_size_min"], initial["set_size_max"]) == (6, 8)
    assert initial["facilitated_meetings"] == 6
    assert (initial["ends_on"] - initial["starts_on"]).days == 364


def test_creating_from_council_leadership_records_the_template(world):
    data = {
        **VALID,
        "sponsor": world.council.pk,
        "template": "council_leadership",
        "cadence_weeks": "6",
        "facilitated_meetings": "6",
    }
    response = world.client(world.nia).post(reverse("programme_create"), data)
    assert response.status_code == 302
    programme = Programme.objects.get(name="Leading Together")
    assert programme.template == COUNCIL_LEADERSHIP.key
    assert programme.facilitated_meetings == 6
    assert programme.meeting_minutes == 240


def test_an_unknown_template_starts_from_the_standard_one(world):
    response = world.client(world.nia).get(reverse("programme_create"), {"template": "<x>"})
    assert response.status_code == 200
    assert response.context["template"] == STANDARD
    data = {**VALID, "sponsor": world.council.pk, "template": "\x00nonsense"}
    assert world.client(world.nia).post(reverse("programme_create"), data).status_code == 302
    assert Programme.objects.get(name="Leading Together").template == STANDARD.key


def test_every_setting_is_explained_on_the_settings_page(world):
    html = world.client(world.pam).get(reverse("programme_edit", args=[world.programme.pk]))
    text = html.content.decode()
    for words in (
        "Sets outside this range show a warning",
        "How many weeks apart a set",
        "How long each meeting lasts",
        "How many of each set",
        "The stages each meeting goes through",
        "Shown on every set",
    ):
        assert words in text


def test_sizes_out_of_order_and_out_of_range_are_refused_and_nothing_saved(world):
    url = reverse("programme_edit", args=[world.programme.pk])
    data = {**VALID, "sponsor": world.council.pk, "set_size_min": "9", "set_size_max": "6"}
    response = world.client(world.pam).post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["set_size_max"] == [
        "The largest set cannot be smaller than the smallest."
    ]
    bad = {
        **VALID,
        "sponsor": world.council.pk,
        "set_size_min": "0",
        "meeting_minutes": "5000",
        "facilitated_meetings": "0",
        "contact": "x" * 301,
    }
    errors = world.client(world.pam).post(url, bad).context["form"].errors
    assert set(errors) == {"set_size_min", "meeting_minutes", "facilitated_meetings", "contact"}
    world.programme.refresh_from_db()
    assert world.programme.name == "Leading Change"
    assert (world.programme.set_size_min, world.programme.set_size_max) == (6, 8)


def test_a_manager_saves_sizes_allowance_and_contact(world):
    url = reverse("programme_edit", args=[world.programme.pk])
    data = {
        **VALID,
        "name": "Leading Change",
        "sponsor": world.council.pk,
        "set_size_min": "5",
        "set_size_max": "7",
        "facilitated_meetings": "6",
        "contact": "Questions about the programme: learning@example.org",
    }
    assert world.client(world.pam).post(url, data).status_code == 302
    world.programme.refresh_from_db()
    assert (world.programme.set_size_min, world.programme.set_size_max) == (5, 7)
    assert world.programme.facilitated_meetings == 6
    assert world.programme.contact.startswith("Questions about")
    assert world.programme.template == STANDARD.key  # editing never changes where it started


def test_only_managers_open_the_settings(world):
    url = reverse("programme_edit", args=[world.programme.pk])
    for person in (world.fran, world.mo, world.obi, world.nia):
        assert world.client(person).get(url).status_code == 404
        data = {**VALID, "sponsor": world.council.pk, "name": "Taken over"}
        assert world.client(person).post(url, data).status_code == 404
    world.programme.refresh_from_db()
    assert world.programme.name == "Leading Change"


def test_the_programme_pages_sets_carry_their_programme_for_the_size_warning(world):
    """The set size warning reads its programme's sizes: each set on the page already holds
    the programme, so the warning costs no query per set."""
    world.programme.set_size_min = 3
    world.programme.save()
    rows = world.client(world.pam).get(world.programme.get_absolute_url()).context["rows"]
    assert rows and all(row.set.programme.set_size_min == 3 for row in rows)
    assert all("programme" in row.set._state.fields_cache for row in rows)
