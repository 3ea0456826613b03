"""Every command that reads a file refuses a hostile one with one line and exit status 2, and
writes nothing, on both backends (PostgreSQL refuses NUL characters in text that SQLite stores;
a check that is missing shows there as a traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from detente.cli import app
from detente.forum import DEMO_EVENT_SLUG, load_demo_forum
from detente.store import session_scope
from tests._fuzz import database_snapshot

STATES = Path(__file__).parents[1] / "states" / "data"
UNDL = (STATES / "undl_small.csv").read_bytes()
POSITIONS = (STATES / "positions_small.csv").read_bytes()
COMMENTS = (b"timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
            b"1700000000000,x,0,0,1,0,1,Military AI raises the risk of escalation.\n")
VOTES = b"timestamp,datetime,comment-id,voter-id,vote\n1700000003000,x,0,0,1\n"
RISKS_HEADER = b"Title,Ev_ID,Risk category,Risk subcategory,Description,Domain,Sub-domain\n"
RISK = b"Paper,01.01.00,Misuse,,Weapons development,4. Malicious use,4.2 > Cyberattacks\n"
BOMB = ("terms:\n  - &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"  - &{n} [" + ", ".join([f"*{p}"] * 10) + "]\n"
                  for p, n in zip("abcdef", "bcdefg", strict=True)))

#: name -> (command with {f} for the file, file name, content, expected words in the error)
CASES: dict[str, tuple[list[str], str, bytes, str]] = {
    "forum-escaped-nul": (["forum", "import", "{f}"], "forum.yaml",
                          b'format: detente-forum/1\ninstitutions:\n  - {id: a, name: "A\\0B"}\n',
                          "NUL"),
    "forum-raw-nul": (["forum", "import", "{f}"], "forum.yaml",
                      b"format: detente-forum/1\ninstitutions:\n  - {id: a, name: A\x00B}\n",
                      "forum.yaml:3"),
    "seed-nul": (["deliberation", "seed", "1", "{f}"], "seed.txt",
                 b"Humans decide on nuclear use.\nMachines\x00 decide.\n", "seed.txt:2"),
    "seed-latin-1": (["deliberation", "seed", "1", "{f}"], "seed.txt",
                     "Les États décident.\n".encode("latin-1"), "seed.txt:1"),
    "polis-nul": (["deliberation", "import-polis", "{d}", "--event", DEMO_EVENT_SLUG,
                   "--session", "1"], "comments.csv", COMMENTS.replace(b"Military", b"Mil\x00"),
                  "comments.csv:2"),
    "unga-nul": (["states", "import-unga", "{f}"], "votes.csv",
                 UNDL.replace(b"Austria", b"Aus\x00tria"), "votes.csv:4"),
    "positions-nul": (["states", "import-positions", "{f}", "--instruments",
                       str(STATES / "instruments_small.csv")], "positions.csv",
                      POSITIONS.replace("中国签署".encode(), b"x\x00y"), "positions.csv:4"),
    "kb-nul": (["kb", "import", "{f}", "--issuer", "X"], "a.txt",
               b"Article 1\n\nText with a \x00 inside.\n", "NUL"),
    "proposal-nul": (["proposals", "add", DEMO_EVENT_SLUG, "--title", "T", "--text-file", "{f}"],
                     "text.txt", b"A hotline\n\x00 between militaries.\n", "text.txt:2"),
    "proposal-utf-16": (["proposals", "add", DEMO_EVENT_SLUG, "--title", "T", "--text-file",
                         "{f}"], "text.txt", "A hotline.".encode("utf-16"), "text.txt:1"),
    "risks-nul": (["kb", "import-risks", "{f}"], "risks.csv",
                  RISKS_HEADER + RISK.replace(b"Weapons", b"Wea\x00pons"), "risks.csv:2"),
    "risks-latin-1": (["kb", "import-risks", "{f}"], "risks.csv",
                      RISKS_HEADER + RISK.replace(b"Paper", "Étude".encode("latin-1")),
                      "risks.csv:2"),
    "risks-long-id": (["kb", "import-risks", "{f}"], "risks.csv",
                      RISKS_HEADER + RISK.replace(b"01.01.00", b"9" * 41), "risks.csv:2"),
    "taxonomy-alias-bomb": (["kb", "import-risks", str(STATES / "missing.csv"), "--taxonomy",
                             "{f}"], "taxonomy.yaml", BOMB.encode(), "taxonomy.yaml"),
    "taxonomy-deep": (["kb", "import-risks", str(STATES / "missing.csv"), "--taxonomy", "{f}"],
                      "taxonomy.yaml", b"terms: " + b"[" * 50_000 + b"]" * 50_000 + b"\n",
                      "taxonomy.yaml:1"),
    "taxonomy-latin-1": (["kb", "import-risks", str(STATES / "missing.csv"), "--taxonomy",
                          "{f}"], "taxonomy.yaml", "terms: [é]\n".encode("latin-1"),
                         "taxonomy.yaml:1"),
}


@pytest.fixture
def forum_with_a_deliberation(engine: Engine) -> Engine:
    from detente.deliberation import create_deliberation

    load_demo_forum(engine)
    with session_scope(engine) as db:
        create_deliberation(db, DEMO_EVENT_SLUG, 2, "Who decides on nuclear use?")
    return engine


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_file_is_one_line_exit_2_and_nothing_written(
        forum_with_a_deliberation: Engine, db_url: str, tmp_path: Path, case: str) -> None:
    command, name, content, expected = CASES[case]
    folder = tmp_path / "export"
    folder.mkdir()
    if name == "comments.csv":
        (folder / "votes.csv").write_bytes(VOTES)
    path = folder / name
    path.write_bytes(content)
    args = [a.replace("{f}", str(path)).replace("{d}", str(folder)) for a in command]
    before = database_snapshot(forum_with_a_deliberation)
    result = CliRunner().invoke(app, ["--database", db_url, *args],
                                env={"LANG": "C.UTF-8", "LANGUAGE": ""})
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    assert expected in lines[0], lines[0]
    assert database_snapshot(forum_with_a_deliberation) == before


@pytest.mark.parametrize("args", [
    ["deliberation", "seed", "1", "{path}"],
    ["proposals", "add", DEMO_EVENT_SLUG, "--title", "T", "--text-file", "{path}"],
])
def test_a_folder_or_a_missing_file_is_one_line(sqlite_url: str, tmp_path: Path,
                                               args: list[str]) -> None:
    """Click's own checks answered with a four-line usage message."""
    for path, expected in ((tmp_path, "is a folder, not a file"),
                           (tmp_path / "missing.txt", "no such file")):
        result = CliRunner().invoke(app, ["--database", sqlite_url,
                                          *[a.replace("{path}", str(path)) for a in args]])
        assert result.exit_code == 2
        assert result.stderr.strip() == f"error: {path}: {expected}", result.stderr


