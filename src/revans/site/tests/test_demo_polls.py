"""The demo's date poll: Beacon's open poll with answers from most of its people."""

from revans.polls.board import board_for
from revans.polls.models import Poll
from revans.sets.models import Membership, Role
from revans.site.demo_polls import ANSWERS, TIMES, load_beacon_poll
from revans.site.testing import make_person


def test_beacon_gets_an_open_poll_once_with_most_of_its_people_answering(world):
    people = {"oli": world.oli, "gus": world.gus}
    for key in ("kate", "raj", "lena", "ben", "zoe"):
        people[key] = make_person(key, world.trust)
        Membership.objects.create(set=world.beacon, user=people[key], role=Role.MEMBER)
    poll = load_beacon_poll(world.beacon, people)
    assert poll is not None and poll.is_open and poll.created_by == world.oli
    assert load_beacon_poll(world.beacon, people) is None  # loading twice changes nothing
    assert Poll.objects.count() == 1
    board = board_for(poll, world.gus)
    assert len(board.columns) == len(TIMES) and all(not c.is_past for c in board.columns)
    assert [u.display_name for u in board.waiting] == ["Zoe"]
    assert len(board.best) == 1 and board.best[0].tally.yes == 5
    assert len(ANSWERS) == 6
