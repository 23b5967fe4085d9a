"""Journeys through Revans in a real browser, on the demo data (architecture.md §7).

fran facilitates Aurora, mo is a member of it, pam manages the programme "Leading Change".
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

MO_ISSUE = "Getting two neighbourhood teams to work as one after the restructure"


def heading(page: Page, name: str):
    return page.get_by_role("heading", level=1, name=name)


def test_pages_load_their_stylesheet_and_htmx(page, sign_in, demo):
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    sign_in(page, "fran")
    page.goto(f"/sets/{demo.aurora_id}/ground-rules/")
    assert not failed, f"requests that failed: {failed}"
    # revans.css gives the page its grey wash; htmx defines a global.
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(244, 246, 249)"
    assert page.evaluate("typeof htmx") == "object"


def test_facilitator_signs_in_and_finds_her_set(page, sign_in, demo):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    sign_in(page, "fran")

    expect(heading(page, "My sets")).to_be_visible()
    expect(page.get_by_text("Hello, Fran.")).to_be_visible()
    aurora_card = page.get_by_role("region", name="Aurora", exact=True)
    expect(aurora_card.locator(".badge.facilitator")).to_have_text("Facilitator")
    expect(aurora_card).to_contain_text("Leading Change")

    page.get_by_role("link", name="Aurora", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/sets/{demo.aurora_id}/$"))
    expect(heading(page, "Aurora")).to_be_visible()
    expect(page.get_by_text("You: facilitator")).to_be_visible()
    people = page.locator("section", has=page.get_by_role("heading", name="People in this set"))
    for name in ("Fran Okafor", "Mo Rahman", "Priya Shah", "Tom Hughes", "Ana Costa"):
        expect(people.get_by_text(name, exact=True)).to_be_visible()
    mo = people.locator("li", has=page.get_by_text("Mo Rahman", exact=True))
    issue = mo.locator("details.issue")
    expect(issue.locator("summary")).to_contain_text(MO_ISSUE)
    issue.locator("summary").click()
    expect(issue.get_by_text("I promised the director a single service by April")).to_be_visible()
    expect(page.get_by_role("link", name="Members and invitations")).to_be_visible()

    page.get_by_role("link", name="Read the ground rules").click()
    expect(page).to_have_url(re.compile(rf"/sets/{demo.aurora_id}/ground-rules/$"))
    expect(heading(page, "Ground rules")).to_be_visible()
    expect(page.locator("ol.rules li").first).to_be_visible()
    expect(page.get_by_text("You agreed on")).to_be_visible()
    expect(page.get_by_role("link", name="Change the rules")).to_be_visible()


def test_member_agrees_to_the_ground_rules_without_a_reload(page, sign_in, demo):
    from revans.accounts.models import User
    from revans.sets.models import GroundRulesAgreement

    # In the demo mo has already agreed; start him from "not yet".
    mo = User.objects.get(email=demo.email("mo"))
    GroundRulesAgreement.objects.filter(user=mo, ground_rules__set_id=demo.aurora_id).delete()

    sign_in(page, "mo")
    page.goto(f"/sets/{demo.aurora_id}/ground-rules/")
    agreement = page.locator("#agreement")
    mo_row = agreement.locator("li", has=page.get_by_text("Mo Rahman", exact=True))
    expect(mo_row.locator(".badge")).to_have_text("Not yet")
    expect(agreement).to_contain_text("4 of 7 have agreed.")

    page.evaluate("window.__sameDocument = true")
    with page.expect_response(
        lambda r: r.url.endswith("/ground-rules/agree/") and r.request.method == "POST"
    ) as posted:
        page.get_by_role("button", name="I agree to these ground rules").click()
    assert posted.value.request.headers.get("hx-request") == "true", "not sent by htmx"
    assert posted.value.ok

    expect(agreement.get_by_role("status")).to_contain_text("You agreed on")
    expect(mo_row.locator(".badge")).to_have_text(re.compile(r"^Agreed "))
    expect(agreement).to_contain_text("5 of 7 have agreed.")
    expect(page.get_by_role("button", name="I agree to these ground rules")).to_have_count(0)
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"
    assert page.locator("#agreement").count() == 1, "the partial was nested, not swapped"

    page.reload()
    expect(page.locator("#agreement").get_by_role("status")).to_contain_text("You agreed on")
    expect(page.get_by_role("button", name="I agree to these ground rules")).to_have_count(0)
    assert GroundRulesAgreement.objects.filter(user=mo).count() == 1


def test_programme_manager_sees_people_but_not_what_is_said(page, sign_in, demo):
    sign_in(page, "pam")
    programmes = page.locator("h2", has_text="Programmes I manage")
    expect(programmes).to_be_visible()
    page.get_by_role("link", name="Leading Change", exact=True).click()

    expect(page).to_have_url(re.compile(rf"/programmes/{demo.programme_id}/$"))
    expect(heading(page, "Leading Change")).to_be_visible()
    for set_name in ("Aurora", "Beacon", "Cedar"):
        expect(page.get_by_role("link", name=set_name, exact=True)).to_be_visible()
    expect(page.get_by_text("What is said in the sets stays in the sets.")).to_be_visible()
    expect(page.get_by_text(MO_ISSUE)).to_have_count(0)

    # People are found on their own page, searched by name.
    page.get_by_role("link", name="find a person").click()
    page.get_by_label("Name or e-mail").fill("Mo Rah")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("cell", name="Mo Rahman", exact=True)).to_be_visible()
    expect(page.get_by_text(MO_ISSUE)).to_have_count(0)
    page.get_by_role("link", name="Back to the programme").click()

    page.get_by_role("link", name="Aurora", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/sets/{demo.aurora_id}/$"))
    expect(heading(page, "Aurora")).to_be_visible()
    for name in ("Fran Okafor", "Mo Rahman", "Priya Shah"):
        expect(page.locator(".people").get_by_text(name, exact=True)).to_be_visible()
    expect(page.get_by_text("What is said in the set stays in the set").first).to_be_visible()
    assert MO_ISSUE not in page.content()
    assert "Why it matters" not in page.content()
    expect(page.get_by_role("link", name="Read the ground rules")).to_have_count(0)

    response = page.goto(f"/sets/{demo.aurora_id}/ground-rules/")
    assert response.status == 404
    expect(heading(page, "Not found")).to_be_visible()
    assert "Confidentiality" not in page.content()


def test_facilitator_invites_a_newcomer_who_joins_through_the_emailed_link(browsing, sign_in, demo):
    newcomer = "rosa.newcomer@example.org"
    fran = browsing.new_page()
    sign_in(fran, "fran")
    fran.goto(f"/sets/{demo.aurora_id}/")
    fran.get_by_role("link", name="Members and invitations").click()
    expect(heading(fran, "Members and invitations")).to_be_visible()

    mail.outbox.clear()
    fran.get_by_label("E-mail addresses").fill(newcomer)
    fran.get_by_role("button", name="Send invitations").click()
    expect(fran.get_by_role("status")).to_contain_text(f"Invitation sent to {newcomer}.")
    pending = fran.locator("section", has=fran.get_by_role("heading", name="Waiting for an answer"))
    expect(pending.get_by_text(newcomer, exact=True)).to_be_visible()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [newcomer]
    assert "Aurora" in message.subject
    links = re.findall(r"https?://\S+/invitations/\S+/", message.body)
    assert len(links) == 1, message.body

    rosa = browsing.new_page()  # a fresh context: nobody signed in
    rosa.goto(links[0])
    expect(heading(rosa, "Join Aurora")).to_be_visible()
    expect(rosa.get_by_text(newcomer)).to_be_visible()
    rosa.get_by_label("Your name").fill("Rosa Newcomer")
    rosa.get_by_label("Choose a password").fill("lantern-orchard-47-quietly")
    rosa.get_by_label("The password again").fill("lantern-orchard-47-quietly")
    rosa.get_by_role("button", name="Create my account and join").click()

    expect(rosa).to_have_url(re.compile(rf"/sets/{demo.aurora_id}/$"))
    expect(heading(rosa, "Aurora")).to_be_visible()
    expect(rosa.get_by_role("status")).to_contain_text("Welcome to Revans and to “Aurora”.")
    expect(rosa.get_by_text("You: member")).to_be_visible()
    expect(rosa.get_by_role("navigation", name="Main")).to_contain_text("Rosa")
    expect(rosa.get_by_role("button", name="Sign out")).to_be_visible()
    expect(rosa.locator(".people").get_by_text("Rosa Newcomer", exact=True)).to_be_visible()

    fran.reload()
    expect(pending.get_by_text(newcomer, exact=True)).to_have_count(0)
    expect(fran.get_by_role("row").filter(has_text="Rosa Newcomer")).to_have_count(1)


# --- accessibility: zero serious or critical axe-core violations on every page -------------


def _invitation_link(demo) -> str:
    from revans.sets.models import Invitation, Set

    invitation = Invitation(
        set=Set.objects.get(pk=demo.aurora_id), email="axe.newcomer@example.org"
    )
    token = invitation.new_token()
    invitation.save()
    return f"/invitations/{token}/"


def _aurora_meeting(past: bool, suffix: str = ""):
    def path(demo) -> str:
        from django.utils import timezone

        from revans.meetings.models import Meeting

        meetings = Meeting.objects.filter(set_id=demo.aurora_id)
        now = timezone.now()
        meeting = (
            meetings.filter(starts_at__lt=now).last()
            if past
            else meetings.filter(starts_at__gt=now).first()
        )
        if suffix == "reflect":
            return f"/journal/meetings/{meeting.pk}/reflect/"
        return f"/meetings/{meeting.pk}/"

    return path


def _fran_log(suffix: str = ""):
    """fran's ILM log with an entry and a draft (the demo has no logs of its own yet)."""

    def path(demo) -> str:
        from revans.accounts.models import User
        from revans.journal.models import Entry, Log
        from revans.journal.prompts import log_templates

        ilm = log_templates()["ilm-facilitator-log"]
        fran = User.objects.get(email=demo.email("fran"))
        log = Log.objects.create(
            owner=fran, title="My ILM log", template=ilm.slug, sections=list(ilm.sections)
        )
        entry = Entry.objects.create(
            log=log, title="Meeting one", section="Results", body="**Quiet** start.", draft=False
        )
        Entry.objects.create(log=log, title="Half a thought", body="Not yet")
        return {"": log.get_absolute_url(), "editor": f"/journal/entries/{entry.pk}/edit/"}[suffix]

    return path


