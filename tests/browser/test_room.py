"""Live meetings in several browsers at once: the chair moves it on and everyone sees it at once;
what someone is typing survives everyone else's actions; commands outlive a dropped connection."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, WebSocketRoute, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def next_meeting(demo):
    from django.utils import timezone

    from revans.meetings.models import Meeting

    return Meeting.objects.filter(set_id=demo.aurora_id, starts_at__gt=timezone.now()).first()


def next_meeting_id(demo) -> int:
    return next_meeting(demo).pk


def user_id(demo, key: str) -> int:
    from revans.accounts.models import User

    return User.objects.get(email=demo.email(key)).pk


def room_at(demo, stage: str, **fields) -> str:
    """Aurora's next meeting's room, already at ``stage`` (before anyone joins), its timer paused
    at ten minutes; returns the room's path."""
    from revans.meetings.room import services

    room = services.open_room(next_meeting(demo))
    room.stage = stage
    room.timer_seconds, room.timer_elapsed, room.timer_started_at = 600, 0, None
    for name, value in fields.items():
        setattr(room, name, value)
    room.save()
    return f"/meetings/{room.meeting_id}/room/"


def join(browsing, sign_in, room: str, *people: str, viewport=None) -> list[Page]:
    pages = []
    for key in people:
        page = sign_in(browsing.new_page(viewport=viewport), key)
        page.goto(room)
        expect(page.locator("#connection")).to_have_text("Connected")
        expect(page.locator("#stage-title")).not_to_have_text("Joining the meeting…")
        pages.append(page)
    return pages


def caret(page: Page) -> dict:
    return page.evaluate(
        "() => ({id: document.activeElement.id, value: document.activeElement.value,"
        " start: document.activeElement.selectionStart})"
    )


def test_facilitator_and_member_see_each_phase_change_and_the_timer(browsing, sign_in, demo):
    room = f"/meetings/{next_meeting_id(demo)}/room/"
    fran, mo = browsing.new_page(), browsing.new_page(viewport=PHONE)
    sign_in(fran, "fran")
    sign_in(mo, "mo")
    fran.goto(room)
    mo.goto(room)
    for page in (fran, mo):
        expect(page.locator("#connection")).to_have_text("Connected")
        expect(page.locator("#stage-title")).to_have_text("Check-in")
    expect(mo.get_by_role("button", name="Next →")).to_have_count(0)  # only the chair moves on
    expect(fran.get_by_role("button", name="← Back")).to_be_disabled()  # nowhere before check-in

    fran.get_by_role("button", name="Next →").click()
    expect(mo.locator("#stage-title")).to_have_text(re.compile("Report-back"), timeout=1000)
    fran.get_by_role("button", name="← Back").click()
    expect(mo.locator("#stage-title")).to_have_text("Check-in", timeout=1000)

    # Entering a stage starts its planned minutes on the shared clock.
    expect(mo.locator("#timer")).not_to_have_class(re.compile("paused"), timeout=1000)
    fran.get_by_role("button", name="Pause timer").click()
    expect(mo.locator("#timer-note")).to_have_text("Paused", timeout=1000)
    fran.get_by_role("button", name="+5 min").click()
    expect(mo.locator("#timer")).to_have_text(re.compile(r"^(9|10):\d\d$"), timeout=1000)
    fran.get_by_role("button", name="Start timer").click()
    expect(mo.locator("#timer-note")).to_have_text("", timeout=1000)

    # A dropped connection does not move control: the member reloads, fran keeps the chair.
    mo.reload()
    expect(mo.locator("#chair-name")).to_have_text(re.compile("Fran Okafor is in the chair"))
    expect(mo.locator("#stage-title")).to_have_text("Check-in")


