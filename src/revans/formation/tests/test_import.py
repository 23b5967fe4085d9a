"""Importing a cohort file, the pairs kept apart and the formation settings."""

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.accounts.models import Organisation
from revans.formation.models import Cohort, FormationRun, Participant, ProposedSet

from .conftest import (
    HEADER,
    csv_bytes,
    form_sets,
    generated_rows,
    import_cohort,
    upload,
    xlsx_bytes,
)

# fmt: off
ROWS = [
    HEADER,
    # email, name, organisation, sector, level, location, manager, slots, keep apart, set
    ["ada@acme.example", "Ada", "Acme Housing", "Housing association", "senior", "Leeds", "", "mon am;tue pm", "", ""],
    ["ben@acme.example", "Ben", "Acme Housing", "Housing", "2", "Leeds", "ada@acme.example", "", "", ""],
    ["cat@mv.example", "Cat", "MERSEYVALE COUNCIL", "Local government", "3", "Wigan", "", "", "ben@acme.example", ""],
    ["dan@harbour.example", "Dan", "Harbour Lights", "Charity", "1", "York", "", "", "", "A"],
    ["eve@nhs.example", "Eve", "northshore nhs trust", "Health", "4", "Hull", "", "", "", "A"],
    ["fay@bright.example", "Fay", "Bright Ideas Ltd", "Private company", "", "", "", "", "", ""],
]
# fmt: on


def counts():
    return [m.objects.count() for m in (Cohort, Participant, Organisation, ProposedSet)]


def check(client, programme, name, data, **fields):
    return client.post(
        reverse("cohort_import", args=[programme.pk]), {"file": upload(name, data), **fields}
    )


def confirm(client, programme):
    return client.post(reverse("cohort_import_confirm", args=[programme.pk]))


@pytest.mark.parametrize(
    ("name", "data"),
    [("cohort.csv", csv_bytes(ROWS)), ("cohort.xlsx", xlsx_bytes(ROWS))],
    ids=["csv", "xlsx"],
)
def test_clean_file_is_previewed_and_saved_only_on_confirm(world, name, data):
    client = world.client(world.pam)
    before = counts()
    response = check(client, world.programme, name, data)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.ok
    assert (len(preview.people), preview.organisation_count) == (6, 5)
    assert (preview.manager_pairs, preview.apart_pairs) == (1, 1)
    assert preview.new_organisations == ["Acme Housing", "Bright Ideas Ltd", "Harbour Lights"]
    html = response.content.decode()
    assert f"{name} is ready to import" in html
    assert "Import 6 people" in html
    assert counts() == before

    response = confirm(client, world.programme)
    assert response.status_code == 302
    assert response["Location"] == reverse("cohort", args=[world.programme.pk])
    cohort = Cohort.objects.get(programme=world.programme)
    assert (cohort.file_name, cohort.imported_by) == (name, world.pam)
    people = {p.email: p for p in cohort.participants.all()}
    assert len(people) == 6
    assert people["ben@acme.example"].manager == people["ada@acme.example"]
    assert people["ada@acme.example"].role_level == 4  # "senior"
    assert people["ada@acme.example"].availability == ["mon am", "tue pm"]
    assert list(people["ben@acme.example"].keep_apart.all()) == [people["cat@mv.example"]]
    assert list(people["cat@mv.example"].keep_apart.all()) == [people["ben@acme.example"]]
    assert people["cat@mv.example"].organisation == world.council
    assert people["eve@nhs.example"].organisation == world.trust
    sectors = {
        o.name: o.sector
        for o in Organisation.objects.filter(
            name__in=["Acme Housing", "Harbour Lights", "Bright Ideas Ltd"]
        )
    }
    assert sectors == {"Acme Housing": "housing", "Harbour Lights": "charity"} | {
        "Bright Ideas Ltd": "private"
    }
    assert not Organisation.objects.filter(name__iexact="merseyvale council").exclude(
        pk=world.council.pk
    )
    locked = ProposedSet.objects.get(cohort=cohort, name="A")
    assert {p.email for p in locked.participants.all()} == {
        "dan@harbour.example",
        "eve@nhs.example",
    }
    assert all(p.locked for p in locked.participants.all())
    assert not people["ada@acme.example"].locked and people["ada@acme.example"].proposed_set is None
    # Fran and Gus facilitate sets in pam's programme: the pool starts with them.
    assert set(cohort.facilitators.all()) == {world.fran, world.gus}
    assert counts() == [before[0] + 1, before[1] + 6, before[2] + 3, before[3] + 1]
    page = client.get(response["Location"])
    assert "6 people imported from" in page.content.decode()


