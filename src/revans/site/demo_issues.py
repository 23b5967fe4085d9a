"""Demo issues of both kinds with their guiding answers, and the expectations some members gave
before their set's first meeting (Aurora's, and two of Cedar's three members: Lou's are still
to come). The words are data (``site/data/demo_issues.toml``).

Called after ``revans.site.demo.load_demo`` has made the sets; loading twice changes nothing:
an issue that already has answers, and a member who already answered, are left as they are.
"""

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction

from revans.programmes.models import Programme
from revans.sets.models import Expectations, Issue, Membership, Role
from revans.sets.questions import shipped
from revans.sets.services import do_save_expectations

WORDS = Path(__file__).with_name("data") / "demo_issues.toml"
PROGRAMME = "Leading Change"
ISSUE_FIELDS = ("set", "title", "description", "why_it_matters", "kind")


@cache
def words() -> dict[str, Any]:
    """``issues`` (kind and answers of the issues demo.py makes), ``extra`` (issues of the
    other kind, for members demo.py gives none) and ``expectations`` (set, person, answers)."""
    with WORDS.open("rb") as file:
        return tomllib.load(file)


def _answers(spec: dict[str, str], kind: str) -> dict[str, str]:
    """The answers in ``spec``, checked against the shipped questions: a mistyped key in the
    demo's words fails loudly rather than vanishing from every page."""
    questions = shipped().kind(kind)
    if questions is None:
        raise ValueError(f"{WORDS.name}: no kind of issue {kind!r}")
    known = {q.key for q in questions.questions} | {c.key for c in shipped().checks}
    answers = {key: text for key, text in spec.items() if key not in ISSUE_FIELDS}
    unknown = set(answers) - known
    if unknown:
        raise ValueError(f"{WORDS.name}: no {kind} question {sorted(unknown)}")
    return answers


@transaction.atomic
def load_issue_kinds_and_expectations() -> None:
    """Gives the demo's issues their kinds and answers, adds two issues about how their owners
    operate, and records expectations in Aurora and Cedar."""
    from revans.site.demo import DOMAIN  # here: demo.py calls this module

    data = words()
    programme = Programme.objects.get(name=PROGRAMME)
    members = Membership.objects.filter(set__programme=programme, role=Role.MEMBER)
    people = {
        m.user.email.removesuffix(f"@{DOMAIN}"): m
        for m in members.select_related("user", "set")
        if m.user.email.endswith(f"@{DOMAIN}")
    }
    for key, spec in data["issues"].items():
        membership = people[key]
        issue = Issue.objects.filter(set=membership.set, owner=membership.user).first()
        if issue is not None and not issue.answers:
            issue.kind = spec["kind"]
            issue.answers = _answers(spec, spec["kind"])
            issue.save(update_fields=["kind", "answers", "updated_at"])
    for key, spec in data["extra"].items():
        membership = people[key]
        if membership.set.name != spec["set"]:
            raise ValueError(f"{WORDS.name}: {key} is not in {spec['set']}")
        Issue.objects.get_or_create(
            set=membership.set,
            owner=membership.user,
            title=spec["title"],
            defaults={
                "description": spec["description"],
                "why_it_matters": spec["why_it_matters"],
                "kind": spec["kind"],
                "answers": _answers(spec, spec["kind"]),
            },
        )
    asked = {q.key for q in shipped().expectations}
    for set_name, by_person in data["expectations"].items():
        for key, answers in by_person.items():
            membership = people[key]
            if membership.set.name != set_name:
                raise ValueError(f"{WORDS.name}: {key} is not in {set_name}")
            if set(answers) - asked:
                raise ValueError(f"{WORDS.name}: no expectations question {set(answers) - asked}")
            if not Expectations.objects.filter(set=membership.set, user=membership.user).exists():
                do_save_expectations(membership.set, membership.user, answers)
