"""Compile the shipped AI facts of the states view from ../shared/data.

Writes three files under ``src/detente/data/states/`` (run ``python
benchmarks/states_build_facts.py``; needs the shared data folder):

- ``ai_instruments.csv``: the AI instruments (``state-positions/instruments.csv``), with what
  the shared file says in free text restated as fields (:data:`ANNOTATIONS`): the UN symbol,
  how states take a position (recorded vote, adoption without a vote, endorsement or
  signature, issuer), who may take part, how complete the list of named states is, the totals
  the sources report, and the Chinese title where the text exists in Chinese;
- ``ai_positions.csv``: every state's position on them, one row per state and instrument,
  each row keeping its source URL (from the per-instrument files) and its note in English and
  Chinese (:data:`NOTES_ZH`, detente's translation of its own compilers' notes);
- ``un_titles_zh.csv``: the Chinese titles of the UN resolutions whose roll calls are shipped
  (from the official Chinese texts, linked by symbol);
- ``laws_votes.csv``: the UN Digital Library records of the three lethal-autonomous-weapons
  resolutions (A/RES/78/241, 79/62, 80/57), UN-derived data shipped for non-commercial use with
  attribution: © United Nations, digitallibrary.un.org.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/detente/data/states"


def shared_dir() -> Path:
    """../shared, or $DETENTE_SHARED_DIR, or /work/shared."""
    for candidate in (os.environ.get("DETENTE_SHARED_DIR"), ROOT.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "data").is_dir():
            return Path(candidate)
    raise SystemExit("shared data folder not found")


def _write(path: Path, header: str, columns: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(f"# {line}\n" for line in header.strip().splitlines())
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {path.relative_to(ROOT)}")


def _undocs(symbol: str) -> str:
    """The Chinese text of a UN document, by its symbol."""
    return f"https://undocs.org/zh/{symbol}"


_LAWS = "Lethal autonomous weapons systems"
_LAWS_ZH = "致命性自主武器系统"
_MILITARY = ("Artificial intelligence in the military domain and its implications for "
             "international peace and security")
_MILITARY_ZH = "军事领域人工智能及其对国际和平与安全的影响"
_UNGA = ("UN General Assembly", "联合国大会")
_FIRST = ("UN General Assembly, First Committee", "联合国大会第一委员会")

#: What instruments.csv says in free text, as fields (one entry per instrument id).
#: ``title_zh_status``: ``official`` (the title of the Chinese text, at ``title_zh_source``),
#: ``translation`` (detente's translation: the Chinese text's wording was not checked, or the
#: English "title" is detente's own description of a vote) or empty (the text exists in
#: English and other languages but not in Chinese: pages show the English title, marked).
#: ``basis``: recorded-vote, without-vote, endorsement, issuer or empty (not verified).
#: ``open_to``: all (every UN member state may vote or endorse), invited (summit
#: participants), members (members of a body), members-and-invited (a body's members and
#: the non-members it invited: the Council of Europe convention), issuer. No
#: ``organisations="eu"`` unless a source says the EU took part (the G7 source says only "G7
#: leaders"). ``record``: complete (every state that
#: endorsed is named by the source, so the others did not), no-and-abstain (every no vote and
#: abstention is named; the others voted yes or were absent), partial, none. A list that is
#: inferred (a body's membership standing for "its leaders") is partial, never complete.
ANNOTATIONS: dict[str, dict[str, Any]] = {
    "unga-78-241": dict(
        symbol="A/RES/78/241", title=_LAWS, title_zh=_LAWS_ZH, title_zh_status="official",
        title_zh_source=_undocs("A/RES/78/241"), body=_UNGA, basis="recorded-vote",
        open_to="all", record="partial", yes=152, no=4, abstain=11,
        remark=("The source names all 4 no votes and 3 of the 11 abstentions; the UN Digital "
                "Library record gives every state's vote.",
                "来源列出全部4张反对票和11张弃权票中的3张；联合国数字图书馆的记录载有每个国家的投票。")),
    "unga-c1-78-L56": dict(
        symbol="A/C.1/78/L.56", title=f"{_LAWS} (First Committee draft resolution)",
        title_zh=f"{_LAWS_ZH}（第一委员会决议草案）", title_zh_status="official",
        title_zh_source=_undocs("A/C.1/78/L.56"), body=_FIRST, basis="recorded-vote",
        open_to="all", record="no-and-abstain", yes=164, no=5, abstain=8),
    "unga-79-62": dict(
        symbol="A/RES/79/62", title=_LAWS, title_zh=_LAWS_ZH, title_zh_status="official",
        title_zh_source=_undocs("A/RES/79/62"), body=_UNGA, basis="recorded-vote",
        open_to="all", record="no-and-abstain", yes=166, no=3, abstain=15,
        remark=("The cited source calls the resolution by its draft symbol, A/79/L.77.",
                "所引来源以其草案文号 A/79/L.77 称呼该决议。")),
    "unga-79-239": dict(
        symbol="A/RES/79/239", title=_MILITARY, title_zh=_MILITARY_ZH,
        title_zh_status="translation", title_zh_source=_undocs("A/RES/79/239"), body=_UNGA,
        basis="recorded-vote", open_to="all", record="none",
        remark=("The plenary vote totals are not verified; see the First Committee vote on its "
                "draft (A/C.1/79/L.43).",
                "全体会议的表决结果未经核实；参见第一委员会对其草案（A/C.1/79/L.43）的表决。")),
    "unga-c1-79-L43": dict(
        symbol="A/C.1/79/L.43", title=f"{_MILITARY} (First Committee draft resolution)",
        title_zh=f"{_MILITARY_ZH}（第一委员会决议草案）", title_zh_status="translation",
        title_zh_source=_undocs("A/C.1/79/L.43"), body=_FIRST, basis="recorded-vote",
        open_to="all", record="no-and-abstain", yes=165, no=2, abstain=6),
    "unga-78-265": dict(
        symbol="A/RES/78/265",
        title=("Seizing the opportunities of safe, secure and trustworthy artificial "
               "intelligence systems for sustainable development"),
        title_zh="抓住安全、可靠和值得信赖的人工智能系统带来的机遇，促进可持续发展",
        title_zh_status="official", title_zh_source=_undocs("A/RES/78/265"), body=_UNGA,
        basis="without-vote", open_to="all", record="none"),
    "unga-78-311": dict(
        symbol="A/RES/78/311",
        title="Enhancing international cooperation on capacity-building of artificial intelligence",
        title_zh="加强人工智能能力建设国际合作", title_zh_status="official",
        title_zh_source=_undocs("A/RES/78/311"), body=_UNGA, basis="without-vote",
        open_to="all", record="none",
        remark=("Adopted by consensus (unanimously, per Xinhua); the cited source does not "
                "confirm the symbol A/RES/78/311, and one source dates the adoption 25 June.",
                "以协商一致方式通过（据新华社报道为一致通过）；所引来源未证实文号 A/RES/78/311，"
                "另有一个来源称通过日期为6月25日。")),
    "unga-79-325": dict(
        symbol="A/RES/79/325",
        title=("Terms of reference of the Independent International Scientific Panel on AI "
               "and the Global Dialogue on AI Governance"),
        title_zh="人工智能问题独立国际科学小组和人工智能治理全球对话的职权范围",
        title_zh_status="translation", title_zh_source=_undocs("A/RES/79/325"), body=_UNGA,
        basis="", open_to="all", record="none",
        remark=("Adopted from draft A/79/L.118; how it was adopted is not verified (one blog "
                "says by consensus).",
                "依据草案 A/79/L.118 通过；通过方式未经核实（一篇博客称以协商一致方式通过）。")),
    "unga-2026-ai-panel-members": dict(
        title="Approval of the 40 members of the Independent International Scientific Panel on AI",
        title_zh="批准人工智能问题独立国际科学小组的40名成员", title_zh_status="translation",
        body=_UNGA, basis="recorded-vote", open_to="all", record="no-and-abstain", yes=117,
        no=2, abstain=2,
        remark=("A separate vote from the one on the Panel's terms of reference (A/RES/79/325).",
                "此次表决有别于关于该小组职权范围的表决（A/RES/79/325）。")),
    "unga-80-ai-nuclear-c3": dict(
        symbol="A/C.1/80/L.56",
        title=("Possible risks of integration of artificial intelligence in command, control "
               "and communication systems of nuclear weapons"),
        title_zh="将人工智能纳入核武器指挥、控制和通信系统可能带来的风险",
        title_zh_status="translation", title_zh_source=_undocs("A/C.1/80/L.56"), body=_UNGA,
        basis="recorded-vote", open_to="all", record="none",
        remark=("Adopted by a recorded vote; the totals are not verified (the source excerpt "
                "is cut off).", "经记录表决通过；表决结果未经核实（来源摘录不完整）。")),
    "unga-c1-80-L41-laws": dict(
        symbol="A/C.1/80/L.41", title=f"{_LAWS} (First Committee draft resolution, 2025)",
        title_zh=f"{_LAWS_ZH}（第一委员会决议草案，2025年）", title_zh_status="official",
        title_zh_source=_undocs("A/C.1/80/L.41"), body=_FIRST, basis="recorded-vote",
        open_to="all", record="none", yes=156, no=5, abstain=8),
    "bletchley-2023": dict(
        title="Bletchley Declaration", body=("AI Safety Summit (United Kingdom)",
                                             "人工智能安全峰会（英国）"),
        basis="endorsement", open_to="invited", record="partial", low=28, high=28,
        organisations="eu",
        remark=("Signed by the countries attending the summit; the sources name 15 of the 28.",
                "由出席峰会的国家签署；来源点名了28个国家中的15个。")),
    "seoul-declaration-2024": dict(
        title="Seoul Declaration for safe, innovative and inclusive AI",
        body=("AI Seoul Summit (leaders' session)", "人工智能首尔峰会（领导人会议）"),
        basis="endorsement", open_to="invited", record="complete", low=10, high=10,
        organisations="eu"),
    "paris-statement-2025": dict(
        title="Statement on Inclusive and Sustainable AI for People and the Planet",
        body=("AI Action Summit (Paris)", "人工智能行动峰会（巴黎）"), basis="endorsement",
        open_to="invited", record="partial", low=58, high=64,
        remark=("Reports of the number of signatories differ (58, 60, 61 or 64, states and "
                "organisations); the United States and the United Kingdom did not sign.",
                "关于签署方数目的报道不一（58、60、61或64个，包括国家和组织）；美国和英国未签署。")),
    "reaim-2023-call-to-action": dict(
        title="REAIM 2023 Call to Action",
        body=("Summit on Responsible AI in the Military Domain (The Hague)",
              "军事领域负责任人工智能峰会（海牙）"),
        basis="endorsement", open_to="invited", record="none",
        remark=("No usable source for the endorsing states was found.",
                "未找到可用的赞同国家来源。")),
    "reaim-2024-blueprint": dict(
        title="REAIM 2024 Blueprint for Action",
        body=("Summit on Responsible AI in the Military Domain (Seoul)",
              "军事领域负责任人工智能峰会（首尔）"),
        basis="endorsement", open_to="invited", record="none",
        remark=("No usable source for the endorsing states was found.",
                "未找到可用的赞同国家来源。")),
    "political-declaration-military-ai": dict(
        title="Political Declaration on Responsible Military Use of AI and Autonomy",
        body=("Launched by the United States", "美国发起"), basis="endorsement",
        open_to="all", record="partial", low=54, high=54, as_of="2024-03",
        remark=("51 endorsing states in January 2024 and 54 in March 2024; four of the five "
                "states listed are inferred from their role as working-group co-chairs.",
                "2024年1月有51个国家赞同，2024年3月有54个；所列五国中有四国是根据其工作组共同主席的"
                "身份推定的。")),
    "coe-framework-convention-ai": dict(
        title=("Council of Europe Framework Convention on Artificial Intelligence and Human "
               "Rights, Democracy and the Rule of Law (CETS No. 225)"),
        body=("Council of Europe", "欧洲委员会"), basis="endorsement",
        open_to="members-and-invited",
        record="complete", low=18, high=18, organisations="eu", as_of="2026-01-27",
        remark=("Open to the member states of the Council of Europe, the non-member states that "
                "took part in drafting it and the European Union; signature, not ratification.",
                "开放供欧洲委员会成员国、参与起草的非成员国和欧洲联盟签署；此处记录的是签署，而非批准。")),
    "china-gaigi-2023": dict(
        title="Global AI Governance Initiative", title_zh="全球人工智能治理倡议",
        title_zh_status="official",
        title_zh_source="中央网络安全和信息化委员会办公室发布（2023年10月18日）",
        body=("China (issuer)", "中国（发起国）"), basis="issuer", open_to="issuer",
        record="partial", low=1, high=1,
        remark=("Issued by China; the sources record no other state's position on it.",
                "由中国发起；来源未记录其他国家对其的立场。")),
    # partial, not complete: the source says only "G7 leaders" (the list is the G7's
    # membership, inferred), and a Friends Group of 49 supported the process, so the other
    # member states are not known non-endorsers.
    "g7-hiroshima-2023": dict(
        title="G7 Hiroshima AI Process: Guiding Principles and Code of Conduct",
        body=("G7", "七国集团"), basis="endorsement", open_to="members", record="partial",
        low=7, high=7,
        remark=("The source names \"G7 leaders\"; the members listed are the G7's. A Friends "
                "Group of 49 countries and regions supported the process in May 2024.",
                "来源称“七国集团领导人”，所列成员即七国集团成员。2024年5月，由49个国家和地区组成的"
                "“之友小组”表示支持这一进程。")),
}

#: Chinese of the compilers' notes on positions (detente's translation of its own notes).
NOTES_ZH = {
    "same list in gov.uk annex (Statement of Intent)": "英国政府网站附件（意向声明）中的名单相同",
    "signed 5 Sep 2024": "2024年9月5日签署",
    "First Committee vote; UN press excerpt also names China and DPRK first":
        "第一委员会表决；联合国新闻稿摘录也首先点名中国和朝鲜",
    "First Committee vote on draft that became A/RES/79/239":
        "第一委员会对后来成为 A/RES/79/239 的草案的表决",
    "source says 'G7 leaders'; member list is G7 membership, not named in the source":
        "来源称“七国集团领导人”；成员名单即七国集团成员，来源未逐一点名",
    "First Committee vote, 1 Nov 2023": "第一委员会表决，2023年11月1日",
    "on list of signatories as of 27 Jan 2026; signing date not given":
        "列于截至2026年1月27日的签署国名单；未给出签署日期",
    "named as working-group co-chair at March 2024 plenary of endorsing States (repost of "
    "state.gov); endorsement inferred from that role":
        "在2024年3月赞同国全体会议上被列为工作组共同主席（转载自美国国务院网站）；赞同系据此身份推定",
    "source names only 3 of 11 abstainers": "来源仅点名11个弃权国中的3个",
    "signed Feb 2025 (AI Action Summit)": "2025年2月签署（人工智能行动峰会）",
    "host (UK)": "东道国（英国）",
    "co-organiser per source": "据来源为共同组织方",
    "host": "东道国",
    "co-chair": "共同主席",
    "source says 'the Vatican'": "来源称“梵蒂冈”",
    "UK cited national interest": "英国以国家利益为由",
    "issuer; co-chair": "发起国；共同主席",
    "listed among Vilnius signatories in this Council of Europe text; not in other 5 Sep reports":
        "在这份欧洲委员会文本中列于维尔纽斯签署国之列；9月5日的其他报道未列入",
    "signed Jan 2026": "2026年1月签署",
    "issuer; announced by Xi Jinping 18 Oct 2023": "发起国；习近平于2023年10月18日宣布",
}

#: What a position rests on, by the compilers' note that says so (the note is shown beside
#: it): ``inferred`` (no source names the state; inferred from a role or a membership),
#: ``one-source`` (one source names it, other reports of the same day do not). Every other
#: listed position is named by its source.
EVIDENCE = {
    "source says 'G7 leaders'; member list is G7 membership, not named in the source":
        "inferred",
    "named as working-group co-chair at March 2024 plenary of endorsing States (repost of "
    "state.gov); endorsement inferred from that role": "inferred",
    "listed among Vilnius signatories in this Council of Europe text; not in other 5 Sep reports":
        "one-source",
}

_DATE = re.compile(r"^(\d{4}(?:-\d{2}){0,2})\s*(?:\((.+)\))?$")
_DATE_NOTES = {"opened for signature": "opened-for-signature", "launched": "launched",
               "day not verified": "day-not-verified", "not verified": "not-verified"}
INSTRUMENT_COLUMNS = [
    "id", "symbol", "title", "title_zh", "title_zh_status", "title_zh_source", "kind", "date",
    "date_note", "body", "body_zh", "basis", "open_to", "record", "as_of", "reported_yes",
    "reported_no", "reported_abstain", "reported_low", "reported_high", "organisations",
    "remark", "remark_zh", "totals", "source_url"]


def _date(text: str) -> tuple[str, str]:
    """``2024-09-05 (opened for signature)`` -> (``2024-09-05``, ``opened-for-signature``)."""
    found = _DATE.match(text.strip())
    if not found:
        raise SystemExit(f"unreadable date {text!r}")
    note = found.group(2) or ""
    if note and note not in _DATE_NOTES:
        raise SystemExit(f"unknown date note {note!r}")
    return found.group(1), _DATE_NOTES.get(note, "")


def instrument_row(row: dict[str, str]) -> list[str]:
    """One row of ai_instruments.csv: the shared row with its annotation."""
    extra = ANNOTATIONS.get(row["id"])
    if extra is None:
        raise SystemExit(f"no annotation for instrument {row['id']!r}: add one to ANNOTATIONS")
    date, date_note = _date(row["date"])
    body, body_zh = extra.get("body", (row["body"], ""))
    remark, remark_zh = extra.get("remark", ("", ""))
    values = {
        "id": row["id"], "symbol": extra.get("symbol", ""), "title": extra["title"],
        "title_zh": extra.get("title_zh", ""), "title_zh_status": extra.get("title_zh_status", ""),
        "title_zh_source": extra.get("title_zh_source", ""), "kind": row["kind"], "date": date,
        "date_note": date_note, "body": body, "body_zh": body_zh, "basis": extra["basis"],
        "open_to": extra["open_to"], "record": extra["record"], "as_of": extra.get("as_of", ""),
        "reported_yes": extra.get("yes", ""), "reported_no": extra.get("no", ""),
        "reported_abstain": extra.get("abstain", ""), "reported_low": extra.get("low", ""),
        "reported_high": extra.get("high", ""), "organisations": extra.get("organisations", ""),
        "remark": remark, "remark_zh": remark_zh, "totals": row["totals"],
        "source_url": row["source_url"]}
    return [str(values[c]) for c in INSTRUMENT_COLUMNS]


def main() -> None:
    """Build the three files."""
    data = shared_dir() / "data"
    positions_dir = data / "state-positions"
    with (positions_dir / "instruments.csv").open(encoding="utf-8") as handle:
        instruments = list(csv.DictReader(handle))
    _write(OUT / "ai_instruments.csv", """
