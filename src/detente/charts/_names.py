"""How groups are named, everywhere: opinion groups by letter, blocs of states by number.

An *opinion group* (观点群组) is a cluster of deliberation participants; a *bloc* (集团) is a
cluster of states. Both are counted from 0 in the order the consensus engine reports them; the
names differ on purpose, so that a report showing both never confuses one with the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from detente.i18n import gettext, use_language

__all__ = ["bloc_label", "bloc_name", "group_label", "group_name", "not_grouped_name"]


@contextmanager
def _language(language: str | None) -> Iterator[None]:
    with use_language(language) if language else nullcontext():
        yield


def group_label(index: int) -> str:
    """The letters of opinion group ``index``: 0 -> A, 25 -> Z, 26 -> AA, 27 -> AB, ..."""
    if index < 0:
        raise ValueError(f"a group index is 0 or more, not {index}")
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def group_name(index: int, language: str | None = None) -> str:
    """"Opinion group A" / "观点群组A" (``language``: "en", "zh", or the current one)."""
    with _language(language):
        return gettext("Opinion group %(label)s") % {"label": group_label(index)}


def bloc_label(index: int) -> str:
    """The number of bloc ``index``: 0 -> 1, 1 -> 2, ..."""
    if index < 0:
        raise ValueError(f"a bloc index is 0 or more, not {index}")
    return str(index + 1)


def bloc_name(index: int, language: str | None = None) -> str:
    """"Bloc 1" / "集团1" (``language``: "en", "zh", or the current one)."""
    with _language(language):
        return gettext("Bloc %(label)s") % {"label": bloc_label(index)}


def not_grouped_name(kind: str = "group", language: str | None = None) -> str:
    """What members outside every group are called ("group": participants, "bloc": states)."""
    with _language(language):
        if kind == "bloc":
            return gettext("not in a bloc")
        if kind == "group":
            return gettext("not in a group")
    raise ValueError(f"kind is 'group' or 'bloc', not {kind!r}")
