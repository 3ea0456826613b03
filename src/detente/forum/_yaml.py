"""Reading YAML with line numbers, so errors can point at the line that is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from detente.errors import ImportFormatError

__all__ = ["line_of", "load_yaml_with_lines"]


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a mapping with the same key twice."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False):  # type: ignore[no-untyped-def]
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def load_yaml_with_lines(path: Path) -> tuple[Any, yaml.Node | None]:
    """Parse ``path``; return the data and the node tree (for line look-ups).

    Raises
    ------
    ImportFormatError
        When the file cannot be read or is not valid YAML; the message names file and line.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ImportFormatError("no such file", location=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise ImportFormatError("not UTF-8 text", location=str(path)) from exc
    try:
        node = yaml.compose(text, Loader=_UniqueKeyLoader)
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise ImportFormatError(f"invalid YAML: {problem}", location=f"{path}{line}") from exc
    except yaml.YAMLError as exc:
        raise ImportFormatError(f"invalid YAML: {exc}", location=str(path)) from exc
    return data, node


def line_of(node: yaml.Node | None, loc: tuple[str | int, ...]) -> int | None:
    """The 1-based line of the value at ``loc`` (keys and list indexes) in a composed tree."""
    current = node
    line = current.start_mark.line + 1 if current is not None else None
    for key in loc:
        if isinstance(current, yaml.MappingNode):
            match = next((v for k, v in current.value if k.value == key), None)
            if match is None:
                key_node = next((k for k, _ in current.value if k.value == key), None)
                return key_node.start_mark.line + 1 if key_node is not None else line
            current = match
        elif isinstance(current, yaml.SequenceNode) and isinstance(key, int):
            if key >= len(current.value):
                return line
            current = current.value[key]
        else:
            return line
        line = current.start_mark.line + 1
    return line


def format_loc(loc: tuple[str | int, ...]) -> str:
    """``("events", 0, "sessions", 2, "chair")`` -> ``events[0].sessions[2].chair``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