@pytest.mark.parametrize(("column", "value", "expected"), [
    ("title", "T" * 501, "title is 501 characters long, over the limit of 500"),
    ("issuer", "I" * 301, "issuer is 301 characters long, over the limit of 300"),
    ("jurisdiction", "J" * 61, "jurisdiction is 61 characters long"),
    ("source_url", "https://example.org/" + "u" * 1000, "source_url is 1,020 characters"),
])
def test_kb_metadata_longer_than_its_column_is_one_line(db_url: str, tmp_path: Path,
                                                       column: str, value: str,
                                                       expected: str) -> None:
    """PostgreSQL ended these in a traceback (value too long for type character varying)."""
    from detente.store import create_db_engine, upgrade

    engine = create_db_engine(db_url)
    upgrade(engine)
    (tmp_path / "a.txt").write_text("Article 1\n\nText.\n", encoding="utf-8")
    row = {"file": "a.txt", "title": "T", "issuer": "X", "date": "2024", "language": "en",
           "jurisdiction": "EU", "source_url": "https://example.org/a", column: value}
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(",".join(row) + "\n" + ",".join(row.values()) + "\n", encoding="utf-8")
    before = database_snapshot(engine)
    result = CliRunner().invoke(app, ["--database", db_url, "kb", "import", "--manifest",
                                      str(manifest)])
    assert result.exit_code == 2, (result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and "manifest line 2" in lines[0], lines
    assert database_snapshot(engine) == before
    engine.dispose()