def _fran_shared_log(suffix: str):
    """fran's log shared with nia as assessor, version 1 submitted, one comment (sharing pages)."""

    def path(demo) -> str:
        from django.utils import timezone

        from revans.accounts.models import User
        from revans.journal.models import Comment, Entry, Log, Share, Submission

        fran = User.objects.get(email=demo.email("fran"))
        nia = User.objects.get(email=demo.email("nia"))
        log = Log.objects.create(owner=fran, title="Shared log", sections=["Results"])
        entry = Entry.objects.create(
            log=log, title="Meeting one", section="Results", body="**Quiet** start.", draft=False
        )
        share = Share(log=log, email=nia.email, user=nia, accepted_at=timezone.now())
        share.new_token()
        share.save()
        pending = Share(log=log, email="sam@example.org", role="supervisor")
        pending.new_token()
        pending.save()
        version = Submission.objects.create(log=log, number=1, snapshot=log.snapshot())
        Comment.objects.create(entry=entry, author=nia, body="Why quiet?", submission=version)
        return {
            "sharing": f"/journal/{log.pk}/sharing/",
            "history": f"/journal/{log.pk}/history/",
            "version": f"/journal/submissions/{version.pk}/",
            "entry": entry.get_absolute_url(),
        }[suffix]

    return path


