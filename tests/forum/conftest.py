"""Helpers for forum tests: write small forum files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

MINIMAL = """\
format: detente-forum/1
institutions:
  - id: inst
    name: Institute for Testing
    name_local: 测试研究院
people:
  - id: chair-one
    name: Chair One
    name_local: 主持人一
    affiliation: inst
  - id: speaker-two
    name: Speaker Two
themes:
  - id: theme-a
    name: Theme A
    name_local: 议题甲
events:
  - id: test-forum
    title: Test Forum
    title_local: 测试论坛
    host: inst
    date: 2026-03-01
    languages: [en, zh]
    attribution: chatham_house
    institutions: [inst]
    sessions:
      - title: First session
        chair: chair-one
        themes: [theme-a]
        speakers: [speaker-two]
    closing_remarks:
      speaker: speaker-two
      text: Speaker Two argued that red lines are needed.
"""


@pytest.fixture
def forum_text() -> str:
    return MINIMAL


@pytest.fixture
def write_forum(tmp_path: Path) -> Callable[[str], Path]:
    def write(text: str, name: str = "forum.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
