"""The audit log itself: what an event holds, facts that refuse content, and events that are
never changed or deleted, by the model nor on the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from revans.audit.models import Action, AppendOnlyError, AuditEvent, Via
from revans.audit.services import record, record_command


def test_an_event_names_its_actor_by_id_and_its_target_by_kind_and_id(world):
    made = record(world.fran, Action.EXPORT, world.aurora, format="pdf", set=world.aurora.pk)
    event = AuditEvent.objects.get()
    assert event == made
    assert (event.actor_id, event.via, event.action) == (world.fran.pk, "web", "export")
    assert (event.target_type, event.target_id) == ("sets.set", str(world.aurora.pk))
    assert event.facts == {"format": "pdf", "set": world.aurora.pk}
    assert event.target == f"sets.set #{world.aurora.pk}"
    assert event.facts_text == f"format=pdf set={world.aurora.pk}"


def test_an_object_that_is_gone_is_named_by_its_kind_and_id(db):
    record(None, Action.BACKUP, ("journal.log", 12), via=Via.COMMAND)
    event = AuditEvent.objects.get()
    assert (event.actor_id, event.target) == (None, "journal.log #12")
    assert event.actor_label(None) == "Revans"


@pytest.mark.parametrize(
    "facts",
    [
        {"title": "After meeting two"},  # words with spaces: a title, a name, a sentence
        {"email": "nia@example.org"},
        {"note": "x" * 65},
        {"fields": ["name", "We asked open questions"]},
        {"body": {"text": "nested"}},
        {"Not a key": 1},
        {"ids": list(range(201))},
    ],
)
def test_facts_that_could_carry_content_are_refused_and_nothing_is_written(world, facts):
    with pytest.raises(ValueError):
        record(world.mo, Action.EXPORT, world.aurora, **facts)
    assert not AuditEvent.objects.exists()


def test_unknown_actions_and_ways_in_are_refused(world):
    with pytest.raises(ValueError, match="not an audit action"):
        record(world.mo, "export.everything")
    with pytest.raises(ValueError, match="way into Revans"):
        record(world.mo, Action.EXPORT, via="telepathy")
    assert not AuditEvent.objects.exists()


def test_an_event_is_written_in_the_callers_transaction_and_rolls_back_with_it(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        record(world.fran, Action.MEMBERSHIP_ROLE, world.aurora, person=world.mo.pk)
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.exists()


def test_an_event_is_never_changed_or_deleted_through_the_model(world):
    event = record(world.fran, Action.EXPORT, world.aurora, format="pdf")
    event.action = Action.SHARE_CREATED
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(actor_id=world.mo.pk)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["action"])
    loaded = AuditEvent.objects.get()
    assert (loaded.actor_id, loaded.action) == (world.fran.pk, "export")


def test_the_database_refuses_to_change_an_event(world):
    event = record(world.fran, Action.EXPORT, world.aurora, format="pdf")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE audit_auditevent SET actor_id = %s WHERE id = %s", [world.mo.pk, event.pk]
        )
    assert AuditEvent.objects.get().actor_id == world.fran.pk


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's flush deletes rows one by one, so only PostgreSQL refuses DELETE too",
)
def test_postgresql_refuses_to_delete_an_event(world):
    event = record(world.fran, Action.EXPORT, world.aurora, format="pdf")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_deleting_an_account_keeps_its_events_and_names_a_former_member(world):
    record(world.obi, Action.SHARE_ACCEPTED, ("journal.share", 3), log=7)
    obi = world.obi.pk
    world.obi.delete()
    event = AuditEvent.objects.with_actor_names().get()
    assert event.actor_id == obi
    assert event.actor_label(event.actor_name) == f"A former member (#{obi})"


def test_the_actor_is_named_as_the_account_is_named_now(world):
    record(world.mo, Action.EXPORT, world.aurora)
    world.mo.display_name = "Mo Renamed"
    world.mo.save()
    event = AuditEvent.objects.with_actor_names().get()
    assert event.actor_label(event.actor_name) == f"Mo Renamed (#{world.mo.pk})"


def test_a_command_whose_database_cannot_take_the_event_warns_and_carries_on(db, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("the database is unreachable")

    monkeypatch.setattr(AuditEvent, "save", broken)
    warnings: list[str] = []
    record_command(warnings.append, Action.BACKUP, files=3)
    assert warnings == ["The audit log could not record this (the database is unreachable)."]
