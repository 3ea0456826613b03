"""Importing UN votes (both layouts) and positions: counts, codes, idempotency, bad rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from detente.errors import ImportFormatError
from detente.states import detect_layout, import_positions, import_votes
from detente.store import session_scope
from detente.store.models.states import Instrument, InstrumentPosition, RollCall, state_votes


def _votes(engine: Engine) -> set[tuple[str, str, str]]:
    with session_scope(engine) as db:
        rows = db.execute(select(RollCall.key, state_votes.c.state, state_votes.c.vote)
                          .join(state_votes, state_votes.c.roll_call_id == RollCall.id))
        return set(rows)


def _counts(engine: Engine) -> tuple[int, int, int, int]:
    with session_scope(engine) as db:
        return (db.scalar(select(func.count()).select_from(RollCall)) or 0,
                db.scalar(select(func.count()).select_from(state_votes)) or 0,
                db.scalar(select(func.count()).select_from(Instrument)) or 0,
                db.scalar(select(func.count()).select_from(InstrumentPosition)) or 0)


def test_layouts_are_detected_from_headers(data_dir: Path) -> None:
    assert detect_layout(data_dir / "unvotes") == "unvotes"
    assert detect_layout(data_dir / "undl_small.csv") == "undl"
    with pytest.raises(ImportFormatError, match="not a UN vote file"):
        detect_layout(data_dir / "positions_small.csv")


def test_unvotes_folder_imports_roll_calls_issues_and_votes(engine: Engine, data_dir: Path) -> None:
    summary = import_votes(engine, data_dir / "unvotes")
    assert (summary.layout, summary.roll_calls, summary.votes) == ("unvotes", 6, 37)
    with session_scope(engine) as db:
        rc = db.scalar(select(RollCall).where(RollCall.key == "unvotes:21"))
        assert rc is not None
        assert (rc.session, rc.resolution, rc.issues) == (50, "R/50/70", "nu di")
        assert db.scalar(select(RollCall.amendment).where(RollCall.key == "unvotes:13"))


def test_unvotes_historical_states_keep_their_own_codes(engine: Engine, data_dir: Path) -> None:
    import_votes(engine, data_dir / "unvotes")
    votes = _votes(engine)
    assert ("unvotes:11", "SUN", "no") in votes  # Russia in 1950 is the USSR's seat
    assert ("unvotes:21", "RUS", "abstain") in votes
    assert ("unvotes:11", "YUG", "abstain") in votes
    assert ("unvotes:23", "SRB", "yes") in votes  # Yugoslavia's seat after 2006-06-03
    assert ("unvotes:23", "DEU", "no") in votes  # FRG carries no ISO2 code in unvotes
    assert ("unvotes:21", "CZE", "abstain") in votes


def test_unvotes_absences_are_inferred_within_a_session(engine: Engine, data_dir: Path) -> None:
    import_votes(engine, data_dir / "unvotes")
    votes = _votes(engine)
    assert ("unvotes:12", "CUB", "absent") in votes  # voted on 11 and 13, not on 12
    assert not any(k == "unvotes:13" and s == "YUG" for k, s, _ in votes)  # after its last vote


def test_absences_can_be_left_out(engine: Engine, data_dir: Path) -> None:
    summary = import_votes(engine, data_dir / "unvotes", infer_absent=False)
    assert summary.votes == 36
    assert not any(v == "absent" for _, _, v in _votes(engine))


def test_undl_export_keeps_absent_and_non_member_distinct(engine: Engine, data_dir: Path) -> None:
    summary = import_votes(engine, data_dir / "undl_small.csv")
    assert (summary.layout, summary.roll_calls, summary.votes) == ("undl", 2, 12)
    votes = _votes(engine)
    assert ("undl:900001", "AFG", "absent") in votes
    assert ("undl:900001", "PSE", "non_member") in votes
    assert ("undl:900001", "CHN", "abstain") in votes
    with session_scope(engine) as db:
        urls = dict(db.execute(select(RollCall.key, RollCall.url)).all())
    assert urls["undl:900002"] == "https://digitallibrary.un.org/record/900002"


def test_reimport_changes_nothing(engine: Engine, data_dir: Path) -> None:
    for _ in range(2):
        import_votes(engine, data_dir / "unvotes")
        import_votes(engine, data_dir / "undl_small.csv")
        import_positions(engine, data_dir / "positions_small.csv",
                         instruments_file=data_dir / "instruments_small.csv")
    assert _counts(engine) == (8, 49, 2, 5)


def test_reimport_replaces_changed_votes(engine: Engine, data_dir: Path, tmp_path: Path) -> None:
    import_votes(engine, data_dir / "undl_small.csv")
    changed = tmp_path / "undl.csv"
    changed.write_text((data_dir / "undl_small.csv").read_text().replace(
        "900002,RUS,Russian Federation,N", "900002,RUS,Russian Federation,A"), encoding="utf-8")
    import_votes(engine, changed)
    votes = _votes(engine)
    assert ("undl:900002", "RUS", "abstain") in votes
    assert ("undl:900002", "RUS", "no") not in votes


def _break(source: Path, target: Path, line: int, old: str, new: str) -> None:
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    target.write_text("".join(lines), encoding="utf-8")


def test_bad_undl_row_names_file_and_line_and_imports_nothing(
        engine: Engine, data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    _break(data_dir / "undl_small.csv", bad, 10, ",Y,", ",Q,")
    with pytest.raises(ImportFormatError, match=r"bad\.csv:10: field 'ms_vote'"):
        import_votes(engine, bad)
    assert _counts(engine) == (0, 0, 0, 0)


def test_unknown_state_code_is_rejected_with_its_line(
        engine: Engine, data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    _break(data_dir / "undl_small.csv", bad, 4, "AUT,", "XYZ,")
    with pytest.raises(ImportFormatError, match=r"bad\.csv:4: unknown state code 'XYZ'"):
        import_votes(engine, bad)
    assert _counts(engine) == (0, 0, 0, 0)


def test_bad_unvotes_row_keeps_earlier_imports_intact(
        engine: Engine, data_dir: Path, tmp_path: Path) -> None:
    import_votes(engine, data_dir / "undl_small.csv")
    folder = tmp_path / "unvotes"
    shutil.copytree(data_dir / "unvotes", folder)
    _break(data_dir / "unvotes" / "un_votes.csv", folder / "un_votes.csv", 30, "abstain", "maybe")
    with pytest.raises(ImportFormatError, match=r"un_votes\.csv:30: field 'vote'"):
        import_votes(engine, folder)
    assert _counts(engine) == (2, 12, 0, 0)


def test_duplicate_vote_is_an_error(engine: Engine, data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "dup.csv"
    text = (data_dir / "undl_small.csv").read_text(encoding="utf-8")
    bad.write_text(text + text.splitlines()[1] + "\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"dup\.csv:14: USA votes twice"):
        import_votes(engine, bad)


def test_positions_in_the_per_instrument_layout_need_the_instrument(
        engine: Engine, data_dir: Path) -> None:
    with pytest.raises(ImportFormatError, match="--instrument"):
        import_positions(engine, data_dir / "bletchley_like.csv")
    summary = import_positions(engine, data_dir / "bletchley_like.csv", instrument="bletchley")
    assert summary.votes == 2
    with session_scope(engine) as db:
        item = db.scalar(select(Instrument).where(Instrument.slug == "bletchley"))
        assert item is not None
        assert [(p.state, p.position) for p in item.positions] == [
            ("CHN", "endorsed"), ("USA", "endorsed")]


def test_positions_keep_sources_and_chinese_notes(engine: Engine, data_dir: Path) -> None:
    import_positions(engine, data_dir / "positions_small.csv",
                     instruments_file=data_dir / "instruments_small.csv")
    with session_scope(engine) as db:
        item = db.scalar(select(Instrument).where(Instrument.slug == "test-declaration"))
        assert item is not None and item.kind == "declaration"
        china = next(p for p in item.positions if p.state == "CHN")
        assert (china.source_url, china.note) == ("https://example.org/declaration", "中国签署")


def test_bad_position_is_rejected_with_its_line(engine: Engine, data_dir: Path,
                                                tmp_path: Path) -> None:
    bad = tmp_path / "positions.csv"
    _break(data_dir / "positions_small.csv", bad, 6, "not-signed", "maybe")
    with pytest.raises(ImportFormatError, match=r"positions\.csv:6: unknown position 'maybe'"):
        import_positions(engine, bad)
    assert _counts(engine) == (0, 0, 0, 0)


def test_shared_position_folder_imports(engine: Engine, shared_dir: Path) -> None:
    summary = import_positions(engine, shared_dir / "data" / "state-positions")
    assert summary.roll_calls >= 15
    with session_scope(engine) as db:
        assert db.scalar(select(func.count()).select_from(InstrumentPosition).where(
            InstrumentPosition.source_url.is_(None))) == 0


def test_an_empty_basis_stays_empty_and_only_a_missing_one_follows_the_kind(
        engine: Engine, tmp_path: Path) -> None:
    """A ``basis`` column left empty says how states took part is not verified (the shipped
    A/RES/79/325): it is kept, never turned into a recorded vote; only a file without the
    column gets one, from its totals' words or the kind, and a UN text whose totals say
    nothing of how it was adopted stays unverified (never a recorded vote by assumption)."""
    stated, older = tmp_path / "stated", tmp_path / "older"
    stated.mkdir()
    older.mkdir()
    (stated / "instruments.csv").write_text(
        "id,title,kind,basis\nunverified,A resolution,unga-vote,\n"
        "voted,A voted resolution,unga-vote,recorded-vote\n", encoding="utf-8")
    (older / "instruments.csv").write_text(
        "id,title,kind\nolder-vote,An older file's resolution,unga-vote\n"
        "older-declaration,An older file's declaration,declaration\n", encoding="utf-8")
    import_positions(engine, stated)
    import_positions(engine, older)
    with session_scope(engine) as db:
        basis = dict(db.execute(select(Instrument.slug, Instrument.basis)).all())
    assert basis == {"unverified": "", "voted": "recorded-vote", "older-vote": "",
                     "older-declaration": "endorsement"}
