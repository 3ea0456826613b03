"""What reports take from deliberations, state positions and the knowledge base."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

import detente
from detente.errors import InputError, NotFoundError
from detente.forum import DEMO_EVENT_SLUG, get_event
from detente.reports import (
    add_evidence,
    build_report,
    check_link,
    create_proposal,
    deliberations_for_event,
    draft_from_deliberation,
    evidence_choices,
    kb_gaps_for_event,
    render_report,
    state_findings_for_event,
)
from detente.store import session_scope
from detente.store.models.states import Instrument

STATES_DATA = Path(detente.__file__).parent / "data" / "states"


@pytest.fixture
def with_states(pub_engine: Engine) -> Engine:
    states = pytest.importorskip("detente.states")
    states.import_votes(pub_engine, STATES_DATA / "laws_votes.csv")
    states.import_positions(pub_engine, STATES_DATA / "ai_positions.csv",
                            instruments_file=STATES_DATA / "ai_instruments.csv")
    return pub_engine


#: A real-style instrument in force (the demo's illustrative sample never counts).
ORDER = """Sec. 1.  Testing.  The Secretary shall establish red-teaming of frontier models for
biological and chemical misuse.

Sec. 2.  Reporting.  Developers shall report serious incidents involving cyber attacks.
"""


@pytest.fixture
def with_knowledge(pub_engine: Engine, tmp_path: Path) -> Engine:
    knowledge = pytest.importorskip("detente.knowledge")
    knowledge.load_demo_knowledge(pub_engine)
    source = tmp_path / "order.txt"
    source.write_text(ORDER, encoding="utf-8")
    knowledge.import_documents(pub_engine, [source], defaults=knowledge.DocumentMeta(
        title="Executive Order 99100 on Model Testing", issuer="The White House",
        date=date(2024, 1, 1)))
    return pub_engine


def test_demo_deliberation_results_reach_the_report(pub_engine: Engine) -> None:
    with session_scope(pub_engine) as db:
        section = deliberations_for_event(db, get_event(db, DEMO_EVENT_SLUG))
    assert section.available
    (summary,) = section.items
    assert summary.simulated and summary.voters == 60 and summary.session_position == 2
    assert summary.consensus and summary.divisive and len(summary.groups) >= 2
    assert all(0 <= line.agree <= 1 for line in summary.consensus)
    assert summary.consensus[0].text_local  # Chinese text travels with each statement


def test_sections_say_why_they_are_missing(demo_engine: Engine) -> None:
    with session_scope(demo_engine) as db:
        event = get_event(db, DEMO_EVENT_SLUG)
        for section in (deliberations_for_event(db, event), state_findings_for_event(db, event),
                        kb_gaps_for_event(db, event)):
            assert not section.available and section.items == ()
            assert section.note and section.note.endswith(".")


def test_state_position_blocs_appear_in_the_report(with_states: Engine, tmp_path) -> None:
    with session_scope(with_states) as db:
        section = state_findings_for_event(db, get_event(db, DEMO_EVENT_SLUG))
        assert section.available
        titles = [f.title for f in section.items]
        # named after what the blocs rest on, not "on AI and security" (review 13, finding 14)
        assert titles[0] == ("3 blocs of states at the UN General Assembly, from 3 roll calls, "
                             "all on “Lethal autonomous weapons systems” (2023–2025)")
        assert section.items[0].text and ("Blocs drawn from only 3 votes are fragile"
                                           in section.items[0].text)
        assert any(t.startswith("Bloc 1:") for t in titles)
        assert any("digitallibrary.un.org" in s for s in section.sources)
        texts = " ".join(f.text or "" for f in section.items)
        assert "28 of 193 member states endorsed, as did the EU." in texts
        assert "100%" not in texts
        html = render_report(build_report(db, DEMO_EVENT_SLUG, "zh"), "html",
                             tmp_path).decode("utf-8")
    assert 'id="state-positions"' in html and "国家集团" in html
    assert ("联合国大会上的3个国家集团，依据关于“致命性自主武器系统”的3次记录表决（2023—2025年）"
            in html)
    assert "仅依据3次表决划分的集团并不稳固" in html
    start = html.index('id="state-positions"')
    chapter = html[start:html.index("<section", start)]
    # the Chinese chapter carries no English source or evidence line: English titles that
    # have no Chinese text are marked as such, and lists are joined with "、"
    assert "来源：detente国家立场分析" in chapter
    for english in ("state-position analysis", "topic “ai”", "Among them", "Source:",
                    "member states", "voted yes"):
        assert english not in chapter
    assert "Bletchley Declaration（无中文文本）" in chapter
    with session_scope(with_states) as db:
        english_only = [i.title for i in db.scalars(select(Instrument)) if not i.title_zh]
    for title in english_only:
        chapter = chapter.replace(title, "")
    assert ", " not in chapter


def test_report_lists_of_states_name_each_state_once(with_states: Engine) -> None:
    """"Among them: Argentina, Chile, Micronesia, Federated States of, ..." read as more states
    than the bloc's examples: every item of each bloc's list is one state's name."""
    from detente.states import countries

    names = {c.name for c in countries().values()}
    with session_scope(with_states) as db:
        section = state_findings_for_event(db, get_event(db, DEMO_EVENT_SLUG))
    listed = [f.text.split("Among them: ")[1].split(".")[0].split(", ")
              for f in section.items if f.text and "Among them: " in f.text]
    assert len(listed) >= 2
    assert [name for names_ in listed for name in names_ if name not in names] == []


