"""Questioning insight: the set's question mix per meeting and over time, each person's own series
for them alone, powerful questions as examples, and the mix in a meeting's summary."""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.coach import classify
from revans.meetings import insight, testing
from revans.meetings.insight import LABEL_NAMES, Mix, build, for_set, label_of
from revans.meetings.models import Meeting, Question
from revans.meetings.room.summary import build_summary, mix_text, summary_markdown, summary_pdf
from revans.sets.models import Membership
from revans.site.testing import make_person

# --- fixtures -------------------------------------------------------------------------------


def make_meeting(set_, number: int, days: float, status=Meeting.Status.CLOSED, **fields):
    """Closed unless told otherwise: most of these meetings have their questions."""
    return testing.make_meeting(set_, number, days, status=status, **fields)


def ask(meeting, asker, text, label, presenter, powerful=False):
    return Question.objects.create(
        meeting=meeting,
        presenter=presenter,
        asker=asker,
        text=text,
        label=label,
        powerful=powerful,
    )


# No label's name ("open", "closed", "leading", "advice") appears in these texts, so that a
# label shown beside one of them can be told from the words of the question.
LEGACY = "What is the story you tell yourself about this?"


@pytest.fixture
def aurora(world):
    """Aurora's two closed meetings with questions from mo and fran (distinct names), one meeting
    under way, one to come, and a Beacon meeting; pat presents."""
    world.fran.display_name = "Frances Quill"
    world.fran.save(update_fields=["display_name"])
    world.mo.display_name = "Morgan Vale"
    world.mo.save(update_fields=["display_name"])
    pat = make_person("pat", display_name="Pat Presenter")
    Membership.objects.create(set=world.aurora, user=pat)
    first = make_meeting(world.aurora, 1, days=-30)
    second = make_meeting(world.aurora, 2, days=-7)
    live = make_meeting(world.aurora, 3, days=-0.01, status=Meeting.Status.LIVE)
    make_meeting(world.aurora, 4, days=21, status=Meeting.Status.SCHEDULED)
    make_meeting(world.aurora, 5, days=-14, status=Meeting.Status.CANCELLED)
    ask(first, world.mo, "What would success look like for you?", "open", pat)
    ask(first, world.mo, "Did you ask HR first?", "closed", pat)
    ask(first, world.fran, "Have you tried a rota swap?", "advice", pat, powerful=True)
    ask(first, world.fran, "What matters most to you here?", "open", pat, powerful=True)
    ask(first, world.fran, LEGACY, "", pat)  # asked before the coach labelled questions
    ask(second, world.mo, "How might the teams see it?", "open", pat, powerful=True)
    ask(second, world.fran, "Surely the rota is the real trouble, isn't it?", "leading", pat)
    ask(second, world.fran, "I would just tell them.", "statement", pat)
    ask(live, world.fran, "What is happening right now?", "open", pat)
    beacon = make_meeting(world.beacon, 1, days=-7)
    ask(beacon, world.oli, "What does Beacon want?", "open", world.gus)
    return {"first": first, "second": second, "live": live, "pat": pat}


def url(world) -> str:
    return reverse("set_questioning", args=[world.aurora.pk])


def page(world, who) -> str:
    response = world.client(who).get(url(world))
    assert response.status_code == 200
    return response.content.decode()


# --- the computations -----------------------------------------------------------------------


def test_the_open_share_leaves_statements_out():
    mix = Mix.of(["open", "open", "closed", "advice", "statement", "leading"])
    assert (mix.open, mix.closed, mix.leading, mix.advice, mix.statement) == (2, 1, 1, 1, 1)
    assert (mix.counted, mix.asked) == (5, 6)
    assert mix.open_share == 40
    assert mix.as_dict() == {
        "open": 2,
        "closed": 1,
        "leading": 1,
        "advice": 1,
        "statement": 1,
        "asked": 6,
        "counted": 5,
        "open_share": 40,
    }


def test_the_share_rounds_halves_up_as_people_do():
    assert Mix(open=5, closed=3).open_share == 63
    assert Mix(open=1, closed=7).open_share == 13
    assert Mix(open=1, closed=2).open_share == 33


def test_with_no_questions_there_is_no_share():
    assert Mix().open_share is None
    assert Mix.of(["statement"]).open_share is None