AI instruments: UN resolutions, declarations and conventions on AI and security.
Compiled by benchmarks/states_build_facts.py from shared/data/state-positions/instruments.csv
(facts from the public pages cited in source_url; the fields after "kind" restate its free
text, see ANNOTATIONS there). title_zh: "official" titles are those of the Chinese text at
title_zh_source, "translation" titles are detente's; an empty title_zh means no Chinese text.
Do not edit by hand.""", INSTRUMENT_COLUMNS, [instrument_row(row) for row in instruments])
    rows = []
    for item in instruments:
        path = positions_dir / f"{item['id']}.csv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for r in csv.DictReader(handle):
                if r["note"] and r["note"] not in NOTES_ZH:
                    raise SystemExit(f"no Chinese for the note {r['note']!r}: add it to NOTES_ZH")
                rows.append([item["id"], r["iso3"], r["position"], r["source_url"], r["note"],
                             NOTES_ZH.get(r["note"], ""), EVIDENCE.get(r["note"], "")])
    _write(OUT / "ai_positions.csv", """
States' positions on the AI instruments of ai_instruments.csv, one row per state and
instrument, each with the page that states it. For recorded votes only "no" and "abstain" are
listed by the sources (see docs/states.md); the "record" field of ai_instruments.csv says how
complete each list is. note_zh is detente's translation of the compilers' note. evidence:
empty when the source names the state, "inferred" when no source names it (inferred from a
role or a membership, as the note says), "one-source" when one source names it and others
do not. Compiled by benchmarks/states_build_facts.py from shared/data/state-positions/.
Do not edit.""",
           ["instrument", "state", "position", "source", "note", "note_zh", "evidence"], rows)
    with (data / "unga-votes/laws_resolutions_2023_2025.csv").open(encoding="utf-8") as handle:
        laws = list(csv.DictReader(handle))
    symbols = sorted({row["resolution"] for row in laws})
    if {row["title"] for row in laws} != {_LAWS}:
        raise SystemExit("the LAWS vote file holds a title other than " + repr(_LAWS))
    _write(OUT / "un_titles_zh.csv", """
Chinese titles of the UN resolutions whose roll calls are shipped in laws_votes.csv, as in the
official Chinese text at source_url. Compiled by benchmarks/states_build_facts.py. Do not edit.""",
           ["symbol", "title_zh", "status", "source_url"],
           [[symbol, _LAWS_ZH, "official", _undocs(symbol)] for symbol in symbols])
    columns = ["resolution", "date", "session", "undl_id", "ms_code", "ms_name", "ms_vote",
               "title", "undl_link"]
    _write(OUT / "laws_votes.csv", """
UN General Assembly recorded votes on lethal autonomous weapons systems: A/RES/78/241,
A/RES/79/62, A/RES/80/57 (UN Digital Library voting records; ms_vote Y yes, N no, A abstain,
X non-voting). Source: © United Nations, digitallibrary.un.org. UN-derived data, shipped for
non-commercial use with attribution. Transcribed by wrobinson127/machine-politics (commit
06743dff, site/votes.html); compiled by benchmarks/states_build_facts.py. Do not edit.""",
           columns, [[row[c] for c in columns] for row in laws])


if __name__ == "__main__":
    main()
