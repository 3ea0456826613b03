"""``detente kb``: import, documents, show, search, compare, gaps, taxonomy, retrain, risks."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from detente.cli import app

runner = CliRunner()


def _kb(db: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--database", db, "kb", *args])


def test_import_show_search_compare_gaps(
    sqlite_url: str, zh_txt: Path, eu_md: Path, tmp_path: Path
) -> None:
    result = _kb(
        sqlite_url,
        "import",
        str(zh_txt),
        "--title",
        "测试办法",
        "--issuer",
        "中国测试机构",
        "--kind",
        "regulation",
        "--binding",
        "yes",
        "--date",
        "2099-01-01",
    )
    assert result.exit_code == 0, result.output
    assert "15 provisions" in result.output
    again = _kb(sqlite_url, "import", str(zh_txt), "--issuer", "中国测试机构")
    assert "already imported" in again.output
    assert _kb(sqlite_url, "import", str(eu_md), "--issuer", "European Union").exit_code == 0

    docs = json.loads(_kb(sqlite_url, "documents", "--json", "-").output)
    assert sorted(d["provisions"] for d in docs) == [15, 19]
    shown = json.loads(_kb(sqlite_url, "show", zh_txt.name, "--json", "-").output)
    first = next(p for p in shown["provisions"] if p["kind"] == "article")
    assert {"kind", "number", "parent", "text", "tags"} <= set(first)

    out = tmp_path / "hits.json"
    assert _kb(sqlite_url, "search", "自主武器", "--json", str(out)).exit_code == 0
    hits = json.loads(out.read_text(encoding="utf-8"))
    assert {h["path"] for h in hits} >= {"第二章 › 第一节 › 第三条"}
    assert {"document", "number", "kind", "text", "score"} <= set(hits[0])

    compare = tmp_path / "compare.json"
    csv_out = tmp_path / "compare.csv"
    assert (
        _kb(
            sqlite_url,
            "compare",
            "China",
            "European Union",
            "--json",
            str(compare),
            "--csv",
            str(csv_out),
        ).exit_code
        == 0
    )
    assert json.loads(compare.read_text(encoding="utf-8"))["issuers"] == ["China", "European Union"]
    assert csv_out.read_text(encoding="utf-8").startswith("term,facet,issuer,count")
    gaps = tmp_path / "gaps.json"
    assert _kb(sqlite_url, "gaps", "--json", str(gaps)).exit_code == 0
    data = json.loads(gaps.read_text(encoding="utf-8"))
    assert data["matrix"] and data["red_lines"]


def test_bad_input_is_one_line_and_exit_2(sqlite_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"not a pdf")
    result = _kb(sqlite_url, "import", str(bad), "--issuer", "X")
    assert result.exit_code == 2 and "x.pdf" in result.output
    assert _kb(sqlite_url, "search", "  ").exit_code == 2
    assert _kb(sqlite_url, "show", "999").exit_code == 2


def test_taxonomy_json_and_user_extension(tmp_path: Path) -> None:
    data = json.loads(runner.invoke(app, ["kb", "taxonomy", "--json", "-"]).output)
    assert any(t["id"] == "nuclear-command-control" and t["label_zh"] for t in data["terms"])
    extra = tmp_path / "bad.yaml"
    extra.write_text("terms: [{id: x}]\n", encoding="utf-8")
    result = runner.invoke(app, ["kb", "taxonomy", "--taxonomy", str(extra)])
    assert result.exit_code == 2 and "bad.yaml" in result.output


def test_retrain_on_too_few_reviews_is_refused(sqlite_url: str, zh_txt: Path) -> None:
    _kb(sqlite_url, "import", str(zh_txt), "--issuer", "中国测试机构")
    result = _kb(sqlite_url, "retrain")
    assert result.exit_code == 2 and "no reviewed" in result.output


def test_retrain_says_how_many_gold_rows_name_no_provision(
    sqlite_url: str, tmp_path: Path
) -> None:
    source = tmp_path / "orders.txt"
    source.write_text(
        "".join(
            f"{n}. {'Biological weapons risks are assessed' if n % 2 else 'Cyber attacks'}"
            f" are reported under item {n}.\n\n"
            for n in range(1, 13)
        ),
        encoding="utf-8",
    )
    assert _kb(sqlite_url, "import", str(source), "--issuer", "Test issuer").exit_code == 0
    gold = tmp_path / "gold.csv"
    rows = "".join(
        f"orders.txt,{n},{'biological' if n % 2 else 'cyber'}\n" for n in range(1, 13)
    )
    gold.write_text(f"file,path,labels\n{rows}orders.txt,99,cyber\n", encoding="utf-8")
    result = _kb(sqlite_url, "retrain", "--gold", str(gold))
    assert result.exit_code == 0, result.output
    assert "trained on 12 provisions" in result.output
    assert "1 gold row skipped: its provision is not in the database" in result.output


def test_import_risks_maps_subdomains(sqlite_url: str, tmp_path: Path) -> None:
    risks = tmp_path / "risks.csv"
    risks.write_text(
        "Title,Ev_ID,Risk category,Risk subcategory,Description,Entity,Intent,Timing,"
        "Domain,Sub-domain\n"
        "Paper A,01.01.00,Bioweapons,,AI helps design pathogens,1 - Human,1 - Intentional,"
        "2 - Post-deployment,4. Malicious Actors & Misuse,"
        '"4.2 > Cyberattacks, weapon development or use, and mass harm"\n'
        "Paper A,01.02.00,Bias,,Unfair outcomes,2 - AI,2 - Unintentional,2 - Post-deployment,"
        "1. Discrimination & Toxicity,1.1 > Unfair discrimination and misrepresentation\n",
        encoding="utf-8",
    )
    result = _kb(sqlite_url, "import-risks", str(risks))
    assert result.exit_code == 0 and "2 risk(s) added" in result.output
    again = _kb(sqlite_url, "import-risks", str(risks))
    assert "0 risk(s) added, 2 updated" in again.output

    from sqlalchemy import select

    from detente.store import create_db_engine, session_scope
    from detente.store.models.knowledge import KbRisk

    with session_scope(create_db_engine(sqlite_url)) as db:
        terms = {r.ev_id: r.terms for r in db.scalars(select(KbRisk))}
    assert "biological" in terms["01.01.00"] and terms["01.02.00"] == ["discrimination-rights"]


def test_evaluate_refuses_a_gold_row_that_names_no_provision(
    sqlite_url: str, eu_md: Path, tmp_path: Path
) -> None:
    assert _kb(sqlite_url, "import", str(eu_md), "--issuer", "European Union").exit_code == 0
    shown = json.loads(_kb(sqlite_url, "show", eu_md.name, "--json", "-").output)
    labels = ["military-autonomous-weapons", "cyber;biological"]
    rows = [
        f'{eu_md.name},"{p["path"]}",{labels[i % 2]}'
        for i, p in enumerate(shown["provisions"] * 2)
    ]
    rows.insert(3, f"{eu_md.name},Article 99 › 7,cyber")
    gold = tmp_path / "gold.csv"
    gold.write_text("file,path,labels\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = _kb(sqlite_url, "evaluate", str(gold), "--folds", "2")
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert f"{gold}:5" in lines[0] and "Article 99 › 7" in lines[0]


def test_import_lines_in_chinese_and_english(sqlite_url: str, eu_md: Path) -> None:
    """Every line of ``kb import`` is in the interface language; the English reads as before."""
    args = [str(eu_md), "--issuer", "European Union"]
    dry = _kb(sqlite_url, "--lang", "zh", "import", *args, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines() == [
        "将导入    19 条条款、    20 个标签  eu-test",
        "试运行：将导入 1 份文件、19 条条款和 20 个标签；0 份已存在；未写入任何内容",
    ]
    dry_en = _kb(sqlite_url, "import", *args, "--dry-run")
    assert dry_en.output.splitlines()[0] == "would import    19 provisions,     20 tags  eu-test"
    done = _kb(sqlite_url, "--lang", "zh", "import", *args)
    assert done.output.splitlines() == [
        "已导入    19 条条款  eu-test", "已导入 1 份文件、19 条条款；0 份已存在"]
    again = _kb(sqlite_url, "--lang", "zh", "import", *args)
    assert again.output.splitlines() == [
        f"未变（此前已导入）  {eu_md}", "已导入 0 份文件、0 条条款；1 份已存在"]
    again_en = _kb(sqlite_url, "import", *args)
    assert again_en.output.splitlines()[0] == f"unchanged (already imported)  {eu_md}"


def test_one_provision_is_singular_and_keeps_the_title_column(
    sqlite_url: str, tmp_path: Path
) -> None:
    one = tmp_path / "one.txt"
    one.write_text("1. Cyber attacks are reported.\n", encoding="utf-8")
    result = _kb(sqlite_url, "import", str(one), "--issuer", "Test issuer")
    first = result.output.splitlines()[0]
    assert first == "imported     1 provision   one"
    assert first.index("one") == len("imported    19 provisions  ")


def test_retrain_evaluate_gaps_and_taxonomy_in_chinese(sqlite_url: str, tmp_path: Path) -> None:
    source = tmp_path / "orders.txt"
    source.write_text(
        "".join(
            f"{n}. {'Biological weapons risks are assessed' if n % 2 else 'Cyber attacks'}"
            f" are reported under item {n}.\n\n"
            for n in range(1, 41)
        ),
        encoding="utf-8",
    )
    assert _kb(sqlite_url, "import", str(source), "--issuer", "Test issuer").exit_code == 0
    gold = tmp_path / "gold.csv"
    gold.write_text("file,path,labels\n" + "".join(
        f"orders.txt,{n},{'biological' if n % 2 else 'cyber'}\n" for n in range(1, 41)),
        encoding="utf-8")

    trained = _kb(sqlite_url, "--lang", "zh", "retrain", "--gold", str(gold))
    assert trained.exit_code == 0, trained.output
    assert trained.output.startswith("已用 40 条条款为 2 个术语训练分类器；重新计算了 ")
    assert "trained" not in trained.output

    table = _kb(sqlite_url, "--lang", "zh", "evaluate", str(gold), "--folds", "2")
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert len(lines) == 9 and not any(w in table.output for w in ("micro", "rules", "dev"))
    assert lines[0].startswith("全部      规则       微平均 P=")
    assert lines[-1].startswith("留出集    组合       微平均 P=")
    # the figures start in one column (a Chinese character takes two)
    from detente.cli._common import columns

    assert len({columns(line[: line.index("P=")]) for line in lines}) == 1
    english = _kb(sqlite_url, "evaluate", str(gold), "--folds", "2").output.splitlines()
    assert english[0].startswith("all       rules      micro P=")
    assert english[4].startswith("dev       classifier micro P=")
    # with --json - standard output is the JSON alone
    as_json = _kb(sqlite_url, "evaluate", str(gold), "--folds", "2", "--json", "-")
    assert json.loads(as_json.output)["rules"]

    gaps = _kb(sqlite_url, "--lang", "zh", "gaps", "--on", "any").output.splitlines()
    assert gaps[0] == "有效日期：任何日期；计入：义务、禁止"
    assert gaps[1].startswith("依据：条款通过机器建议的标签")  # what the counts rest on
    assert gaps[2].startswith("空白              ")
    assert "military-autonomous-weapons" not in "\n".join(gaps)
    assert "空白              军事人工智能与自主武器 × 人类控制与监督" in gaps
    assert _kb(sqlite_url, "gaps", "--on", "any").output.splitlines()[0] == (
        "in force on any date; counting obligation, prohibition")

    taxonomy = _kb(sqlite_url, "--lang", "zh", "taxonomy").output.splitlines()[0]
    assert taxonomy.startswith("分类体系版本 ") and taxonomy.endswith("（taxonomy.yaml）")


def test_import_risks_line_in_chinese() -> None:
    from detente import i18n
    from detente.knowledge._risks import RiskImport

    report = RiskImport(added=2, updated=1, unmapped=0, repeated=[7, 9])
    assert report.describe() == (
        "2 risk(s) added, 1 updated, 0 without a domain; "
        "2 row(s) skipped, their Ev_ID repeated (lines 7, 9)")
    with i18n.use_language("zh"):
        assert report.describe() == (
            "新增 2 项风险，更新 1 项，0 项没有风险领域；"
            "跳过 2 行：其 Ev_ID 与前面的行重复（第 7、9 行）")


def test_evaluate_on_too_few_gold_rows_is_one_line_in_either_language(
    sqlite_url: str, tmp_path: Path
) -> None:
    source = tmp_path / "orders.txt"
    source.write_text("".join(f"{n}. Cyber attacks under item {n}.\n\n" for n in range(1, 5)),
                      encoding="utf-8")
    assert _kb(sqlite_url, "import", str(source), "--issuer", "Test issuer").exit_code == 0
    gold = tmp_path / "gold.csv"
    gold.write_text("file,path,labels\n" + "".join(
        f"orders.txt,{n},cyber\n" for n in range(1, 4)), encoding="utf-8")
    english = _kb(sqlite_url, "evaluate", str(gold))
    assert english.exit_code == 2
    assert english.output == (f"error: {gold}: only 3 gold provisions found in the database; "
                              "5 folds need at least 10\n")
    chinese = _kb(sqlite_url, "--lang", "zh", "evaluate", str(gold))
    assert chinese.exit_code == 2
    assert chinese.output == (f"错误：{gold}：数据库中只找到 3 条金标准标注的条款；"
                              "5 折交叉验证至少需要 10 条\n")


def test_search_lines_keep_their_columns_for_chinese_titles(
    sqlite_url: str, zh_txt: Path, eu_md: Path
) -> None:
    from detente.cli._common import columns

    _kb(sqlite_url, "import", str(zh_txt), "--issuer", "中国测试机构", "--title", "测试办法" * 12)
    _kb(sqlite_url, "import", str(eu_md), "--issuer", "European Union")
    for lang in ("en", "zh"):
        result = _kb(sqlite_url, "--lang", lang, "search", "weapons")
        assert result.exit_code == 0, result.output
        heads = [line for line in result.output.splitlines() if re.match(r" *\d+\.\d\d  ", line)]
        assert len(heads) >= 2 and any("测试办法" in line for line in heads)
        # the provision's path starts in the same terminal column whatever the title
        starts = {columns(line[: line.rindex("  ") + 2]) for line in heads}
        assert starts == {71}, result.output
    chinese = _kb(sqlite_url, "--lang", "zh", "search", "weapons").output
    assert "\n         （经由另一语言找到：weapons → 武器）" in chinese
    english = _kb(sqlite_url, "search", "weapons").output
    assert "\n         (found through the other language: weapons → 武器)" in english


def test_documents_and_show_in_chinese(sqlite_url: str, zh_txt: Path, eu_md: Path) -> None:
    _kb(sqlite_url, "import", str(zh_txt), "--issuer", "中国测试机构", "--kind", "executive_order",
        "--date", "2099-01-01")
    _kb(sqlite_url, "import", str(eu_md), "--issuer", "European Union")
    english = _kb(sqlite_url, "documents").output.splitlines()
    assert english[0].endswith("  executive_order  zh-regulation")
    assert english[1].endswith("  -                eu-test")
    chinese = _kb(sqlite_url, "--lang", "zh", "documents").output.splitlines()
    assert chinese[0].endswith("  行政令           zh-regulation")
    assert _kb(sqlite_url, "show", "1").output.splitlines()[0] == (
        "zh-regulation (中国测试机构, 2099-01-01)")
    assert _kb(sqlite_url, "--lang", "zh", "show", "1").output.splitlines()[0] == (
        "zh-regulation（中国测试机构，2099-01-01）")
    assert _kb(sqlite_url, "--lang", "zh", "show", "2").output.splitlines()[0] == (
        "eu-test（European Union）")


def test_retag_recomputes_suggested_tags_after_a_rule_change(
    sqlite_url: str, tmp_path: Path
) -> None:
    """Tags are computed on import: after the rules change (an adviser's title no longer tags
    military AI), ``kb retag`` brings an existing database in line; reviewed tags stay."""
    from sqlalchemy import select

    from detente.store import create_db_engine, session_scope
    from detente.store.models.knowledge import KbProvision, KbTag

    source = tmp_path / "order.txt"
    source.write_text(
        "Sec. 4.  Plan.  (a)  The Assistant to the President for National Security Affairs "
        "shall develop an action plan.\n",
        encoding="utf-8",
    )
    assert _kb(sqlite_url, "import", str(source), "--issuer", "The White House").exit_code == 0
    engine = create_db_engine(sqlite_url)
    with session_scope(engine) as db:
        point = db.scalars(select(KbProvision).where(KbProvision.path == "Sec. 4 › (a)")).one()
        # What the earlier rules (bare "national security") had suggested, and one reviewed tag.
        db.add(KbTag(provision_id=point.id, term="military-autonomous-weapons", source="rule",
                     confidence=0.7, evidence={"matched": ["national security"]},
                     status="suggested"))
        db.add(KbTag(provision_id=point.id, term="cyber", source="review", confidence=1.0,
                     evidence={}, status="accepted"))
    result = _kb(sqlite_url, "retag")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"\d+ suggested tags? recomputed\n\d+ provisions?'s? roles? changed\n", result.output
    )
    with session_scope(engine) as db:
        terms = dict(db.execute(select(KbTag.term, KbTag.status).where(
            KbTag.provision_id == point.id)).all())
    engine.dispose()
    assert "military-autonomous-weapons" not in terms
    assert terms["cyber"] == "accepted"


def test_search_filters_by_status_as_the_page_and_the_api_do(
        sqlite_url: str, tmp_path: Path) -> None:
    from datetime import date

    from sqlalchemy import update

    from detente.store import create_db_engine, session_scope
    from detente.store.models.knowledge import KbDocument

    for name in ("old", "new"):
        source = tmp_path / f"{name}.txt"
        source.write_text(f"1. Agencies shall test every {name} frontier model.\n",
                          encoding="utf-8")
        assert _kb(sqlite_url, "import", str(source), "--title", f"Order {name}", "--issuer",
                   "Test", "--date", "2024-01-01").exit_code == 0
    engine = create_db_engine(sqlite_url)
    with session_scope(engine) as db:
        db.execute(update(KbDocument).where(KbDocument.title == "Order old")
                   .values(status="revoked", status_date=date(2025, 1, 20)))
        db.execute(update(KbDocument).where(KbDocument.title == "Order new")
                   .values(status="in_force"))
    engine.dispose()

    def documents(*args: str) -> set[str]:
        out = _kb(sqlite_url, "search", "frontier model", *args, "--json", "-").output
        return {hit["document"] for hit in json.loads(out)}

    assert documents() == {"Order old", "Order new"}
    assert documents("--status", "in_force") == {"Order new"}
    assert documents("--status", "not_in_force") == {"Order old"}
    bad = _kb(sqlite_url, "search", "frontier model", "--status", "gone")
    assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1
    assert "--status" in bad.output and "in_force, not_in_force, unknown" in bad.output
    zh = runner.invoke(app, ["--lang", "zh", "--database", sqlite_url, "kb", "search", "model",
                             "--status", "gone"])
    assert zh.exit_code == 2 and "--status" in zh.output and "gone" in zh.output
    assert any("\u4e00" <= char <= "\u9fff" for char in zh.output)


def test_search_table_says_each_instrument_s_status_as_the_page_does(
        sqlite_url: str, tmp_path: Path) -> None:
    """The table, not only --json, says that a hit comes from a revoked order (review 13,
    finding 16), in the interface's language, in a column of its own."""
    from datetime import date

    from sqlalchemy import update

    from detente.cli._common import columns
    from detente.store import create_db_engine, session_scope
    from detente.store.models.knowledge import KbDocument

    for name in ("old", "new", "open"):
        source = tmp_path / f"{name}.txt"
        source.write_text(f"1. Agencies shall test every {name} frontier model.\n",
                          encoding="utf-8")
        assert _kb(sqlite_url, "import", str(source), "--title", f"Order {name}", "--issuer",
                   "Test", "--date", "2024-01-01").exit_code == 0
    engine = create_db_engine(sqlite_url)
    with session_scope(engine) as db:
        db.execute(update(KbDocument).where(KbDocument.title == "Order old")
                   .values(status="revoked", status_date=date(2025, 1, 20),
                           status_by="Order new"))
        db.execute(update(KbDocument).where(KbDocument.title == "Order new")
                   .values(status="in_force"))
        db.execute(update(KbDocument).where(KbDocument.title == "Order open")
                   .values(status="unknown"))
    engine.dispose()
    expected = {
        "en": {"Order old": "revoked on 2025-01-20", "Order new": "in force",
               "Order open": "status not established"},
        "zh": {"Order old": "已于 2025-01-20 撤销", "Order new": "有效",
               "Order open": "效力状态尚未确定"},
    }
    for lang, statuses in expected.items():
        result = _kb(sqlite_url, "--lang", lang, "search", "frontier model")
        assert result.exit_code == 0, result.output
        heads = [line for line in result.output.splitlines() if re.match(r" *\d+\.\d\d  ", line)]
        assert len(heads) == 3, result.output
        for line in heads:
            title = re.search(r"Order \w+", line)
            assert title, line
            # the status starts in its own column, after the instrument's
            status = line[line.index(title.group(0)):].split("  ", 1)[1].lstrip()
            assert status.startswith(statuses[title.group(0)]), line
            assert columns(line[: line.index(status[:4])]) == 47, line