def _format_copy(demo) -> str:
    from revans.meetings.models import MeetingFormat

    return f"/sets/{demo.aurora_id}/formats/{MeetingFormat.objects.shipped().first().pk}/copy/"


def _open_sets(suffix: str):
    """Beacon open to join, with eve's request waiting (the programme's joining pages)."""

    def path(demo) -> str:
        from revans.accounts.models import User
        from revans.programmes.models import JoinRequest, OpenSet
        from revans.sets.models import Set

        beacon = Set.objects.get(programme_id=demo.programme_id, name="Beacon")
        OpenSet.objects.get_or_create(set=beacon)
        eve = User.objects.get(email=demo.email("eve"))
        JoinRequest.objects.get_or_create(set=beacon, person=eve, note="May I join?")
        return f"/programmes/{demo.programme_id}/{suffix}/"

    return path


def _mo_issue(demo) -> str:
    from revans.sets.models import Issue

    return Issue.objects.get(
        set_id=demo.aurora_id, owner__email=demo.email("mo")
    ).get_absolute_url()


def _expectations(demo) -> str:
    """mo's expectations answered, for the facilitator's reading page."""
    from revans.accounts.models import User
    from revans.sets.models import Expectations

    mo = User.objects.get(email=demo.email("mo"))
    Expectations.objects.get_or_create(
        set_id=demo.aurora_id, user=mo, defaults={"answers": {"hopes": "Time to think."}}
    )
    return f"/sets/{demo.aurora_id}/expectations/all/"