def test_a_label_the_coach_may_add_one_day_stays_out_of_the_share():
    mix = Mix.of(["open", "rhetorical"])
    assert (mix.statement, mix.open_share) == (1, 100)


def test_a_question_without_a_label_gets_the_coachs_label_now():
    assert label_of("closed", "What would success look like?") == "closed"  # the stored one
    assert (
        label_of("", "Have you tried delegating it?")
        == classify("Have you tried delegating it?").label
    )


def test_build_counts_each_meeting_and_the_persons_own_questions_only():
    first, second = Meeting(pk=1, number=1), Meeting(pk=2, number=2)
    first.starts_at = timezone.now() - timedelta(days=30)
    second.starts_at = timezone.now() - timedelta(days=7)
    rows = [
        (1, 10, "open", "a?", False),
        (1, 11, "closed", "b?", True),
        (2, 10, "open", "c?", True),
        (2, 10, "advice", "d?", False),
        (2, 11, "open", "e?", False),
        (3, 10, "open", "a meeting not over yet?", False),
    ]
    result = build([first, second], rows, person_id=10)
    assert [p.mix.open_share for p in result.points] == [50, 67]
    assert [p.mix.counted for p in result.points] == [2, 3]
    assert [p.mix.open_share for p in result.mine] == [100, 50]
    assert [p.set_share for p in result.mine] == [50, 67]
    assert [(q.text, q.label) for q in result.my_questions] == [
        ("a?", "open"),
        ("c?", "open"),
        ("d?", "advice"),
    ]
    assert [q.text for q in result.powerful] == ["c?", "b?"]  # newest meeting first
    assert all(q.label == "" for q in result.powerful)  # examples carry no label
    assert (result.total.counted, result.my_total.counted) == (5, 3)


def test_someone_who_asked_nothing_has_an_empty_series():
    meeting = Meeting(pk=1, number=1, starts_at=timezone.now())
    result = build([meeting], [(1, 10, "open", "a?", False)], person_id=99)
    assert result.my_total.asked == 0
    assert result.my_points == []
    assert result.mine[0].mix.open_share is None


def test_the_sets_series_has_its_past_meetings_only(world, aurora):
    result = for_set(world.aurora, world.mo)
    assert [p.meeting.number for p in result.points] == [1, 2]  # not live, later or cancelled
    expected_first = Mix.of(["open", "closed", "advice", "open", classify(LEGACY).label])
    assert result.points[0].mix == expected_first
    assert result.points[1].mix == Mix(open=1, leading=1, statement=1)
    assert result.points[1].mix.open_share == 50
    assert [p.mix.open_share for p in result.mine] == [50, 100]
    assert [q.text for q in result.powerful] == [
        "How might the teams see it?",
        "Have you tried a rota swap?",
        "What matters most to you here?",
    ]


def test_a_meeting_closed_before_its_planned_end_counts(world):
    early = make_meeting(world.aurora, 1, days=-0.01)  # closed ten minutes into the hour
    ask(early, world.mo, "What now?", "open", world.fran)
    assert [p.meeting for p in for_set(world.aurora, world.mo).points] == [early]


@pytest.mark.parametrize("who", ["pam", "oli", "nia"])
def test_people_outside_the_set_read_no_questions(world, aurora, who):
    person = getattr(world, who)
    assert not Question.objects.visible_to(person).filter(meeting__set=world.aurora).exists()
    assert for_set(world.aurora, person).total.asked == 0


@pytest.mark.parametrize("who", ["mo", "obi", "fran"])
def test_people_in_the_set_read_its_questions_and_no_others(world, aurora, who):
    visible = Question.objects.visible_to(getattr(world, who))
    assert visible.filter(meeting__set=world.aurora).count() == 9
    assert not visible.filter(meeting__set=world.beacon).exists()


def test_anonymous_visitors_read_no_questions(world, aurora):
    from django.contrib.auth.models import AnonymousUser

    assert not Question.objects.visible_to(AnonymousUser()).exists()


