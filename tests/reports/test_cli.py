"""``detente report``, ``proposals``, ``media`` and ``news`` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.forum import DEMO_EVENT_SLUG

from .conftest import make_image


@pytest.fixture
def run(sqlite_url: str, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DETENTE_MEDIA_DIR", str(tmp_path / "media"))
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, ["--database", sqlite_url, *args])

    assert invoke("demo", "--no-serve").exit_code == 0
    return invoke


def test_report_in_each_format_and_language(run, tmp_path: Path) -> None:
    for fmt in ("html", "md", "pdf"):
        for lang in ("en", "zh"):
            out = tmp_path / f"report-{lang}.{fmt}"
            result = run("report", DEMO_EVENT_SLUG, "--format", fmt, "--lang", lang,
                         "--out", str(out))
            assert result.exit_code == 0, result.output
            assert out.stat().st_size > 1000
    assert (tmp_path / "report-en.pdf").read_bytes().startswith(b"%PDF")
    assert "人工智能与国际安全论坛" in (tmp_path / "report-zh.html").read_text(encoding="utf-8")


def test_report_errors_are_one_line_with_exit_2(run) -> None:
    bad = run("report", DEMO_EVENT_SLUG, "--format", "docx")
    assert bad.exit_code == 2 and "--format" in bad.output
    missing = run("report", "no-such-forum", "--format", "md", "--out", "-")
    assert missing.exit_code == 2 and "no event 'no-such-forum'" in missing.output


def test_media_add_list_and_refusal(run, tmp_path: Path) -> None:
    photo = tmp_path / "hall.jpg"
    photo.write_bytes(make_image("JPEG", (2400, 1600)))
    added = run("media", "add", DEMO_EVENT_SLUG, str(photo), "--session", "2",
                "--caption", "The hall", "--caption-zh", "会场")
    assert added.exit_code == 0, added.output
    assert "image/jpeg, 2400 x 1600" in added.output
    listed = json.loads(run("media", "list", DEMO_EVENT_SLUG, "--json", "-").output)
    assert listed[0]["caption_local"] == "会场" and listed[0]["session"] == 2
    fake = tmp_path / "fake.png"
    fake.write_bytes(make_image("JPEG"))
    refused = run("media", "add", DEMO_EVENT_SLUG, str(fake))
    assert refused.exit_code == 2 and "fake.png: named .png but the content is JPEG" in \
        refused.output


def test_proposals_add_link_edit_and_draft_from(run, tmp_path: Path) -> None:
    added = run("proposals", "add", DEMO_EVENT_SLUG, "--title", "Hotline", "--text", "A line.",
                "--title-zh", "热线", "--session", "2", "--theme", "military-ai")
    assert added.exit_code == 0, added.output
    proposal_id = added.output.strip()
    linked = run("proposals", "link", proposal_id, "consensus_statement", "1:1",
                 "--note", "broad agreement")
    assert linked.exit_code == 0, linked.output
    assert run("proposals", "edit", proposal_id, "--status", "endorsed").exit_code == 0
    shown = json.loads(run("proposals", "show", proposal_id, "--json", "-").output)
    assert shown["status"] == "endorsed" and shown["title_local"] == "热线"
    assert shown["evidence"][0]["label"].startswith("Decisions to launch nuclear weapons")
    drafted = run("proposals", "draft-from", "1")
    assert drafted.exit_code == 0, drafted.output
    assert len(json.loads(run("proposals", "list", "--json", "-").output)) == 4
    bad = run("proposals", "link", proposal_id, "session", "nowhere")
    assert bad.exit_code == 2 and "EVENT#POSITION" in bad.output


def test_news_edit_show_and_publish(run, tmp_path: Path) -> None:
    lead = tmp_path / "lead.txt"
    lead.write_text("论坛于2026年1月14日在清华大学举行。", encoding="utf-8")
    edited = run("news", "edit", DEMO_EVENT_SLUG, "--lang", "zh", "--lead-file", str(lead))
    assert edited.exit_code == 0, edited.output
    shown = run("news", "show", DEMO_EVENT_SLUG, "--lang", "zh")
    assert "论坛于2026年1月14日在清华大学举行。" in shown.output and "肖茜" in shown.output
    refused = run("news", "edit", DEMO_EVENT_SLUG, "--body", "Zhou Bo argued for a treaty.")
    assert refused.exit_code == 2 and "Chatham House" in refused.output
    assert "2026-01-26" in run("news", "list").output
    withdrawn = run("news", "publish", DEMO_EVENT_SLUG, "--withdraw")
    assert withdrawn.exit_code == 0 and run("news", "list").output.strip() == ""
    assert "draft" in run("news", "list", "--drafts").output
