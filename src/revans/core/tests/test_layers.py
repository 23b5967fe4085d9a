"""The layers of architecture.md §6, read from the imports of every module: an app imports from
itself and from the layers below it, never from its own layer or above. Tests and migrations are
left out (a test may use any app to build its world); so are the project's own top-level modules
(settings, urls, asgi, routing, cli), which sit above everything."""

import ast
from pathlib import Path

import pytest

REVANS = Path(__file__).resolve().parents[2]

# Bottom up. Apps in the same layer do not import each other.
LAYERS = [
    ["core", "audit"],  # audit: the append-only audit log, written from every app
    ["coach", "grouping"],  # the engines: no Django, used through one function each
    ["accounts", "guide"],  # guide: the facilitator's guide, pages shipped as Markdown
    ["sets"],
    ["actions"],
    ["meetings"],
    ["programmes", "polls"],  # polls: a set's date polls, which make meetings
    ["journal", "evaluation"],  # evaluation: surveys, pulses and their figures
    ["formation", "training", "development"],
    [
        "site",
        "privacy",
    ],  # site: dashboard, demo data, commands; privacy: your data; no app imports them
]
LAYER_OF = {app: level for level, apps in enumerate(LAYERS) for app in apps}


def modules():
    for path in sorted(REVANS.rglob("*.py")):
        parts = path.relative_to(REVANS).parts
        if len(parts) < 2 or "tests" in parts or "migrations" in parts:
            continue
        yield parts[0], path


def revans_imports(path: Path):
    """(line, app) for every import of another revans app in ``path``, at any depth."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "revans" and len(parts) > 1:
                yield node.lineno, parts[1]


def test_every_app_has_a_layer():
    apps = {path.relative_to(REVANS).parts[0] for path in REVANS.glob("*/__init__.py")}
    assert apps == set(LAYER_OF)


def test_no_app_imports_its_own_layer_or_above():
    wrong = []
    for app, path in modules():
        for line, other in revans_imports(path):
            if other == app or other not in LAYER_OF:
                continue
            if LAYER_OF[other] >= LAYER_OF[app]:
                wrong.append(f"{path.relative_to(REVANS)}:{line} imports revans.{other}")
    assert wrong == []


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from revans.meetings.models import Meeting", [(1, "meetings")]),
        ("import revans.journal.models", [(1, "journal")]),
        ("def f():\n    from revans.site import demo", [(2, "site")]),
        ("from . import models\nfrom revans import settings", []),
    ],
)
def test_the_reader_finds_imports_at_any_depth(tmp_path, source, expected):
    module = tmp_path / "module.py"
    module.write_text(source)
    assert list(revans_imports(module)) == expected
