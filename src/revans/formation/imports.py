"""Importing a cohort file: read and checked against Revans's organisations (a preview, nothing
saved), then saved as the programme's cohort."""

import difflib
import re
from dataclasses import dataclass, field

from django.db import transaction

from revans.accounts.models import Organisation, User
from revans.grouping.cohort import Roster, read_cohort_data
from revans.grouping.cohort_file import CohortError, Person
from revans.programmes.models import Programme
from revans.sets.models import Role

from .models import Cohort, Participant, ProposedSet

MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass
class ImportPreview:
    """A cohort file read and checked against Revans's organisations, before it is saved."""

    file_name: str
    cohort: Roster | None = None
    errors: list[str] = field(default_factory=list)
    known: dict[str, Organisation] = field(default_factory=dict)  # casefolded name → org
    new_organisations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.cohort is not None and not self.errors

    @property
    def people(self) -> list[Person]:
        return self.cohort.people if self.cohort else []

    @property
    def organisation_count(self) -> int:
        return len({p.organisation.casefold() for p in self.people})

    @property
    def manager_pairs(self) -> int:
        return sum(bool(p.manager_email) for p in self.people)

    @property
    def apart_pairs(self) -> int:
        return len(
            {frozenset((p.email, e)) for p in self.people for e in p.keep_apart if e != p.email}
        )

    @property
    def slots(self) -> list[str]:
        return sorted(set().union(*(p.availability for p in self.people)))


def preview_import(data: bytes, file_name: str, similar_are_new: bool = False) -> ImportPreview:
    """Read a cohort file; every problem is listed with its rows, and nothing is saved.

    An organisation is matched to Revans's by name, whatever the case. A name close to a known
    one but not the same ("Leeds City Counci") is an error, since it is most likely a typo that
    would put two colleagues in one set, unless ``similar_are_new`` says such names are new
    organisations; other new names become new organisations. Names that differ only in their
    digits ("Ward 7", "Ward 8") are never taken for typos of each other."""
    preview = ImportPreview(file_name)
    if len(data) > MAX_FILE_BYTES:
        preview.errors = [f"the file is {len(data) // 1024} kB; at most 2 MB can be imported"]
        return preview
    try:
        preview.cohort = read_cohort_data(data, file_name)
    except CohortError as error:
        preview.errors = error.errors
        return preview
    existing = {o.name.casefold(): o for o in Organisation.objects.all()}
    names = list(existing)
    new: dict[str, str] = {}
    email_max = Participant._meta.get_field("email").max_length
    organisation_max = Organisation._meta.get_field("name").max_length
    assert email_max is not None and organisation_max is not None  # both are CharFields
    longest = {"e-mail": email_max, "organisation": organisation_max}
    for person in preview.people:
        # Longer values would not fit the database's columns (an error on PostgreSQL).
        for what, value in (("e-mail", person.email), ("organisation", person.organisation)):
            if len(value) > longest[what]:
                preview.errors.append(
                    f"row {person.row}: the {what} is longer than {longest[what]} characters"
                )
        key = person.organisation.casefold()
        if key in existing:
            preview.known[key] = existing[key]
            continue
        close = [] if similar_are_new else _typo_of(key, names)
        if close:
            preview.errors.append(
                f"row {person.row}: organisation “{person.organisation}” is not in Revans; "
                f"did you mean “{existing[close[0]].name}”? (If it is another organisation, "
                "tick “These are different organisations” and upload the file again.)"
            )
        else:
            new.setdefault(key, person.organisation)
    preview.new_organisations = sorted(new.values(), key=str.casefold)
    return preview


def _typo_of(name: str, known: list[str]) -> list[str]:
    """Known names that ``name`` is most likely a misspelling of."""
    digits = re.compile(r"\d")
    return [
        other
        for other in difflib.get_close_matches(name, known, n=3, cutoff=0.88)
        if digits.sub("", other) != digits.sub("", name)
    ][:1]


SECTOR_WORDS = {
    Organisation.Sector.LOCAL_GOVERNMENT: ("council", "local government", "local"),
    Organisation.Sector.HEALTH: ("health", "nhs", "hospital", "care"),
    Organisation.Sector.HOUSING: ("housing",),
    Organisation.Sector.CHARITY: ("charity", "voluntary", "third sector"),
    Organisation.Sector.EDUCATION: ("education", "school", "university", "college"),
    Organisation.Sector.CENTRAL_GOVERNMENT: ("central government", "civil service"),
    Organisation.Sector.PRIVATE: ("private", "business", "company"),
}


def sector_of(text: str) -> str:
    """Revans's sector for the cohort file's sector text (Other when nothing matches)."""
    text = text.casefold()
    for sector, words in SECTOR_WORDS.items():
        if any(word in text for word in words):
            return sector
    return Organisation.Sector.OTHER


@transaction.atomic
def do_import(programme: Programme, preview: ImportPreview, user: User) -> Cohort:
    """Save a clean preview as the programme's cohort, replacing one not yet accepted."""
    assert preview.ok
    Cohort.objects.filter(programme=programme).delete()
    cohort = Cohort.objects.create(
        programme=programme, file_name=preview.file_name[:200], imported_by=user
    )
    organisations = dict(preview.known)
    for person in preview.people:
        key = person.organisation.casefold()
        if key not in organisations:
            organisations[key], _ = Organisation.objects.get_or_create(
                name=person.organisation, defaults={"sector": sector_of(person.sector)}
            )
    labels = list(dict.fromkeys(p.locked for p in preview.people if p.locked))
    named = {
        label: ProposedSet.objects.create(cohort=cohort, name=label[:60], position=k)
        for k, label in enumerate(labels)
    }
    participants = Participant.objects.bulk_create(
        Participant(
            cohort=cohort,
            row=p.row,
            email=p.email,
            name=p.name[:200],
            organisation=organisations[p.organisation.casefold()],
            sector=p.sector[:100],
            role_level=p.role_level,
            location=p.location[:100],
            availability=sorted(p.availability),
            extra=dict(p.extra),
            proposed_set=named.get(p.locked),
            locked=bool(p.locked),
        )
        for p in preview.people
    )
    by_email = {p.email: p for p in participants}
    for person, participant in zip(preview.people, participants, strict=True):
        if person.manager_email:
            participant.manager = by_email[person.manager_email]
    Participant.objects.bulk_update(participants, ["manager"])
    apart = {
        frozenset((by_email[p.email].pk, by_email[e].pk))
        for p in preview.people
        for e in p.keep_apart
        if e != p.email
    }
    through = Participant.keep_apart.through
    through.objects.bulk_create(
        through(from_participant_id=a, to_participant_id=b)
        for pair in apart
        for a, b in (tuple(pair), tuple(pair)[::-1])
    )
    pool = User.objects.filter(
        memberships__role=Role.FACILITATOR, memberships__set__programme__managers=user
    ).distinct()
    cohort.facilitators.set(pool)
    return cohort
