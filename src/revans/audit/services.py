"""Writing the audit log: ``record`` adds one event, in the caller's transaction (a change that
rolls back leaves no event; an event is never written for a change that did not happen).

Every fact is an id, a count, a flag or a short word without spaces (a format, a role, a field's
name): ``record`` refuses anything longer or with spaces, so a title, a name, an e-mail address
or a sentence cannot slip into the log by mistake."""

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, models

from .models import Action, AuditEvent, Via

Fact: TypeAlias = int | bool | str | list[int] | list[str] | None
Target: TypeAlias = models.Model | tuple[str, object] | None

WORD = re.compile(r"[A-Za-z0-9_.:+/-]{0,64}\Z")
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}\Z")
MOST_ITEMS = 200


def _checked(value: object) -> bool:
    if value is None or isinstance(value, bool | int):
        return True
    return isinstance(value, str) and bool(WORD.match(value)) and "@" not in value


def check_facts(facts: Mapping[str, Fact]) -> None:
    """Raises ValueError for a fact that could carry content (see the module's docstring)."""
    for key, value in facts.items():
        if not KEY.match(key):
            raise ValueError(f"An audit fact's name is a short identifier, not {key!r}.")
        items = value if isinstance(value, list) else [value]
        if len(items) > MOST_ITEMS or not all(_checked(item) for item in items):
            raise ValueError(
                f"The audit fact {key!r} must be ids, counts or short words, never content."
            )


def target_of(target: Target) -> tuple[str, str]:
    """("app.model", "id") for a model instance, or the pair given (an object that is gone)."""
    if target is None:
        return "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk)
    label, pk = target
    return label, "" if pk is None else str(pk)


Actor: TypeAlias = AbstractBaseUser | AnonymousUser | int | None


def actor_id_of(actor: Actor) -> int | None:
    """A person's id; an int is taken as one already (an owner's id, with no query)."""
    if isinstance(actor, int):
        return actor
    if actor is None or not actor.is_authenticated:
        return None
    pk: int = actor.pk
    return pk


def event(
    actor: Actor,
    action: Action | str,
    target: Target = None,
    *,
    via: Via | str = Via.WEB,
    facts: Mapping[str, Fact] | None = None,
    **more: Fact,
) -> AuditEvent:
    """An unsaved event, checked: for ``record_all``."""
    given = {**(facts or {}), **more}
    if action not in Action.values:
        raise ValueError(f"{action!r} is not an audit action.")
    if via not in Via.values:
        raise ValueError(f"{via!r} is not a way into Revans.")
    check_facts(given)
    target_type, target_id = target_of(target)
    return AuditEvent(
        actor_id=actor_id_of(actor),
        via=via,
        action=action,
        target_type=target_type,
        target_id=target_id,
        facts=given,
    )


def record(
    actor: Actor,
    action: Action | str,
    target: Target = None,
    *,
    via: Via | str = Via.WEB,
    facts: Mapping[str, Fact] | None = None,
    **more: Fact,
) -> AuditEvent:
    """Adds one event: ``actor`` (None for Revans itself) did ``action`` to ``target``.

    ``record(request.user, Action.EXPORT, log, format="pdf")``; facts made elsewhere as a
    dict go in ``facts``."""
    made = event(actor, action, target, via=via, facts=facts, **more)
    made.save()
    return made


def record_all(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Adds many events made by ``event`` in one statement (a set formed from a cohort)."""
    return AuditEvent.objects.bulk_create(list(events))


def record_command(warn: Callable[[str], object], action: Action | str, **more: Fact) -> None:
    """The event of an operator's command (a backup, a restore) once it has done its work: a
    database that cannot take it gets a warning, never a failed command."""
    try:
        record(None, action, via=Via.COMMAND, facts=more)
    except DatabaseError as error:
        warn(f"The audit log could not record this ({error}).")
