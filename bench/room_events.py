"""What the live room stores and sends per change: events carry only the sections their
command changed, against the whole room (the baseline, as every event was until now).

    .venv/bin/python bench/room_events.py [--notes 300] [--questions 100] [--canvas 60]

A throwaway SQLite database in demo mode: a set of a facilitator and seven members, one meeting
taken through check-in and bidding to a presenter's questions (QUESTIONS questions; meanwhile
the presenter opens an options matrix and a SWOT, and the members make CANVAS edits to them:
notes added, weighted and scored), then to the process review, where members write NOTES review
notes. For each kind of command it prints the
bytes of the events as stored and sent, and the bytes the whole room would have been at the same
moment (measured in the same run by building the full snapshot after each command). One JSON
line per kind, then the totals.
"""

import argparse
import json
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ["REVANS_MODE"] = "demo"
os.environ["REVANS_DATA_DIR"] = tempfile.mkdtemp(prefix="revans-bench-")
os.environ["DJANGO_SETTINGS_MODULE"] = "revans.settings"
os.environ.pop("DATABASE_URL", None)

import django

django.setup()

from django.core.management import call_command
from django.utils import timezone

from revans.accounts.models import User
from revans.meetings.models import Meeting, MeetingFormat, Room, RoomEvent, Technique
from revans.meetings.room.services import apply, open_room
from revans.meetings.room.state import snapshot
from revans.sets.models import Membership, Role, Set


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=300)
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--canvas", type=int, default=60)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    set_ = Set.objects.create(name="Bench", place="Room 1")
    people = []
    for n in range(8):
        person = User.objects.create_user(email=f"p{n}@example.org", display_name=f"Person {n}")
        role = Role.FACILITATOR if n == 0 else Role.MEMBER
        Membership.objects.create(set=set_, user=person, role=role)
        people.append(person)
    chair, presenter, members = people[0], people[1], people[1:]
    meeting = Meeting.objects.create(
        set=set_,
        number=1,
        starts_at=timezone.now(),
        time_zone="Europe/London",
        duration_minutes=60,
        format=MeetingFormat.objects.shipped().get(slug="one_hour"),
    )
    room = open_room(meeting)
    sizes: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # count, sent, whole room

    def run(who, name, **command_args) -> None:
        message = apply(meeting.pk, who, name, command_args).event
        whole = snapshot(
            Room.objects.select_related("meeting__set", "meeting__format").get(pk=room.pk)
        )
        row = sizes[name]
        row[0] += 1
        row[1] += len(json.dumps(message))
        row[2] += len(json.dumps({**message, "state": whole}))

    run(chair, "go_to", stage="bidding")
    run(presenter, "bid", headline="Two teams, one service")
    run(chair, "order_bids", presenters=[presenter.pk])
    run(chair, "go_to", stage=f"airtime:{presenter.pk}:questions")
    for i in range(args.questions):
        run(members[1 + i % 6], "question", text=f"What would change for you if it worked, {i}?")
    run(presenter, "open_technique", kind="options_matrix")
    run(presenter, "open_technique", kind="swot")
    matrix, swot = Technique.objects.filter(meeting=meeting).order_by("pk")
    zones = ("strengths", "weaknesses", "opportunities", "threats")
    for i in range(args.canvas):
        who = members[1 + i % 6]
        if i < 6:  # three options and three criteria, then weights and scores, then the SWOT
            zone = "options" if i < 3 else "criteria"
            run(who, "technique", technique=matrix.pk, op="add", zone=zone, text=f"{zone} {i}")
        elif i < 9:
            run(who, "technique", technique=matrix.pk, op="edit", item=i - 2, score=1 + i % 5)
        elif i < 18:
            option, criterion = 1 + (i - 9) // 3, 4 + (i - 9) % 3
            run(
                who,
                "technique",
                technique=matrix.pk,
                op="score",
                option=option,
                criterion=criterion,
                value=i % 6,
            )
        else:
            run(who, "technique", technique=swot.pk, op="add", zone=zones[i % 4], text=f"Note {i}")
    run(chair, "go_to", stage="process_review")
    for i in range(args.notes):
        run(members[i % 7], "review_note", text=f"Note {i}: we listened better than last time.")
    stored = sum(len(json.dumps(e.payload)) for e in RoomEvent.objects.filter(meeting=meeting))
    for name, (count, sent, whole) in sizes.items():
        print(
            json.dumps({"command": name, "events": count, "bytes": sent, "whole_room_bytes": whole})
        )
    total_sent = sum(r[1] for r in sizes.values())
    total_whole = sum(r[2] for r in sizes.values())
    print(
        json.dumps(
            {
                "events": sum(r[0] for r in sizes.values()),
                "bytes": total_sent,
                "whole_room_bytes": total_whole,
                "ratio": round(total_whole / total_sent, 1),
                "stored_payload_bytes": stored,
            }
        )
    )


if __name__ == "__main__":
    main()
