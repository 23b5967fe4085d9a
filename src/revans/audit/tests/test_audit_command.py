"""``revans audit``: the log for operators without the admin, newest first, filtered by time,
action and actor; wrong filters get a clear message."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from revans.audit.models import Action, Via
from revans.audit.services import event, record, record_all


def audit(*args) -> list[str]:
    out = io.StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def events(world):
    old = event(world.mo, Action.EXPORT, world.aurora, format="pdf")
    old.at = timezone.now() - timedelta(days=10)
    record_all([old])
    record(world.fran, Action.MEMBERSHIP_ROLE, world.aurora, person=world.obi.pk, role="member")
    record(world.fran, Action.MEMBERSHIP_REMOVED, world.aurora, person=world.mo.pk, role="member")
    record(None, Action.BACKUP, via=Via.COMMAND, files=3)


def test_it_prints_every_event_newest_first(world, events):
    lines = audit()
    assert len(lines) == 4
    assert lines[0].split("  ")[1:] == ["Revans", "command", "backup", "—", "files=3"]
    assert (
        f"Fran (#{world.fran.pk})  web  membership.removed  sets.set #{world.aurora.pk}"
        in (lines[1])
    )
    assert f"person={world.mo.pk} role=member" in lines[1]
    assert lines[3].endswith(
        f"Mo (#{world.mo.pk})  web  export  sets.set #{world.aurora.pk}  format=pdf"
    )


def test_filters_by_time_action_and_actor(world, events):
    assert len(audit("--since", "2d")) == 3
    assert len(audit("--since", (timezone.localdate() - timedelta(days=20)).isoformat())) == 4
    assert len(audit("--since", "48h")) == 3
    membership = audit("--action", "membership")
    assert len(membership) == 2 and all("membership." in line for line in membership)
    assert len(audit("--action", "export")) == 1
    assert len(audit("--actor", str(world.fran.pk))) == 2
    assert len(audit("--limit", "1")) == 1
    assert audit("--actor", str(world.nia.pk)) == ["No audit events match."]


def test_a_former_member_is_named_so(world, events):
    mo = world.mo.pk
    world.mo.delete()
    assert f"A former member (#{mo})" in audit("--action", "export")[0]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--since", "last tuesday"], "--since takes a date"),
        (["--since", "2026-13-45"], "--since takes a date"),
        (["--action", "exports"], "No action 'exports'"),
        (["--actor", "mo@example.org"], "--actor takes a person's id"),
        (["--limit", "0"], "--limit takes a number"),
    ],
)
def test_wrong_filters_get_a_clear_message(events, args, message):
    with pytest.raises(CommandError, match=message):
        audit(*args)
