"""The learning outcomes Revans ships for facilitators' programmes (``data/outcomes.json``)."""

import json
from functools import cache
from pathlib import Path

from django.db import transaction

from revans.programmes.models import Programme

from .models import Outcome

SHIPPED = Path(__file__).with_name("data") / "outcomes.json"
FIVE_DAY = "five-day"


@cache
def shipped_outcomes() -> dict[str, dict]:
    data: dict[str, dict] = json.loads(SHIPPED.read_text())
    return data


def do_add_shipped_outcomes(programme: Programme, key: str = FIVE_DAY) -> list[Outcome]:
    """Gives a facilitators' programme the shipped outcomes after any it has (numbered on)."""
    with transaction.atomic():
        last = max(programme.outcomes.values_list("number", flat=True), default=0)
        return Outcome.objects.bulk_create(
            Outcome(programme=programme, number=last + i, text=text)
            for i, text in enumerate(shipped_outcomes()[key]["outcomes"], start=1)
        )


def _new_programme(sender, instance: Programme, created: bool = False, raw: bool = False, **kw):
    """A new facilitators' programme starts with the five-day programme's outcomes, which its
    managers may then change."""
    if created and not raw and instance.kind == Programme.Kind.DEVELOPMENT:
        do_add_shipped_outcomes(instance)