def test_the_insight_takes_two_queries_however_many_meetings(
    world, aurora, django_assert_num_queries
):
    """Guards against N+1 queries as a set holds more meetings."""
    with django_assert_num_queries(2):
        for_set(world.aurora, world.mo)
    for number in range(6, 16):
        meeting = make_meeting(world.aurora, number, days=-40 - number)
        ask(meeting, world.mo, "What else?", "open", aurora["pat"], powerful=True)
        ask(meeting, world.fran, "Is that all?", "", aurora["pat"])
    with django_assert_num_queries(2):
        result = for_set(world.aurora, world.mo)
    assert len(result.points) == 12


# The page: session, user, set, membership, programme managers, meetings, questions.
QUERIES = 7


def test_the_page_query_count_does_not_grow_with_meetings(world, aurora, django_assert_num_queries):
    """Guards against N+1 queries on the page as a set holds more meetings."""
    client = world.client(world.mo)
    client.get(url(world))  # the session and the user, once
    with django_assert_num_queries(QUERIES):
        client.get(url(world))
    for number in range(6, 16):
        meeting = make_meeting(world.aurora, number, days=-40 - number)
        ask(meeting, world.mo, "What else?", "open", aurora["pat"], powerful=True)
    with django_assert_num_queries(QUERIES):
        assert client.get(url(world)).status_code == 200


def test_the_programmes_figure_per_set_needs_five_questions(world, aurora):
    figures = insight.open_share_by_set([world.aurora.pk, world.beacon.pk])
    assert set(figures) == {world.aurora.pk}  # Beacon has one question: too few to show
    assert figures[world.aurora.pk].counted == 7


def test_the_programmes_figure_leaves_out_meetings_under_way_and_cancelled(world, aurora):
    live = Meeting.objects.get(set=world.aurora, number=3)
    cancelled = Meeting.objects.get(set=world.aurora, number=5)
    for meeting in (live, cancelled):
        for _ in range(3):
            ask(meeting, world.mo, "What else could be true?", "open", aurora["pat"])
    figures = insight.open_share_by_set([world.aurora.pk])
    assert figures[world.aurora.pk].counted == 7  # as before: neither meeting is over


# --- the page -------------------------------------------------------------------------------


class Blocks(HTMLParser):
    """A page's visible text, and the text of each list item, table row, paragraph and heading
    (a block includes the blocks inside it); script contents apart."""

    BLOCKS = {"li", "tr", "p", "dd", "dt", "caption", "summary", "h1", "h2", "h3", "td", "th"}

    def __init__(self, html: str) -> None:
        super().__init__()
        self.stack: list[tuple[str, list[str]]] = []
        self.blocks: list[str] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self.in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.in_script = True
        if tag in self.BLOCKS:
            self.stack.append((tag, []))

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False
        if tag in self.BLOCKS:
            while self.stack:
                name, parts = self.stack.pop()
                self.blocks.append(" ".join(" ".join(parts).split()))
                if name == tag:
                    break

    def handle_data(self, data):
        if self.in_script:
            self.scripts.append(data)
            return
        self.text.append(data)
        for _, parts in self.stack:
            parts.append(data)

    def containing(self, words: str) -> list[str]:
        return [b for b in self.blocks if words in b]

    @property
    def page_text(self) -> str:
        return " ".join(" ".join(self.text).split())


LABEL_WORDS = re.compile(
    r"\b(" + "|".join(re.escape(n) for n in LABEL_NAMES.values()) + r")\b", re.IGNORECASE
)


def assert_no_label_beside_another_askers_question(world, html: str, viewer) -> None:
    """The real check: for every question someone else asked, each block of the page that shows
    it (its list item, its row, its paragraph) carries no label and no name, and no other
    asker's name is anywhere on the page. The viewer's own questions are the control: they do
    show a label, so the check can see one."""
    page = Blocks(html)
    others = Question.objects.filter(meeting__set=world.aurora).exclude(asker=viewer)
    seen = 0
    for question in others.select_related("asker"):
        assert question.asker.display_name not in page.page_text
        for block in page.containing(question.text):
            seen += 1
            assert not LABEL_WORDS.search(block.replace(question.text, "")), block
            assert question.asker.display_name not in block
    assert seen, "the check saw none of the others' questions: it would pass on any page"
    for script in page.scripts:
        for question in Question.objects.filter(meeting__set=world.aurora):
            assert question.text not in script  # the chart's figures carry no question
    own = Question.objects.filter(meeting__set=world.aurora, asker=viewer, meeting__number=1)
    for question in own:
        assert any(
            LABEL_WORDS.search(b.replace(question.text, "")) for b in page.containing(question.text)
        )


