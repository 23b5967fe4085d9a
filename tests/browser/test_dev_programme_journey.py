"""A facilitators' programme in the browser (the demo's Facilitating Action Learning): tara
attaches evidence to an outcome from where she stands; tina reads it on tara's page and signs
the outcome off; pam reads the programme's page. Axe and the screen's width on each page, on a
laptop and a phone. Set REVANS_SHOTS to a folder to keep screenshots."""

import pytest
from playwright.sync_api import expect
from test_evidence import WIDTHS, check, shoot

pytestmark = pytest.mark.browser


def test_a_trainee_attaches_evidence_and_a_trainer_signs_it_off(browsing, sign_in, demo):
    from revans.accounts.models import User
    from revans.development.models import Evidence, SignOff
    from revans.programmes.models import Programme

    programme = Programme.objects.get(name="Facilitating Action Learning")
    tara = User.objects.get(email=demo.email("tara"))
    open_outcome = (
        programme.outcomes.exclude(sign_offs__trainee=tara)
        .exclude(evidence__trainee=tara)
        .order_by("number")
        .first()
    )
    assert open_outcome is not None

    trainee = browsing.new_page()
    sign_in(trainee, "tara")
    trainee.goto(f"/development/{programme.pk}/")
    trainee.get_by_role("link", name="My outcomes: where I stand").click()
    expect(trainee.get_by_role("heading", level=1, name="Where I stand")).to_be_visible()
    item = trainee.locator(".outcome").nth(open_outcome.number - 1)
    if item.locator("details").get_attribute("open") is None:
        item.get_by_text("Attach evidence").click()
    select = item.get_by_label("Evidence")
    value = select.locator("option").nth(1).get_attribute("value")
    select.select_option(value)
    item.get_by_label("Why it shows the outcome (optional)").fill("Where I first held back.")
    item.get_by_role("button", name="Attach").click()
    expect(trainee.get_by_text(f"Evidence added to outcome {open_outcome.number}.")).to_be_visible()
    assert Evidence.objects.filter(trainee=tara, outcome=open_outcome).exists()
    for width, viewport in WIDTHS.items():
        trainee.set_viewport_size(viewport)
        trainee.reload()
        check(trainee, f"where I stand ({width})")
        shoot(trainee, f"dev-where-i-stand-{width}")

    trainer = browsing.new_page()
    sign_in(trainer, "tina")
    trainer.goto(f"/development/{programme.pk}/")
    trainer.get_by_role("link", name=tara.display_name).click()
    expect(trainer.get_by_text("Where I first held back.")).to_be_visible()
    for width, viewport in WIDTHS.items():
        trainer.set_viewport_size(viewport)
        trainer.reload()
        check(trainer, f"the trainer's view of a trainee ({width})")
        shoot(trainer, f"dev-trainee-{width}")
    # Signed off with no note first: refused, then with one.
    button = trainer.get_by_role("button", name=f"Sign off outcome {open_outcome.number}")
    button.click()
    expect(
        trainer.get_by_text("Write a note saying how the trainee met the outcome.")
    ).to_be_visible()
    form = trainer.locator(
        "form", has=trainer.get_by_role("button", name=f"Sign off outcome {open_outcome.number}")
    )
    form.get_by_label("How the trainee met it").fill("Shown in her entry and in Kestrel.")
    form.get_by_role("button").click()
    expect(
        trainer.get_by_text(f"Outcome {open_outcome.number} signed off for {tara.display_name}.")
    ).to_be_visible()
    assert SignOff.objects.get(trainee=tara, outcome=open_outcome).note.startswith("Shown")

    manager = browsing.new_page()
    sign_in(manager, "pam")
    manager.goto(f"/programmes/{programme.pk}/")
    manager.get_by_role("link", name="Training days, trainees and outcomes").click()
    expect(manager.get_by_role("heading", name="Training days")).to_be_visible()
    for width, viewport in WIDTHS.items():
        manager.set_viewport_size(viewport)
        manager.reload()
        check(manager, f"the facilitators' programme ({width})")
        shoot(manager, f"dev-programme-{width}")