def test_an_organisation_close_to_a_known_one_is_a_row_error(world):
    Organisation.objects.create(name="Pennine City Council", sector="local_government")
    rows = [
        *ROWS,
        ["gil@pennine.example", "Gil", "Pennine City Counci", "", "", "", "", "", "", ""],
    ]
    before = counts()
    response = check(world.client(world.pam), world.programme, "cohort.csv", csv_bytes(rows))
    assert response.status_code == 200
    assert response.context["preview"].errors == [
        "row 8: organisation “Pennine City Counci” is not in Revans; "
        "did you mean “Pennine City Council”? (If it is another organisation, tick “These are "
        "different organisations” and upload the file again.)"
    ]
    html = response.content.decode()
    assert "cannot be imported yet" in html
    assert "did you mean" in html
    assert "Import 7 people" not in html
    assert counts() == before
    assert confirm(world.client(world.pam), world.programme).status_code == 302
    assert counts() == before


def test_a_close_name_ticked_as_another_organisation_is_added(world):
    known = Organisation.objects.create(name="St Mary's Hospital", sector="health")
    rows = [*ROWS, ["gil@stmarks.example", "Gil", "St Mark's Hospital", *[""] * 7]]
    client = world.client(world.pam)
    response = check(client, world.programme, "cohort.csv", csv_bytes(rows), similar_are_new="on")
    preview = response.context["preview"]
    assert preview.ok and "St Mark's Hospital" in preview.new_organisations
    assert confirm(client, world.programme).status_code == 302
    gil = Participant.objects.get(email="gil@stmarks.example")
    assert gil.organisation.name == "St Mark's Hospital" and gil.organisation != known


def test_names_that_differ_only_in_digits_are_not_typos(world):
    Organisation.objects.create(name="Primary Care Network 7", sector="health")
    rows = [*ROWS, ["gil@pcn8.example", "Gil", "Primary Care Network 8", *[""] * 7]]
    response = check(world.client(world.pam), world.programme, "cohort.csv", csv_bytes(rows))
    assert response.context["preview"].ok
    assert "Primary Care Network 8" in response.context["preview"].new_organisations


def without(column: str):
    k = HEADER.index(column)
    return [row[:k] + row[k + 1 :] for row in ROWS]


def duplicated():
    rows = [list(row) for row in ROWS]
    rows[4][0] = "ADA@acme.example"
    return rows


def unknown_manager():
    rows = [list(row) for row in ROWS]
    rows[3][6] = "boss@nowhere.example"
    return rows


def too_long():
    rows = [list(row) for row in ROWS]
    rows[2][2] = "Acme " * 50
    rows[3][0] = "c" * 250 + "@mv.example"
    return rows


