"""What the sign-in pages (django-allauth's, restyled in templates/account/) need from Revans."""

from django import template
from django.conf import settings
from django.utils.safestring import SafeData, mark_safe

from ..adapter import DEMO_LINK_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def demo_verification(context) -> dict | None:
    """The verification link the demo just "sent" (``{"email", "link"}``), or None outside it."""
    request = context.get("request")
    if settings.MODE != "demo" or request is None:
        return None
    return request.session.get(DEMO_LINK_KEY)


def _sentence_word(word: str) -> str:
    # "Two-Factor" -> "two-factor"; leaves "TOTP", "iPhone" and e-mail addresses alone.
    parts = word.split("-")
    if all(part[:1].isupper() and part[1:].islower() for part in parts if part):
        return "-".join(part.lower() for part in parts)
    return word


@register.filter
def sentence_case(text) -> str:
    """allauth writes Title Case ("Sign In", "Change Password"); Revans writes sentence case.

    Only plain text is changed: a string holding markup is returned as it came.
    """
    value = " ".join(str(text).split())
    if not value or "<" in value:
        return text
    first, *rest = value.split(" ")
    head, _, tail = first.partition("-")
    first = f"{head}-{_sentence_word(tail)}" if tail else head
    changed = " ".join([first, *(_sentence_word(word) for word in rest)])
    return mark_safe(changed) if isinstance(text, SafeData) else changed


@register.filter
def without_placeholder(field):
    """The field with no placeholder: allauth's repeat the label, and read as text already typed.

    The widget belongs to this request's form alone, so changing it touches nothing else.
    """
    field.field.widget.attrs.pop("placeholder", None)
    return field