def test_report_says_which_states_the_blocs_hold(with_states: Engine) -> None:
    """193 states are recorded on the three autonomous-weapons votes, but the blocs hold 159
    of the 186 that voted: the report says so in both languages, never "193 states form"."""
    with session_scope(with_states) as db:
        section = state_findings_for_event(db, get_event(db, DEMO_EVENT_SLUG))
    overview = section.items[0]
    assert "159 of the 186 states that voted form 3 blocs (Bloc 1: 143 states" in overview.text
    assert "27 states voted too rarely to be grouped." in overview.text
    assert "7 states cast no vote: Afghanistan, Azerbaijan" in overview.text
    assert "193 states" not in overview.text
    assert "投了票的186个国家中有159个形成3个集团（集团1：143个国家" in str(overview.text_local)
    assert "193个国家形成" not in str(overview.text_local)


def test_knowledge_base_gaps_appear_in_the_report(with_knowledge: Engine, tmp_path) -> None:
    with session_scope(with_knowledge) as db:
        section = kb_gaps_for_event(db, get_event(db, DEMO_EVENT_SLUG))
        assert section.available
        assert {f.title for f in section.items} <= {
            "Military AI and autonomous weapons", "Nuclear weapons and command and control",
            "Cyber security and cyber operations", "Biological risks", "Chemical risks",
            "Information operations and synthetic content", "Critical infrastructure",
            "Frontier capabilities and loss of control"}
        md = render_report(build_report(db, DEMO_EVENT_SLUG, "en"), "md", tmp_path).decode()
    assert "## Gaps in the governance record" in md
    assert "The knowledge base holds no governance texts yet." not in md


def test_the_illustrative_sample_is_neither_coverage_nor_a_source(with_knowledge: Engine,
                                                                  tmp_path) -> None:
    """The demo's fictional text once made five "non-binding only" cells (military AI,
    nuclear, biological and chemical prohibitions) and was listed among the sources."""
    from detente.knowledge._demo import DEMO_SAMPLE_TITLE

    with session_scope(with_knowledge) as db:
        event = get_event(db, DEMO_EVENT_SLUG)
        section = kb_gaps_for_event(db, event)
        md = render_report(build_report(db, DEMO_EVENT_SLUG, "en"), "md", tmp_path).decode()
    assert section.available
    assert not any(DEMO_SAMPLE_TITLE in s for s in section.sources)
    assert section.sources[0].startswith("detente governance knowledge base: coverage of 1 "
                                         "instrument ")
    texts = " ".join(f.text or "" for f in section.items)
    assert "by non-binding instruments only" in texts
    assert "1 by non-binding instruments only" not in texts
    assert DEMO_SAMPLE_TITLE not in md and "虚构" not in md


