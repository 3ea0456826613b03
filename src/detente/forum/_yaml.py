"""Reading a forum file: bounded, safe YAML with line numbers for error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from detente.inputs import DEFAULT_MAX_SIZE, load_yaml, read_text, yaml_line

__all__ = ["format_loc", "line_of", "read_forum_yaml"]


def read_forum_yaml(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> tuple[Any, str]:
    """The data of the YAML file at ``path`` and its text (kept to find lines for errors).

    Raises
    ------
    ImportFormatError
        A missing file, a folder, a file over ``max_size``, text that is not UTF-8 or holds a
        NUL, invalid YAML, nesting or aliases past the limits of :mod:`detente.inputs`.
    """
    text = read_text(path, max_size)
    return load_yaml(text, location=str(path)), text


def line_of(text: str, loc: tuple[str | int, ...]) -> int | None:
    """The 1-based line of the value at ``loc`` in the YAML ``text`` (see
    :func:`detente.inputs.yaml_line`)."""
    return yaml_line(text, loc)


def format_loc(loc: tuple[str | int, ...]) -> str:
    """``("events", 0, "sessions", 2, "chair")`` -> ``events[0].sessions[2].chair``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
