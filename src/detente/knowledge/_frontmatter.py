"""Markdown front matter, read safely: bounded size, depth and alias expansion.

A Markdown file may open with a YAML block between ``---`` lines. Only a few keys are read
(``title``, ``source_url``, ``date``), but the whole block is parsed, so the parser must not be a
way to exhaust memory or time: the block may hold at most :data:`MAX_FRONT_MATTER` bytes, nest at
most :data:`MAX_DEPTH` levels, and expand to at most :data:`MAX_NODES` nodes when aliases are
counted as copies of what they point to (a "billion laughs" block of a few hundred bytes expands
to billions of nodes and is refused after composing a few hundred). A block that opens and does
not close, is not valid YAML or is not a mapping is an error: it is never imported as body text.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from detente.errors import ImportFormatError
from detente.i18n import gettext as _

__all__ = ["MAX_DEPTH", "MAX_FRONT_MATTER", "MAX_NODES", "split_front_matter"]

#: Bytes a front-matter block may hold.
MAX_FRONT_MATTER = 64 * 1024
#: Nesting levels of mappings and sequences in a front-matter block.
MAX_DEPTH = 20
#: Nodes a front-matter block may expand to, each alias counted as a copy of its target.
MAX_NODES = 10_000
#: The keys read from front matter.
READ_KEYS = ("title", "source_url", "date")

_OPEN = re.compile(r"\A---[ \t]*\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


class _LimitError(yaml.YAMLError):
    """A limit of this module was exceeded while composing the YAML."""


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, counting depth and expanded nodes while it composes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._sizes: dict[int, int] = {}
        self._total = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _LimitError(_("nests deeper than %(limit)d levels") % {"limit": MAX_DEPTH})
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        size = self._sizes.get(id(node))
        if size is None:
            size = 1
            if isinstance(node, SequenceNode):
                size += sum(self._sizes.get(id(child), 1) for child in node.value)
            elif isinstance(node, MappingNode):
                size += sum(
                    self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1) for k, v in node.value
                )
            self._sizes[id(node)] = size
        else:  # an alias: the node is used again, and counts again wherever it is used
            self._total += size
        if size > MAX_NODES or self._total > MAX_NODES:
            raise _LimitError(
                _("expands to more than %(limit)d nodes (aliases counted as copies)")
                % {"limit": MAX_NODES}
            )
        return node


def _scalar(value: object, key: str, name: str) -> str:
    if isinstance(value, (dict, list)):
        raise ImportFormatError(
            _("front matter: %(key)s must be a single value, not a list or mapping") % {"key": key},
            location=name,
        )
    return str(value)


def split_front_matter(text: str, name: str) -> tuple[str, dict[str, str]]:
    """The body of a Markdown text and the front-matter keys it carries (title, source_url, date).

    Raises
    ------
    ImportFormatError
        For a block that is too large, does not close, is not valid YAML or not a mapping, or
        that nests or expands beyond the limits; the message names the limit.
    """
    opening = _OPEN.match(text)
    if not opening:
        return text, {}
    closing = _CLOSE.search(text, opening.end())
    limit_end = opening.end() + MAX_FRONT_MATTER
    if closing is None or closing.start() > limit_end:
        if closing is None and len(text.encode("utf-8")) <= limit_end:
            message = _("front matter opened with '---' is never closed")
        else:
            message = _(
                "front matter is not closed within %(limit)d bytes (the front-matter limit)"
            ) % {"limit": MAX_FRONT_MATTER}
        raise ImportFormatError(message, location=name)
    block = text[opening.end() : closing.start()]
    try:
        data: Any = yaml.load(block, Loader=_BoundedLoader)
    except _LimitError as exc:
        raise ImportFormatError(
            _("front matter %(problem)s") % {"problem": exc}, location=name
        ) from exc
    except (yaml.YAMLError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 2}" if mark is not None else name
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ImportFormatError(
            _("front matter is not valid YAML: %(problem)s") % {"problem": problem},
            location=where,
        ) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ImportFormatError(
            _("front matter must be a mapping of keys to values"), location=name
        )
    meta = {
        key: _scalar(data[key], key, name).strip()
        for key in READ_KEYS
        if data.get(key) not in (None, "")
    }
    body_start = closing.end() + 1 if closing.end() < len(text) else closing.end()
    return text[body_start:], {k: v for k, v in meta.items() if v}
