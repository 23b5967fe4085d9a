from django import template
from django.conf import settings

register = template.Library()


@register.filter
def duration(seconds: int | None) -> str:
    """``754`` → ``"12:34"``; an hour or more → ``"1:02:34"``."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.simple_tag
def upload_limit(kind: str) -> str:
    """The largest upload of a kind (image, audio, video), as people say it: ``"10 MB"``."""
    size = getattr(settings, f"JOURNAL_{kind.upper()}_MAX_BYTES")
    return f"{size // (1024 * 1024)} MB"
