"""The audit log: who exported what, who shared or withdrew a log, who changed memberships and
roles, who signed in to the admin and what they changed (architecture.md §6, "Audit").

An event names its actor by id and its target by kind and id, with a few facts (ids, kinds,
formats, counts), never anything a person wrote: the log outlives accounts and is read by the
operator, who may not read set or log content. Events are only ever added: the model refuses to
change or delete one, and a database trigger refuses it too (migration 0002)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(RuntimeError):
    """An audit event was to be changed or deleted."""


APPEND_ONLY = "The audit log is append-only: events are never changed or deleted."


class Action(models.TextChoices):
    EXPORT = "export", "exported a file"
    SHARE_CREATED = "share.created", "shared a log"
    SHARE_REVOKED = "share.revoked", "withdrew a log's share"
    SHARE_ACCEPTED = "share.accepted", "accepted a log's share"
    MEMBERSHIP_JOINED = "membership.joined", "added someone to a set"
    MEMBERSHIP_ROLE = "membership.role", "changed a role in a set"
    MEMBERSHIP_LEFT = "membership.left", "left a set"
    MEMBERSHIP_REMOVED = "membership.removed", "removed someone from a set"
    INVITATION_SENT = "invitation.sent", "invited someone to a set"
    INVITATION_REVOKED = "invitation.revoked", "revoked an invitation to a set"
    MANAGER_ADDED = "manager.added", "added a programme manager"
    MANAGER_REMOVED = "manager.removed", "removed a programme manager"
    PARTICIPANT_ADDED = "participant.added", "added a trainee or trainer"
    PARTICIPANT_ROLE = "participant.role", "changed a trainee's or trainer's role"
    PARTICIPANT_REMOVED = "participant.removed", "removed a trainee or trainer"
    ADMIN_SIGNIN = "admin.signin", "signed in with access to the admin"
    ADMIN_SIGNIN_FAILED = "admin.signin_failed", "failed to sign in to the admin"
    ADMIN_ADDED = "admin.added", "added a record in the admin"
    ADMIN_CHANGED = "admin.changed", "changed a record in the admin"
    ADMIN_DELETED = "admin.deleted", "deleted a record in the admin"
    BACKUP = "backup", "backed up Revans"
    RESTORE = "restore", "restored a backup"
    DATA_DOWNLOADED = "account.data_downloaded", "downloaded their data"
    ACCOUNT_DELETED = "account.deleted", "deleted their account"


class Via(models.TextChoices):
    WEB = "web", "Revans' pages"
    ADMIN = "admin", "the admin"
    COMMAND = "command", "a command"
    TASK = "task", "a background task"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs):
        raise AppendOnlyError(APPEND_ONLY)

    def delete(self):
        raise AppendOnlyError(APPEND_ONLY)

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(APPEND_ONLY)

    def with_actor_names(self) -> "AuditEventQuerySet":
        """Each event with ``actor_name``: its actor's name now, or None when the account is
        gone (one query for a whole page of events)."""
        from django.contrib.auth import get_user_model

        people = get_user_model()._default_manager.filter(pk=models.OuterRef("actor_id"))
        return self.annotate(actor_name=models.Subquery(people.values("display_name")[:1]))


class AuditEvent(models.Model):
    at = models.DateTimeField("when", default=timezone.now, editable=False)
    # The actor's id, not a foreign key: deleting an account changes no event (the database
    # refuses it), and the name shown is the account's while it exists, "a former member" after.
    actor_id = models.BigIntegerField(null=True, blank=True, help_text="The person's id.")
    via = models.CharField(max_length=16, choices=Via.choices, default=Via.WEB)
    action = models.CharField(max_length=40, choices=Action.choices)
    target_type = models.CharField(max_length=60, blank=True, help_text="app.model")
    target_id = models.CharField(max_length=40, blank=True)
    facts = models.JSONField(default=dict, blank=True, help_text="Ids, kinds and counts only.")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["-at"], name="audit_at"),
            models.Index(fields=["action", "-at"], name="audit_action_at"),
            models.Index(fields=["actor_id", "-at"], name="audit_actor_at"),
        ]
        verbose_name = "audit event"

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.target})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(APPEND_ONLY)

    @property
    def target(self) -> str:
        if not self.target_type:
            return "—"
        return f"{self.target_type} #{self.target_id}" if self.target_id else self.target_type

    def actor_label(self, name: str | None) -> str:
        """Who did it, given the account's current name (None when there is no such account)."""
        if self.actor_id is None:
            return "Revans" if self.via in (Via.COMMAND, Via.TASK) else "nobody signed in"
        if name is None:
            return f"A former member (#{self.actor_id})"
        return f"{name} (#{self.actor_id})"

    @property
    def facts_text(self) -> str:
        return " ".join(
            f"{key}={','.join(map(str, value)) if isinstance(value, list) else value}"
            for key, value in sorted(self.facts.items())
        )


# The label used for the accounts in the events' targets.
USER_LABEL = settings.AUTH_USER_MODEL.lower()
