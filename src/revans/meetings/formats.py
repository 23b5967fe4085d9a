"""The meeting formats Revans ships (architecture.md §3), kept as data in ``data/formats.json``."""

import json
from pathlib import Path

FORMATS = Path(__file__).resolve().parent / "data" / "formats.json"
TASTER = "taster"  # the shipped format of a taster first meeting


def load_shipped_formats(model) -> None:
    """Creates or refreshes the shipped formats; ``model`` is MeetingFormat (or its migration twin)."""
    for spec in json.loads(FORMATS.read_text()):
        model.objects.update_or_create(
            slug=spec["slug"],
            set=None,
            defaults={k: spec[k] for k in ("name", "description", "presenters", "phases")},
        )
