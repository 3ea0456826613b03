"""Polis open-data export and import."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from detente.deliberation import export_polis, get_deliberation, import_polis, stored_result
from detente.errors import DetenteError
from detente.forum import DEMO_EVENT_SLUG
from detente.store import session_scope
from detente.store.models.deliberation import Deliberation, DeliberationVote

from .conftest import make_deliberation
from .test_results import two_camps


def test_export_reads_back_with_the_consensus_reader(forum_engine: Engine, tmp_path: Path) -> None:
    from detente.consensus import read_polis_conversation

    d = make_deliberation(forum_engine)
    public = two_camps(forum_engine, d, 12)
    with session_scope(forum_engine) as db:
        counts = export_polis(db, d, tmp_path / "export")
    assert counts["participants"] == 12
    conversation = read_polis_conversation(tmp_path / "export")
    assert conversation.matrix.n_votes == counts["votes"]
    assert {str(p) for p in conversation.matrix.participant_ids.tolist()} == set(public.values())
    assert set(conversation.group_ids.values()) - {None} == {0, 1}


def test_export_never_contains_person_names(forum_engine: Engine, tmp_path: Path) -> None:
    from detente.store.models.deliberation import DeliberationParticipant
    from detente.store.models.forum import Person

    d = make_deliberation(forum_engine)
    two_camps(forum_engine, d, 6)
    with session_scope(forum_engine) as db:
        person = db.scalar(select(Person))
        for participant in db.scalars(select(DeliberationParticipant)):
            participant.person_id = person.id
        name = person.name
    with session_scope(forum_engine) as db:
        export_polis(db, d, tmp_path / "export")
    for path in (tmp_path / "export").iterdir():
        assert name not in path.read_text(encoding="utf-8")


def test_import_of_a_polis_export_is_closed_with_its_votes(forum_engine: Engine,
                                                           shared_dir: Path) -> None:
    folder = shared_dir / "data" / "polis-opendata" / "london.youth.policing"
    if not (folder / "votes.csv").exists():
        pytest.skip("london.youth.policing export is absent")
    d = import_polis(forum_engine, folder, event=DEMO_EVENT_SLUG, session_position=3)
    with session_scope(forum_engine) as db:
        deliberation = get_deliberation(db, d)
        assert deliberation.status == "closed"
        votes = db.scalar(select(func.count()).select_from(DeliberationVote))
        assert votes > 500
        assert stored_result(db, d) is not None


def test_import_error_names_file_and_line_and_imports_nothing(
        forum_engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "comments.csv").write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1,x,0,0,0,0,1,A fine statement\n1,x,1,0,0,0,1,Another one\n", encoding="utf-8")
    (folder / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,5,1\n2,x,1,5,7\n", encoding="utf-8")
    with pytest.raises(DetenteError, match=r"votes.csv:3"):
        import_polis(forum_engine, folder, event=DEMO_EVENT_SLUG, session_position=1)
    (folder / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,5,1\n2,x,9,5,1\n", encoding="utf-8")
    with pytest.raises(DetenteError, match=r"votes.csv:3: vote on comment 9, which comments.csv"):
        import_polis(forum_engine, folder, event=DEMO_EVENT_SLUG, session_position=1)
    with session_scope(forum_engine) as db:
        assert db.scalar(select(func.count()).select_from(Deliberation)) == 0


def test_export_then_import_round_trips_votes(forum_engine: Engine, tmp_path: Path) -> None:
    d = make_deliberation(forum_engine)
    two_camps(forum_engine, d, 8)
    with session_scope(forum_engine) as db:
        export_polis(db, d, tmp_path / "out")
        before = db.scalar(select(func.count()).select_from(DeliberationVote))
    new = import_polis(forum_engine, tmp_path / "out", event=DEMO_EVENT_SLUG, session_position=2,
                       question="Round trip")
    with session_scope(forum_engine) as db:
        after = db.scalar(select(func.count()).select_from(DeliberationVote)
                          .where(DeliberationVote.deliberation_id == new))
    assert after == before
