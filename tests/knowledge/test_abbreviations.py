"""Abbreviations the corpus defines ("Office of Management and Budget (OMB)"): found in the
provisions, and used by search in both directions."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from detente.knowledge import DocumentMeta, SearchFilters, import_documents, search
from detente.knowledge._abbreviations import defined_abbreviations, long_form
from detente.store import session_scope


def test_a_definition_gives_the_long_form_whose_initials_spell_the_short_one() -> None:
    assert long_form("OMB", "the Director of the Office of Management and Budget") == (
        "Office of Management and Budget"
    )
    # "of" starts with the right letter but is no name's first word.
    assert long_form("OSTP", "the Director of the Office of Science and Technology Policy") == (
        "Office of Science and Technology Policy"
    )
    assert long_form("DOT", "the Department of Transportation’s") == "Department of Transportation"
    assert long_form("AISI", "the United States AI Safety Institute") == "AI Safety Institute"


def test_brackets_that_define_nothing_are_not_abbreviations() -> None:
    found = defined_abbreviations(
        [
            "as laid down in Regulation (EU) 2016/679 of the European Parliament",
            "the Commission (see below) shall act",
            "point (a) of paragraph 1",
            "Office of Management and Budget (OMB)",
        ]
    )
    assert found == {"OMB": "Office of Management and Budget"}
    assert long_form("XYZ", "the board of the agency") is None


@given(st.text(max_size=300))
def test_any_text_gives_definitions_whose_long_form_starts_with_the_short_forms_letter(
    text: str,
) -> None:
    for short, long in defined_abbreviations([text, f"{text} ({text[:6]})"]).items():
        assert long[0].lower() == short[0].lower()
        assert len(long.split()) >= 2


def test_search_finds_the_long_form_for_the_short_one_and_the_reverse(
    engine: Engine, tmp_path: Path
) -> None:
    source = tmp_path / "order.txt"
    source.write_text(
        "1. The Director of the National Nuclear Security Administration (NNSA) shall lead.\n\n"
        "2. The National Nuclear Security Administration shall report each year.\n\n"
        "3. NNSA shall publish guidance.\n\n"
        "4. The board meets twice a year.\n",
        encoding="utf-8",
    )
    import_documents(engine, [source], defaults=DocumentMeta(title="Order", issuer="T"))
    with session_scope(engine) as db:
        short = [h.path for h in search(db, "NNSA", SearchFilters())]
        spelled = [h.path for h in search(db, "National Nuclear Security Administration")]
    assert set(short) == {"1", "2", "3"}
    assert set(spelled) == {"1", "2", "3"}
