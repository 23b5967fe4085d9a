"""What the live room shows from Revans' guide (``revans.guide``): a link to the guide's page on
each phase and on each technique, the guide's words on how action learning works for a taster
meeting, and the ground rules a set may start from when it writes its own."""

import json

from django.utils.safestring import SafeString

from revans.guide.pages import PHASE_LINKS, TECHNIQUE_LINKS, link_url, page, phase_url

from .machine import PHASE_TITLES, PHASES

# A taster's own phases, each with its section of the guide's first-meeting page.
TASTER_LINKS = {
    "check_in": ("first-meeting", "introductions", "About the introductions"),
    "how_it_works": ("first-meeting", "how-it-works", "About explaining action learning"),
    "practice": ("first-meeting", "practice-round", "About the practice round"),
    "ground_rules": ("first-meeting", "ground-rules", "About developing ground rules"),
    "dates": ("first-meeting", "next-dates", "About choosing the next dates"),
}

# Rules many sets adopt, offered as a start: each becomes a proposal like any other.
STARTER_RULES = (
    "What is said in the set stays in the set.",
    "The presenter owns the problem: we ask rather than advise.",
    "One person speaks at a time; phones away.",
    "We come to every meeting, on time, or send apologies.",
    "It is fine to pass, and fine to say \u201cI don't know\u201d.",
    "We do what we commit to, or say next time why we did not.",
)


def phase_links(taster: bool) -> str:
    """The guide's page for each phase of the room, as JSON for ``room.js``: ``{phase: {url,
    text}}``; a taster's check-in links to its introductions. ``techniques`` names the page
    whose sections explain each technique."""
    links = dict(PHASE_LINKS)
    links.update({k: v for k, v in TASTER_LINKS.items() if taster or k != "check_in"})
    shown = {
        phase: {"url": link_url(slug, anchor), "text": text}
        for phase, (slug, anchor, text) in links.items()
        if phase != "taster"
    }
    slug, anchor, _ = TECHNIQUE_LINKS["force_field"]
    shown["techniques"] = {"url": link_url(slug, anchor), "text": "Techniques"}
    return json.dumps(shown)


def how_it_works() -> SafeString:
    """The guide's words on what action learning is, shown to the whole set in a taster."""
    what = page("what-is-action-learning")
    assert what is not None  # shipped with Revans; a test reads every link
    return what.section_html("what-it-is")


def meeting_shape() -> list[tuple[str, str]]:
    """The phases of every later meeting, each with its page of the guide: (title, link)."""
    return [(PHASE_TITLES[phase], phase_url(phase)) for phase in PHASES]


def starter_rules() -> str:
    return json.dumps(STARTER_RULES)
