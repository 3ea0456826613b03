"""Write vote files and positions to the database: bulk inserts, idempotent, never partial.

Votes go in through the DBAPI ``executemany`` in batches of 50,000 rows (SQLite) or
PostgreSQL ``COPY`` through psycopg; no ORM object is made per vote. In one transaction and
from 100,000 votes on, the ``state`` index (and on PostgreSQL the foreign key) is dropped and
rebuilt inside the same transaction, which checks every key once instead of once per row.
Re-importing a file replaces the votes of the roll calls it holds, so importing twice changes
nothing; a file that lists fewer states for a roll call than are stored (a cut file, say) is
refused unless ``replace`` is given. The write is one transaction under the database's import
lock (:func:`detente.store.import_lock`): on SQLite the server's writes wait for it, up to the
busy timeout, then answer 503 with ``Retry-After``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, bindparam, delete, insert, select, update

from detente.errors import ConflictError
from detente.i18n import gettext as _
from detente.i18n import ngettext
from detente.inputs import DEFAULT_MAX_SIZE
from detente.states._readers import (
    InstrumentRecord,
    PositionRecord,
    VoteFile,
    read_instruments,
    read_positions,
    read_votes,
)
from detente.store import import_lock
from detente.store.models.states import (
    Instrument,
    InstrumentPosition,
    RollCall,
    StateDataVersion,
    state_votes,
)

__all__ = ["ImportSummary", "bump_data_version", "import_positions", "import_votes",
           "write_votes"]

BATCH = 50_000
_REINDEX_FROM = 100_000
_STATE_INDEX = "ix_state_votes_state"
_FK = "fk_state_votes_roll_call_id_state_roll_calls"
_CHUNK = 500
_RC = RollCall.__table__
_FIELDS = ("source", "session", "date", "resolution", "title", "description", "issues",
           "amendment", "paragraph", "important", "url")
#: How states take a position on an instrument of each kind, where the file does not say.
_BASIS_OF_KIND = {"unga-vote": "recorded-vote", "declaration": "endorsement",
                  "convention": "endorsement"}


def bump_data_version(connection: Connection) -> None:
    """Raise the state data version (in the import's transaction): cached analyses go stale."""
    table = StateDataVersion.__table__
    if connection.execute(update(table).where(table.c.id == 1)
                          .values(version=table.c.version + 1)).rowcount == 0:
        connection.execute(insert(table).values(id=1, version=1))


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import wrote."""

    layout: str
    roll_calls: int
    votes: int
    new_roll_calls: int = 0
    #: Votes new to the database, changed, and stored votes the file no longer lists.
    added_votes: int = 0
    changed_votes: int = 0
    removed_votes: int = 0
    #: One line per roll call whose stored votes the file lists only in part.
    partial: tuple[str, ...] = field(default=())
    dry_run: bool = False

    def describe(self) -> str:
        """One line for the CLI."""
        calls = ngettext("%(layout)s: %(calls)d roll call (%(new)d new)",
                         "%(layout)s: %(calls)d roll calls (%(new)d new)", self.roll_calls)
        votes = ngettext("%(votes)d vote", "%(votes)d votes", self.votes)
        text = _("%(roll_calls)s, %(votes)s") % {
            "roll_calls": calls % {"layout": self.layout, "calls": self.roll_calls,
                                   "new": self.new_roll_calls},
            "votes": votes % {"votes": self.votes}}
        if self.layout != "positions":
            text += _(" (%(added)d new, %(changed)d changed, %(removed)d removed)") % {
                "added": self.added_votes, "changed": self.changed_votes,
                "removed": self.removed_votes}
        return text


def import_votes(engine: Engine, path: Path, infer_absent: bool = True, *,
                 replace: bool = False, dry_run: bool = False,
                 max_size: int = DEFAULT_MAX_SIZE, wait: float = 600.0,
                 on_wait: Callable[[str], None] | None = None,
                 confirm: Callable[[ImportSummary], bool] | None = None) -> ImportSummary:
    """Read ``path`` (either layout), check it whole, and write it.

    ``infer_absent`` (unvotes layout): record as absent a state that voted elsewhere in the
    same session but has no row for a roll call. ``replace``: allow the file to drop stored
    votes of its roll calls (without it such a file is refused). ``dry_run``: only count what
    would change. ``max_size``: largest file read. ``wait``, ``on_wait``: see
    :func:`detente.store.import_lock`. ``confirm``: with ``replace``, called with the summary
    (its ``partial`` roll calls) before votes are removed; False stops the import.

    Raises
    ------
    ImportFormatError
        For a bad row (with file and line); nothing is written then.
    ConflictError
        When the file lists only part of a stored roll call and ``replace`` is not given.
    """
    path = Path(path)
    data = read_votes(path, infer_absent, max_size)
    if dry_run:
        with engine.connect() as connection:
            return _compare(connection, data, dry_run=True)
    with import_lock(engine, f"UN vote import {path.name}", wait=wait, on_wait=on_wait):
        with engine.connect() as connection:
            summary = _compare(connection, data)
        if summary.partial and not replace:
            shown = "; ".join(summary.partial[:3])
            more = len(summary.partial) - 3
            if more > 0:
                shown += _("; and %(n)d more roll calls") % {"n": more}
            raise ConflictError(
                _("the file would remove stored votes: %(shown)s. Nothing was imported: give "
                  "--replace to replace each roll call's votes with the file's") % {
                    "shown": shown}, location=str(path))
        if summary.partial and confirm is not None and not confirm(summary):
            raise ConflictError(_("nothing imported: the removals were not confirmed"),
                                location=str(path))
        write_votes(engine, data)
        return summary


def _compare(connection: Connection, data: VoteFile, dry_run: bool = False) -> ImportSummary:
    """What writing ``data`` changes, roll call by roll call."""
    keys = [record.key for record in data.roll_calls]
    existing = _ids_for(connection, keys)
    in_file: dict[str, dict[str, str]] = {}
    for key, state, vote in data.votes:
        in_file.setdefault(key, {})[state] = vote
    added = changed = removed = 0
    partial: list[str] = []
    by_id = {rc_id: key for key, rc_id in existing.items()}
    ids = sorted(by_id)
    stored: dict[str, dict[str, str]] = {}
    for start in range(0, len(ids), _CHUNK):
        for rc_id, state, vote in connection.execute(
                select(state_votes.c.roll_call_id, state_votes.c.state, state_votes.c.vote)
                .where(state_votes.c.roll_call_id.in_(ids[start:start + _CHUNK]))):
            stored.setdefault(by_id[rc_id], {})[state] = vote
    for key in keys:
        now = stored.get(key, {})
        wanted = in_file.get(key, {})
        gone = len(now.keys() - wanted.keys())
        removed += gone
        added += len(wanted.keys() - now.keys())
        changed += sum(1 for state, vote in wanted.items() if state in now and now[state] != vote)
        if gone:
            partial.append(_("roll call %(key)s: %(gone)d of its %(stored)d stored votes "
                             "(the file lists %(listed)d)") % {
                "key": key, "gone": gone, "stored": len(now), "listed": len(wanted)})
    return ImportSummary(data.layout, len(data.roll_calls), len(data.votes),
                         len(keys) - len(existing), added, changed, removed, tuple(partial),
                         dry_run)


def write_votes(engine: Engine, data: VoteFile) -> ImportSummary:
    """Write validated roll calls and votes in one transaction; replaces earlier votes of the
    same roll calls."""
    with engine.begin() as connection:
        ids, new = _upsert_roll_calls(connection, data)
        postgres = connection.dialect.name == "postgresql"
        bulk = len(data.votes) >= _REINDEX_FROM
        if bulk:  # building the index (and checking the key) once beats doing it per row
            connection.exec_driver_sql(f"DROP INDEX {_STATE_INDEX}")
            if postgres:
                connection.exec_driver_sql(f"ALTER TABLE state_votes DROP CONSTRAINT {_FK}")
        _delete_votes(connection, list(ids.values()))
        rows = sorted((ids[key], state, vote) for key, state, vote in data.votes)
        if postgres:
            _copy_votes(connection, rows)
        else:
            _insert_votes(connection, rows)
        if bulk:
            connection.exec_driver_sql(f"CREATE INDEX {_STATE_INDEX} ON state_votes (state)")
            if postgres:
                connection.exec_driver_sql(
                    f"ALTER TABLE state_votes ADD CONSTRAINT {_FK} FOREIGN KEY (roll_call_id) "
                    "REFERENCES state_roll_calls (id) ON DELETE CASCADE")
        bump_data_version(connection)
    return ImportSummary(data.layout, len(data.roll_calls), len(data.votes), new)


def _upsert_roll_calls(connection: Connection, data: VoteFile) -> tuple[dict[str, int], int]:
    keys = [record.key for record in data.roll_calls]
    existing = _ids_for(connection, keys)
    fresh = [r for r in data.roll_calls if r.key not in existing]
    stale = [r for r in data.roll_calls if r.key in existing]
    if fresh:
        connection.execute(insert(_RC), [
            {"key": r.key, **{f: getattr(r, f) for f in _FIELDS}} for r in fresh])
    if stale:
        statement = update(_RC).where(_RC.c.id == bindparam("rc_id")).values(
            {f: bindparam(f"v_{f}") for f in _FIELDS})
        connection.execute(statement, [
            {"rc_id": existing[r.key], **{f"v_{f}": getattr(r, f) for f in _FIELDS}}
            for r in stale])
    return (_ids_for(connection, keys) if fresh else existing), len(fresh)


def _ids_for(connection: Connection, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start:start + _CHUNK]
        found.update(connection.execute(
            select(_RC.c.key, _RC.c.id).where(_RC.c.key.in_(chunk))).all())
    return found


def _delete_votes(connection: Connection, ids: list[int]) -> None:
    for start in range(0, len(ids), _CHUNK):
        connection.execute(delete(state_votes).where(
            state_votes.c.roll_call_id.in_(ids[start:start + _CHUNK])))


def _insert_votes(connection: Connection, rows: list[tuple[int, str, str]]) -> None:
    """Plain DBAPI ``executemany`` in batches: no per-row SQLAlchemy processing."""
    statement = "INSERT INTO state_votes (roll_call_id, state, vote) VALUES (?, ?, ?)"
    for start in range(0, len(rows), BATCH):
        connection.exec_driver_sql(statement, rows[start:start + BATCH])


def _copy_votes(connection: Connection, rows: list[tuple[int, str, str]]) -> None:
    """PostgreSQL: stream the rows with COPY inside the open transaction."""
    raw = connection.connection.driver_connection
    buffer = io.StringIO()
    buffer.writelines(f"{r}\t{s}\t{v}\n" for r, s, v in rows)
    # An open connection always has its driver's connection (psycopg here), never None.
    with raw.cursor() as cursor, cursor.copy(  # type: ignore[union-attr]
        "COPY state_votes (roll_call_id, state, vote) FROM STDIN"
    ) as copy:
        copy.write(buffer.getvalue())


def import_positions(engine: Engine, path: Path, instrument: str | None = None,
                     instruments_file: Path | None = None) -> ImportSummary:
    """Import endorsements and signatures in one transaction.

    ``path`` is a positions CSV (combined layout, or the per-instrument layout with
    ``instrument``) or a folder holding ``instruments.csv`` and one ``<id>.csv`` per instrument.
    The positions of every instrument named are replaced, so re-importing changes nothing.
    """
    path = Path(path)
    metadata: list[InstrumentRecord] = []
    positions: list[PositionRecord] = []
    if path.is_dir():
        metadata = read_instruments(path / "instruments.csv")
        for item in metadata:
            file = path / f"{item.slug}.csv"
            if file.exists():
                positions.extend(read_positions(file, item.slug))
    else:
        if instruments_file is not None:
            metadata = read_instruments(Path(instruments_file))
        positions = read_positions(path, instrument)
    return write_positions(engine, metadata, positions)


def write_positions(engine: Engine, metadata: list[InstrumentRecord],
                    positions: list[PositionRecord]) -> ImportSummary:
    """Write validated instruments and positions (see :func:`import_positions`)."""
    table = Instrument.__table__
    slugs = list(dict.fromkeys([m.slug for m in metadata] + [p.instrument for p in positions]))
    by_slug = {m.slug: m for m in metadata}
    with engine.begin() as connection:
        existing = dict(connection.execute(select(table.c.slug, table.c.id)).all())
        new = 0
        for slug in slugs:
            record = by_slug.get(slug)
            values = _instrument_values(record) if record else None
            if slug not in existing:
                values = {**_derived(record), **(values or {})} if record \
                    else {"title": slug}
                existing[slug] = connection.execute(
                    insert(table).values(slug=slug, **values).returning(table.c.id)).scalar_one()
                new += 1
            elif values:
                connection.execute(update(table).where(table.c.id == existing[slug]).values(values))
        _replace_positions(connection, existing, set(by_slug), positions)
        bump_data_version(connection)
    return ImportSummary("positions", len(slugs), len(positions), new)


def _instrument_values(record: InstrumentRecord) -> dict[str, object]:
    """Column values of an instrument row: what the file gives, and nothing else.

    A column the file lacks leaves a stored instrument's value alone (so importing the shared
    ``instruments.csv``, which has no ``basis``, does not undo how a text was adopted); a new
    instrument gets it from :func:`_derived`. A ``basis`` left empty says that how states took
    part is not verified, and stays empty (the pages then say so instead of "Recorded vote")."""
    values: dict[str, object] = {"title": record.title, "source_url": record.source_url,
                                 **record.fields}
    if values.get("record") == "":
        values["record"] = "partial"
    return values


#: What the words of ``totals`` say about how a UN text was adopted, first match wins: a
#: tally or "recorded vote" is a recorded vote; "not verified" leaves the basis unverified
#: (before "consensus": "how it was adopted NOT VERIFIED (one blog says consensus)");
#: "without a vote" and "consensus" are an adoption without a vote.
_BASIS_OF_TOTALS = (
    (re.compile(r"\d+\s*yes\b|\brecorded vote\b", re.IGNORECASE), "recorded-vote"),
    (re.compile(r"\bnot verified\b", re.IGNORECASE), ""),
    (re.compile(r"\bwithout a vote\b|\bconsensus\b", re.IGNORECASE), "without-vote"),
)
_ISSUER = re.compile(r"^\s*issuer only\s*$", re.IGNORECASE)
_TALLY = re.compile(r"(\d+)\s*yes\s*/\s*(\d+)\s*no\s*/\s*(\d+)\s*abstain", re.IGNORECASE)


def _derived(record: InstrumentRecord) -> dict[str, object]:
    """Fields of a new instrument that the file does not give, read from its ``kind`` and the
    words of its ``totals`` (the shared layout states them only there).

    ``basis``: for a UN text, what ``totals`` says (:data:`_BASIS_OF_TOTALS`), else empty (not
    verified: never a recorded vote by assumption); an endorsement for a declaration or a
    convention, unless ``totals`` says "issuer only". The reported tally ("152 yes / 4 no / 11
    abstain") when the file has no ``reported_*`` columns.
    """
    fields = record.fields
    totals = str(fields.get("totals") or "")
    kind = str(fields.get("kind") or "")
    derived: dict[str, object] = {}
    if "basis" not in fields and kind in _BASIS_OF_KIND:
        if kind == "unga-vote":
            derived["basis"] = next((b for pattern, b in _BASIS_OF_TOTALS
                                     if pattern.search(totals)), "")
        else:
            derived["basis"] = "issuer" if _ISSUER.match(totals) else _BASIS_OF_KIND[kind]
    tally = _TALLY.search(totals)
    if tally and not any(name in fields for name in
                         ("reported_yes", "reported_no", "reported_abstain")):
        derived.update(zip(("reported_yes", "reported_no", "reported_abstain"),
                           map(int, tally.groups()), strict=True))
    return derived


def _replace_positions(connection: Connection, ids: dict[str, int], listed: set[str],
                       positions: list[PositionRecord]) -> None:
    """Replace each named instrument's positions, leaving unchanged lists untouched."""
    ptable = InstrumentPosition.__table__
    wanted: dict[str, list[PositionRecord]] = {slug: [] for slug in listed}
    for p in positions:
        wanted.setdefault(p.instrument, []).append(p)
    for slug, records in wanted.items():
        condition = ptable.c.instrument_id == ids[slug]
        current = set(connection.execute(select(
            ptable.c.state, ptable.c.position, ptable.c.source_url, ptable.c.note,
            ptable.c.note_zh, ptable.c.evidence
        ).where(condition)).all())
        # A file without note_zh keeps the stored Chinese of the same note, and one without
        # evidence what the same position was stored as resting on.
        stored_zh = {(state, note): zh for state, _p, _s, note, zh, _e in current}
        stored_evidence = {(state, position): e for state, position, _s, _n, _z, e in current}
        rows = {(p.state, p.position, p.source_url, p.note,
                 p.note_zh if p.note_zh is not None else stored_zh.get((p.state, p.note), ""),
                 p.evidence if p.evidence is not None
                 else stored_evidence.get((p.state, p.position), ""))
                for p in records}
        if current == rows:
            continue
        connection.execute(delete(ptable).where(condition))
        if rows:
            connection.execute(insert(ptable), [
                {"instrument_id": ids[slug], "state": state, "position": position,
                 "source_url": source, "note": note, "note_zh": note_zh, "evidence": evidence}
                for state, position, source, note, note_zh, evidence
                in sorted(rows, key=lambda r: r[0])])
