"""A PDF report in Chinese checks that a font covers Chinese before typesetting: without one it
stops with one line naming the package to install, exit status 2, and writes no file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from detente.cli import app
from detente.forum import DEMO_EVENT_SLUG
from detente.reports import _report


@pytest.fixture
def report(sqlite_url: str, demo_engine: Engine, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DETENTE_MEDIA_DIR", str(tmp_path / "media"))

    def run(lang: str, out: Path, *, has_font: bool):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(_report, "cjk_font_available", lambda: has_font)
        return CliRunner().invoke(app, ["--database", sqlite_url, "report", DEMO_EVENT_SLUG,
                                        "--format", "pdf", "--lang", lang, "--out", str(out)])

    return run


def test_chinese_pdf_without_a_cjk_font_stops_naming_the_package(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report-zh.pdf"
    result = report("zh", out, has_font=False)
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert message.count("\n") == 0
    assert "fonts-noto-cjk" in message and "fc-list :lang=zh" in message
    assert not out.exists()


def test_chinese_pdf_with_a_cjk_font_is_written(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report-zh.pdf"
    result = report("zh", out, has_font=True)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_english_pdf_does_not_need_a_cjk_font(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report-en.pdf"
    assert report("en", out, has_font=False).exit_code == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_the_font_check_asks_fontconfig() -> None:
    # this machine has the fonts the lead installs (fonts-noto-cjk)
    assert _report.cjk_font_available() is True


def test_the_font_check_says_no_without_fontconfig(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(_report.shutil, "which", lambda name: None)
    assert _report.cjk_font_available() is False
