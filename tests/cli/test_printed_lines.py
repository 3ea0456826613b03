"""What the commands print for people is in the interface language: ``--lang zh`` gives Chinese
lines (no English words left in them), and the English lines read as they always did."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from detente.cli import app

EVENT = "ciss-ai-international-security-2026"


def test_demo_db_deliberation_states_forum_and_publications_lines(
    sqlite_url: str, tmp_path: Path
) -> None:
    runner = CliRunner()

    def run(*args: str, lang: str = "en") -> str:
        result = runner.invoke(app, ["--database", sqlite_url, "--lang", lang, *args])
        assert result.exit_code == 0, result.output
        return result.output

    demo = run("demo", "--no-serve", lang="zh").splitlines()
    assert demo[-1] == f"演示数据已载入 {sqlite_url}"
    said = dict(line.split("：", 1) for line in demo[:-1])
    assert list(said) == ["演示数据 论坛记录", "演示数据 国家立场", "演示数据 审议",
                          "演示数据 出版物", "演示数据 知识库"]  # no capability's code name
    assert said["演示数据 国家立场"] == "20 项人工智能文书、118 项立场、3 次记录表决（共 579 票）"
    assert said["演示数据 审议"] == "审议 1：25 条观点，60 名模拟参与者"
    assert said["演示数据 出版物"].startswith("新增 3 项：")
    assert said["演示数据 出版物"].endswith("；新闻")
    assert "；" in said["演示数据 论坛记录"] and "; " not in said["演示数据 论坛记录"]
    again = run("demo", "--no-serve").splitlines()
    assert "demo deliberation: deliberation 1 already present" in again
    assert "demo publications: already present" in again
    assert "demo states: 20 AI instruments, 118 positions, 3 roll calls with 579 votes" in again
    assert again[-1] == f"Demo data loaded into {sqlite_url}"

    assert run("db", "upgrade", lang="zh") == f"{sqlite_url} 已是最新\n"
    assert run("db", "upgrade") == f"{sqlite_url} is up to date\n"
    assert run("states", "load-facts", lang="zh").startswith("已载入 20 项人工智能文书、")

    listed = run("deliberation", "list", lang="zh").split("\t")
    assert listed[:2] == ["1", "开放中"]
    assert run("deliberation", "close", "1", lang="zh") == "审议 1 已关闭\n"
    assert run("deliberation", "open", "1") == "deliberation 1 open\n"
    folder = tmp_path / "export"
    assert run("deliberation", "export", "1", str(folder), lang="zh") == (
        f"已将 60 名参与者的 25 条观点和 1278 票写入 {folder}\n")
    assert run("deliberation", "export", "1", str(folder)) == (
        f"wrote 25 comments, 1278 votes of 60 participants to {folder}\n")

    assert run("forum", "list", lang="zh").rstrip().endswith("（CISS，4 个单元）")
    assert run("forum", "list").rstrip().endswith(" (CISS, 4 sessions)")

    first = run("proposals", "list", lang="zh").splitlines()[0]
    assert first.startswith("   1  草稿      ") and first.endswith("沟通渠道（示例）"), first
    first = run("proposals", "list").splitlines()[0]
    assert first.startswith("   1  draft     ") and first.endswith(" (illustrative)"), first
    assert json.loads(run("proposals", "list", "--json", "-", lang="zh"))[0]["status"] == "draft"
    shown = run("proposals", "show", "1", lang="zh")
    assert "\n议题：military-ai、red-lines\n" in shown
    assert shown.startswith(f"1  草稿  {EVENT}  ")
    assert f"依据 1：论坛单元 {EVENT}#2（" in shown
    assert f"evidence 1: session {EVENT}#2  (" in run("proposals", "show", "1")
    assert run("proposals", "link", "1", "url", "https://example.org", lang="zh") == (
        "依据链接 3：公开资料 https://example.org\n")
    assert run("proposals", "unlink", "1", "3", lang="zh") == "已删除依据链接 3\n"
    assert run("proposals", "edit", "1", "--status", "taken_up", lang="zh") == "建议 1：已被采纳\n"
    assert run("proposals", "edit", "1", "--status", "draft") == "proposal 1: draft\n"

    assert run("news", "publish", EVENT, "--withdraw", lang="zh") == f"/news/{EVENT}：草稿\n"
    assert run("news", "list", "--drafts", lang="zh").startswith(f"草稿        /news/{EVENT}  ")
    assert run("news", "list", "--drafts").startswith(f"draft       /news/{EVENT}  ")
    assert run("news", "publish", EVENT, "--date", "2026-01-26", lang="zh") == (
        f"/news/{EVENT}：已于 2026-01-26 发布\n")
    assert run("news", "publish", EVENT, "--date", "2026-01-26") == (
        f"/news/{EVENT}: published 2026-01-26\n")

    report = tmp_path / "r.md"
    written = run("report", EVENT, "--format", "md", "--out", str(report), lang="zh")
    assert written.startswith(f"已写入 {report}（") and written.endswith(" 字节）\n")
    assert run("report", EVENT, "--format", "md", "--out", str(report)).startswith(
        f"wrote {report} (")


def test_media_and_polis_dry_run_lines(sqlite_url: str, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.reports.conftest import make_image

    monkeypatch.setenv("DETENTE_MEDIA_DIR", str(tmp_path / "media"))
    runner = CliRunner()

    def run(*args: str, lang: str = "en") -> str:
        result = runner.invoke(app, ["--database", sqlite_url, "--lang", lang, *args])
        assert result.exit_code == 0, result.output
        return result.output

    run("demo", "--no-serve")
    photo = tmp_path / "hall.png"
    photo.write_bytes(make_image("PNG", (40, 30)))
    added = run("media", "add", EVENT, str(photo), "--caption", "The hall", "--caption-zh", "会场",
                lang="zh")
    token = added.split("（")[0]
    assert added == f"{token}（图片，image/png，40 x 30）\n"
    added = run("media", "add", EVENT, str(photo))
    assert added.endswith(" (image, image/png, 40 x 30)\n") and "  (" not in added
    listed = run("media", "list", EVENT, lang="zh").splitlines()
    assert listed[0] == f"{token}  图片     hall.png  会场"
    assert run("media", "list", EVENT).splitlines()[0] == f"{token}  image    hall.png  The hall"
    assert run("media", "caption", token, "--caption", "", lang="zh") == f"{token}：— / 会场\n"
    assert run("media", "caption", token, "--credit", "CISS") == f"{token}: — / 会场\n"

    folder = tmp_path / "export"
    run("deliberation", "export", "1", str(folder))
    dry = ["deliberation", "import-polis", str(folder), "--event", EVENT, "--session", "2",
           "--dry-run", "--question"]
    assert "（“议题”）：25 条观点" in run(*dry, "议题", lang="zh")
    said = run(*dry, "Is it 'safe'?")
    assert " (“Is it 'safe'?”): 25 " in said and "\"" not in said
