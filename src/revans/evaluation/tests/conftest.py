"""Sets with enough members for the n ≥ 5 rule, and answers written straight to the tables."""

import pytest

from revans.evaluation.models import Answer, Response
from revans.sets.models import Membership, Set
from revans.site.testing import make_person


def add_members(set_: Set, count: int, prefix: str = "m") -> list[Membership]:
    """``count`` new members of ``set_``."""
    return [
        Membership.objects.create(
            set=set_, user=make_person(f"{prefix}{set_.pk}x{k}", display_name=f"Person {k}")
        )
        for k in range(1, count + 1)
    ]


def answer(
    membership: Membership,
    survey: str,
    values: dict[str, int | str],
    *,
    meeting=None,
    share: bool = False,
    skipped: bool = False,
) -> Response:
    response = Response.objects.create(
        user=membership.user,
        set=membership.set,
        survey=survey,
        meeting=meeting,
        share_theme=share,
        skipped=skipped,
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=key,
            value=value if isinstance(value, int) else None,
            text=value if isinstance(value, str) else "",
        )
        for key, value in values.items()
    )
    return response


@pytest.fixture
def five(world) -> list[Membership]:
    """Five new members of Aurora (mo is a sixth)."""
    return add_members(world.aurora, 5)
