"""``{% reflect_cards %}``: the "Reflect on meeting N" prompts, on the dashboard and on a
meeting's page (``{% reflect_cards meeting %}``), for the person looking at it."""

from django import template

from ..reflect import meetings_to_reflect_on

register = template.Library()


@register.inclusion_tag("journal/_reflect_cards.html", takes_context=True)
def reflect_cards(context, meeting=None):
    user = context["request"].user
    return {"meetings": meetings_to_reflect_on(user, meeting), "on_meeting": meeting is not None}
