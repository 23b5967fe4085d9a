"""The facilitator's toolkit in the live room, several people at once: a taster first meeting's
ground rules developed by the group, and technique canvases edited by everyone during an
airtime (two browsers typing, a dropped connection, the summary)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from test_room import PHONE, Line, join, room_at, user_id

pytestmark = pytest.mark.browser


def serious_violations(page: Page) -> list:
    return [
        v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")
    ]


def cedar_taster_at(demo, stage: str) -> str:
    """Cedar's first meeting (a taster in the demo), already at ``stage``."""
    from revans.meetings.models import Meeting
    from revans.meetings.room import services

    meeting = Meeting.objects.get(set__name="Cedar", number=1)
    assert meeting.format.slug == "taster"
    room = services.open_room(meeting)
    room.stage = stage
    room.timer_seconds, room.timer_elapsed, room.timer_started_at = 600, 0, None
    room.save()
    return f"/meetings/{meeting.pk}/room/"


def test_a_taster_develops_its_ground_rules_while_people_type(browsing, sign_in, demo):
    room = cedar_taster_at(demo, "ground_rules")
    hal, ida = join(browsing, sign_in, room, "hal", "ida")
    (jay,) = join(browsing, sign_in, room, "jay", viewport=PHONE)
    expect(ida.get_by_role("link", name="About developing ground rules")).to_be_visible()

    # Ida is half-way through her rule when Jay proposes one: her words and caret stay.
    box = ida.get_by_label("Propose a rule")
    box.fill("We challenge each other")
    jay.get_by_role("button", name="What is said in the set stays in the set.").click()
    expect(ida.locator(".proposals")).to_contain_text("What is said in the set stays in the set.")
    expect(box).to_have_value("We challenge each other")
    box.type(" kindly")
    box.press("Enter")
    hal.get_by_label("Propose a rule").fill("Phones face down")
    hal.get_by_label("Propose a rule").press("Enter")
    expect(jay.locator(".proposals li")).to_have_count(3)

    # The set talks each through; the chair records what it decided. Confidentiality first.
    hal.get_by_role("button", name="Keep: We challenge each other kindly").click()
    expect(hal.locator("#stage-body")).to_contain_text("No kept rule is about confidentiality")
    hal.get_by_role("button", name="Keep: What is said in the set stays in the set.").click()
    expect(hal.locator("#stage-body")).not_to_contain_text("No kept rule is about confidential")
    hal.get_by_role("button", name="Drop: Phones face down").click()
    expect(jay.locator(".proposal.dropped")).to_contain_text("Phones face down")
    expect(jay.get_by_role("button", name="Keep: Phones face down")).to_have_count(0)  # chair's
    hal.get_by_role("button", name="Make these 2 kept rules our ground rules").click()

    # Each member agrees to the kept set.
    for person in (ida, jay):
        person.get_by_role("button", name="I agree to these ground rules").click()
    expect(hal.locator("#stage-body")).to_contain_text("2 of 4 have agreed.")
    expect(hal.locator("#stage-body ol.rules li")).to_have_text(
        ["What is said in the set stays in the set.", "We challenge each other kindly"]
    )
    assert not serious_violations(hal)
    assert not serious_violations(jay)


def test_a_taster_shows_how_action_learning_works_and_practises_with_the_coach(
    browsing, sign_in, demo
):
    room = cedar_taster_at(demo, "how_it_works")
    hal, ida = join(browsing, sign_in, room, "hal", "ida")
    expect(ida.locator("[data-room-phases='how_it_works']")).to_contain_text(
        "Real problems, owned by the person who brings them"
    )
    hal.get_by_role("button", name="Next →").click()
    expect(ida.locator("[data-room-phases='how_it_works']")).to_be_hidden()
    expect(ida.locator("#stage-body")).to_contain_text("The chair is choosing a sample problem")
    hal.get_by_label("Choose a sample problem to practise on").select_option(index=1)
    expect(ida.locator(".scenario h3")).not_to_be_empty()
    box = ida.get_by_label("My practice question")
    box.fill("You should talk to HR. What do you think?")
    box.press("Enter")
    expect(ida.locator("#coach")).to_contain_text("Advice")
    expect(hal.locator(".practice-questions")).to_contain_text("You should talk to HR.")
    expect(hal.locator("#coach")).to_have_count(1)
    expect(hal.locator("#coach")).to_be_empty()  # the coach speaks to the asker alone
    assert not serious_violations(ida)


