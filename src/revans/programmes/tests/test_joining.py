"""Joining open sets: the programme's managers open sets; the people taking part in the
programme see them (never members' names) and ask to join; the set's facilitator or a manager
accepts (a membership and its recorded change, through sets.services) or declines. A manager
never joins this way, whoever accepts (architecture.md §4)."""

import pytest
from django.urls import reverse

from revans.accounts.models import Organisation
from revans.programmes import services
from revans.programmes.models import JoinRequest, OpenSet
from revans.sets.models import Membership, MembershipChange, Role, Set
from revans.site.testing import make_person


@pytest.fixture
def open_aurora(world):
    OpenSet.objects.create(set=world.aurora, opened_by=world.pam)
    return world.aurora


@pytest.fixture
def council_officer(world):
    """Cal works for the sponsor, Merseyvale Council, and is in no set yet."""
    return make_person("cal", world.council, display_name="Cal Jones")


def open_sets_url(world):
    return reverse("programme_open_sets", args=[world.programme.pk])


def ask(world, who, set_=None, note="I lead a team of twelve and would value a set."):
    url = reverse("join_request_create", args=[world.programme.pk, (set_ or world.aurora).pk])
    return world.client(who).post(url, {"note": note}, follow=True)


def decide(world, who, join_request, decision):
    url = reverse("join_request_decide", args=[world.programme.pk, join_request.pk])
    return world.client(who).post(url, {"decision": decision}, follow=True)


# --- who sees the open sets ------------------------------------------------------------------


def test_the_open_sets_page_shows_facts_and_never_members_names(
    world, open_aurora, council_officer
):
    response = world.client(council_officer).get(open_sets_url(world))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aurora" in html and "Fran" in html and "Town Hall" in html
    assert "Every 4 weeks" in html
    (row,) = response.context["rows"]
    assert row.seats_left == 7  # sets of up to 8, one member (mo) so far
    for hidden in ("Mo<", "Obi", world.mo.email, world.mo_issue.title, "Beacon"):
        assert hidden not in html
    assert "Ask to join Aurora" in html


def test_people_of_organisations_outside_the_programme_get_a_404(world, open_aurora):
    outsider = make_person("ola", Organisation.objects.create(name="Elsewhere Ltd"))
    nobody = make_person("noo")  # no organisation, in no set
    for person in (outsider, nobody):
        assert world.client(person).get(open_sets_url(world)).status_code == 404
        assert "is sent" not in ask(world, person).content.decode()
    assert world.client(None).get(open_sets_url(world)).status_code == 302
    assert not JoinRequest.objects.exists()
    missing = reverse("programme_open_sets", args=[999999])
    assert world.client(world.pam).get(missing).status_code == 404


def test_a_facilitators_employer_does_not_make_its_people_part_of_the_programme(world):
    """Fran's organisation supplies the facilitator; only members' organisations take part."""
    supplier = Organisation.objects.create(name="Facilitators & Co")
    world.fran.organisation = supplier
    world.fran.save()
    colleague = make_person("fay", supplier)
    assert world.client(colleague).get(open_sets_url(world)).status_code == 404
    assert world.client(world.fran).get(open_sets_url(world)).status_code == 200  # in a set


def test_closed_sets_and_sets_not_opened_are_not_listed(world, open_aurora, council_officer):
    OpenSet.objects.create(set=world.beacon)
    Set.objects.filter(pk=world.beacon.pk).update(status=Set.Status.CLOSED)
    rows = world.client(council_officer).get(open_sets_url(world)).context["rows"]
    assert [r.set.name for r in rows] == ["Aurora"]


