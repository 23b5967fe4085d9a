"""Sending a batch of e-mails, and showing people times in their own zone: what reminders, date
polls and any later e-mail share."""

import logging
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

logger = logging.getLogger(__name__)


def send_each(messages: Iterable[EmailMessage], what: str) -> int:
    """Sends ``messages`` over one connection, each on its own: one bad address or a hiccup
    must not cost the others their e-mail (it is logged, as ``what`` to its address). Returns
    how many were sent."""
    sent = 0
    with get_connection() as connection:
        for message in messages:
            message.connection = connection
            try:
                message.send()
            except Exception:
                logger.exception("%s to %s failed", what, message.to)
            else:
                sent += 1
    return sent


def zone_info(name: str) -> ZoneInfo:
    """The time zone called ``name``, or the site's when there is none of that name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def zone_name(place: ZoneInfo | str) -> str:
    """A zone as people write it: America/New York."""
    return str(place).replace("_", " ")
