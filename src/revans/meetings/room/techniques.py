"""The techniques a set can open during an airtime, as plain functions on a canvas's data (no
Django): each kind's columns, one edit applied to a canvas, and what a canvas shows (its totals
and ranking worked out here, once, for the room, the summary and the log).

A canvas is ``{"title": str, "items": [{"id", "zone", "text", "score"}], "scores": {}}``:
notes in named columns (the zones), each with an optional score (a force's strength, a
criterion's weight); an options matrix also scores each option against each criterion. Edits
name the note they change, so two people editing at once never overwrite each other's notes.
"""

from contextlib import suppress
from dataclasses import dataclass
from typing import Any

MAX_TEXT = 200  # one note
MAX_TITLE = 300
MAX_NOTES = 60  # in one canvas
MAX_IN_COLUMN = 20


class CanvasError(ValueError):
    """An edit that cannot be made; its message is for the person who made it."""


@dataclass(frozen=True)
class Score:
    label: str
    low: int
    high: int
    default: int


@dataclass(frozen=True)
class Kind:
    name: str
    title_label: str  # what the canvas is about: the change, the problem, the decision
    zones: tuple[tuple[str, str], ...]  # (key, label), in the order shown
    score: Score | None = None  # a score every note carries (force-field strength)
    scored_zone: str | None = None  # the one column whose notes carry it, when not all do
    ordered: bool = False  # five whys: a chain, each note answering "why?" of the one before
    max_in_column: int = MAX_IN_COLUMN
    guide: str = ""  # the guide's section on it


KINDS: dict[str, Kind] = {
    "force_field": Kind(
        "Force-field analysis",
        "The change you want",
        (("driving", "Forces for the change"), ("restraining", "Forces against it")),
        score=Score("Strength", 1, 5, 3),
        guide="force-field-analysis",
    ),
    "five_whys": Kind(
        "Five whys",
        "The problem",
        (("whys", "Why?"),),
        ordered=True,
        max_in_column=7,
        guide="five-whys",
    ),
    "options_matrix": Kind(
        "Options appraisal",
        "The decision",
        (("options", "Options"), ("criteria", "Criteria")),
        score=Score("Weight", 1, 5, 3),
        scored_zone="criteria",
        max_in_column=10,
        guide="options-matrix",
    ),
    "fishbone": Kind(
        "Fishbone",
        "The effect (the problem as it shows itself)",
        (
            ("people", "People"),
            ("process", "Process"),
            ("tools", "Tools and equipment"),
            ("information", "Information"),
            ("environment", "Environment"),
            ("measures", "Measures"),
        ),
        max_in_column=10,
        guide="fishbone",
    ),
    "swot": Kind(
        "SWOT",
        "What it is about",
        (
            ("strengths", "Strengths"),
            ("weaknesses", "Weaknesses"),
            ("opportunities", "Opportunities"),
            ("threats", "Threats"),
        ),
        guide="swot",
    ),
    "stakeholder_map": Kind(
        "Stakeholder map",
        "The issue",
        (
            ("manage_closely", "High power, high interest: manage closely"),
            ("keep_satisfied", "High power, low interest: keep satisfied"),
            ("keep_informed", "Low power, high interest: keep informed"),
            ("monitor", "Low power, low interest: monitor"),
        ),
        guide="stakeholder-map",
    ),
}
MATRIX_SCORE = Score("Score", 0, 5, 0)  # how well an option meets a criterion


def new_canvas(title: str = "") -> dict[str, Any]:
    return {"title": title, "items": [], "scores": {}, "next_id": 1}


def edit(kind_name: str, canvas: dict[str, Any], op: Any, args: dict[str, Any]) -> dict[str, Any]:
    """``canvas`` after one edit (a new dict; the one given is left as it was). Raises
    ``CanvasError`` with a message for the editor when the edit cannot be made."""
    kind = KINDS[kind_name]
    canvas = {
        "title": canvas.get("title", ""),
        "items": [dict(item) for item in canvas.get("items", [])],
        "scores": dict(canvas.get("scores", {})),
        "next_id": canvas.get("next_id", 1),
    }
    items = canvas["items"]
    if op == "title":
        canvas["title"] = _text(args.get("text"), MAX_TITLE, allow_empty=True)
    elif op == "add":
        zone = _zone(kind, args.get("zone"))
        if len(items) >= MAX_NOTES:
            raise CanvasError(f"This canvas is full: at most {MAX_NOTES} notes.")
        if sum(1 for item in items if item["zone"] == zone) >= kind.max_in_column:
            raise CanvasError(f"That column is full: at most {kind.max_in_column} notes.")
        item = {"id": canvas["next_id"], "zone": zone, "text": _text(args.get("text"), MAX_TEXT)}
        if _scored(kind, zone):
            assert kind.score is not None
            item["score"] = kind.score.default
        items.append(item)
        canvas["next_id"] += 1
    elif op == "edit":
        item = _item(items, args.get("item"))
        if "text" in args:
            item["text"] = _text(args.get("text"), MAX_TEXT)
        if "zone" in args:
            zone = _zone(kind, args.get("zone"))
            if kind_name == "options_matrix" and zone != item["zone"]:
                raise CanvasError("An option stays an option and a criterion a criterion.")
            if zone != item["zone"] and (
                sum(1 for other in items if other["zone"] == zone) >= kind.max_in_column
            ):
                raise CanvasError(f"That column is full: at most {kind.max_in_column} notes.")
            item["zone"] = zone
        if "score" in args:
            if not _scored(kind, item["zone"]):
                raise CanvasError("That note has no score.")
            assert kind.score is not None
            item["score"] = _number(args.get("score"), kind.score)
    elif op == "remove":
        item = _item(items, args.get("item"))
        items.remove(item)
        prefix, suffix = f"{item['id']}:", f":{item['id']}"
        canvas["scores"] = {
            key: value
            for key, value in canvas["scores"].items()
            if not (key.startswith(prefix) or key.endswith(suffix))
        }
    elif op == "score" and kind_name == "options_matrix":
        option = _item(items, args.get("option"))
        criterion = _item(items, args.get("criterion"))
        if option["zone"] != "options" or criterion["zone"] != "criteria":
            raise CanvasError("Score an option against a criterion.")
        canvas["scores"][f"{option['id']}:{criterion['id']}"] = _number(
            args.get("value"), MATRIX_SCORE
        )
    else:
        raise CanvasError("That is not a change this canvas can make.")
    return canvas


