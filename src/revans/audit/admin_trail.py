"""The admin's own record of each change (Django's ``LogEntry``: what was added, changed or
deleted, and the names of the fields changed) copied into the audit log as it is written, and
the sign-ins of people who can reach the admin. The admin's entries also name the object by its
text (a title, a person's name): the copy keeps only its kind and id."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import cast

from django.contrib.admin import actions as admin_actions
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from .models import Action, AuditEvent, Via
from .services import event, record, record_all

ACTIONS = {
    ADDITION: Action.ADMIN_ADDED,
    CHANGE: Action.ADMIN_CHANGED,
    DELETION: Action.ADMIN_DELETED,
}

# Set while the admin deletes many objects at once: it writes their entries in one statement,
# which sends no signal, so the action copies them itself.
_deleting_many: ContextVar[bool] = ContextVar("audit_deleting_many", default=False)


def _word(text: str) -> str:
    return "".join(c if c.isalnum() or c in "_.-" else "_" for c in str(text).lower())[:64]


def _field_names(model) -> dict[str, str]:
    if model is None:
        return {}
    return {
        str(getattr(f, "verbose_name", f.name)).lower(): f.name
        for f in model._meta.get_fields()
        if not f.auto_created or f.concrete
    }


def changed(entry: LogEntry) -> dict[str, list[str]]:
    """The fields changed and the inline kinds added, changed or deleted, by name only: the
    entry's message without the objects' texts."""
    try:
        message = json.loads(entry.change_message or "[]")
    except ValueError:
        return {}
    if not isinstance(message, list):
        return {}
    ct = cast(ContentType | None, entry.content_type)
    names = _field_names(ct.model_class() if ct else None)
    facts: dict[str, list[str]] = {}
    for item in message:
        if not isinstance(item, dict):
            continue
        for kind, detail in item.items():
            detail = detail if isinstance(detail, dict) else {}
            if "name" in detail:  # an inline object: its kind, never its text
                key = {"added": "added", "changed": "changed", "deleted": "deleted"}.get(kind)
                if key:
                    facts.setdefault(f"inline_{key}", []).append(_word(detail["name"]))
            elif kind == "changed":
                for field in detail.get("fields", []):
                    facts.setdefault("fields", []).append(
                        names.get(str(field).lower(), _word(field))
                    )
    return {key: sorted(set(values)) for key, values in facts.items()}


def copy_entry(entry: LogEntry) -> AuditEvent:
    ct = cast(ContentType | None, entry.content_type)
    made = event(
        None,
        ACTIONS.get(entry.action_flag, Action.ADMIN_CHANGED),
        (f"{ct.app_label}.{ct.model}" if ct else "", entry.object_id),
        via=Via.ADMIN,
        facts=changed(entry),
    )
    made.actor_id = entry.user_id
    made.at = entry.action_time
    return made


def entry_written(sender, instance: LogEntry, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw and not _deleting_many.get():
        copy_entry(instance).save()


@contextmanager
def _many() -> Iterator[None]:
    token = _deleting_many.set(True)
    try:
        yield
    finally:
        _deleting_many.reset(token)


@wraps(admin_actions.delete_selected)
def delete_selected(modeladmin, request, queryset):
    """The admin's "Delete selected" action, its log entries copied into the audit log."""
    last = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with _many():
        response = admin_actions.delete_selected(modeladmin, request, queryset)
    written = LogEntry.objects.filter(pk__gt=last, user_id=request.user.pk, action_flag=DELETION)
    record_all(copy_entry(entry) for entry in written.select_related("content_type"))
    return response


def signed_in(sender, request, user, **kwargs) -> None:
    """Anyone who can reach the admin. The admin's own sign-in page sends people to Revans'
    (`site/admin_login.py`), so every sign-in is made there."""
    if user.is_staff:
        record(user, Action.ADMIN_SIGNIN, via=Via.WEB)


def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    """A failed sign-in to an account that can reach the admin. What was typed is not kept:
    the account's id, nothing else; guesses at addresses that are no staff account's are not
    recorded (allauth limits them)."""
    User = get_user_model()
    address = credentials.get(User.USERNAME_FIELD) or credentials.get("username") or ""
    if not isinstance(address, str) or not address:
        return
    person = (
        User._default_manager.filter(**{f"{User.USERNAME_FIELD}__iexact": address})
        .filter(is_staff=True)
        .first()
    )
    if person is not None:
        made = event(None, Action.ADMIN_SIGNIN_FAILED, via=Via.WEB)
        made.actor_id = person.pk
        made.save()