def test_a_base_with_only_the_illustrative_sample_reports_no_gaps(pub_engine: Engine) -> None:
    knowledge = pytest.importorskip("detente.knowledge")
    knowledge.load_demo_knowledge(pub_engine)
    with session_scope(pub_engine) as db:
        section = kb_gaps_for_event(db, get_event(db, DEMO_EVENT_SLUG))
    assert not section.available and section.items == ()
    assert section.note == ("The knowledge base holds only an illustrative sample, not real "
                            "governance texts: coverage cannot be assessed until instruments "
                            "are imported (detente kb import FILE... --manifest manifest.csv).")


def test_with_only_the_illustrative_sample_no_gap_is_offered_as_evidence(
    pub_engine: Engine,
) -> None:
    """Before, every cell of the matrix was offered as a gap; nothing could count as coverage,
    so the form says coverage cannot be assessed yet and a gap cannot be linked."""
    from detente import i18n
    from detente.reports import evidence_unavailable

    knowledge = pytest.importorskip("detente.knowledge")
    knowledge.load_demo_knowledge(pub_engine)
    with session_scope(pub_engine) as db:
        assert evidence_choices(db)["kb_gap"] == ()
        reason = evidence_unavailable(db)["kb_gap"]
        assert reason.startswith("coverage cannot be assessed until governance instruments "
                                 "are imported (detente kb import FILE")
        event = get_event(db, DEMO_EVENT_SLUG)
        proposal = create_proposal(db, event, title="T", text="Text.")
        with pytest.raises(InputError, match="cannot be assessed"):
            add_evidence(db, proposal, "kb_gap", "biological:testing-evaluation")
        with i18n.use_language("zh"):
            assert "无法评估" in evidence_unavailable(db)["kb_gap"]


def test_evidence_links_are_checked_against_their_targets(with_states, with_knowledge) -> None:
    with session_scope(with_states) as db:
        event = get_event(db, DEMO_EVENT_SLUG)
        proposal = create_proposal(db, event, title="T", text="Text.")
        assert add_evidence(db, proposal, "deliberation", "1").label.startswith("Where should")
        assert add_evidence(db, proposal, "consensus_statement", "1:2").label
        assert "A/RES/78/241" in add_evidence(db, proposal, "state_finding", "A/RES/78/241").label
        gap = add_evidence(db, proposal, "kb_gap", "biological:testing-evaluation")
        assert gap.label.startswith("Biological risks × Testing and evaluation")
        assert add_evidence(db, proposal, "kb_document", "1").label
        for kind, reference, error in (
            ("deliberation", "999", NotFoundError),
            ("consensus_statement", "1", InputError),
            ("state_finding", "A/RES/1/1", NotFoundError),
            ("kb_gap", "no-such:cell", NotFoundError),
            ("session", f"{DEMO_EVENT_SLUG}#9", NotFoundError),
            ("url", "javascript:alert(1)", InputError),
            ("rumour", "x", InputError),
        ):
            with pytest.raises(error):
                add_evidence(db, proposal, kind, reference)


def test_every_evidence_choice_is_a_link_that_checks(with_states, with_knowledge) -> None:
    """The proposal form offers existing items in words; each one's reference is accepted
    by the same check that API and command-line links pass."""
    from detente import i18n

    with session_scope(with_states) as db:
        choices = evidence_choices(db)
        assert set(choices) == {"state_finding", "kb_gap", "kb_document", "session"}
        for kind, groups in choices.items():
            assert groups, kind
            for group in groups:
                assert group.label and group.choices
                for choice in group.choices:
                    assert check_link(db, kind, choice.reference).label
                    assert choice.label != choice.reference
        sessions = choices["session"][0]
        assert sessions.label_local and sessions.choices[0].label_local.startswith("第1单元：")
        roll_call = choices["state_finding"][0].choices[0]
        assert roll_call.label.startswith("A/RES/78/241: ")
        from detente.reports import evidence_unavailable

        assert evidence_unavailable(db) == {}
        gap_domains = [g.label for g in choices["kb_gap"]]
        assert gap_domains[0] == "Military AI and autonomous weapons"
        with i18n.use_language("zh"):
            assert i18n.pick(roll_call.label, roll_call.label_local).startswith(
                "A/RES/78/241：")


