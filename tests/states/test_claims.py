"""What the state-position pages, the CLI and the report claim, checked against the data.

Each test is a built case for one way a sentence said more (or less) than its sources: the
description of a list read as an assertion in Chinese, a count of states "named" by sources
that name none of them, a bloc line that left out a recorded refusal, a folder import that
undid the facts of how a text was adopted, a committee vote called a resolution.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from detente.states._demo import load_facts


@pytest.fixture
def facts(sqlite_engine: Engine) -> Engine:
    """The web app's database holding the shipped AI facts."""
    load_facts(sqlite_engine)
    return sqlite_engine


def _section(page: str, start: str, end: str) -> str:
    return page[page.index(start):page.index(end)]


def test_chinese_converge_note_describes_the_list_and_asserts_nothing(client, facts) -> None:  # type: ignore[no-untyped-def]
    """The note under 各方一致之处 says what the list holds; it must not claim that every bloc
    has such roll calls (the line below may well say there are none)."""
    page = client.get("/states?lang=zh").text
    note = _section(page, 'id="converge-heading"', 'id="heat-heading"')
    assert "此处列出每个集团的多数都投票一致的记录表决" in note
    assert "每个集团中都有多数投票一致" not in note