PAGES = {
    "sign-in": (None, lambda demo: "/accounts/login/"),
    "dashboard": ("fran", lambda demo: "/dashboard/"),
    "set": ("fran", lambda demo: f"/sets/{demo.aurora_id}/"),
    "ground rules": ("mo", lambda demo: f"/sets/{demo.aurora_id}/ground-rules/"),
    "ground rules (not agreed)": ("tom", lambda demo: f"/sets/{demo.aurora_id}/ground-rules/"),
    "ground rules edit": ("fran", lambda demo: f"/sets/{demo.aurora_id}/ground-rules/edit/"),
    "members": ("fran", lambda demo: f"/sets/{demo.aurora_id}/members/"),
    "bring an issue (its kind)": ("tom", lambda demo: f"/sets/{demo.aurora_id}/issues/new/"),
    "bring an issue (how I operate)": (
        "tom",
        lambda demo: f"/sets/{demo.aurora_id}/issues/new/?kind=operating",
    ),
    "issue": ("fran", _mo_issue),
    "expectations": ("mo", lambda demo: f"/sets/{demo.aurora_id}/expectations/"),
    "members' expectations": ("fran", _expectations),
    "programme": ("pam", lambda demo: f"/programmes/{demo.programme_id}/"),
    "programme people": ("pam", lambda demo: f"/programmes/{demo.programme_id}/people/"),
    "programme settings": ("pam", lambda demo: f"/programmes/{demo.programme_id}/edit/"),
    "new programme (template)": (
        "pam",
        lambda demo: "/programmes/new/?template=council_leadership",
    ),
    "sets open to join": ("ana", _open_sets("open-sets")),
    "requests to join": ("pam", _open_sets("join-requests")),
    "set (programme manager)": ("pam", lambda demo: f"/sets/{demo.aurora_id}/"),
    "profile": ("fran", lambda demo: "/me/"),
    "your data": ("mo", lambda demo: "/me/data/"),
    "delete my account (hand over first)": ("fran", lambda demo: "/me/delete/"),
    "new set": ("fran", lambda demo: "/sets/new/"),
    "invitation accept": (None, _invitation_link),
    "next meeting": ("mo", _aurora_meeting(past=False)),
    "next meeting (facilitator)": ("fran", _aurora_meeting(past=False)),
    "past meeting (attendance)": ("fran", _aurora_meeting(past=True)),
    "plan the schedule": ("fran", lambda demo: f"/sets/{demo.aurora_id}/schedule/"),
    "add a meeting": ("fran", lambda demo: f"/sets/{demo.aurora_id}/meetings/new/"),
    "meeting formats": ("fran", lambda demo: f"/sets/{demo.aurora_id}/formats/"),
    "copy a format": ("fran", _format_copy),
    "calendar feed": ("mo", lambda demo: "/me/calendar/"),
    "live room (chair)": ("fran", lambda demo: _aurora_meeting(past=False)(demo) + "room/"),
    "live room (member)": ("mo", lambda demo: _aurora_meeting(past=False)(demo) + "room/"),
    "question practice": ("nia", lambda demo: "/practice/"),
    "practice scenario": ("mo", lambda demo: "/practice/two-teams-one-ward/"),
    "learning logs": ("fran", lambda demo: "/journal/"),
    "new learning log": ("fran", lambda demo: "/journal/new/"),
    "learning log": ("fran", _fran_log()),
    "learning log entry editor": ("fran", _fran_log("editor")),
    "learning log sharing": ("fran", _fran_shared_log("sharing")),
    "learning log versions": ("fran", _fran_shared_log("history")),
    "submitted version (assessor)": ("nia", _fran_shared_log("version")),
    "entry with comments (assessor)": ("nia", _fran_shared_log("entry")),
    "reflect on a meeting": ("mo", _aurora_meeting(past=True, suffix="reflect")),
    "not found": ("pam", lambda demo: f"/sets/{demo.aurora_id}/ground-rules/"),
    "guide": (None, lambda demo: "/guide/"),
    "guide page (with a table)": ("mo", lambda demo: "/guide/what-is-action-learning/"),
    "guide search": (None, lambda demo: "/guide/search/?q=ground+rules"),
}


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(
            f"    {node['target']}: {node.get('failureSummary', '')}" for node in v["nodes"]
        )
        for v in violations
    )


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(page, sign_in, demo, name):
    who, path = PAGES[name]
    if who:
        sign_in(page, who)
    page.goto(path(demo))
    page.wait_for_load_state("load")
    if "/room/" in page.url:
        expect(page.locator("#connection")).to_have_text("Connected")
    violations = Axe().run(page).response["violations"]
    if violations:
        print(f"axe on {name} ({page.url}):\n{describe(violations)}")
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe on {name} ({page.url}):\n{describe(serious)}"


