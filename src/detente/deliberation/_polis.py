"""Polis open-data export and import.

Export writes ``comments.csv``, ``votes.csv`` (every vote cast, from the history) and
``participants-votes.csv`` (standing votes and ``group-id`` from a fresh consensus run) through
:func:`detente.consensus.write_polis_export`, so ``detente consensus`` reads the folder back.
Participants appear only by their pseudonymous public ids, never by name, whatever the event's
attribution policy; organizer-seeded statements have an empty ``author-id``.

Import checks every file of a Polis export folder (size, UTF-8, NUL bytes), reads it with
:func:`detente.consensus.read_polis_conversation`, checks every comment and vote, and only
then writes a closed deliberation; any error names the file and line and nothing is imported.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.orm import Session as DbSession

from detente.accounts import audit
from detente.deliberation._results import compute_result, store_result
from detente.deliberation._service import (
    _guard,
    _statement_texts,
    create_deliberation,
    get_deliberation,
    hash_token,
)
from detente.errors import ImportFormatError, NotFoundError
from detente.i18n import gettext as _
from detente.inputs import DEFAULT_MAX_SIZE, check_text_file, text_lines
from detente.store import Batches, import_lock, session_scope, write_batches
from detente.store.models.auth import AuditEntry
from detente.store.models.deliberation import (
    Deliberation,
    DeliberationParticipant,
    DeliberationStatement,
    DeliberationVote,
    DeliberationVoteHistory,
)

if TYPE_CHECKING:
    from detente.store.models.forum import Event

__all__ = ["PolisPlan", "export_polis", "import_polis", "plan_polis_import", "read_polis_plan",
           "remove_unfinished_imports"]

_CHUNK = 500
#: Audit actions that bracket a Polis import, so that a killed one can be cleaned up.
_IMPORT_STARTED = "deliberation.import_started"
_IMPORT_FINISHED = "deliberation.import_finished"
_IMPORT_REMOVED = "deliberation.import_removed"

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


#: The files of a Polis export that the import reads.
POLIS_FILES = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")


@dataclass
class PolisPlan:
    """A Polis export checked whole, ready to write (or to describe, for a dry run)."""

    folder: Path
    question: str
    statements: list[dict[str, Any]]
    participants: list[str]
    votes: list[tuple[str, Any, int, datetime]]  # (participant, comment id, value, when)
    #: Polis ids of the comments the event's attribution policy would hold (they come in
    #: pending, for a moderator to accept with a reason); filled by :func:`plan_polis_import`.
    held: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line: what the import creates, and what the attribution policy would hold."""
        line = _("%(statements)d statements, %(participants)d participants, %(votes)d votes") % {
            "statements": len(self.statements), "participants": len(self.participants),
            "votes": len(self.votes)}
        if self.held:
            shown = ", ".join(self.held[:10]) + (", …" if len(self.held) > 10 else "")
            line += "; " + _("%(count)d comment(s) would be held under the attribution policy "
                             "(Polis comment ids %(ids)s)") % {"count": len(self.held),
                                                               "ids": shown}
        return line


def import_polis(engine: Engine, folder: str | Path, *, event: str | int, session_position: int,
                 question: str | None = None, dry_run: bool = False,
                 max_size: int = DEFAULT_MAX_SIZE, wait: float = 600.0,
                 on_wait: Callable[[str], None] | None = None) -> int | None:
    """Import a Polis export folder as a closed deliberation; returns its id (None for a dry run).

    Every file is checked first (size up to ``max_size`` bytes each, UTF-8, no NUL, every row);
    then the deliberation is written as a draft, in short transactions on SQLite for a large
    export (:func:`detente.store.write_batches`), and closed with its computed result at the
    end. If writing fails the draft is deleted again; if the process was killed, the next
    import removes it (:func:`remove_unfinished_imports`). ``on_wait`` gets the lines to tell
    the user: waiting for another import, drafts of an unfinished one removed.

    Raises
    ------
    ImportFormatError, InvalidVotesError
        Naming the file and line of the first problem; nothing is imported.
    NotFoundError
        When the event or session does not exist.
    """
    plan = plan_polis_import(engine, folder, event=event, session_position=session_position,
                             question=question, max_size=max_size)
    if dry_run:
        return None
    with import_lock(engine, f"Polis import {plan.folder.name}", wait=wait, on_wait=on_wait):
        removed = remove_unfinished_imports(engine)
        if removed and on_wait is not None:
            on_wait(_("removed the draft deliberation(s) %(ids)s that an unfinished Polis "
                      "import left behind") % {"ids": ", ".join(str(i) for i in removed)})
        with session_scope(engine) as db:
            deliberation = create_deliberation(
                db, event, session_position, plan.question,
                description=_("Being imported from the Polis export %(name)s.")
                % {"name": plan.folder.name}, status="draft")
            deliberation_id = deliberation.id
            audit(db, None, _IMPORT_STARTED, f"deliberation:{deliberation_id}", plan.folder.name)
            _hold_attributed(db, deliberation, plan)
        try:
            rows = len(plan.statements) + len(plan.participants) + 2 * len(plan.votes)
            with write_batches(engine, rows) as batches:
                _write_plan(batches, deliberation_id, plan)
            with session_scope(engine) as db:
                data = compute_result(db, deliberation_id)
                if data is not None:
                    store_result(db, deliberation_id, data)
                found = get_deliberation(db, deliberation_id)
                found.status = "closed"
                found.closed_at = datetime.now(UTC)
                found.description = f"Imported from the Polis export {plan.folder.name}."
                audit(db, None, _IMPORT_FINISHED, f"deliberation:{deliberation_id}")
        except BaseException:
            with session_scope(engine) as db:
                db.execute(delete(Deliberation).where(Deliberation.id == deliberation_id))
                audit(db, None, _IMPORT_REMOVED, f"deliberation:{deliberation_id}", "failed")
            raise
        return deliberation_id


