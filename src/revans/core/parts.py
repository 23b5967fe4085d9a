"""Pages made of parts from the apps above them (architecture.md §6): a lower app's page (the
set page, the programme page) declares its ``PageParts``; a higher app registers a part from
its ``AppConfig.ready()``; the page's view asks every part for the context it adds. The lower
app imports nothing from the higher ones, and a new app adds to a page without changing it."""

from collections.abc import Callable
from typing import Any, Generic, ParamSpec

P = ParamSpec("P")


class PageParts(Generic[P]):
    """The parts of one page, each a function of the page's arguments returning the template
    context it adds."""

    def __init__(self) -> None:
        self.parts: list[Callable[P, dict[str, Any]]] = []

    def register(self, part: Callable[P, dict[str, Any]]) -> Callable[P, dict[str, Any]]:
        """Adds ``part`` to the page, once however often it is registered."""
        if part not in self.parts:
            self.parts.append(part)
        return part

    def context(self, *args: P.args, **kwargs: P.kwargs) -> dict[str, Any]:
        """What every registered part adds, in the order they were registered."""
        added: dict[str, Any] = {}
        for part in self.parts:
            added.update(part(*args, **kwargs))
        return added
