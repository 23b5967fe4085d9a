"""The model every e-mailed link is made from (architecture.md §6)."""

import hashlib
import secrets
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.db import models
from django.utils import timezone


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class EmailLinkQuerySet(models.QuerySet):
    def pending(self) -> "EmailLinkQuerySet":
        """Sent and not yet used, revoked or expired."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Opens(Protocol):
    """What an accepted link opens (a set, a log): a page of its own."""

    def get_absolute_url(self) -> str: ...


class EmailLink(models.Model):
    """A link sent by e-mail to one address: only a hash of its token is stored; it expires,
    and can be revoked until it is accepted.

    Each kind names ``words`` (its template of blocks for the page, the e-mail and the messages,
    see ``core/templates/links/``), ``accept_url_name`` (the route of the link in the e-mail,
    taking ``token``), ``accepter`` (the field naming who accepted it) and ``opens()``; its
    manager is ``EmailLinkQuerySet.as_manager()`` or a subclass of it.
    """

    words = ""
    accept_url_name = ""
    accepter = ""

    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def new_token(self) -> str:
        """Give the link a fresh token (and a fresh expiry); returns the token to send."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        self.created_at = timezone.now()
        self.expires_at = self.created_at + timedelta(days=settings.INVITATION_DAYS)
        return token

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.accepted_at:
            return "accepted"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    def was_accepted_by(self, user) -> bool:
        """Whether ``user`` is the person who accepted the link (and it still stands)."""
        accepter_id = getattr(self, f"{self.accepter}_id")
        return self.status == "accepted" and user.is_authenticated and accepter_id == user.pk

    def opens(self) -> "Opens":
        """What the accepted link gives access to: where its person is sent."""
        raise NotImplementedError