def test_hand_over_gives_the_member_the_controls(browsing, sign_in, demo):
    room = f"/meetings/{next_meeting_id(demo)}/room/"
    fran, mo = browsing.new_page(), browsing.new_page()
    sign_in(fran, "fran")
    sign_in(mo, "mo")
    fran.goto(room)
    mo.goto(room)
    expect(fran.locator("#connection")).to_have_text("Connected")
    fran.get_by_label("Hand the chair to").select_option(label="Mo Rahman")
    fran.get_by_role("button", name="Hand over").click()
    expect(mo.get_by_role("button", name="Next →")).to_be_visible(timeout=1000)
    mo.get_by_role("button", name="Next →").click()
    expect(fran.locator("#stage-title")).to_have_text(re.compile("Report-back"), timeout=1000)
    fran.get_by_role("button", name="Take the chair").click()
    expect(fran.get_by_role("button", name="Next →")).to_be_visible(timeout=1000)


# --- typing survives everyone else ------------------------------------------------------------


def test_a_half_typed_question_keeps_its_text_focus_and_caret_while_others_act(
    browsing, sign_in, demo
):
    mo = user_id(demo, "mo")
    room = room_at(demo, f"airtime:{mo}:questions", presenters=[mo], capture_questions=True)
    fran, priya, dev = join(browsing, sign_in, room, "fran", "priya", "dev")

    box = priya.get_by_label("My question")
    box.click()
    box.press_sequentially("What would it look like if it worked")
    for _ in range(6):  # the caret back before "worked": she is mid-edit
        box.press("ArrowLeft")
    before = caret(priya)
    assert before["id"] == "input-question" and before["start"] == 30

    # Another member's question arrives, and the chair adds a minute.
    dev.get_by_label("My question").fill("How did it start?")
    dev.get_by_label("My question").press("Enter")
    expect(priya.locator("#stage-body")).to_contain_text("How did it start?")
    expect(dev.get_by_label("My question")).to_have_value("")  # sent: the sender's box is cleared
    fran.get_by_role("button", name="+1 min").click()
    expect(priya.locator("#timer")).to_have_text("11:00")

    expect(box).to_be_focused()
    assert caret(priya) == before
    box.press_sequentially("really ")  # the caret is still where she left it
    expect(box).to_have_value("What would it look like if it really worked")
    box.fill("What would it look like if it worked?")
    box.press("Enter")
    expect(fran.locator("#stage-body")).to_contain_text("What would it look like if it worked?")
    expect(box).to_have_value("")
    expect(fran.locator("#stage-body li", has_text="How did it start?")).to_have_count(1)


def test_the_chairs_half_typed_presenter_order_survives_a_new_bid(browsing, sign_in, demo):
    from revans.meetings.models import Bid

    meeting = next_meeting(demo)
    room = room_at(demo, "bidding")
    Bid.objects.create(meeting=meeting, user_id=user_id(demo, "mo"), headline="Two teams, one ward")
    Bid.objects.create(meeting=meeting, user_id=user_id(demo, "priya"), headline="Rotas")
    fran, dev = join(browsing, sign_in, room, "fran", "dev")

    fran.get_by_label("Priya Shah").fill("1")
    fran.get_by_label("Mo Rahman").fill("2")
    dev.get_by_label("My headline").fill("Moving the depot")
    dev.get_by_role("button", name="Bid").click()
    expect(fran.locator("#stage-body")).to_contain_text("Moving the depot")
    expect(fran.get_by_label("Mo Rahman")).to_be_focused()
    expect(fran.get_by_label("Mo Rahman")).to_have_value("2")
    expect(fran.get_by_label("Priya Shah")).to_have_value("1")
    expect(dev.get_by_label("Change my headline")).to_have_value("Moving the depot")
    expect(dev.get_by_role("button", name="Save")).to_be_visible()  # the pressed button too

    fran.get_by_role("button", name="Set the presenters").click()
    expect(dev.locator("#stage-body")).to_contain_text("Presenting: Priya Shah, Mo Rahman")