@pytest.mark.parametrize("who", ["mo", "obi", "fran"])
def test_people_in_the_set_see_the_sets_chart_and_table(world, aurora, who):
    html = page(world, getattr(world, who))
    assert "<h1>Questioning</h1>" in html
    assert 'data-chart="set-chart"' in html and 'role="img"' in html
    assert 'id="set-chart" type="application/json"' in html
    assert "revans/vendor/chart.umd.min.js" in html and "revans/insight.js" in html
    data = json.loads(re.search(r'id="set-chart" type="application/json">(.*?)</script>', html)[1])
    share_one = Mix.of(["open", "closed", "advice", "open", classify(LEGACY).label]).open_share
    assert data["series"][0]["values"] == [share_one, 50]
    assert data["labels"][1][0] == "Meeting 2"
    table = Blocks(html)
    assert "The set's questions at each meeting" in table.blocks
    row_two = next(b for b in table.blocks if b.startswith("Meeting 2 ") and b.endswith("%"))
    assert row_two.split()[-7:] == ["2", "1", "0", "1", "0", "1", "50%"]
    assert "Powerful questions" in html
    for powerful in ("How might the teams see it?", "Have you tried a rota swap?"):
        assert powerful in html
    assert "What the labels mean" in html
    assert "What does Beacon want?" not in html  # another set's question
    assert "What is happening right now?" not in html  # a meeting still under way


def test_your_questions_are_for_you_alone(world, aurora):
    mo_html = page(world, world.mo)
    assert "Your questions" in mo_html and "Only you see this." in mo_html
    assert 'data-chart="my-chart"' in mo_html
    assert "Did you ask HR first?" in mo_html  # his own, with its label
    assert "Surely the rota is the real trouble" not in mo_html  # fran's, not powerful
    fran_html = page(world, world.fran)
    assert "Did you ask HR first?" not in fran_html
    assert "Surely the rota is the real trouble" in fran_html
    obi_html = page(world, world.obi)  # asked nothing
    assert "Your questions" not in obi_html and 'data-chart="my-chart"' not in obi_html


@pytest.mark.parametrize("who", ["mo", "fran", "obi"])
def test_no_label_is_shown_beside_another_askers_question(world, aurora, who):
    viewer = getattr(world, who)
    html = page(world, viewer)
    if who == "obi":  # asked nothing: every question is someone else's
        page_blocks = Blocks(html)
        assert not any(
            LABEL_WORDS.search(b.replace(q.text, ""))
            for q in Question.objects.filter(meeting__set=world.aurora)
            for b in page_blocks.containing(q.text)
        )
        return
    assert_no_label_beside_another_askers_question(world, html, viewer)