def test_two_people_edit_canvases_at_once_and_a_dropped_connection_misses_nothing(
    browsing, sign_in, demo
):
    mo_id = user_id(demo, "mo")
    room = room_at(demo, f"airtime:{mo_id}:questions", presenters=[mo_id])
    mo, fran = join(browsing, sign_in, room, "mo", "fran")
    priya = sign_in(browsing.new_page(viewport=PHONE), "priya")
    line = Line(priya)
    priya.goto(room)
    expect(priya.locator("#connection")).to_have_text("Connected")

    mo.get_by_label("Work on it with a technique").select_option("force_field")
    mo.get_by_role("button", name="Open").click()
    canvas = priya.locator("section.kind-force_field")
    expect(canvas).to_be_visible()
    expect(priya.get_by_role("button", name="Close the Force-field analysis")).to_have_count(0)

    # Priya types a force while Mo adds one: her words stay, then both are on every screen.
    driving = canvas.get_by_label("Add to forces for the change")
    driving.fill("Staff want one rota")
    mo.locator("section.kind-force_field").get_by_label("Add to forces against it").fill(
        "Old managers still approve leave"
    )
    mo.locator("section.kind-force_field").get_by_label("Add to forces against it").press("Enter")
    expect(canvas).to_contain_text("Old managers still approve leave")
    expect(driving).to_have_value("Staff want one rota")
    driving.press("Enter")
    expect(mo.locator("section.kind-force_field")).to_contain_text("Staff want one rota")
    mo.get_by_label("Strength of Staff want one rota").select_option("5")
    expect(canvas.locator(".zone-driving .badge")).to_have_text("total 5")

    # Priya opens the canvas's title to write it; Mo's next note leaves it open and her words.
    canvas.get_by_text("Write it").click()
    title = canvas.get_by_label("The change you want")
    title.fill("One team by April")
    mo.locator("section.kind-force_field").get_by_label("Add to forces against it").fill("Leave")
    mo.locator("section.kind-force_field").get_by_label("Add to forces against it").press("Enter")
    expect(canvas).to_contain_text("Leave")
    expect(title).to_be_visible()
    expect(title).to_have_value("One team by April")
    title.press("Enter")
    expect(mo.locator("section.kind-force_field .canvas-title")).to_contain_text(
        "One team by April"
    )

    # Mo rewrites a note in place; Escape leaves another untouched.
    mo.get_by_role("button", name="Edit: Old managers still approve leave").click()
    mo.get_by_label("Rewrite: Old managers still approve leave").press("Escape")
    expect(mo.get_by_label("Rewrite: Old managers still approve leave")).to_have_count(0)
    mo.get_by_role("button", name="Edit: Staff want one rota").click()
    rewrite = mo.get_by_label("Rewrite: Staff want one rota")
    expect(rewrite).to_be_focused()
    rewrite.fill("Staff asked for one rota")
    rewrite.press("Enter")
    expect(canvas).to_contain_text("Staff asked for one rota")
    expect(canvas.locator(".zone-driving .badge")).to_have_text("total 5")  # its strength kept

    # A second canvas, filled in and scored by the chair while the presenter watches.
    mo.get_by_label("Work on it with a technique").select_option("options_matrix")
    mo.get_by_role("button", name="Open").click()
    matrix = fran.locator("section.kind-options_matrix")
    matrix.get_by_label("Add an option").fill("One rota from May")
    matrix.get_by_label("Add an option").press("Enter")
    matrix.get_by_label("Add a criterion").fill("Staff trust")
    matrix.get_by_label("Add a criterion").press("Enter")
    fran.get_by_label("One rota from May on Staff trust").select_option("4")
    expect(mo.locator("section.kind-options_matrix tr.best")).to_contain_text("12 of 15")

    # Priya's connection drops; what the others write meanwhile reaches her when it is back.
    line.cut()
    mo.locator("section.kind-force_field").get_by_label("Add to forces against it").fill(
        "Sickness absence is up"
    )
    mo.locator("section.kind-force_field").get_by_label("Add to forces against it").press("Enter")
    expect(priya.locator("#connection")).to_have_text("Connected")
    expect(canvas).to_contain_text("Sickness absence is up")
    expect(priya.locator("section.kind-options_matrix")).to_contain_text("One rota from May")
    assert not serious_violations(priya)

    # Closed, the meeting's summary keeps the canvases.
    fran.locator("#stage-list").get_by_role("button", name="Summary").click()
    fran.get_by_role("button", name="Close the meeting and send the summary").click()
    fran.get_by_role("dialog").get_by_role("button", name="Close the meeting").click()
    mo.get_by_role("link", name="Read the summary").click()
    summary = mo.locator("section.summary")
    expect(summary).to_contain_text("Force-field analysis, in Mo Rahman’s airtime")
    expect(summary).to_contain_text("Staff asked for one rota (strength 5)")
    expect(summary).to_contain_text("One rota from May: 12 of 15")