def test_a_half_typed_review_note_survives_the_chairs_note_and_a_stage_change(
    browsing, sign_in, demo
):
    room = room_at(demo, "process_review")
    fran, priya = join(browsing, sign_in, room, "fran", "priya")
    note = priya.get_by_label("My note")
    note.fill("Fewer questions at once")
    fran.get_by_label("What the set will change").fill("Start on time")
    fran.get_by_label("What the set will change").press("Enter")
    expect(priya.locator("#stage-body")).to_contain_text("We will change: Start on time")
    expect(note).to_have_value("Fewer questions at once")
    expect(note).to_be_focused()
    # The chair moves on and back: the draft went with the stage it was written in.
    fran.get_by_role("button", name="Next →").click()
    expect(priya.locator("#stage-title")).to_have_text("Summary")
    fran.get_by_role("button", name="← Back").click()
    expect(note).to_have_value("")


# --- commands outlive a dropped connection ---------------------------------------------------


class Line:
    """A page's socket to the server, passed through a route the test can cut, or make deaf (the
    server's answers lost on the way back)."""

    def __init__(self, page: Page) -> None:
        self.routes: list[WebSocketRoute] = []
        self.deaf = False
        page.context.route_web_socket(re.compile(r"/ws/"), self._connect)

    def _connect(self, route: WebSocketRoute) -> None:
        server = route.connect_to_server()
        server.on_message(lambda message: None if self.deaf else route.send(message))
        self.routes.append(route)

    def cut(self) -> None:
        for route in self.routes:
            route.close(code=4000, reason="cut by the test")
        self.routes.clear()


def test_commands_made_while_disconnected_or_unanswered_arrive_once(browsing, sign_in, demo):
    mo = user_id(demo, "mo")
    room = room_at(demo, f"airtime:{mo}:questions", presenters=[mo], capture_questions=True)
    (fran,) = join(browsing, sign_in, room, "fran")
    priya = sign_in(browsing.new_page(), "priya")
    line = Line(priya)
    priya.clock.install()  # the reconnection waits on this page's clock, which the test holds
    priya.goto(room)
    expect(priya.locator("#connection")).to_have_text("Connected")

    # Down: the question is kept, and sent when the connection is back.
    expect(priya.get_by_label("My question")).to_be_visible()
    priya.clock.pause_at(priya.evaluate("Date.now()") + 50)
    line.cut()
    expect(priya.locator("#connection")).to_have_text("Connection lost: reconnecting…")
    box = priya.get_by_label("My question")
    box.fill("What have you tried so far?")
    box.press("Enter")
    expect(priya.get_by_role("alert")).to_have_text("Not connected: will send when back.")
    expect(box).to_have_value("What have you tried so far?")
    priya.clock.resume()
    expect(priya.locator("#connection")).to_have_text("Connected")
    expect(box).to_have_value("")
    expect(priya.get_by_role("alert")).to_be_hidden()

    # Up but deaf: the server applies it, its answer is lost; sent again on reconnecting, the
    # server applies it once and answers with the earlier event.
    line.deaf = True
    box.fill("What would help most?")
    box.press("Enter")
    expect(fran.locator("#stage-body")).to_contain_text("What would help most?")
    line.deaf = False
    line.cut()
    expect(priya.locator("#stage-body")).to_contain_text("What would help most?")
    expect(box).to_have_value("")

    for page in (fran, priya):
        for text in ("What have you tried so far?", "What would help most?"):
            expect(page.locator("#stage-body li", has_text=text)).to_have_count(1)


def test_a_command_left_unanswered_says_the_room_is_waiting_until_the_answer_comes(
    browsing, sign_in, demo
):
    """The server slow to answer (waiting for its database): the connection is up, so the room
    says it is waiting rather than lost, and "Connected" once the answer arrives."""
    mo = user_id(demo, "mo")
    room = room_at(demo, f"airtime:{mo}:questions", presenters=[mo], capture_questions=True)
    join(browsing, sign_in, room, "fran")
    priya = sign_in(browsing.new_page(), "priya")
    line = Line(priya)
    priya.goto(room)
    connection = priya.locator("#connection")
    expect(connection).to_have_text("Connected")
    expect(priya.get_by_label("My question")).to_be_visible()

    line.deaf = True
    box = priya.get_by_label("My question")
    box.fill("What matters most to you here?")
    box.press("Enter")
    expect(connection).to_contain_text("Waiting for Revans to answer", timeout=10_000)

    line.deaf = False
    line.cut()  # the answer comes with the catch-up after reconnecting
    expect(connection).to_have_text("Connected", timeout=10_000)
    expect(box).to_have_value("")
    expect(
        priya.locator("#stage-body li", has_text="What matters most to you here?")
    ).to_have_count(1)


