"""Every page keeps to its Content-Security-Policy in a real browser: no script, style or
connection is refused on the pages each demo person opens, in the live room with its socket
connected and driven, in the sketch pad, the charts, the polls grid and the admin. A refusal shows
as a ``securitypolicyviolation`` event in the page or a console error, and either fails the test.

The policy itself (no inline or eval'd script or style) is checked on every URL pattern by
``core/tests/test_headers.py``; this is where a page that needed what it refuses would show."""

import re
from collections import defaultdict

import pytest
from playwright.sync_api import Page, expect
from test_journeys import PAGES, _aurora_meeting, _fran_log

pytestmark = pytest.mark.browser

# Runs before the page's own scripts (Playwright injects it outside the policy).
WATCH = """
window.__refused = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__refused.push(`${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
});
"""


class Watched:
    """A page whose policy refusals are collected, from its events and its console."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        self.policies: list[str] = []
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def _response(self, response) -> None:
        if response.request.resource_type == "document":
            self.policies.append(response.headers.get("content-security-policy", ""))

    def refused(self) -> list[str]:
        self.page.wait_for_timeout(100)  # the events are queued as tasks
        try:
            events = self.page.evaluate("window.__refused || []")
        except Exception:  # a download or a closed page has no window to ask
            events = []
        return events + self.console

    def assert_none_refused(self, where: str) -> None:
        refused = self.refused()
        assert not refused, f"{where}: the policy refused\n" + "\n".join(refused)
        assert self.policies and all("script-src 'self'" in p for p in self.policies), where


def watched(browsing, sign_in, key: str | None, viewport=None) -> Watched:
    page = browsing.new_page(viewport=viewport)
    watch = Watched(page)
    if key:
        sign_in(page, key)
    return watch


def test_the_watch_sees_what_the_policy_refuses(browsing, sign_in, demo):
    """The test below cannot pass by not looking: an inline style and an inline script put into a
    page are refused, and seen."""
    watch = watched(browsing, sign_in, "mo")
    watch.page.goto("/guide/")
    watch.page.evaluate(
        """() => {
          document.querySelector("main").setAttribute("style", "color: red");
          const script = document.createElement("script");
          script.textContent = "window.ran = true";
          document.body.append(script);
        }"""
    )
    refused = watch.refused()
    assert any(line.startswith("style-src") for line in refused), refused
    assert any(line.startswith("script-src") for line in refused), refused
    assert watch.page.evaluate("window.ran === undefined")


def test_every_persons_pages_keep_to_the_policy(browsing, sign_in, demo):
    """The pages of the accessibility walk (test_journeys.PAGES), each opened by its person:
    dashboards, sets, members, meetings, the live room, logs, practice, the guide, sign-in."""
    by_person = defaultdict(list)
    for name, (who, path) in PAGES.items():
        by_person[who].append((name, path))
    problems = {}
    for who, pages in by_person.items():
        watch = watched(browsing, sign_in, who)
        for name, path in pages:
            watch.page.goto(path(demo))
            watch.page.wait_for_load_state("load")
            if "/room/" in watch.page.url:
                expect(watch.page.locator("#connection")).to_have_text("Connected")
            refused = watch.refused()
            if refused:
                problems[f"{name} ({who})"] = refused
            watch.console.clear()
        assert watch.policies, who
    assert not problems, problems


def test_the_live_room_runs_under_the_policy(browsing, sign_in, demo):
    """The room's scripts (room.js, idiomorph) and its WebSocket: connected, the chair moves the
    meeting on, the member's page is morphed, the timer is paused and started."""
    room = _aurora_meeting(past=False)(demo) + "room/"
    fran, mo = watched(browsing, sign_in, "fran"), watched(browsing, sign_in, "mo")
    for watch in (fran, mo):
        watch.page.goto(room)
        expect(watch.page.locator("#connection")).to_have_text("Connected")
    fran.page.get_by_role("button", name="Next →").click()
    expect(mo.page.locator("#stage-title")).to_have_text(re.compile("Report-back"))
    fran.page.get_by_role("button", name="Pause timer").click()
    expect(mo.page.locator("#timer-note")).to_have_text("Paused")
    fran.page.get_by_role("button", name="Start timer").click()
    expect(mo.page.locator("#timer-note")).to_have_text("")
    fran.assert_none_refused("the room (chair)")
    mo.assert_none_refused("the room (member)")


