"""Reading and writing votes: plain CSV and the Polis open-data export format.

Polis open-data folders hold ``votes.csv`` (timestamp, datetime, comment-id, voter-id, vote),
``comments.csv`` (moderated = -1 means moderated out) and ``participants-votes.csv`` (one
row per participant with ``group-id`` and one column per comment). Votes use +1 agree,
-1 disagree, 0 pass. All errors name the file and line.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from detente.errors import InvalidVotesError
from detente.safecsv import SafeWriter, restore_cell

from ._matrix import VoteMatrix

__all__ = ["PolisConversation", "read_polis_conversation", "read_votes_csv", "write_polis_export"]

_VOTE_VALUES = {"1": 1, "+1": 1, "1.0": 1, "-1": -1, "-1.0": -1, "0": 0, "0.0": 0, "-0": 0}


@dataclass(frozen=True, eq=False)
class PolisConversation:
    """A Polis conversation read from an open-data export folder.

    Attributes
    ----------
    matrix : VoteMatrix
        Votes (with timestamps when read from votes.csv).
    moderated_out : list
        Comment ids with ``moderated == -1`` (or ``is-meta`` true).
    comments : list of dict
        Rows of comments.csv (id, author, body, moderated, timestamp).
    group_ids : dict
        Polis's group id per participant from participants-votes.csv (None = not grouped).
    source : str
        ``"votes.csv"`` or ``"participants-votes.csv"``.
    """

    matrix: VoteMatrix
    moderated_out: list[Any] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    group_ids: dict[Any, int | None] = field(default_factory=dict)
    source: str = "votes.csv"


def _id(text: str) -> Any:
    text = restore_cell(text.strip())  # ids that detente's writer escaped come back exact
    return int(text) if text.isdigit() else text


def _vote(text: str, where: str, column: str | None = None) -> int:
    value = _VOTE_VALUES.get(text.strip())
    if value is None:
        raise InvalidVotesError(f"vote {text!r} is not one of -1, 0, 1", location=where,
                                code="vote-value", params={"vote": text, "column": column})
    return value


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> InvalidVotesError:
    """One clear line for a file that is not UTF-8 text: which line, which byte."""
    try:
        data = path.read_bytes()
    except OSError:
        data = b""
    line, bad = 1, None
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as inner:
            line, bad = number, raw[inner.start : inner.start + 1]
            break
    byte = f" (byte 0x{bad.hex()})" if bad else f" ({exc.reason})"
    return InvalidVotesError(
        f"not UTF-8 text{byte}; save the file as UTF-8 and try again", location=f"{path}:{line}",
        code="not-utf8-byte" if bad else "not-utf8",
        params={"byte": f"0x{bad.hex()}"} if bad else {"reason": exc.reason},
    )


def _rows(path: Path,
          required: tuple[str, ...]) -> tuple[list[str], Iterable[tuple[int, dict[str, str]]]]:
    """Header and (line number, row dict) pairs; checks the required columns exist.

    A row with more or fewer fields than the header, or bytes that are not UTF-8, raise
    :class:`InvalidVotesError` naming the file and line.
    """
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidVotesError(f"cannot open: {exc.strerror}", location=str(path),
                                code="cannot-open", params={"reason": exc.strerror}) from None
    reader = csv.DictReader(handle)
    try:
        fieldnames = reader.fieldnames
    except UnicodeDecodeError as exc:
        handle.close()
        raise _not_utf8(path, exc) from None
    except csv.Error as exc:
        handle.close()
        raise InvalidVotesError(f"not a CSV file: {exc}", location=f"{path}:1",
                                code="not-csv", params={"reason": str(exc)}) from None
    header = [h.strip() for h in (fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in required if c not in header]
    if missing:
        handle.close()
        raise InvalidVotesError(
            f"missing column(s) {', '.join(missing)} in header", location=f"{path}:1",
            code="missing-columns", params={"columns": missing},
        )

    def gen() -> Iterable[tuple[int, dict[str, str]]]:
        with handle:
            try:
                for row in reader:
                    extra = row.get(None)
                    if extra is not None or None in row.values():
                        fields = (
                            len(header) + len(extra)
                            if extra is not None
                            else sum(v is not None for v in row.values())
                        )
                        raise InvalidVotesError(
                            f"row has {fields} fields, the header has {len(header)}",
                            location=f"{path}:{reader.line_num}",
                            code="row-fields", params={"fields": fields, "header": len(header)},
                        )
                    yield reader.line_num, row
            except UnicodeDecodeError as exc:
                raise _not_utf8(path, exc) from None
            except csv.Error as exc:
                raise InvalidVotesError(
                    f"not a valid CSV row: {exc}", location=f"{path}:{reader.line_num}",
                    code="bad-csv-row", params={"reason": str(exc)},
                ) from None

    return header, gen()


def _need(row: dict[str, str], column: str, where: str) -> str:
    value = row.get(column)
    if value is None or not value.strip():
        raise InvalidVotesError(f"empty {column}", location=where, code="empty-column",
                                params={"column": column})
    return value


def read_votes_csv(path: str | Path) -> VoteMatrix:
    """Read a CSV with columns ``participant,statement,vote`` (optional ``timestamp``).

    Ids are kept as the strings in the file. The last vote per (participant, statement)
    stands (in timestamp order when a timestamp column exists).

    Raises
    ------
    InvalidVotesError
        Naming ``file:line`` for a missing header, empty id or bad vote value.
    """
    path = Path(path)
    header, rows = _rows(path, ("participant", "statement", "vote"))
    has_ts = "timestamp" in header
    pids, sids, votes, ts = [], [], [], []
    for line, row in rows:
        where = f"{path}:{line}"
        pids.append(_need(row, "participant", where).strip())
        sids.append(_need(row, "statement", where).strip())
        votes.append(_vote(_need(row, "vote", where), where))
        if has_ts:
            ts.append(_number(_need(row, "timestamp", where), where))
    return VoteMatrix.from_long(pids, sids, votes, timestamps=ts if has_ts else None)


def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidVotesError(f"timestamp {text!r} is not a number", location=where,
                                code="timestamp-not-number", params={"value": text}) from None
    if not np.isfinite(value):
        raise InvalidVotesError(f"timestamp {text!r} is not finite", location=where,
                                code="timestamp-not-finite", params={"value": text})
    return value


def _read_comments(path: Path) -> tuple[list[dict[str, Any]], list[Any]]:
    if not path.exists():
        return [], []
    _, rows = _rows(path, ("comment-id",))
    comments, moderated = [], []
    for line, row in rows:
        where = f"{path}:{line}"
        cid = _id(_need(row, "comment-id", where))
        mod_text = (row.get("moderated") or "0").strip() or "0"
        try:
            mod = int(float(mod_text))
        except ValueError:
            raise InvalidVotesError(
                f"moderated {mod_text!r} is not -1, 0 or 1", location=where,
                code="moderated-value", params={"value": mod_text},
            ) from None
        is_meta = (row.get("is-meta") or "").strip().lower() == "true"
        if mod == -1 or is_meta:
            moderated.append(cid)
        comments.append(
            {
                "id": cid,
                "author": _id(row.get("author-id") or ""),
                "body": restore_cell(row.get("comment-body") or ""),
                "moderated": mod,
                "is_meta": is_meta,
                "timestamp": (row.get("timestamp") or "").strip(),
            }
        )
    return comments, moderated


def _read_participants_votes(path: Path, known: set[Any] | None = None
                             ) -> tuple[VoteMatrix, dict[Any, int | None]]:
    header, rows = _rows(path, ("participant", "group-id"))
    fixed = {"participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}
    comment_cols = [c for c in header if c not in fixed]
    comment_ids = [_id(c) for c in comment_cols]
    unknown = [c for c in comment_ids if known is not None and c not in known]
    if unknown:
        raise InvalidVotesError(
            f"column for comment {unknown[0]!r}, which comments.csv does not have",
            location=f"{path}:1", code="unknown-comment-column", params={"comment": unknown[0]},
        )
    pids, sids, votes, groups = [], [], [], {}
    for line, row in rows:
        where = f"{path}:{line}"
        pid = _id(_need(row, "participant", where))
        gid = (row.get("group-id") or "").strip()
        groups[pid] = int(float(gid)) if gid else None
        for col, cid in zip(comment_cols, comment_ids, strict=True):
            cell = (row.get(col) or "").strip()
            if cell:
                pids.append(pid)
                sids.append(cid)
                votes.append(_vote(cell, f"{where} column {col}", column=col))
    return VoteMatrix.from_long(pids, sids, votes), groups


def read_polis_conversation(folder: str | Path) -> PolisConversation:
    """Read a Polis open-data export folder.

    Uses ``votes.csv`` (with timestamps, enabling history replay) when present, else
    ``participants-votes.csv`` as the final matrix. ``comments.csv`` gives moderation.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidVotesError("not a folder", location=str(folder), code="not-a-folder")
    comments, moderated = _read_comments(folder / "comments.csv")
    known = {c["id"] for c in comments} if comments else None
    pv = folder / "participants-votes.csv"
    groups: dict[Any, int | None] = {}
    votes_path = folder / "votes.csv"
    if votes_path.exists():
        _, rows = _rows(votes_path, ("comment-id", "voter-id", "vote"))
        known = {c["id"] for c in comments} if comments else None
        pids: list[Any] = []
        sids: list[Any] = []
        votes: list[int] = []
        ts: list[float] = []
        for line, row in rows:
            where = f"{votes_path}:{line}"
            pids.append(_id(_need(row, "voter-id", where)))
            cid = _id(_need(row, "comment-id", where))
            if known is not None and cid not in known:
                raise InvalidVotesError(
                    f"vote on comment {cid!r}, which comments.csv does not have", location=where,
                    code="unknown-comment-vote", params={"comment": cid},
                )
            sids.append(cid)
            votes.append(_vote(_need(row, "vote", where), where))
            stamp = (row.get("timestamp") or "").strip()
            ts.append(_number(stamp, where) if stamp else float(len(ts)))
        matrix = VoteMatrix.from_long(pids, sids, votes, timestamps=ts)
        if pv.exists():
            _, groups = _read_group_ids(pv)
        return PolisConversation(matrix, moderated, comments, groups, "votes.csv")
    if pv.exists():
        matrix, groups = _read_participants_votes(pv, known)
        return PolisConversation(matrix, moderated, comments, groups, "participants-votes.csv")
    raise InvalidVotesError("no votes.csv or participants-votes.csv", location=str(folder),
                            code="no-votes-file")