@pytest.mark.parametrize(
    "code, message",
    [
        (4404, "You are no longer in this set."),
        (4401, "You were signed out. Sign in again to rejoin."),
    ],
)
def test_a_closed_door_is_not_knocked_on_again(browsing, sign_in, demo, code, message):
    room = f"/meetings/{next_meeting_id(demo)}/room/"
    mo = sign_in(browsing.new_page(), "mo")
    line = Line(mo)
    mo.goto(room)
    expect(mo.get_by_role("button", name="I'm here")).to_be_visible()
    line.routes[0].close(code=code, reason="closed by the test as the server would")
    expect(mo.locator("#connection")).to_have_text(message)
    expect(mo.get_by_role("button", name="I'm here")).to_have_count(0)  # nothing more to do
    mo.wait_for_timeout(1500)  # longer than the first reconnection would wait
    assert len(line.routes) == 1
    if code == 4401:
        expect(mo.get_by_role("link", name="Sign in again")).to_have_attribute(
            "href", f"/accounts/login/?next={room.replace('/', '%2F')}"
        )


def test_a_socket_refused_on_reconnecting_says_why_and_stops(browsing, sign_in, demo):
    from revans.sets.models import Membership

    room = f"/meetings/{next_meeting_id(demo)}/room/"
    mo = sign_in(browsing.new_page(), "mo")
    line = Line(mo)
    mo.goto(room)
    expect(mo.locator("#connection")).to_have_text("Connected")
    # Out of the set while the connection is down (no signal: nothing tells the open socket), so
    # the server refuses the next handshake, which the browser only sees as a failure.
    Membership.objects.filter(set_id=demo.aurora_id, user_id=user_id(demo, "mo"))._raw_delete(
        "default"
    )
    line.cut()
    expect(mo.locator("#connection")).to_have_text("You are no longer in this set.")
    mo.wait_for_timeout(1500)  # longer than the next reconnection would wait
    assert len(line.routes) <= 1


# --- the chair's controls -------------------------------------------------------------------


