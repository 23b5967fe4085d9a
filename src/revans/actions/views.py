from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse

from .models import Action


def _by_set(actions: list[Action]) -> list[tuple]:
    """``(set, [actions])`` in the order the sets first appear."""
    groups: dict[int, tuple] = {}
    for action in actions:
        groups.setdefault(action.set_id, (action.set, []))[1].append(action)
    return list(groups.values())


@login_required
def my_actions(request):
    """Every action of mine across my sets: open ones first, then what came of the others."""
    actions = list(
        Action.objects.visible_to(request.user)
        .filter(owner=request.user)
        .select_related("set", "committed_in", "reported_in")
        .order_by("set__name", "set_id", "-committed_in__starts_at", "created_at")
    )
    open_actions = [a for a in actions if a.status == Action.Status.COMMITTED]
    reported = sorted(
        (a for a in actions if a.status != Action.Status.COMMITTED),
        key=lambda a: (a.set.name, a.set_id, -(a.reported_at or a.created_at).timestamp()),
    )
    context = {
        "open_by_set": _by_set(open_actions),
        "reported_by_set": _by_set(reported),
        "open_count": len(open_actions),
        "reported_count": len(reported),
    }
    return TemplateResponse(request, "actions/my_actions.html", context)


def set_page_actions(user, set_, access, memberships) -> dict:
    """The set page's actions (``sets.page``): set content, so only for the people in the set
    (architecture.md §4)."""
    if not access.in_set:
        return {}
    return {
        "actions": Action.objects.visible_to(user)
        .filter(set=set_)
        .select_related("owner", "committed_in", "reported_in")
        .order_by("-committed_in__starts_at", "created_at")
    }