def _read_group_ids(path: Path) -> tuple[list[Any], dict[Any, int | None]]:
    _, rows = _rows(path, ("participant", "group-id"))
    groups = {}
    for line, row in rows:
        pid = _id(_need(row, "participant", f"{path}:{line}"))
        gid = (row.get("group-id") or "").strip()
        groups[pid] = int(float(gid)) if gid else None
    return [], groups


def _datetime(ms: float) -> str:
    return time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(ms / 1000.0))


def write_polis_export(
    folder: str | Path,
    comments: Iterable[Mapping[str, Any]],
    votes: Iterable[Mapping[str, Any]],
    groups: Mapping[Any, int | None],
) -> None:
    """Write comments.csv, votes.csv and participants-votes.csv in the open-data format.

    Parameters
    ----------
    folder : path
        Created if missing; existing files of these names are replaced.
    comments : iterable of mappings
        Keys ``id``, ``body``, optional ``author``, ``moderated`` (-1/0/1), ``timestamp`` (ms).
    votes : iterable of mappings
        Keys ``participant``, ``statement``, ``vote`` (+1/-1/0), optional ``timestamp`` (ms).
        Written in the given order; the last vote per (participant, statement) stands.
    groups : mapping participant id -> group id or None

    The files read back with :func:`read_polis_conversation` (numeric ids come back as int).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    comments = list(comments)
    votes = list(votes)
    standing: dict[tuple[Any, Any], int] = {}
    for i, v in enumerate(votes):
        _vote(str(v["vote"]), f"votes[{i}]")
        standing[(v["participant"], v["statement"])] = int(v["vote"])
    with (folder / "votes.csv").open("w", newline="", encoding="utf-8") as fh:
        w = SafeWriter(fh)
        w.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
        for i, v in enumerate(votes):
            ms = v.get("timestamp", i)
            w.writerow([int(ms), _datetime(ms), v["statement"], v["participant"], int(v["vote"])])
    agrees: dict[Any, int] = {}
    disagrees: dict[Any, int] = {}
    for (_, sid), value in standing.items():
        agrees[sid] = agrees.get(sid, 0) + (value == 1)
        disagrees[sid] = disagrees.get(sid, 0) + (value == -1)
    with (folder / "comments.csv").open("w", newline="", encoding="utf-8") as fh:
        w = SafeWriter(fh)
        w.writerow(
            [
                "timestamp",
                "datetime",
                "comment-id",
                "author-id",
                "agrees",
                "disagrees",
                "moderated",
                "comment-body",
            ]
        )
        for c in comments:
            ms = c.get("timestamp", 0) or 0
            w.writerow(
                [
                    int(ms),
                    _datetime(ms),
                    c["id"],
                    c.get("author", ""),
                    agrees.get(c["id"], 0),
                    disagrees.get(c["id"], 0),
                    int(c.get("moderated", 0)),
                    c.get("body", ""),
                ]
            )
    _write_participants_votes(folder / "participants-votes.csv", comments, standing, groups)


def _write_participants_votes(path: Path, comments: list[Mapping[str, Any]],
                              standing: dict[tuple[Any, Any], int],
                              groups: Mapping[Any, int | None]) -> None:
    voted_cols = {sid for (_, sid) in standing}
    col_ids = [c["id"] for c in comments if c["id"] in voted_cols]
    col_ids += sorted((s for s in voted_cols if s not in set(col_ids)), key=str)
    authored: dict[Any, int] = {}
    for c in comments:
        authored[c.get("author")] = authored.get(c.get("author"), 0) + 1
    by_pid: dict[Any, dict[Any, int]] = {}
    for (pid, sid), value in standing.items():
        by_pid.setdefault(pid, {})[sid] = value
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = SafeWriter(fh)
        w.writerow(
            ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", *col_ids]
        )
        for pid, cells in by_pid.items():
            gid = groups.get(pid)
            vals = list(cells.values())
            w.writerow(
                [
                    pid,
                    "" if gid is None else int(gid),
                    authored.get(pid, 0),
                    len(vals),
                    vals.count(1),
                    vals.count(-1),
                    *(cells.get(s, "") for s in col_ids),
                ]
            )