def test_the_open_sets_page_keeps_its_queries_flat(
    world, open_aurora, council_officer, django_assert_num_queries
):
    """Guards against N+1: the same queries for one open set or thirty, each with its
    facilitator and members."""
    client = world.client(council_officer)
    client.get(open_sets_url(world))
    # session, user, programme, sets, facilitators, my memberships, my requests, managers
    with django_assert_num_queries(8):
        client.get(open_sets_url(world))
    for k in range(30):
        set_ = Set.objects.create(name=f"Open {k:02}", programme=world.programme, place="Hall")
        OpenSet.objects.create(set=set_)
        Membership.objects.create(set=set_, user=make_person(f"f{k}"), role=Role.FACILITATOR)
        Membership.objects.create(set=set_, user=make_person(f"m{k}"))
    with django_assert_num_queries(8):
        assert len(client.get(open_sets_url(world)).context["rows"]) == 31


# --- asking to join --------------------------------------------------------------------------


def test_asking_to_join_with_a_note(world, open_aurora, council_officer):
    html = ask(world, council_officer).content.decode()
    assert "Your request to join Aurora is sent" in html
    request = JoinRequest.objects.get()
    assert (request.person, request.set, request.status) == (
        council_officer,
        world.aurora,
        "pending",
    )
    assert request.note.startswith("I lead a team")
    page = world.client(council_officer).get(open_sets_url(world)).content.decode()
    assert "Your request is waiting for the facilitator" in page
    assert not Membership.objects.filter(user=council_officer).exists()


def test_asking_twice_to_a_closed_or_full_set_is_refused_with_a_clear_message(
    world, open_aurora, council_officer
):
    ask(world, council_officer)
    assert "You have already asked to join Aurora" in ask(world, council_officer).content.decode()
    assert (
        "Beacon is not open to new members."
        in ask(world, council_officer, world.beacon).content.decode()
    )
    world.programme.set_size_max = 1  # mo fills Aurora
    world.programme.save()
    assert "Aurora is full: it has no seat left." in ask(world, world.nia).content.decode()
    Set.objects.filter(pk=world.aurora.pk).update(status=Set.Status.CLOSED)
    world.programme.set_size_max = 8
    world.programme.save()
    assert "Aurora is not open to new members." in ask(world, world.nia).content.decode()
    assert JoinRequest.objects.count() == 1


def test_people_already_in_the_set_and_sets_of_other_programmes_are_refused(
    world, open_aurora, council_officer
):
    assert "You are already in Aurora." in ask(world, world.mo).content.decode()
    elsewhere = Set.objects.create(name="Elsewhere", place="Hall")
    OpenSet.objects.create(set=elsewhere)
    html = ask(world, council_officer, elsewhere).content.decode()
    assert "That set is not open to new members." in html
    assert not JoinRequest.objects.exists()


def test_a_programme_manager_cannot_ask_to_join(world, open_aurora):
    html = ask(world, world.pam).content.decode()
    assert "Pam manages this set&#x27;s programme" in html
    assert not JoinRequest.objects.exists()
    with pytest.raises(Exception, match="manages this set's programme"):
        services.do_request_join(world.aurora, world.pam, "")


def test_a_bad_note_is_refused_and_nothing_saved(world, open_aurora, council_officer):
    html = ask(world, council_officer, note="x" * 501).content.decode()
    assert "Keep the note under 500 characters." in html
    assert (
        "Null characters are not allowed."
        in ask(world, council_officer, note="\x00").content.decode()
    )
    assert not JoinRequest.objects.exists()
    url = reverse("join_request_create", args=[world.programme.pk, world.aurora.pk])
    assert world.client(council_officer).get(url).status_code == 405


# --- answering -------------------------------------------------------------------------------


@pytest.fixture
def cal_asks(world, open_aurora, council_officer):
    ask(world, council_officer)
    return JoinRequest.objects.get()


