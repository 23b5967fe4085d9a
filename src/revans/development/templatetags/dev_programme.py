from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def hours(value: Decimal | None) -> str:
    """6.50 as "6.5 hours", 1.00 as "1 hour", 0.25 as "0.25 hours"."""
    if value is None:
        return ""
    number = f"{Decimal(value).normalize():f}"
    return f"{number} hour{'' if Decimal(value) == 1 else 's'}"