def test_closing_the_meeting_asks_first(browsing, sign_in, demo):
    room = room_at(demo, "summary")
    fran, mo = join(browsing, sign_in, room, "fran", "mo")
    fran.get_by_role("button", name="Close the meeting and send the summary").click()
    dialog = fran.get_by_role("dialog", name="Close the meeting?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Not yet")).to_be_focused()
    serious = [
        v for v in Axe().run(fran).response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
    dialog.get_by_role("button", name="Not yet").click()
    expect(dialog).to_be_hidden()
    expect(mo.locator("#stage-title")).to_have_text("Summary")

    fran.get_by_role("button", name="Close the meeting and send the summary").click()
    dialog.get_by_role("button", name="Close the meeting").click()
    expect(dialog).to_be_hidden()
    expect(mo.locator("#stage-title")).to_have_text("The meeting is closed")


def test_the_chair_jumps_to_a_stage_from_the_list(browsing, sign_in, demo):
    room = f"/meetings/{next_meeting_id(demo)}/room/"
    fran, mo = join(browsing, sign_in, room, "fran", "mo")
    expect(mo.locator("#stage-list").get_by_role("button")).to_have_count(0)  # only the chair
    fran.locator("#stage-list").get_by_role("button", name="Bidding for airtime").click()
    expect(mo.locator("#stage-title")).to_have_text("Bidding for airtime")
    expect(fran.locator("#stage-list [aria-current=step]")).to_have_text("Bidding for airtime")


def test_the_chairs_controls_stay_at_hand_on_a_phone(browsing, sign_in, demo):
    room = f"/meetings/{next_meeting_id(demo)}/room/"
    (fran,) = join(browsing, sign_in, room, "fran", viewport=PHONE)
    # At the top of the page, the stage's content above the aside: Next is at the bottom edge.
    nxt = fran.get_by_role("button", name="Next →")
    expect(nxt).to_be_in_viewport()
    box = nxt.bounding_box()
    assert PHONE["height"] - 150 < box["y"] + box["height"] <= PHONE["height"], box
    assert fran.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    nxt.click()
    expect(fran.locator("#stage-title")).to_have_text(re.compile("Report-back"))


def test_an_online_sets_room_shows_its_video_link(browsing, sign_in, demo):
    from revans.sets.models import Set

    Set.objects.filter(pk=demo.aurora_id).update(
        mode=Set.Mode.HYBRID, video_link="https://meet.example.org/aurora"
    )
    room = f"/meetings/{next_meeting_id(demo)}/room/"
    (mo,) = join(browsing, sign_in, room, "mo")
    link = mo.get_by_role("link", name="Join the video call")
    expect(link).to_have_attribute("href", "https://meet.example.org/aurora")


# --- who is here ----------------------------------------------------------------------------


def test_presence_shows_who_is_connected(browsing, sign_in, demo):
    room = f"/meetings/{next_meeting_id(demo)}/room/"
    (fran,) = join(browsing, sign_in, room, "fran")
    people = fran.locator("#people")
    expect(people.locator("li", has_text="Mo Rahman")).to_contain_text("not connected")
    (mo,) = join(browsing, sign_in, room, "mo")
    expect(people.locator("li", has_text="Mo Rahman").locator(".presence.on")).to_have_text(
        "connected"
    )
    mo.close()
    expect(people.locator("li", has_text="Mo Rahman")).to_contain_text("not connected")


def test_members_check_in_and_the_chair_corrects_attendance(browsing, sign_in, demo):
    room = f"/meetings/{next_meeting_id(demo)}/room/"
    fran, mo = join(browsing, sign_in, room, "fran", "mo")
    mo.get_by_role("button", name="I'm here").click()
    expect(mo.get_by_role("button", name="I'm here")).to_have_count(0)
    expect(mo.locator("#stage-body")).to_contain_text("You are marked present.")
    row = fran.locator(".attendance-list li", has_text="Mo Rahman")
    expect(row).to_contain_text("Present")
    expect(fran.locator(".attendance-list li", has_text="Priya Shah")).to_contain_text(
        "Not recorded"
    )
    fran.get_by_role("button", name="Mark Priya Shah absent").click()
    expect(fran.locator(".attendance-list li", has_text="Priya Shah")).to_contain_text("Absent")
    expect(mo.locator("#stage-body")).to_contain_text(re.compile(r"1 of \d+ checked in\."))


# --- the coach ------------------------------------------------------------------------------


def test_the_coach_encourages_an_open_question_and_offers_a_rewrite_of_a_closed_one(
    browsing, sign_in, demo
):
    mo = user_id(demo, "mo")
    room = room_at(demo, f"airtime:{mo}:questions", presenters=[mo], capture_questions=True)
    (priya,) = join(browsing, sign_in, room, "priya")
    box = priya.get_by_label("My question")
    box.fill("Have you tried talking to them?")
    box.press("Enter")
    coach = priya.locator("#coach")
    expect(coach).to_contain_text("Advice phrased as a question")
    coach.get_by_role("button", name="Put it in the box").click()
    expect(box).to_be_focused()
    expect(box).not_to_have_value("")
    box.fill("What matters most to you here?")
    box.press("Enter")
    expect(coach).to_contain_text("Open question")
    expect(coach).to_contain_text("A good open question")