def test_the_facilitator_accepts_and_the_membership_is_recorded(world, cal_asks):
    page = world.client(world.fran).get(reverse("join_requests", args=[world.programme.pk]))
    assert "Cal Jones" in page.content.decode()
    html = decide(world, world.fran, cal_asks, "accept").content.decode()
    assert "Cal Jones joined Aurora as a member." in html
    membership = Membership.objects.get(set=world.aurora, user=cal_asks.person)
    assert membership.role == Role.MEMBER
    change = MembershipChange.objects.get(set=world.aurora, person=cal_asks.person)
    assert (change.kind, change.how, change.by) == ("joined", "request", world.fran)
    assert "Cal Jones joined as member" in change.sentence
    assert "at their request, accepted by Fran" in change.sentence
    cal_asks.refresh_from_db()
    assert (cal_asks.status, cal_asks.decided_by) == ("accepted", world.fran)
    again = decide(world, world.pam, cal_asks, "decline").content.decode()
    assert "This request has already been answered." in again


def test_a_manager_declines(world, cal_asks):
    html = decide(world, world.pam, cal_asks, "decline").content.decode()
    assert "request to join Aurora is declined" in html
    assert not Membership.objects.filter(user=cal_asks.person).exists()


def test_only_the_sets_facilitator_and_managers_see_and_answer_requests(world, cal_asks):
    url = reverse("join_requests", args=[world.programme.pk])
    for person in (world.mo, world.obi, world.nia, cal_asks.person):
        assert world.client(person).get(url).status_code == 404
        assert decide(world, person, cal_asks, "accept").status_code == 404
    # Gus facilitates Beacon in the same programme: he sees and answers Beacon's requests only.
    assert "Cal Jones" not in world.client(world.gus).get(url).content.decode()
    assert decide(world, world.gus, cal_asks, "accept").status_code == 404
    cal_asks.refresh_from_db()
    assert cal_asks.status == "pending"
    assert not Membership.objects.filter(user=cal_asks.person).exists()


def test_accepting_past_the_seats_or_after_closing_is_refused(world, cal_asks):
    world.programme.set_size_max = 1
    world.programme.save()
    html = decide(world, world.fran, cal_asks, "accept").content.decode()
    assert "Aurora is full: it has no seat left." in html
    world.programme.set_size_max = 8
    world.programme.save()
    OpenSet.objects.filter(set=world.aurora).delete()
    html = decide(world, world.fran, cal_asks, "accept").content.decode()
    assert "Aurora is not open to new members any more." in html
    assert not Membership.objects.filter(user=cal_asks.person).exists()


def test_no_manager_ever_joins_through_a_request_whoever_accepts(world, cal_asks):
    """A request made before its author became a manager, or planted in the database: a
    manager accepting her own or another manager's request is refused, and so is the
    facilitator accepting a manager's."""
    dee = make_person("dee", world.council, display_name="Dee")
    world.programme.managers.add(dee)
    planted = JoinRequest.objects.create(set=world.aurora, person=world.pam)
    own = JoinRequest.objects.create(set=world.aurora, person=dee)
    for who, request in ((world.pam, planted), (dee, own), (world.pam, own), (world.fran, own)):
        html = decide(world, who, request, "accept").content.decode()
        assert "manages this set&#x27;s programme" in html
    assert not Membership.objects.filter(user__in=[world.pam, dee]).exists()
    with pytest.raises(Exception, match="manages this set's programme"):
        from revans.sets.services import do_join_on_request

        do_join_on_request(world.aurora, world.pam, world.fran)


def test_the_sets_service_refuses_an_acceptor_who_may_not_accept(world):
    from django.core.exceptions import ValidationError

    from revans.sets.services import do_join_on_request

    for acceptor in (world.mo, world.nia, world.oli):
        with pytest.raises(ValidationError, match="accepted by the set's facilitator"):
            do_join_on_request(world.aurora, acceptor, acceptor)
    with pytest.raises(ValidationError):
        do_join_on_request(world.aurora, world.nia, world.mo)
    assert not Membership.objects.filter(user=world.nia).exists()