# --- layout: nothing wider than the screen, on a phone or a laptop --------------------------

OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .slice(0, 5)
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
         + ' right=' + Math.round(el.getBoundingClientRect().right));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide};
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_horizontal_overflow(browsing, sign_in, demo, viewport):
    page = browsing.new_page(viewport=viewport)
    sign_in(page, "fran")
    overflowing = {}
    for path in (
        "/dashboard/",
        f"/sets/{demo.aurora_id}/",
        f"/sets/{demo.aurora_id}/ground-rules/",
        f"/sets/{demo.aurora_id}/schedule/",
        _aurora_meeting(past=True)(demo),
        "/guide/what-is-action-learning/",
        "/guide/search/?q=silence",
    ):
        page.goto(path)
        page.wait_for_load_state("load")
        sizes = page.evaluate(OVERFLOW_JS)
        if sizes["scrollWidth"] > sizes["innerWidth"] + 1:
            overflowing[path] = sizes
    assert not overflowing, f"wider than {viewport['width']}px: {overflowing}"


# --- the schedule: plan, preview, save; apologies seen by the set ------------------------------


def test_facilitator_previews_and_saves_a_monthly_schedule(page, sign_in, demo):
    sign_in(page, "fran")
    page.goto(f"/sets/{demo.aurora_id}/")
    page.get_by_role("link", name="Plan more meetings").click()
    page.get_by_label("First meeting").fill("2031-01-14")  # the second Tuesday of January
    page.get_by_label("Starting at").fill("10:00")
    page.get_by_label("Monthly, on the same weekday").check()
    page.get_by_label("Number of meetings").fill("3")
    page.get_by_role("button", name="Preview the dates").click()
    expect(page.get_by_text("monthly on the second Tuesday")).to_be_visible()
    expect(page.locator("ol.dates li")).to_have_count(3)
    expect(page.locator("ol.dates")).to_contain_text("Tue 11 Feb 2031, 10:00")
    page.get_by_role("button", name="Save 3 meetings").click()
    expect(page.get_by_text("3 meetings scheduled.")).to_be_visible()


def test_member_sends_apologies_that_the_facilitator_sees(browsing, sign_in, demo):
    member = browsing.new_page()
    sign_in(member, "mo")
    member.goto(_aurora_meeting(past=False)(demo))
    member.get_by_label("A note for the set (optional)").fill("Away at a conference, sorry.")
    member.get_by_role("button", name="Send apologies").click()
    expect(member.get_by_text("Your apologies are sent")).to_be_visible()
    facilitator = browsing.new_page()
    sign_in(facilitator, "fran")
    facilitator.goto(_aurora_meeting(past=False)(demo))
    expect(facilitator.get_by_text("Away at a conference, sorry.")).to_be_visible()


# --- question practice: the coach's feedback on a sample problem, for anyone signed in ---------