BAD_FILES = {
    "missing column": (
        "cohort.csv",
        csv_bytes(without("organisation")),
        "row 1: missing required column organisation",
    ),
    "duplicate e-mails": ("cohort.csv", csv_bytes(duplicated()), "rows 2 and 5: duplicate e-mail"),
    "manager not in the cohort": (
        "cohort.csv",
        csv_bytes(unknown_manager()),
        "row 4: manager boss@nowhere.example is not in the cohort",
    ),
    "not UTF-8": (
        "cohort.csv",
        "email,name,organisation\nzoe@x.example,Zoë,Acme\n".encode("latin-1"),
        "the file is not UTF-8 text",
    ),
    "values too long": (
        "cohort.csv",
        csv_bytes(too_long()),
        "row 3: the organisation is longer than 200 characters",
    ),
    "an e-mail too long": (
        "cohort.csv",
        csv_bytes(too_long()),
        "row 4: the e-mail is longer than 254 characters",
    ),
    "xlsx that is no workbook": ("cohort.xlsx", csv_bytes(ROWS), "not a readable .xlsx file"),
    "only the header": ("cohort.csv", b"email,name,organisation\n", "no people: only the header"),
    "blank lines only": ("cohort.csv", b"\n\n ,, \n", "the file is empty"),
    "over 2 MB": ("cohort.csv", b"a" * (2 * 1024 * 1024 + 1), "at most 2 MB can be imported"),
    "wrong extension": ("cohort.pdf", csv_bytes(ROWS), "Upload a .csv or .xlsx file."),
    "empty file": ("cohort.csv", b"", "The submitted file is empty."),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_file_gets_a_clear_message_and_nothing_is_saved(world, kind):
    name, data, message = BAD_FILES[kind]
    client = world.client(world.pam)
    before = counts()
    response = check(client, world.programme, name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "is ready to import" not in response.content.decode()
    assert counts() == before
    # Nothing was kept for a confirmation either.
    response = confirm(client, world.programme)
    assert response["Location"] == reverse("cohort_import", args=[world.programme.pk])
    assert counts() == before


def test_confirm_without_a_checked_file_saves_nothing(world):
    client = world.client(world.pam)
    before = counts()
    response = client.post(reverse("cohort_import_confirm", args=[world.programme.pk]), follow=True)
    assert "Upload the cohort file again" in response.content.decode()
    assert counts() == before


def test_a_file_checked_for_another_programme_is_not_imported_here(world):
    other = world.programme.__class__.objects.create(
        name="Other", sponsor=world.council, starts_on="2027-01-01", ends_on="2027-06-01"
    )
    other.managers.add(world.pam)
    client = world.client(world.pam)
    check(client, other, "cohort.csv", csv_bytes(ROWS))
    confirm(client, world.programme)
    assert not Cohort.objects.filter(programme=world.programme).exists()


def test_importing_again_replaces_the_cohort_and_its_sets(world):
    cohort = import_cohort(world.programme, world.pam, generated_rows(21))
    form_sets(cohort, world.pam)
    client = world.client(world.pam)
    page = client.get(reverse("cohort_import", args=[world.programme.pk]))
    assert "Importing replaces the 21 people" in page.content.decode()
    check(client, world.programme, "again.csv", csv_bytes(ROWS))
    confirm(client, world.programme)
    new = Cohort.objects.get(programme=world.programme)
    assert new.pk != cohort.pk and new.file_name == "again.csv"
    assert Participant.objects.filter(cohort__programme=world.programme).count() == 6
    assert not FormationRun.objects.filter(cohort_id=cohort.pk).exists()
    assert list(new.proposed_sets.values_list("name", flat=True)) == ["A"]


def test_an_accepted_cohort_cannot_be_imported_again(world):
    cohort = import_cohort(world.programme, world.pam, ROWS)
    cohort.accepted_at = timezone.now()
    cohort.save()
    client = world.client(world.pam)
    url = reverse("cohort_import", args=[world.programme.pk])
    assert client.get(url).status_code == 404
    assert check(client, world.programme, "cohort.csv", csv_bytes(ROWS)).status_code == 404
    assert confirm(client, world.programme).status_code == 404
    assert Participant.objects.filter(cohort=cohort).count() == 6


def test_import_waits_for_a_run_in_progress(world):
    cohort = import_cohort(world.programme, world.pam, ROWS)
    run = FormationRun.objects.create(cohort=cohort, seconds=1)
    client = world.client(world.pam)
    check(client, world.programme, "again.csv", csv_bytes(generated_rows(21)))
    response = confirm(client, world.programme)
    assert response["Location"] == reverse("cohort", args=[world.programme.pk])
    assert Cohort.objects.get(programme=world.programme).pk == cohort.pk
    assert FormationRun.objects.get(pk=run.pk).status == FormationRun.Status.QUEUED


# Pairs kept apart


def pairs_url(world):
    return reverse("cohort_pairs", args=[world.programme.pk])


def test_manager_adds_a_keep_apart_pair_and_a_manager_pair_by_email(world):
    cohort = import_cohort(world.programme, world.pam, ROWS)
    client = world.client(world.pam)
    data = {"kind": "apart", "first": "ADA@acme.example", "second": "fay@bright.example"}
    response = client.post(pairs_url(world), data)
    assert response.status_code == 302
    ada, fay, dan = (cohort.participants.get(email=f) for f in emails_of("ada", "fay", "dan"))
    assert fay in ada.keep_apart.all() and ada in fay.keep_apart.all()
    data = {"kind": "manager", "first": "dan@harbour.example", "second": "fay@bright.example"}
    client.post(pairs_url(world), data)
    fay.refresh_from_db()
    assert fay.manager == dan
    html = client.get(pairs_url(world)).content.decode()
    assert "Managers and their reports (2)" in html
    assert "Kept apart (2)" in html


def emails_of(*keys):
    emails = [row[0] for row in ROWS[1:]]
    return [next(e for e in emails if e.startswith(key)) for key in keys]


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("ghost@example.org", "ada@acme.example", "ghost@example.org is not in this cohort."),
        ("ada@acme.example", "Ada@Acme.example", "Choose two different people."),
        ("not an e-mail", "ada@acme.example", "Enter a valid email address."),
    ],
)
def test_a_pair_that_is_not_two_people_of_the_cohort_is_a_form_error(world, first, second, message):
    cohort = import_cohort(world.programme, world.pam, ROWS)
    response = world.client(world.pam).post(
        pairs_url(world), {"kind": "manager", "first": first, "second": second}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert cohort.participants.exclude(manager=None).count() == 1


def test_someone_of_another_cohort_is_not_in_this_one(world):
    import_cohort(world.programme, world.pam, ROWS)
    other = world.programme.__class__.objects.create(
        name="Other", sponsor=world.council, starts_on="2027-01-01", ends_on="2027-06-01"
    )
    rows = [HEADER, ["zed@z.example", "Zed", "Acme", "", "", "", "", "", "", ""]]
    import_cohort(other, world.pam, rows)
    response = world.client(world.pam).post(
        pairs_url(world), {"kind": "apart", "first": "zed@z.example", "second": "ada@acme.example"}
    )
    assert "zed@z.example is not in this cohort." in response.content.decode()


def test_manager_removes_pairs(world):
    cohort = import_cohort(world.programme, world.pam, ROWS)
    ben, cat = (cohort.participants.get(email=e) for e in emails_of("ben", "cat"))
    client = world.client(world.pam)
    url = reverse("cohort_pair_remove", args=[world.programme.pk])
    assert client.post(url, {"kind": "manager", "first": ben.pk}).status_code == 302
    ben.refresh_from_db()
    assert ben.manager is None
    client.post(url, {"kind": "apart", "first": cat.pk, "second": ben.pk})
    assert not ben.keep_apart.exists() and not cat.keep_apart.exists()
    response = client.post(url, {"kind": "", "first": cat.pk}, follow=True)
    assert "Choose which pair to remove." in response.content.decode()


@pytest.mark.parametrize("bad", ["abc", "²", "-1", "99999999", "99999999999999999999999", ""])
def test_removing_a_pair_with_a_bad_id_answers_404(world, bad):
    cohort = import_cohort(world.programme, world.pam, ROWS)
    ben = cohort.participants.get(email="ben@acme.example")
    url = reverse("cohort_pair_remove", args=[world.programme.pk])
    client = world.client(world.pam)
    assert client.post(url, {"kind": "manager", "first": bad}).status_code == 404
    assert client.post(url, {"kind": "apart", "first": ben.pk, "second": bad}).status_code == 404
    ben.refresh_from_db()
    assert ben.manager is not None


def test_a_person_of_another_cohort_cannot_lose_their_pairs_here(world):
    import_cohort(world.programme, world.pam, ROWS)
    other = world.programme.__class__.objects.create(
        name="Other", sponsor=world.council, starts_on="2027-01-01", ends_on="2027-06-01"
    )
    other.managers.add(world.pam)
    theirs = import_cohort(other, world.pam, ROWS)
    ben = theirs.participants.get(email="ben@acme.example")
    url = reverse("cohort_pair_remove", args=[world.programme.pk])
    assert world.client(world.pam).post(url, {"kind": "manager", "first": ben.pk}).status_code == (
        404
    )
    ben.refresh_from_db()
    assert ben.manager is not None


# Settings


def settings_data(**changes):
    data = {
        "size_min": "5",
        "size_max": "7",
        "set_count": "",
        "mix": "always",
        "in_company_from": "5",
        "max_per_organisation": "",
        "seconds": "3",
        "sets_per_facilitator": "1",
        "weight_organisation": "3",
        "weight_sector": "0",
        "weight_role_level": "1.5",
        "weight_location": "0.25",
    }
    return {**data, **changes}


def test_manager_saves_sizes_weights_and_search_time(world, cohort):
    response = world.client(world.pam).post(
        reverse("cohort_settings", args=[world.programme.pk]), settings_data()
    )
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.size_min, cohort.size_max, cohort.seconds) == (5, 7, 3)
    assert (cohort.set_count, cohort.sets_per_facilitator) == (None, 1)
    assert not cohort.facilitator_same_organisation
    assert cohort.weights == {
        "organisation": 3.0,
        "sector": 0.0,
        "role_level": 1.5,
        "location": 0.25,
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"size_min": "8", "size_max": "6"},
            "The largest set cannot be smaller than the smallest.",
        ),
        ({"weight_sector": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"weight_sector": "abc"}, "Enter a number."),
        ({"seconds": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"seconds": "121"}, "Ensure this value is less than or equal to 120."),
        ({"size_min": "1"}, "Ensure this value is greater than or equal to 2."),
    ],
)
def test_bad_settings_are_refused_with_the_message(world, cohort, changes, message):
    response = world.client(world.pam).post(
        reverse("cohort_settings", args=[world.programme.pk]), settings_data(**changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    cohort.refresh_from_db()
    assert (cohort.size_min, cohort.size_max, cohort.seconds, cohort.weights) == (6, 8, 1, {})