def test_a_user_taxonomy_is_not_reported_stale_and_retag_keeps_its_terms(
    sqlite_url: str, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Before, kb documents compared tags made with a user taxonomy against the shipped one,
    called them stale at once and advised plain kb retag, which then deleted the user's terms."""
    from sqlalchemy import select

    from detente.store import create_db_engine, session_scope
    from detente.store.models.knowledge import KbTag

    monkeypatch.delenv("DETENTE_KB_TAXONOMY", raising=False)
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "terms:\n  - id: drones\n    facet: risk_domain\n    label_en: Drones\n"
        "    label_zh: 无人机\n    definition: Drones.\n    en: ['drones?']\n    zh: ['无人机']\n",
        encoding="utf-8",
    )
    source = tmp_path / "act.txt"
    source.write_text("Article 1\nOperators of drones shall report cyber incidents.\n",
                      encoding="utf-8")
    imported = _kb(sqlite_url, "import", str(source), "--issuer", "Testland",
                   "--taxonomy", str(extra))
    assert imported.exit_code == 0, imported.output

    def terms() -> set[str]:
        engine = create_db_engine(sqlite_url)
        with session_scope(engine) as db:
            found = set(db.scalars(select(KbTag.term)))
        engine.dispose()
        return found

    assert "drones" in terms()
    # The setting, as the pages read it: nothing is stale.
    monkeypatch.setenv("DETENTE_KB_TAXONOMY", str(extra))
    listed = _kb(sqlite_url, "documents")
    assert listed.exit_code == 0 and "note:" not in listed.output, listed.output
    assert "note:" not in _kb(sqlite_url, "documents", "--taxonomy", str(extra)).output
    # Without it, the note names the missing terms and plain retag keeps them.
    monkeypatch.delenv("DETENTE_KB_TAXONOMY")
    listed = _kb(sqlite_url, "documents")
    assert "run detente kb retag" not in listed.output
    assert "(drones)" in listed.output and "--taxonomy" in listed.output
    assert _kb(sqlite_url, "retag").exit_code == 0
    assert "drones" in terms()
    assert "(drones)" in _kb(sqlite_url, "documents").output
    # Stale tags of the user's taxonomy: the advice names its file.
    engine = create_db_engine(sqlite_url)
    with session_scope(engine) as db:
        for tag in db.scalars(select(KbTag)):
            tag.rules = None
    engine.dispose()
    listed = _kb(sqlite_url, "documents", "--taxonomy", str(extra))
    assert f"run detente kb retag --taxonomy {extra} to refresh" in listed.output
    assert _kb(sqlite_url, "retag", "--taxonomy", str(extra)).exit_code == 0
    assert "note:" not in _kb(sqlite_url, "documents", "--taxonomy", str(extra)).output
    assert "drones" in terms()