def view(kind_name: str, canvas: dict[str, Any]) -> dict[str, Any]:
    """What the canvas shows: its columns with their notes, and what they add up to (a force
    field's sides, an options matrix's weighted totals, best first)."""
    kind = KINDS[kind_name]
    items = canvas.get("items", [])
    zones = [
        {"key": key, "label": label, "items": [i for i in items if i["zone"] == key]}
        for key, label in kind.zones
    ]
    shown: dict[str, Any] = {
        "kind": kind_name,
        "name": kind.name,
        "title_label": kind.title_label,
        "title": canvas.get("title", ""),
        "zones": zones,
        "ordered": kind.ordered,
        "guide": kind.guide,
        "score": (
            {"label": kind.score.label, "low": kind.score.low, "high": kind.score.high}
            if kind.score
            else None
        ),
        "scored_zone": kind.scored_zone,
        "limit": kind.max_in_column,
    }
    if kind_name == "force_field":
        shown["totals"] = {
            zone["key"]: sum(i.get("score", 0) for i in zone["items"]) for zone in zones
        }
    if kind_name == "options_matrix":
        shown["scores"] = dict(canvas.get("scores", {}))
        shown["ranking"] = ranking(canvas)
    return shown


def ranking(canvas: dict[str, Any]) -> list[dict[str, Any]]:
    """An options matrix's options by weighted total (the sum of each criterion's weight times
    the option's score on it), best first; ties keep the order they were written in."""
    items = canvas.get("items", [])
    criteria = [i for i in items if i["zone"] == "criteria"]
    scores = canvas.get("scores", {})
    out_of = sum(c.get("score", 0) for c in criteria) * MATRIX_SCORE.high
    rows = []
    for option in (i for i in items if i["zone"] == "options"):
        total = sum(
            c.get("score", 0) * scores.get(f"{option['id']}:{c['id']}", 0) for c in criteria
        )
        rows.append({"id": option["id"], "text": option["text"], "total": total, "out_of": out_of})
    rows.sort(key=lambda row: -row["total"])
    return rows


def _scored(kind: Kind, zone: str) -> bool:
    return kind.score is not None and (kind.scored_zone is None or kind.scored_zone == zone)


def _zone(kind: Kind, value: Any) -> str:
    if not isinstance(value, str) or value not in {key for key, _ in kind.zones}:
        raise CanvasError("Choose one of the canvas's columns.")
    return str(value)


def _item(items: list[dict[str, Any]], value: Any) -> dict[str, Any]:
    item = next((i for i in items if not isinstance(value, bool) and i["id"] == value), None)
    if item is None:
        raise CanvasError("That note is no longer on the canvas.")
    return item


def _text(value: Any, limit: int, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise CanvasError("Write something first.")
    text = " ".join(value.split())
    if not text and not allow_empty:
        raise CanvasError("Write something first.")
    if len(text) > limit:
        raise CanvasError(f"Keep it under {limit} characters.")
    return text


def _number(value: Any, score: Score) -> int:
    if isinstance(value, str):
        # A number typed in a box arrives as text. ``str.isdigit`` is no test for ``int``:
        # it takes "²", and stripping the sign took "--1".
        with suppress(ValueError):  # not a number: refused below
            value = int(value.strip())
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not score.low <= value <= score.high
    ):
        raise CanvasError(f"{score.label}: a whole number from {score.low} to {score.high}.")
    return value


def outline(kind_name: str, canvas: dict[str, Any]) -> dict[str, Any]:
    """A canvas as plain text for a summary or a log: what it is about, each column's notes
    (with their scores), and what they add up to. No note carries the name of who wrote it."""
    shown = view(kind_name, canvas)
    columns = []
    for zone in shown["zones"]:
        if kind_name == "options_matrix":
            continue
        notes = [
            f"{item['text']} ({shown['score']['label'].lower()} {item['score']})"
            if "score" in item
            else item["text"]
            for item in zone["items"]
        ]
        label = zone["label"]
        if kind_name == "force_field":
            label = f"{label} (total {shown['totals'][zone['key']]})"
        columns.append({"label": label, "notes": notes})
    if kind_name == "options_matrix":
        criteria = shown["zones"][1]["items"]
        columns.append(
            {
                "label": "Criteria",
                "notes": [f"{c['text']} (weight {c['score']})" for c in criteria],
            }
        )
        columns.append(
            {
                "label": "Options, by weighted total",
                "notes": [f"{r['text']}: {r['total']} of {r['out_of']}" for r in shown["ranking"]],
            }
        )
    return {
        "name": shown["name"],
        "title_label": shown["title_label"],
        "title": shown["title"],
        "ordered": shown["ordered"],
        "columns": columns,
    }
