"""A demo person: made once with the demo's (hashed) password and a verified address."""

from typing import Any

from allauth.account.models import EmailAddress

from revans.accounts.models import User


def demo_person(email: str, password: str, **fields: Any) -> User:
    """The person at ``email``, made with ``fields`` and ``password`` (already hashed) if new."""
    user, created = User.objects.get_or_create(email=email, defaults=fields)
    if created:
        user.password = password
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user
