"""The facilitators' programme's data: shipped outcomes, and who sees what."""

import pytest
from django.db import IntegrityError

from revans.development.models import Evidence, Observation, PracticeEntry, SignOff
from revans.development.outcomes import shipped_outcomes


def test_a_new_facilitators_programme_starts_with_the_five_day_outcomes(facilitators):
    texts = [o.text for o in facilitators.outcomes]
    assert texts == shipped_outcomes()["five-day"]["outcomes"]
    assert len(texts) == 5 and texts[3] == "Understand the role and impact of questioning insight."


def test_a_programme_of_sets_gets_no_outcomes(world):
    assert not world.programme.outcomes.exists()


def test_the_observer_cannot_be_the_trainee(facilitators):
    f = facilitators
    with pytest.raises(IntegrityError):
        Observation.objects.create(meeting=f.practice, trainee=f.tara, observer=f.tara)


def test_evidence_and_sign_offs_are_seen_by_whom_they_concern(facilitators):
    f, world = facilitators, facilitators.world
    observation = Observation.objects.create(meeting=f.practice, trainee=f.tara, observer=f.tina)
    Evidence.objects.create(
        outcome=f.outcomes[4], trainee=f.tara, kind="observation", observation=observation
    )
    SignOff.objects.create(outcome=f.outcomes[0], trainee=f.tara, trainer=f.tina, note="Clear.")
    PracticeEntry.objects.create(user=f.tara, on="2026-10-01", hours=2, title="Acme")
    seen = {
        who: (
            Evidence.objects.visible_to(person).count(),
            SignOff.objects.visible_to(person).count(),
            Observation.objects.visible_to(person).count(),
            PracticeEntry.objects.visible_to(person).count(),
        )
        for who, person in {
            "tara": f.tara,
            "tina": f.tina,
            "theo": f.theo,
            "pam": world.pam,
            "fran": world.fran,
        }.items()
    }
    assert seen == {
        "tara": (1, 1, 1, 1),
        "tina": (1, 1, 1, 0),
        "theo": (0, 0, 0, 0),
        "pam": (0, 1, 0, 0),
        "fran": (0, 0, 0, 0),
    }
