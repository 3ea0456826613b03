"""docs/states.md documents every ``detente states`` command and every /api/states endpoint."""

from __future__ import annotations

from pathlib import Path

from detente.cli.states import app
from detente.web.routes.states import router

DOC = Path(__file__).resolve().parents[2] / "docs" / "states.md"


def test_every_command_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    names = [c.name for c in app.registered_commands]
    assert names and all(f"detente states {name}" in text for name in names), names


def test_every_api_endpoint_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    paths = [r.path for r in router.routes if r.path.startswith("/api/")]  # type: ignore[attr-defined]
    for path in paths:
        documented = path.replace("{roll_call_id}", "{id}").replace("{slug}", "{id}")
        assert f"GET {documented}" in text, path