def test_a_sketch_is_drawn_saved_and_shown_under_the_policy(browsing, sign_in, demo):
    watch = watched(browsing, sign_in, "fran")
    page = watch.page
    page.goto(_fran_log("editor")(demo))
    canvas = page.locator("canvas.sketch-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 8):
        page.mouse.move(box["x"] + 40 + step * 25, box["y"] + 40 + step * 10)
    page.mouse.up()
    page.get_by_label("Sketch description").fill("Four circles")
    page.get_by_role("button", name="Save sketch").click()
    attachments = page.locator("#attachments")
    expect(attachments.get_by_role("img", name="Four circles")).to_be_visible()
    attachments.get_by_role("button", name="Insert into text").click()
    expect(page.locator("#preview img[alt='Four circles']")).to_be_visible()  # htmx's preview
    watch.assert_none_refused("the sketch pad")


def test_charts_polls_and_the_formation_board_keep_to_the_policy(browsing, sign_in, demo):
    from test_polls_journey import beacon_poll

    pam = watched(browsing, sign_in, "pam")
    pam.page.goto(f"/programmes/{demo.programme_id}/dashboard/")
    expect(pam.page.locator("[data-chart='chart-meetings'] canvas")).to_be_visible()
    pam.assert_none_refused("the evaluation dashboard")

    mo = watched(browsing, sign_in, "mo")
    mo.page.goto(f"/sets/{demo.aurora_id}/questioning/")
    expect(mo.page.locator("canvas").first).to_be_visible()
    mo.assert_none_refused("the questioning chart")

    poll = beacon_poll()
    oli = watched(browsing, sign_in, "oli")
    oli.page.goto(poll.get_absolute_url())
    oli.page.locator("select[id^='slot-']").first.select_option("yes")
    oli.page.get_by_role("button", name="Save my answers").click()
    expect(oli.page.get_by_text("Your answers are saved.")).to_be_visible()
    oli.assert_none_refused("the polls grid")


def test_the_calendar_pages_confirm_and_select_without_inline_handlers(browsing, sign_in, demo):
    """The handlers that were inline (onsubmit confirm, onfocus select) now in revans.js."""
    watch = watched(browsing, sign_in, "mo")
    page = watch.page
    page.goto("/me/calendar/")
    feed = page.get_by_label("Calendar feed address")
    old = feed.input_value()
    feed.focus()
    assert page.evaluate("() => document.getSelection().toString()") == old
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Reset the address").click()
    page.wait_for_load_state("load")
    assert page.get_by_label("Calendar feed address").input_value() == old  # not sent
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset the address").click()
    expect(page.get_by_label("Calendar feed address")).not_to_have_value(old)
    watch.assert_none_refused("the calendar feed page")


def test_the_practice_coach_fills_the_box_without_eval(browsing, sign_in, demo):
    watch = watched(browsing, sign_in, "mo")
    page = watch.page
    page.goto("/practice/two-teams-one-ward/")
    question = page.get_by_label("Your question")
    question.fill("Have you tried delegating it?")
    page.get_by_role("button", name="Ask the coach").click()
    expect(question).to_have_value("")
    page.locator("#coach-feedback").get_by_role("button", name="Put it in the box").click()
    expect(question).not_to_have_value("")
    expect(question).to_be_focused()
    watch.assert_none_refused("question practice")


def test_the_admin_works_under_the_policy(browsing, sign_in, demo):
    from revans.accounts.models import User

    User.objects.create_superuser(email="operator@example.org", password="an-operator-secret")
    watch = watched(browsing, sign_in, None)
    page = watch.page
    page.goto("/admin/")  # the admin's sign-in is Revans' own, and comes back
    page.get_by_label("Email").fill("operator@example.org")
    page.get_by_label("Password").fill("an-operator-secret")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto("/admin/accounts/user/")
    page.get_by_role("link", name="operator@example.org").click()
    expect(page.get_by_role("heading", name="Change user")).to_be_visible()
    page.goto("/admin/sets/set/")
    expect(page.locator("#result_list")).to_be_visible()
    watch.assert_none_refused("the admin")


def test_the_room_tells_a_facilitator_when_two_factor_is_now_required(
    browsing, sign_in, demo, settings
):
    """Turned on while the room is open (a restart, a dropped line): the socket is refused and
    the room says why, with the way to set it up, instead of reconnecting for ever."""
    from test_room import Line

    watch = watched(browsing, sign_in, "fran")
    page = watch.page
    line = Line(page)
    page.goto(_aurora_meeting(past=False)(demo) + "room/")
    expect(page.locator("#connection")).to_have_text("Connected")
    settings.REQUIRE_TWO_FACTOR = True
    line.cut()
    connection = page.locator("#connection")
    expect(connection).to_contain_text("Two-factor authentication is needed first.")
    connection.get_by_role("link", name="Set it up").click()
    expect(
        page.get_by_role("heading", name="Set up two-factor authentication to go on")
    ).to_be_visible()
    watch.assert_none_refused("the room, then the two-factor page")


def test_forming_sets_keeps_to_the_policy(browsing, sign_in, demo):
    """The formation board: its polled progress, the proposed sets' diversity bars (SVG), a
    person dragged to another set and the board scored again by htmx."""
    from test_formation import _northern, _set_card

    from revans.accounts.models import Organisation, User
    from revans.site.demo import load_cohort_programme

    load_cohort_programme(
        User.objects.get(email=demo.email("pam")),
        Organisation.objects.get(name="North West Councils Partnership"),
    )
    cohort = _northern()
    watch = watched(browsing, sign_in, "pam")
    page = watch.page
    page.goto(f"/programmes/{cohort.programme_id}/")
    page.get_by_role("link", name="Form sets (400 people waiting)").click()
    page.get_by_role("button", name="Form the sets").click()
    expect(page.get_by_role("heading", name="Proposed sets")).to_be_visible(timeout=30_000)
    expect(page.locator("svg.diversity-bar rect.mark").first).to_have_attribute(
        "width", re.compile(r"^\d+(\.\d+)?%$")
    )
    first = _set_card(page, "Set 1").locator(".member").first
    first.drag_to(_set_card(page, "Set 2"))
    expect(page.get_by_text("Moved 1 person to Set 2.")).to_be_visible()
    watch.assert_none_refused("the formation board")
