"""A small harness to fuzz any importer: generated inputs, one rule for how each one ends.

Every importer must end an input in one of two ways: success (exit 0), or one line on stderr
starting ``error:`` with exit status 2 **and the database exactly as it was**. Nothing else:
no traceback, no partial write. Use it from any test package:

.. code-block:: python

    from tests._fuzz import FUZZ_SETTINGS, ImportRun, database_snapshot, mutated

    @FUZZ_SETTINGS
    @given(data=mutated(VALID_BYTES))
    def test_import_ends_cleanly(data: bytes) -> None:
        ImportRun(engine_url, ["forum", "import"]).check(data, name="forum.yaml")

- :func:`mutated` — a strategy over the bytes of a valid input: the input itself, cut at any
  point, with bytes flipped, inserted or deleted (NUL and invalid UTF-8 included), lines
  duplicated or dropped, re-encoded as UTF-16 or Latin-1, or replaced by random bytes;
- :func:`database_snapshot` — every row of every table, to compare before and after;
- :class:`ImportRun` — writes the input to a file (or, with ``folder``, into a folder of
  files), runs the ``detente`` command in-process through Typer's CliRunner, and asserts the
  rule above;
- :data:`FUZZ_SETTINGS` — the fixed budget (examples, no shrinking) that keeps CI time
  bounded; ``DETENTE_FUZZ_EXAMPLES=500`` and ``DETENTE_FUZZ_SHRINK=1`` for a longer local run.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

__all__ = ["FUZZ_SETTINGS", "ImportRun", "database_snapshot", "mutated"]

_PHASES = [Phase.explicit, Phase.reuse, Phase.generate]
FUZZ_SETTINGS = settings(
    max_examples=int(os.environ.get("DETENTE_FUZZ_EXAMPLES", "40")),
    # Shrinking a failure can take minutes: off unless DETENTE_FUZZ_SHRINK=1 (the failing
    # input is reported either way).
    phases=[*_PHASES, Phase.shrink] if os.environ.get("DETENTE_FUZZ_SHRINK") else _PHASES,
    deadline=None,  # one import includes opening the database; the budget is the count above
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
    derandomize=os.environ.get("CI", "").lower() in {"1", "true", "yes"},
)

_SPECIAL = [b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\n", b"\r", b'"', b",", b":", b"-",
            b"[", b"{", b"&a", b"*a", b"!!python/object:os.system", b"\t", b"#", b"\xe2\x80\x8b"]


def _cut(data: bytes) -> st.SearchStrategy[bytes]:
    return st.integers(0, len(data)).map(lambda n: data[:n])


def _flip(data: bytes) -> st.SearchStrategy[bytes]:
    if not data:
        return st.just(data)
    return st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)).map(
        lambda a: data[:a[0]] + bytes([a[1]]) + data[a[0] + 1:])


def _insert(data: bytes) -> st.SearchStrategy[bytes]:
    return st.tuples(st.integers(0, len(data)),
                     st.one_of(st.sampled_from(_SPECIAL), st.binary(min_size=1, max_size=8))
                     ).map(lambda a: data[:a[0]] + a[1] + data[a[0]:])


def _delete(data: bytes) -> st.SearchStrategy[bytes]:
    return st.tuples(st.integers(0, len(data)), st.integers(1, 40)).map(
        lambda a: data[:a[0]] + data[a[0] + a[1]:])


def _lines(data: bytes) -> st.SearchStrategy[bytes]:
    lines = data.splitlines(keepends=True)
    if not lines:
        return st.just(data)

    def edit(args: tuple[int, int, bool]) -> bytes:
        index, other, duplicate = args
        copy = list(lines)
        if duplicate:
            copy.insert(other % (len(copy) + 1), lines[index])
        else:
            del copy[index]
        return b"".join(copy)

    return st.tuples(st.integers(0, len(lines) - 1), st.integers(0, 10_000), st.booleans()
                     ).map(edit)


def _reencode(data: bytes) -> st.SearchStrategy[bytes]:
    text = data.decode("utf-8", errors="replace")
    return st.sampled_from([
        text.encode("utf-16"), text.encode("latin-1", errors="replace"),
        text.encode("utf-8-sig"), text.encode("gb18030", errors="replace"),
    ])


def mutated(valid: bytes, *, rounds: int = 3) -> st.SearchStrategy[bytes]:
    """Inputs grown from ``valid``: itself, then up to ``rounds`` mutations applied in turn."""
    one = st.sampled_from([_cut, _flip, _insert, _delete, _lines, _reencode])

    def apply(data: bytes, steps: list[Callable[[bytes], st.SearchStrategy[bytes]]]
              ) -> st.SearchStrategy[bytes]:
        if not steps:
            return st.just(data)
        return steps[0](data).flatmap(lambda out: apply(out, steps[1:]))

    grown = st.lists(one, min_size=0, max_size=rounds).flatmap(lambda steps: apply(valid, steps))
    return st.one_of(grown, st.binary(max_size=200))


def database_snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of detente's models, sorted: equal snapshots mean nothing was
    written."""
    import detente.store.models  # noqa: F401  (every capability's tables)
    from detente.store import Base

    snapshot: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for name, table in sorted(Base.metadata.tables.items()):
            rows = connection.execute(select(table)).all()
            snapshot[name] = sorted((tuple(row) for row in rows), key=repr)
    return snapshot


@dataclass
class ImportRun:
    """Run ``detente [--database URL] *command FILE *options`` on generated inputs.

    ``command`` is the sub-command (``["forum", "import"]``); ``options`` come after the
    path. With ``folder`` the input is written to that file name inside a fresh folder,
    beside ``extra_files`` (name -> bytes), and the folder is passed instead.
    """

    engine: Engine
    url: str
    command: Sequence[str]
    options: Sequence[str] = ()
    folder: bool = False
    extra_files: dict[str, bytes] = field(default_factory=dict)

    def run(self, data: bytes, name: str) -> tuple[int, str, str]:
        from typer.testing import CliRunner

        from detente.cli import app

        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "input"
            if self.folder:
                target.mkdir()
                for extra, content in self.extra_files.items():
                    (target / extra).write_bytes(content)
                (target / name).write_bytes(data)
            else:
                target = Path(tmp) / name
                target.write_bytes(data)
            result = CliRunner().invoke(
                app, ["--database", self.url, *self.command, str(target), *self.options],
                catch_exceptions=True, env={"LANG": "C.UTF-8", "LANGUAGE": ""})
        stderr = result.stderr if result.stderr_bytes is not None else ""
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            import traceback

            detail = "".join(traceback.format_exception(result.exception))
            raise AssertionError(f"the import raised instead of exiting 2:\n{detail}")
        return result.exit_code, result.stdout, stderr

    def check(self, data: bytes, name: str) -> int:
        """Run on ``data`` and assert: exit 0, or exit 2 with one ``error:`` line and the
        database unchanged. Returns the exit status."""
        before = database_snapshot(self.engine)
        code, _stdout, stderr = self.run(data, name)
        if code == 0:
            return code
        lines = [line for line in stderr.splitlines() if line.strip()]
        assert code == 2, f"exit {code}, stderr: {stderr!r}"
        assert len(lines) == 1 and lines[0].startswith("error: "), f"stderr: {stderr!r}"
        after = database_snapshot(self.engine)
        assert after == before, f"a failed import changed the database: {lines[0]}"
        return code