def remove_unfinished_imports(engine: Engine) -> list[int]:
    """Delete the drafts of Polis imports that started and never finished; returns their ids.

    An import that is killed (SIGKILL, power loss) runs no clean-up of its own: the draft it
    wrote first, and any batches of votes already committed, stay. Its start is in the audit
    log, its end is not. Call this only while holding the import lock, so that no import is
    still running (:func:`import_polis` does, before each import).
    """
    ended = (_IMPORT_FINISHED, _IMPORT_REMOVED)
    with session_scope(engine) as db:
        started = set(db.scalars(select(AuditEntry.target)
                                 .where(AuditEntry.action == _IMPORT_STARTED)))
        started -= set(db.scalars(select(AuditEntry.target)
                                  .where(AuditEntry.action.in_(ended))))
        removed = []
        for target in sorted(started):
            key = target.partition(":")[2]
            found = db.get(Deliberation, int(key)) if key.isdigit() else None
            if found is not None and found.status == "draft":
                db.execute(delete(Deliberation).where(Deliberation.id == found.id))
                removed.append(found.id)
            audit(db, None, _IMPORT_REMOVED, target, "left unfinished")
    return removed


def _hold_attributed(db: DbSession, deliberation: Deliberation, plan: PolisPlan) -> None:
    """Under the Chatham House rule, an imported comment that names or identifies a participant
    and attributes a view to them comes in pending (held): moderators see why, and accepting
    it needs a reason, as for a statement written here."""
    guard = _guard(db, deliberation)
    if not guard.applies:
        return
    for item in plan.statements:
        if item["moderation"] == "accepted" and guard.review(
                _statement_texts(str(item["polis_id"]), item["text"], None)):
            item["moderation"] = "pending"


def plan_polis_import(engine: Engine, folder: str | Path, *, event: str | int,
                      session_position: int, question: str | None = None,
                      max_size: int = DEFAULT_MAX_SIZE) -> PolisPlan:
    """Check a Polis export and the session it goes to; writes nothing (the dry run)."""
    plan = read_polis_plan(Path(folder), question, max_size)
    with session_scope(engine) as db:
        found = _session_of(db, event, session_position)
        plan.held = _would_hold(db, found, plan)
    return plan


def _would_hold(db: DbSession, event: Event, plan: PolisPlan) -> list[str]:
    """The Polis ids of the accepted comments that the event's attribution policy would hold
    (as :func:`_hold_attributed` does on import, before anyone is linked to the new
    deliberation)."""
    from detente.forum import attribution_guard

    guard = attribution_guard(db, event)
    if not guard.applies:
        return []
    return [str(item["polis_id"]) for item in plan.statements
            if item["moderation"] == "accepted" and guard.review(
                _statement_texts(str(item["polis_id"]), item["text"], None))]


def _session_of(db: DbSession, event: str | int, position: int) -> Event:
    from detente.forum import get_event
    from detente.store.models.forum import Session

    found = get_event(db, event)
    if db.scalar(select(Session.id).where(Session.event_id == found.id,
                                          Session.position == position)) is None:
        raise NotFoundError(_("event %(event)r has no session %(position)s")
                            % {"event": found.slug, "position": position})
    return found


def read_polis_plan(folder: Path, question: str | None = None,
                    max_size: int = DEFAULT_MAX_SIZE) -> PolisPlan:
    """Read and check a Polis export folder whole; nothing touches the database."""
    from detente.consensus import read_polis_conversation

    if not folder.is_dir():
        raise ImportFormatError(_("not a folder"), location=str(folder))
    for name in POLIS_FILES:
        path = folder / name
        if path.exists():
            check_text_file(path, max_size)  # size, UTF-8 and NUL, with the line
    conversation = read_polis_conversation(folder)
    comments_path = folder / "comments.csv"
    if not conversation.comments:
        raise ImportFormatError(_("missing or empty: Polis exports need their comments"),
                                location=str(comments_path))
    statements = _check_comments(conversation.comments, comments_path)
    known = {statement["polis_id"] for statement in statements}
    participants = [str(p) for p in conversation.matrix.participant_ids.tolist()]
    source = folder / conversation.source
    for pid in participants:
        if len(pid) > 40:
            raise ImportFormatError(_("participant id %(id)r is longer than 40 characters")
                                    % {"id": pid[:50]}, location=str(source))
    votes = _check_votes(conversation, known, participants, source)
    chosen = (question or _topic(folder) or f"Polis: {folder.name}")[:500]
    return PolisPlan(folder, chosen, statements, participants, votes)


