"""Polis open-data export and import.

Export writes ``comments.csv``, ``votes.csv`` (every vote cast, from the history) and
``participants-votes.csv`` (standing votes and ``group-id`` from a fresh consensus run) through
:func:`detente.consensus.write_polis_export`, so ``detente consensus`` reads the folder back.
Participants appear only by their pseudonymous public ids, never by name, whatever the event's
attribution policy; organizer-seeded statements have an empty ``author-id``.

Import reads a Polis export folder with :func:`detente.consensus.read_polis_conversation` and
creates a closed deliberation in one transaction; any error names the file and line and
nothing is imported.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session as DbSession

from detente.deliberation._results import compute_result, store_result
from detente.deliberation._service import create_deliberation, get_deliberation, hash_token
from detente.errors import ImportFormatError
from detente.store import session_scope
from detente.store.models.deliberation import (
    DeliberationParticipant,
    DeliberationStatement,
    DeliberationVote,
    DeliberationVoteHistory,
)

__all__ = ["export_polis", "import_polis"]

_MODERATION_CODE = {"accepted": 1, "pending": 0, "rejected": -1}
_MODERATION_STATE = {1: "accepted", 0: "accepted", -1: "rejected"}


def _ms(moment: datetime | None) -> int:
    if moment is None:
        return 0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def export_polis(db: DbSession, deliberation_id: int, folder: str | Path) -> dict[str, int]:
    """Write the deliberation in the Polis open-data format; returns counts written."""
    from detente.consensus import write_polis_export

    get_deliberation(db, deliberation_id)
    public = dict(db.execute(select(DeliberationParticipant.id, DeliberationParticipant.public_id)
                             .where(DeliberationParticipant.deliberation_id == deliberation_id)
                             ).all())
    comments = [
        {"id": s.id, "body": s.text,
         "author": public.get(s.author_participant_id, "") if s.author_participant_id else "",
         "moderated": _MODERATION_CODE[s.moderation], "timestamp": _ms(s.created_at)}
        for s in db.scalars(select(DeliberationStatement)
                            .where(DeliberationStatement.deliberation_id == deliberation_id)
                            .order_by(DeliberationStatement.id))
    ]
    votes = [
        {"participant": public[pid], "statement": sid, "vote": int(value), "timestamp": _ms(at)}
        for pid, sid, value, at in db.execute(
            select(DeliberationVoteHistory.participant_id, DeliberationVoteHistory.statement_id,
                   DeliberationVoteHistory.value, DeliberationVoteHistory.voted_at)
            .where(DeliberationVoteHistory.deliberation_id == deliberation_id)
            .order_by(DeliberationVoteHistory.id))
    ]
    result = compute_result(db, deliberation_id)
    groups: dict[Any, int | None] = {}
    if result is not None:
        groups = {p["participant"]: p.get("group") for p in result.get("projection", [])}
    write_polis_export(folder, comments, votes, groups)
    return {"comments": len(comments), "votes": len(votes),
            "participants": len({v["participant"] for v in votes})}


def import_polis(engine: Engine, folder: str | Path, *, event: str | int, session_position: int,
                 question: str | None = None) -> int:
    """Import a Polis export folder as a closed deliberation; returns its id.

    Raises
    ------
    ImportFormatError, InvalidVotesError
        Naming the file and line of the first problem; nothing is imported.
    """
    from detente.consensus import read_polis_conversation

    folder = Path(folder)
    conversation = read_polis_conversation(folder)
    comments_path = folder / "comments.csv"
    if not conversation.comments:
        raise ImportFormatError("missing or empty: Polis exports need their comments",
                                location=str(comments_path))
    with session_scope(engine) as db:
        deliberation = create_deliberation(
            db, event, session_position, question or _topic(folder) or f"Polis: {folder.name}",
            description=f"Imported from the Polis export {folder.name}.", status="closed")
        statement_ids = _import_comments(db, deliberation.id, conversation.comments,
                                         comments_path)
        participant_ids = _import_participants(db, deliberation.id, conversation)
        _import_votes(db, deliberation.id, conversation, statement_ids, participant_ids, folder)
        data = compute_result(db, deliberation.id)
        if data is not None:
            store_result(db, deliberation.id, data)
        return deliberation.id


def _topic(folder: Path) -> str | None:
    summary = folder / "summary.csv"
    if not summary.exists():
        return None
    for line in summary.read_text(encoding="utf-8", errors="replace").splitlines():
        key, _, value = line.partition(",")
        if key.strip() == "topic" and value.strip():
            return value.strip().strip('"')[:500]
    return None


def _import_comments(db: DbSession, deliberation_id: int, comments: list[dict],
                     path: Path) -> dict[Any, int]:
    ids: dict[Any, int] = {}
    for row_number, comment in enumerate(comments, start=2):
        where = f"{path}:{row_number}"
        body = " ".join(str(comment.get("body") or "").split())
        if not body:
            raise ImportFormatError("comment-body is empty", location=where)
        if comment["id"] in ids:
            raise ImportFormatError(f"comment-id {comment['id']} appears twice", location=where)
        stamp = str(comment.get("timestamp") or "").strip()
        try:
            created = datetime.fromtimestamp(float(stamp) / 1000, UTC) if stamp else None
        except (ValueError, OverflowError):
            raise ImportFormatError(f"timestamp {stamp!r} is not a number",
                                    location=where) from None
        statement = DeliberationStatement(
            deliberation_id=deliberation_id, text=body[:1000], language="en",
            moderation=_MODERATION_STATE.get(int(comment.get("moderated", 0)), "accepted"),
            is_seed=False)
        if created is not None:
            statement.created_at = created
        db.add(statement)
        db.flush()
        ids[comment["id"]] = statement.id
    return ids


def _import_participants(db: DbSession, deliberation_id: int, conversation: Any) -> dict[Any, int]:
    polis_ids = [str(p) for p in conversation.matrix.participant_ids.tolist()]
    if not polis_ids:
        return {}
    db.execute(insert(DeliberationParticipant.__table__), [
        {"deliberation_id": deliberation_id, "public_id": pid,
         "token_hash": hash_token(secrets.token_urlsafe(32)),
         "created_at": datetime.now(UTC)} for pid in polis_ids])
    return dict(db.execute(select(DeliberationParticipant.public_id, DeliberationParticipant.id)
                           .where(DeliberationParticipant.deliberation_id == deliberation_id)
                           ).all())


def _import_votes(db: DbSession, deliberation_id: int, conversation: Any,
                  statement_ids: dict[Any, int], participant_ids: dict[str, int],
                  folder: Path) -> None:
    matrix = conversation.matrix
    rows, cols, values = matrix.to_long()
    stamps = matrix.timestamps
    pids = matrix.participant_ids.tolist()
    sids = matrix.statement_ids.tolist()
    source = folder / conversation.source
    records = []
    for index, (row, col, value) in enumerate(zip(rows.tolist(), cols.tolist(), values.tolist(),
                                                   strict=True)):
        polis_comment = sids[col]
        if polis_comment not in statement_ids:
            raise ImportFormatError(
                f"comment-id {polis_comment} is not in comments.csv", location=str(source))
        at = (datetime.fromtimestamp(float(stamps[index]) / 1000, UTC)
              if stamps is not None and conversation.source == "votes.csv"
              else datetime.now(UTC))
        records.append({"deliberation_id": deliberation_id,
                        "participant_id": participant_ids[str(pids[row])],
                        "statement_id": statement_ids[polis_comment],
                        "value": int(value), "voted_at": at})
    if records:
        db.execute(insert(DeliberationVote.__table__), records)
        db.execute(insert(DeliberationVoteHistory.__table__), records)