def test_someone_in_no_set_tries_question_practice_and_the_coach_answers_without_a_reload(
    browsing, sign_in, demo
):
    page = browsing.new_page(viewport=PHONE)
    sign_in(page, "nia")
    page.get_by_role("link", name="Practice", exact=True).click()
    expect(heading(page, "Question practice")).to_be_visible()
    page.get_by_role("link", name="Two teams, one ward").click()
    expect(heading(page, "Two teams, one ward")).to_be_visible()

    page.evaluate("window.samePage = true")  # gone if the form reloads the page
    question = page.get_by_label("Your question")
    question.fill("Have you tried delegating it?")
    page.get_by_role("button", name="Ask the coach").click()
    feedback = page.locator("#coach-feedback")
    expect(feedback).to_contain_text("Advice phrased as a question")
    expect(feedback).to_contain_text("An open way to ask it")
    assert page.evaluate("window.samePage") is True
    expect(question).to_have_value("")
    tally = page.locator("#practice-tally")
    expect(tally).to_contain_text("Advice phrased as a question: 1")
    expect(tally.get_by_text("Have you tried delegating it?")).to_be_visible()

    feedback.get_by_role("button", name="Put it in the box").click()
    expect(question).not_to_have_value("")
    expect(question).to_be_focused()

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    violations = Axe().run(page).response["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe on the practice feedback:\n{describe(serious)}"

    tally.get_by_role("button", name="Start again").click()
    expect(tally).to_contain_text("None yet.")
    expect(question).to_be_focused()
    assert page.evaluate("window.samePage") is True


# --- questioning insight: the set's chart with its table, and the member's own ----------------


def test_member_sees_the_sets_questioning_chart_with_its_table(browsing, sign_in, demo):
    page = browsing.new_page()
    sign_in(page, "mo")
    page.goto(f"/sets/{demo.aurora_id}/")
    page.get_by_role("link", name="See the set's questioning").click()
    expect(heading(page, "Questioning")).to_be_visible()

    chart = page.locator('[data-chart="set-chart"] canvas')
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("role", "img")
    expect(chart).to_have_attribute("aria-label", re.compile(r"share of open questions over 3"))
    drawn = "c => !!Chart.getChart(c) && Chart.getChart(c).data.datasets[0].data.length"
    assert chart.evaluate(drawn) == 3
    table = page.get_by_role("table", name="The set's questions at each meeting")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(3)

    mine = page.locator("section", has=page.get_by_role("heading", name="Your questions"))
    expect(mine.get_by_text("Only you see this.")).to_be_visible()
    expect(mine.locator('[data-chart="my-chart"] canvas')).to_be_visible()
    expect(page.get_by_role("heading", name="Powerful questions")).to_be_visible()

    violations = Axe().run(page).response["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe on the questioning page:\n{describe(serious)}"

    phone = browsing.new_page(viewport=PHONE)
    sign_in(phone, "mo")
    phone.goto(f"/sets/{demo.aurora_id}/questioning/")
    expect(phone.locator('[data-chart="set-chart"] canvas')).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


# --- learning logs: a private log, an entry with a live preview, saved as a draft as it is typed --


AUTOSAVE_MS = 3000  # journal.js


def test_member_writes_a_log_entry_that_autosaves_and_survives_a_reload(page, sign_in, demo):
    # A tab that closes loses its last-ditch save too: only the copy in the browser is left.
    page.add_init_script("navigator.sendBeacon = () => false;")
    # The editor autosaves every three seconds: the test moves the page's clock on to each
    # autosave rather than waiting for it.
    page.clock.install()
    sign_in(page, "mo")
    page.get_by_role("link", name="Logs", exact=True).click()
    expect(heading(page, "My learning logs")).to_be_visible()
    page.get_by_role("link", name="New log").click()
    page.get_by_label("ILM facilitator log").check()
    page.get_by_label("Title").fill("My facilitator log")
    page.get_by_role("button", name="Create the log").click()
    expect(heading(page, "My facilitator log")).to_be_visible()
    expect(page.get_by_text("0 words of 1,500–7,000")).to_be_visible()

    page.get_by_role("link", name="New entry in Questions and questioning").click()
    expect(heading(page, "New entry")).to_be_visible()
    expect(page.get_by_label("Section")).to_have_value("Questions and questioning")
    expect(page.get_by_text("Which questions proved powerful")).to_be_visible()

    page.get_by_label("Title").fill("A question that landed")
    body = page.get_by_label("Entry", exact=True)
    body.fill("## What I asked\n\nWhat would **success** look like for you?")
    preview = page.locator("#preview")
    expect(preview.get_by_role("heading", name="What I asked")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("success")
    expect(page.locator("#word-count")).to_have_text("10 words")
    # The first autosave makes the draft, and the address becomes the draft's own.
    page.clock.fast_forward(AUTOSAVE_MS)
    expect(page.locator("#save-status")).to_contain_text("Draft saved")
    expect(page).to_have_url(re.compile(r"/journal/entries/\d+/edit/$"))

    page.reload()
    expect(page.get_by_label("Title")).to_have_value("A question that landed")
    expect(body).to_have_value(re.compile(r"What would \*\*success\*\*"))
    expect(page.locator("#restore")).to_be_hidden()

    # Offline: the autosave fails, the words are kept in the browser and offered back.
    page.route("**/entries/autosave/", lambda route: route.abort())
    body.press("Control+End")
    body.press_sequentially(" And then?")
    page.clock.fast_forward(AUTOSAVE_MS)
    expect(page.locator("#save-status")).to_contain_text("kept in this browser")
    page.reload()
    restore = page.locator("#restore")
    expect(restore).to_be_visible()
    expect(body).not_to_have_value(re.compile("And then"))
    page.unroute("**/entries/autosave/")
    restore.get_by_role("button", name="Restore it").click()
    expect(body).to_have_value(re.compile(r"And then\?$"))
    expect(page.locator("#word-count")).to_have_text("12 words")
    page.clock.fast_forward(AUTOSAVE_MS)
    expect(page.locator("#save-status")).to_contain_text("Draft saved")

    page.get_by_role("button", name="Save", exact=True).click()
    expect(heading(page, "A question that landed")).to_be_visible()
    page.get_by_role("link", name="My facilitator log").click()
    expect(page.get_by_text("12 words of 1,500–7,000")).to_be_visible()
    entries = page.locator(
        "section", has=page.get_by_role("heading", name="Questions and questioning")
    )
    expect(entries.get_by_role("link", name="A question that landed")).to_be_visible()
    expect(entries.get_by_text("Draft")).to_have_count(0)

    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    entries.get_by_role("link", name="A question that landed").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.locator("#preview strong")).to_have_text("success")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


# --- sharing a learning log with an assessor ---------------------------------------------------


def test_owner_shares_her_log_and_the_assessor_accepts_and_comments(browsing, sign_in, demo):
    log_path = _fran_log()(demo)
    fran = browsing.new_page()
    sign_in(fran, "fran")
    fran.goto(log_path)
    fran.get_by_role("link", name="Sharing").click()
    expect(heading(fran, "Sharing")).to_be_visible()
    mail.outbox.clear()
    fran.get_by_label("Their e-mail address").fill(demo.email("nia"))
    fran.get_by_label("Assessor").check()
    fran.get_by_role("button", name="Send the invitation").click()
    expect(fran.get_by_role("status")).to_contain_text(f"Invitation sent to {demo.email('nia')}")
    expect(fran.locator("li.share").filter(has_text="Pending")).to_have_count(1)
    links = re.findall(r"https?://\S+/journal/shared/\S+/", mail.outbox[-1].body)
    assert len(links) == 1, mail.outbox[-1].body

    nia = browsing.new_page()  # a second browser context
    sign_in(nia, "nia")
    nia.goto(links[0])
    nia.get_by_role("button", name="Accept and read the log").click()
    expect(nia).to_have_url(re.compile(re.escape(log_path) + "$"))
    expect(nia.get_by_text("Half a thought")).to_have_count(0)  # the draft stays private
    expect(nia.get_by_role("link", name="New entry")).to_have_count(0)
    nia.get_by_role("link", name="Meeting one").click()
    nia.get_by_label("Your comment for").fill("What did the quiet start tell you?")
    nia.get_by_role("button", name="Comment").click()
    expect(nia.locator("#comments")).to_contain_text("What did the quiet start tell you?")

    fran.goto(log_path)
    expect(fran.get_by_text("Shared with Nia")).to_be_visible()
    fran.get_by_role("link", name="Meeting one").click()
    comments = fran.locator("#comments")
    expect(comments).to_contain_text("What did the quiet start tell you?")
    expect(comments).to_contain_text("Assessor")
    fran.get_by_label("Reply or add a note").fill("That they were thinking.")
    fran.get_by_role("button", name="Reply").click()
    expect(comments).to_contain_text("That they were thinking.")


# --- learning logs: a sketch drawn with the mouse, saved as a PNG and attached to the entry -------


def test_author_draws_a_sketch_and_sees_it_attached(page, sign_in, demo):
    sign_in(page, "fran")
    page.goto(_fran_log("editor")(demo))
    canvas = page.locator("canvas.sketch-canvas")
    canvas.scroll_into_view_if_needed()
    save = page.get_by_role("button", name="Save sketch")
    expect(save).to_be_disabled()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(box["x"] + 40 + step * 25, box["y"] + 40 + step * 10)
    page.mouse.up()
    expect(save).to_be_enabled()
    page.get_by_label("Thick").check()
    page.get_by_label("Sketch description").fill("Our set as four circles")
    save.click()
    attachments = page.locator("#attachments")
    expect(attachments.get_by_role("img", name="Our set as four circles")).to_be_visible()
    expect(attachments).to_contain_text("Sketch saved")
    expect(save).to_be_disabled()  # the pad is clear for the next one
    attachments.get_by_role("button", name="Insert into text").click()
    expect(page.get_by_label("Entry", exact=True)).to_have_value(
        re.compile(r"!\[Our set as four circles\]\(/journal/attachments/\d+/\)")
    )
    expect(page.locator("#preview img[alt='Our set as four circles']")).to_be_visible()


# --- from the meeting to the log: "Add to my log" copies only one's own words ----------------


def test_member_adds_a_closed_meeting_to_his_log_with_only_his_own_words(page, sign_in, demo):
    from revans.accounts.models import User
    from revans.actions.models import Action
    from revans.meetings.models import Meeting

    # Aurora's meeting 3 (Dev presented) is closed and mo has not written about it yet; in it mo
    # asked questions and now commits an action, and so did others.
    meeting = Meeting.objects.get(set_id=demo.aurora_id, number=3)
    mo, tom = (User.objects.get(email=demo.email(key)) for key in ("mo", "tom"))
    mine = "Shadow my own duty manager for a morning"
    Action.objects.create(set=meeting.set, owner=mo, text=mine, committed_in=meeting)
    Action.objects.create(set=meeting.set, owner=tom, text="Tom's own action", committed_in=meeting)
    toms_question = meeting.questions.filter(asker=tom).first().text
    theirs = [toms_question, "Tom's own action", "Shadow a repairs operative"]
    reflect_card = page.get_by_role("heading", name="Reflect on meeting 3 of Aurora")

    sign_in(page, "mo")
    card = page.locator("section.reflect", has=reflect_card)
    expect(card).to_be_visible()
    card.get_by_role("link", name="Add to my log").click()
    expect(heading(page, "Add meeting 3 to my log")).to_be_visible()
    expect(page.get_by_text("1 action you committed to")).to_be_visible()
    # mo already keeps "My set journal": a new one would not be mistaken for it.
    expect(page.get_by_label("A new log: “My set journal (2)”")).to_be_visible()
    page.get_by_label("My set journal", exact=True).check()
    page.get_by_role("button", name="Add to my log").click()

    expect(page).to_have_url(re.compile(r"/journal/entries/\d+/edit/$"))
    body = page.get_by_label("Entry", exact=True)
    expect(body).to_have_value(re.compile(re.escape(mine)))
    expect(body).to_have_value(re.compile("What happens in the hour before an operative"))
    for words in theirs:
        expect(body).not_to_have_value(re.compile(re.escape(words)))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(heading(page, "Aurora, meeting 3")).to_be_visible()

    page.goto("/dashboard/")
    expect(heading(page, "My sets")).to_be_visible()
    expect(reflect_card).to_have_count(0)
