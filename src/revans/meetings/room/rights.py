"""A room socket holds the rights its person has now, not those they had when it opened
(architecture.md §4). Whatever may take rights away — leaving or being removed from a set, signing
out, changing one's password — tells that person's sockets, after commit, to check again."""

import asyncio
from importlib import import_module

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.crypto import constant_time_compare

from revans.sets.models import Membership

from ..models import Meeting

NOT_IN_SET = 4404
SIGNED_OUT = 4401


def user_group(user_id: int) -> str:
    return f"person-{user_id}"


def refusal(scope, user, meeting_id: int) -> int | None:
    """None while ``user`` may still be in the meeting's room; else the code to close with."""
    session = scope.get("session")
    if session is not None:
        # A fresh read: the scope's copy is the session as it was at connect.
        store = import_module(settings.SESSION_ENGINE).SessionStore(session.session_key)
        if str(store.get(SESSION_KEY)) != str(user.pk):
            return SIGNED_OUT
        current = get_user_model().objects.filter(pk=user.pk).first()
        if (
            current is None
            or not current.is_active
            or not constant_time_compare(
                store.get(HASH_SESSION_KEY, ""), current.get_session_auth_hash()
            )
        ):
            return SIGNED_OUT
    in_set = Meeting.objects.with_content_for(user).filter(pk=meeting_id).exists()
    return None if in_set else NOT_IN_SET


_sending: set = set()


def tell_to_check(user_id: int, ended_session: str = "") -> None:
    """After commit, every room socket of this person checks its rights again; a socket of
    ``ended_session`` (signed out: Django sends the signal before it deletes the session, so
    a fresh read could still find it) closes without asking."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        message = (user_group(user_id), {"type": "rights.check", "ended": ended_session})
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # the usual case: a view or task in a worker thread
            async_to_sync(layer.group_send)(*message)
        else:
            task = loop.create_task(layer.group_send(*message))
            _sending.add(task)  # held until done, so the task is not collected half-way
            task.add_done_callback(_sending.discard)

    transaction.on_commit(send)


def _membership_changed(sender, instance: Membership, created: bool = False, **kwargs) -> None:
    # A new membership takes no right away, and a socket is only ever open for a set its
    # person is in: only a changed or deleted one has sockets to check.
    if not created:
        tell_to_check(instance.user_id)


def _person_changed(sender, instance, update_fields=None, **kwargs) -> None:
    # A new password (or a deactivated account) ends the sessions that hold the old one.
    if update_fields is None or {"password", "is_active"} & set(update_fields):
        tell_to_check(instance.pk)


def _signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        session = getattr(request, "session", None)
        tell_to_check(user.pk, ended_session=(session.session_key or "") if session else "")


def connect_signals() -> None:
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="room-rights-m-save")
    post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="room-rights-m-del")
    post_save.connect(_person_changed, sender=get_user_model(), dispatch_uid="room-rights-person")
    user_logged_out.connect(_signed_out, dispatch_uid="room-rights-signed-out")
