"""The set page's parts that belong to apps above sets: the schedule and attendance (meetings),
the set's actions (actions). Those apps register a part from their ``AppConfig.ready()``; the
set page asks every registered part for its context. So ``sets`` imports nothing from the apps
above it (architecture.md §6), and a new app adds to the set page without changing sets."""

from collections.abc import Callable
from typing import Any

from .models import Membership, Set, SetAccess

# A part: (the person looking, the set, what they may do in it, the set's memberships, which
# a part may annotate for the members table) -> the template context it adds.
SetPagePart = Callable[[Any, Set, SetAccess, list[Membership]], dict[str, Any]]

_parts: list[SetPagePart] = []


def register(part: SetPagePart) -> SetPagePart:
    """Adds ``part`` to the set page (once, however often it is registered)."""
    if part not in _parts:
        _parts.append(part)
    return part


def context(
    user: Any, set_: Set, access: SetAccess, memberships: list[Membership]
) -> dict[str, Any]:
    """What every registered part adds to the set page's context."""
    added: dict[str, Any] = {}
    for part in _parts:
        added.update(part(user, set_, access, memberships))
    return added