@pytest.mark.parametrize("who", ["pam", "oli", "nia"])
def test_people_outside_the_set_get_404(world, aurora, who):
    response = world.client(getattr(world, who)).get(url(world))
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(world, aurora):
    response = world.client(None).get(url(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_missing_set_gets_the_same_404(world):
    response = world.client(world.mo).get(reverse("set_questioning", args=[999999]))
    assert response.status_code == 404


def test_before_any_meeting_the_page_says_so_and_loads_no_chart(world):
    html = page(world, world.mo)
    assert "No meeting is over yet" in html
    assert "chart.umd.min.js" not in html and "<canvas" not in html
    assert "None yet." in html  # no powerful questions


def test_meetings_without_questions_say_how_questions_are_captured(world):
    make_meeting(world.aurora, 1, days=-7)
    html = page(world, world.mo)
    assert "No questions captured yet" in html
    assert "<canvas" not in html


def test_question_text_is_escaped(world, aurora):
    ask(aurora["second"], world.fran, "<script>alert(1)</script>?", "open", aurora["pat"], True)
    html = page(world, world.mo)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;?" in html


def test_the_set_page_links_to_the_questioning_for_people_in_the_set(world):
    link = reverse("set_questioning", args=[world.aurora.pk])
    set_page = reverse("set_detail", args=[world.aurora.pk])
    assert link in world.client(world.mo).get(set_page).content.decode()
    assert link not in world.client(world.pam).get(set_page).content.decode()


def test_the_programme_manager_sees_one_figure_per_set_and_no_question(world, aurora):
    html = world.client(world.pam).get(world.programme.get_absolute_url()).content.decode()
    share = insight.open_share_by_set([world.aurora.pk])[world.aurora.pk].open_share
    assert f"Open questions: {share}% of 7" in html
    for question in Question.objects.all():
        assert question.text not in html


# --- the meeting's summary ------------------------------------------------------------------


def test_the_summary_keeps_the_meetings_question_mix(world, aurora):
    summary = build_summary(aurora["second"])
    assert summary["question_mix"] == {
        "open": 1,
        "closed": 0,
        "leading": 1,
        "advice": 0,
        "statement": 1,
        "asked": 3,
        "counted": 2,
        "open_share": 50,
    }
    assert "Frances" not in json.dumps(summary["question_mix"])


def test_the_mix_in_words():
    mix = Mix(open=3, closed=1, advice=1, statement=1).as_dict()
    assert mix_text(mix) == (
        "Question mix: 3 open, 1 closed, 0 leading, 1 advice, 1 not a question; "
        "60% of the questions were open."
    )
    assert mix_text(Mix().as_dict()) == ""
    assert mix_text(None) == ""  # a summary made before the mix was kept


def closed_with_summary(aurora):
    meeting = aurora["second"]
    meeting.summary = build_summary(meeting)
    meeting.save(update_fields=["summary"])
    return meeting


def test_markdown_and_pdf_carry_the_mix(world, aurora):
    meeting = closed_with_summary(aurora)
    text = summary_markdown(meeting)
    assert (
        "3 asked, 1 marked powerful.\n\nQuestion mix: 1 open, 0 closed, 1 leading, 0 advice, "
        "1 not a question; 50% of the questions were open.\n\n## Process review"
    ) in text
    assert summary_pdf(meeting).startswith(b"%PDF")


def test_the_summary_email_carries_the_mix(world, aurora, mailoutbox):
    from revans.meetings.room.summary import send_summary

    meeting = closed_with_summary(aurora)
    send_summary(meeting.pk)
    assert "50% of the questions were open" in mailoutbox[0].body


@pytest.mark.parametrize("who", ["mo", "obi", "fran"])
def test_the_meeting_page_shows_its_mix_to_the_set(world, aurora, who):
    meeting = closed_with_summary(aurora)
    html = world.client(getattr(world, who)).get(meeting.get_absolute_url()).content.decode()
    assert "<strong>1</strong> open" in html and "<strong>1</strong> leading" in html
    assert "<strong>1</strong> not a question" in html
    assert "50% of the questions were open." in html
    assert reverse("set_questioning", args=[world.aurora.pk]) in html


def test_the_programme_manager_sees_no_mix_on_the_meeting_page(world, aurora):
    meeting = closed_with_summary(aurora)
    html = world.client(world.pam).get(meeting.get_absolute_url()).content.decode()
    assert "questions were open" not in html
    assert reverse("set_questioning", args=[world.aurora.pk]) not in html


def test_an_older_summary_without_the_mix_shows_it_worked_out_now(world, aurora):
    meeting = aurora["second"]
    meeting.summary = {"meeting": 2, "set": "Aurora", "questions": 3, "powerful": 1}
    meeting.save(update_fields=["summary"])
    html = world.client(world.mo).get(meeting.get_absolute_url()).content.decode()
    assert "50% of the questions were open." in html


# --- the demo -------------------------------------------------------------------------------


def test_the_demo_sets_questions_grow_more_open_and_load_once(db):
    from revans.sets.models import Set
    from revans.site.demo import load_demo

    load_demo()
    count = Question.objects.count()
    load_demo()
    assert Question.objects.count() == count
    aurora = Set.objects.get(name="Aurora")
    fran = aurora.memberships.get(role="facilitator").user
    result = for_set(aurora, fran)
    shares = [p.mix.open_share for p in result.points]
    assert len(shares) >= 3 and shares == sorted(shares) and shares[0] < shares[-1]
    assert all(p.mix.counted >= 5 for p in result.points)
    assert not Question.objects.filter(label="").exists()  # labelled by the coach when made
    askers = Question.objects.filter(meeting__set=aurora).values("asker").distinct().count()
    assert askers >= 5
    assert len(result.powerful) >= 3