def _moment(ms: float, what: str, where: str) -> datetime:
    try:
        return datetime.fromtimestamp(float(ms) / 1000, UTC)
    except (ValueError, OverflowError, OSError):
        raise ImportFormatError(_("%(what)s %(value)r is not a time in milliseconds")
                                % {"what": what, "value": str(ms)[:30]},
                                location=where) from None


def _topic(folder: Path) -> str | None:
    summary = folder / "summary.csv"
    if not summary.exists():
        return None
    for line in text_lines(summary):
        key, _sep, value = line.partition(",")
        if key.strip() == "topic" and value.strip():
            return value.strip().strip('"')[:500]
    return None


def _check_comments(comments: list[dict], path: Path) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = []
    seen: set[Any] = set()
    for row_number, comment in enumerate(comments, start=2):
        where = f"{path}:{row_number}"
        body = " ".join(str(comment.get("body") or "").split())
        if not body:
            raise ImportFormatError(_("comment-body is empty"), location=where)
        if comment["id"] in seen:
            raise ImportFormatError(_("comment-id %(id)s appears twice") % {"id": comment["id"]},
                                    location=where)
        seen.add(comment["id"])
        stamp = str(comment.get("timestamp") or "").strip()
        try:
            created = _moment(float(stamp), "timestamp", where) if stamp else None
        except ValueError:
            raise ImportFormatError(_("timestamp %(stamp)r is not a number") % {"stamp": stamp},
                                    location=where) from None
        statements.append({
            "polis_id": comment["id"], "text": body[:1000], "created_at": created,
            "moderation": _MODERATION_STATE.get(int(comment.get("moderated", 0)), "accepted")})
    return statements


def _check_votes(conversation: Any, known: set[Any], participants: list[str],
                 source: Path) -> list[tuple[str, Any, int, datetime]]:
    matrix = conversation.matrix
    rows, cols, values = matrix.to_long()
    stamps = matrix.timestamps
    sids = matrix.statement_ids.tolist()
    timed = stamps is not None and conversation.source == "votes.csv"
    now = datetime.now(UTC)
    votes = []
    for index, (row, col, value) in enumerate(zip(rows.tolist(), cols.tolist(), values.tolist(),
                                                   strict=True)):
        polis_comment = sids[col]
        if polis_comment not in known:
            raise ImportFormatError(
                _("comment-id %(id)s is not in comments.csv") % {"id": polis_comment},
                location=str(source))
        at = _moment(stamps[index], "timestamp", str(source)) if timed else now
        votes.append((participants[row], polis_comment, int(value), at))
    return votes


def _write_plan(batches: Batches, deliberation_id: int, plan: PolisPlan) -> None:
    statements = DeliberationStatement.__table__
    for start in range(0, len(plan.statements), _CHUNK):
        rows = []
        for item in plan.statements[start:start + _CHUNK]:
            row = {"deliberation_id": deliberation_id, "text": item["text"], "language": "en",
                   "moderation": item["moderation"], "is_seed": False}
            row["created_at"] = item["created_at"] or datetime.now(UTC)
            rows.append(row)
        batches.connection().execute(insert(statements), rows)
    ids = list(batches.connection().scalars(
        select(statements.c.id).where(statements.c.deliberation_id == deliberation_id)
        .order_by(statements.c.id)))
    statement_ids = {item["polis_id"]: sid for item, sid in zip(plan.statements, ids, strict=True)}
    participants = DeliberationParticipant.__table__
    now = datetime.now(UTC)
    for start in range(0, len(plan.participants), _CHUNK):
        batches.connection().execute(insert(participants), [
            {"deliberation_id": deliberation_id, "public_id": pid,
             "token_hash": hash_token(secrets.token_urlsafe(32)), "created_at": now}
            for pid in plan.participants[start:start + _CHUNK]])
    participant_ids = dict(batches.connection().execute(
        select(participants.c.public_id, participants.c.id)
        .where(participants.c.deliberation_id == deliberation_id)).all())
    for start in range(0, len(plan.votes), _CHUNK):
        records = [{"deliberation_id": deliberation_id, "participant_id": participant_ids[pid],
                    "statement_id": statement_ids[cid], "value": value, "voted_at": at}
                   for pid, cid, value, at in plan.votes[start:start + _CHUNK]]
        connection = batches.connection()
        connection.execute(insert(DeliberationVote.__table__), records)
        connection.execute(insert(DeliberationVoteHistory.__table__), records)