def test_draft_from_deliberation_links_each_consensus_statement(pub_engine: Engine) -> None:
    with session_scope(pub_engine) as db:
        proposal = draft_from_deliberation(db, 1)
        kinds = [e.kind for e in proposal.evidence]
        assert kinds[0] == "deliberation" and kinds.count("consensus_statement") >= 3
        assert proposal.session.position == 2 and proposal.status.value == "draft"
        assert "Decisions to launch nuclear weapons" in proposal.text
        assert "发射核武器" in proposal.text_local
        assert {t.slug for t in proposal.themes} == {"military-ai", "cross-domain-risks",
                                                     "red-lines"}


#: Two provisions of the AI Act on cyber incidents: Art. 55 (Chapter V) applies from 2025-08-02,
#: Art. 9 (Chapter III Section 2) from 2026-08-02 (Art. 113), after the demo forum (2026-01-14).
AI_ACT_PARTS = """# REGULATION (EU) 2024/1689 ON ARTIFICIAL INTELLIGENCE

HAVE ADOPTED THIS REGULATION:

## CHAPTER III

## SECTION 2

### Article 9

1. Providers of high-risk AI systems used in critical infrastructure shall report serious
incidents to the market surveillance authorities.

## CHAPTER V

### Article 55

1. Providers of general-purpose AI models shall report serious incidents involving cyber
attacks to the AI Office.
"""


def test_the_gap_chapter_counts_a_provision_from_its_date_of_application(
        pub_engine: Engine, tmp_path: Path) -> None:
    """Review 13, finding 5: the report counted the AI Act's obligations on high-risk systems
    as coverage on 2026-01-14, months before they apply."""
    knowledge = pytest.importorskip("detente.knowledge")
    source = tmp_path / "act.md"
    source.write_text(AI_ACT_PARTS, encoding="utf-8")
    knowledge.import_documents(pub_engine, [source], defaults=knowledge.DocumentMeta(
        title="Regulation (EU) 2024/1689 laying down harmonised rules on artificial "
              "intelligence (Artificial Intelligence Act)",
        issuer="European Parliament and Council of the EU", date=date(2024, 6, 13)))
    with session_scope(pub_engine) as db:
        section = kb_gaps_for_event(db, get_event(db, DEMO_EVENT_SLUG))
        english = render_report(build_report(db, DEMO_EVENT_SLUG, "en"), "md", tmp_path).decode()
        chinese = render_report(build_report(db, DEMO_EVENT_SLUG, "zh"), "md", tmp_path).decode()
    english, chinese = (re.sub(r"\\([()])", r"\1", md) for md in (english, chinese))
    infrastructure = next(f for f in section.items if f.title == "Critical infrastructure")
    assert re.search(r"\d+ of the uncovered tools (is|are) addressed by provisions of Artificial "
                     r"Intelligence Act that are in force but apply only from 2026-08-02\.",
                     str(infrastructure.text))
    assert re.search(r"其中\d+种由Artificial Intelligence Act中已生效但自2026-08-02起"
                     r"才适用的条款涉及。",
                     str(infrastructure.text_local))
    # the cyber incident duty of Chapter V applied by then and counts
    cyber = next(f for f in section.items if f.title == "Cyber security and cyber operations")
    assert not str(cyber.text).startswith("Of 15 governance tools, 0 are covered"), cyber.text
    assert ("counting the obligations and prohibitions that apply on 2026-01-14 in instruments "
            "in force then") in english
    assert ("Artificial Intelligence Act: dates of application from 2025-02-02 to 2027-08-02, by "
            "part (Art. 113); a provision counts from its date of application") in english
    assert "计入2026-01-14有效文书中当日已适用的义务性和禁止性规定" in chinese
    assert "各部分自2025-02-02至2027-08-02分阶段适用（Art. 113）" in chinese
    # and the chapter says what its counts rest on (review 13, finding 4)
    assert ("Basis: provisions are counted through machine-suggested tags (detente's lexicon "
            "rules), which an analyst may review.") in english
    assert ("The tagger's micro-F1 is 0.726 on a test set of 250 provisions, no longer "
            "unseen") in english
    assert "依据：条款通过机器建议的标签（detente的词表规则）计入" in chinese
