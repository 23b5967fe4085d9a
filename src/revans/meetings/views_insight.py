"""Questioning insight: the share of open questions over a set's meetings, for the people in the
set; each person's own series for them alone; the questions presenters found powerful."""

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.utils import dateformat, timezone

from revans.sets.access import content_access

from .insight import Point, for_set


@login_required
def set_questioning(request, set_id: int):
    access = content_access(request.user, set_id)  # set content: 404 for everyone else
    insight = for_set(access.set, request.user)
    context = {
        "access": access,
        "set": access.set,
        "insight": insight,
        "total": insight.total,
        "my_total": insight.my_total,
        # Retention deleted the questions' words; their counts and labels remain.
        "purged_on": timezone.localdate(access.set.content_purged_at)
        if access.set.content_purged_at
        else None,
    }
    if insight.total.counted:
        context["set_chart"] = _chart(insight.points, [("The set", insight.points)])
        context["set_chart_label"] = _describe(insight.points, "the set's")
    if insight.my_total.counted:
        context["my_chart"] = _chart(
            insight.points, [("You", insight.mine), ("The set", insight.points)]
        )
        context["my_chart_label"] = _describe(insight.mine, "your")
    return TemplateResponse(request, "meetings/questioning.html", context)


def _chart(points: list[Point], series: list[tuple[str, list[Point]]]) -> dict:
    """What insight.js draws: one label per meeting, and each series' open share (percent, or
    None where nobody asked) with the number of questions behind it."""
    return {
        "labels": [
            [
                f"Meeting {p.meeting.number}",
                dateformat.format(timezone.localtime(p.meeting.starts_at), "j M"),
            ]
            for p in points
        ],
        "series": [
            {
                "name": name,
                "values": [p.mix.open_share for p in line],
                "counts": [p.mix.counted for p in line],
            }
            for name, line in series
        ],
    }


def _describe(points: list[Point], whose: str) -> str:
    """The chart in a sentence, for screen readers (the table beside it has every figure)."""
    shown = [p for p in points if p.mix.open_share is not None]
    first, last = shown[0], shown[-1]
    if first is last:
        trend = f"{first.mix.open_share}% at meeting {first.meeting.number}"
    else:
        trend = (
            f"over {len(shown)} meetings, from {first.mix.open_share}% at meeting "
            f"{first.meeting.number} to {last.mix.open_share}% at meeting {last.meeting.number}"
        )
    return f"Line chart of {whose} share of open questions {trend}. The table gives every figure."