def test_bad_decisions_and_requests_of_other_programmes_are_refused(world, cal_asks):
    for value in ("", "yes", "\x00"):
        html = decide(world, world.fran, cal_asks, value).content.decode()
        assert "Choose to accept or to decline the request." in html
    missing = reverse("join_request_decide", args=[world.programme.pk, 999999])
    assert world.client(world.pam).post(missing, {"decision": "accept"}).status_code == 404
    url = reverse("join_request_decide", args=[world.programme.pk, cal_asks.pk])
    assert world.client(world.pam).get(url).status_code == 405
    cal_asks.refresh_from_db()
    assert cal_asks.status == "pending"


# --- opening and closing sets ----------------------------------------------------------------


def opening(world, who, set_, value):
    url = reverse("set_opening", args=[world.programme.pk, set_.pk])
    return world.client(who).post(url, {"open": value}, follow=True)


def test_a_manager_opens_and_closes_a_set_and_waiting_requests_are_declined(world, council_officer):
    html = opening(world, world.pam, world.aurora, "1").content.decode()
    assert "Aurora is open: people taking part in the programme can ask to join." in html
    assert "Open to join" in html
    ask(world, council_officer)
    html = opening(world, world.pam, world.aurora, "0").content.decode()
    assert "any still waiting were declined" in html
    assert not OpenSet.objects.exists()
    assert JoinRequest.objects.get().status == "declined"


def test_only_managers_open_sets_and_bad_input_changes_nothing(world):
    for person in (world.fran, world.mo, world.obi, world.nia):
        assert opening(world, person, world.aurora, "1").status_code == 404
    assert (
        "Choose to open the set or to close it."
        in opening(world, world.pam, world.aurora, "x").content.decode()
    )
    Set.objects.filter(pk=world.beacon.pk).update(status=Set.Status.CLOSED)
    world.beacon.refresh_from_db()
    html = opening(world, world.pam, world.beacon, "1").content.decode()
    assert "Beacon has closed: it cannot take new members." in html
    elsewhere = Set.objects.create(name="Elsewhere", place="Hall")
    assert opening(world, world.pam, elsewhere, "1").status_code == 404
    assert not OpenSet.objects.exists()


def test_the_programme_page_keeps_its_queries_with_the_joining_column(
    world, open_aurora, django_assert_max_num_queries
):
    """The open flag is read with the sets, not a query per set."""
    from .test_programme_page import QUERIES, grow, page_of

    grow(world, 30, people_per_set=2)
    OpenSet.objects.bulk_create(
        OpenSet(set=s) for s in Set.objects.filter(name__startswith="Grown")
    )
    pam = world.client(world.pam)
    page_of(world, client=pam)
    with django_assert_max_num_queries(QUERIES):
        html = page_of(world, client=pam).content.decode()
    # A page of 20: Aurora and 18 grown sets are open, Beacon is not.
    assert html.count('<span class="badge good">Open to join</span>') == 19
    assert "Requests to join" in html


# --- e-mails: the deciders hear of a request, the person hears the answer --------------------


def test_the_facilitator_and_managers_are_told_of_a_request(
    world, open_aurora, council_officer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(world, council_officer)
    assert sorted(m.to[0] for m in mailoutbox) == [world.fran.email, world.pam.email]
    message = mailoutbox[0]
    assert message.subject == "[Revans] Cal Jones asks to join Aurora"
    assert "I lead a team" in message.body
    assert reverse("join_requests", args=[world.programme.pk]) in message.body


def test_the_person_hears_the_answer(
    world, cal_asks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(world, world.fran, cal_asks, "accept")
    [welcome] = mailoutbox
    assert welcome.to == [cal_asks.person.email]
    assert welcome.subject == "[Revans] Welcome to Aurora"
    assert reverse("set_detail", args=[world.aurora.pk]) in welcome.body


def test_a_declined_or_closed_request_is_told_too(
    world, cal_asks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        opening(world, world.pam, world.aurora, "0")
    [answer] = mailoutbox
    assert answer.to == [cal_asks.person.email]
    assert "was not accepted this time" in answer.body


def test_a_refused_request_sends_nothing(
    world, open_aurora, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(world, world.pam)  # a manager never joins by request
    assert mailoutbox == []
