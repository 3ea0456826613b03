"""Property-based fuzzing of ``detente kb import``: every input ends in success, or in one line
on stderr with exit status 2 and nothing written.

Inputs are built from pieces that have broken importers before: front-matter fragments (aliases,
deep nesting, unclosed blocks, non-mappings), legal numbering, NUL and control bytes, text in
several encodings, and manifests with odd rows. The budget is fixed (``max_examples``) so that
CI time stays bounded.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from typer.testing import CliRunner

from detente.cli import app
from detente.store import create_db_engine, session_scope, upgrade
from detente.store.models.knowledge import KbDocument, KbProvision, KbTag
from tests.conftest import IN_CI

runner = CliRunner()

_PIECES = [
    "---\n",
    "---\ntitle: T\n---\n",
    "title: &a [x, x]\n",
    "b: [*a, *a, *a]\n",
    "[[[[[[",
    "]]]]",
    "{a: 1}\n",
    "- item\n",
    "Article 1\n\n",
    "CHAPTER II\n\n",
    "1. The provider shall",
    "(a) point;\n",
    "第一条 人工智能\n",
    "（一）",
    "Sec. 2.  Title.  (a)  Text",
    "\x00",
    "\x01\x02",
    "\r\n",
    "\n\n",
    "é",
    "\ufeff",
    "<b>html</b>",
    "\\*escaped\\*",
    " " * 3,
]
_ENCODINGS = ["utf-8", "utf-16", "utf-16-le", "latin-1", "gb18030", "utf-32"]


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    """Bytes of a text or Markdown file: pieces and free text in one of several encodings."""
    parts = draw(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=40)), max_size=12))
    text = "".join(parts)
    if draw(st.booleans()):
        return draw(st.binary(max_size=200)) + text.encode("utf-8", "replace")
    return text.encode(draw(st.sampled_from(_ENCODINGS)), "replace")


@st.composite
def manifests(draw: st.DrawFn) -> bytes:
    """A manifest for the file ``doc`` with odd values in its columns, or arbitrary bytes."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.binary(max_size=200))
    value = st.one_of(
        st.sampled_from(
            [
                "",
                "xx",
                "en",
                "zh",
                "2024",
                "2024-13-01",
                "yes",
                "revoked",
                "in force",
                "=cmd",
                '"',
                "\x00",
            ]
        ),
        st.text(max_size=12),
    )
    header = ["file", "title", "issuer", "date", "language", "binding", "status", "status_date"]
    rows = [",".join(header)]
    for name in draw(
        st.lists(st.sampled_from(["doc.md", "missing.txt", ""]), min_size=1, max_size=3)
    ):
        cells = [name] + [draw(value).replace(",", " ").replace("\n", " ") for _ in header[1:]]
        rows.append(",".join(cells))
    return "\n".join(rows).encode("utf-8")


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'kb.db'}"
    engine = create_db_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def _state(url: str) -> tuple[int, int, int]:
    engine = create_db_engine(url)
    with session_scope(engine) as db:
        counts = tuple(
            db.scalar(select(func.count()).select_from(t)) or 0
            for t in (KbDocument, KbProvision, KbTag)
        )
    engine.dispose()
    return counts  # type: ignore[return-value]


def _check(url: str, args: list[str]) -> None:
    before = _state(url)
    result = runner.invoke(app, ["--database", url, "kb", "import", *args])
    assert result.exit_code in (0, 2), (result.exit_code, result.output, result.exception)
    if result.exit_code == 2:
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), lines
        assert _state(url) == before


_FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=IN_CI,  # the same inputs, and the same time, on every CI run
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_FUZZ
@given(data=documents(), suffix=st.sampled_from([".md", ".txt", ".html", ".pdf", ".docx"]))
def test_any_file_is_imported_or_refused_in_one_line(
    fuzz_db: str, tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("doc") / f"doc{suffix}"
    path.write_bytes(data)
    _check(fuzz_db, [str(path), "--issuer", "Fuzz"])


@_FUZZ
@given(data=documents(), manifest=manifests())
def test_any_manifest_is_read_or_refused_in_one_line(
    fuzz_db: str, tmp_path_factory: pytest.TempPathFactory, data: bytes, manifest: bytes
) -> None:
    folder = tmp_path_factory.mktemp("manifest")
    (folder / "doc.md").write_bytes(b"Article 1\n\n" + data)
    (folder / "manifest.csv").write_bytes(manifest)
    _check(fuzz_db, ["--manifest", str(folder / "manifest.csv")])
