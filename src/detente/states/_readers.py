"""Read and validate UN vote files and position files; nothing here touches the database.

Two vote layouts are recognised by their header (docs/states.md, "Input formats"):

- **UN Digital Library export**: one CSV, one row per state per roll call, with at least
  ``undl_id, ms_code, ms_vote, session`` (also read when present: ``date, resolution, title,
  undl_link, ms_name``). ``ms_vote`` is ``Y``/``N``/``A``/``X`` (non-voting) or blank (not a
  member then).
- **unvotes** (Voeten's data as packaged by the R ``unvotes`` package): a folder holding the
  votes table (``rcid, country, country_code, vote``), the roll-call table (``rcid, session,
  date, unres, ...``) and optionally the issue table (``rcid, short_name, issue``).

Every error names the file and line; a file with any bad row is rejected whole.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from detente.errors import ImportFormatError
from detente.i18n import gettext as _
from detente.inputs import DEFAULT_MAX_SIZE, text_lines
from detente.states._countries import countries, iso3_from_unvotes

__all__ = [
    "EVIDENCE",
    "INSTRUMENT_FIELDS",
    "POSITIONS",
    "InstrumentRecord",
    "PositionRecord",
    "RollCallRecord",
    "VoteFile",
    "detect_layout",
    "read_instruments",
    "read_positions",
    "read_undl",
    "read_unvotes",
    "read_votes",
]

_UNDL_VOTES = {"Y": "yes", "N": "no", "A": "abstain", "X": "absent", "": "non_member"}
_UNVOTES_VOTES = {"yes": "yes", "no": "no", "abstain": "abstain"}
#: Position words of a positions file, and the standing each records (see
#: :mod:`detente.states._standing`: for an endorsement a "no" is "not endorsed", never a no vote).
POSITIONS = {
    "yes": "endorsed", "endorsed": "endorsed", "signed": "endorsed", "ratified": "endorsed",
    "no": "voted_no", "not-signed": "not_endorsed", "not-endorsed": "not_endorsed",
    "withdrawn": "not_endorsed", "abstain": "abstained", "absent": "absent",
    "unknown": "unknown",
}
#: Optional fields of instruments.csv and the values each may take (None: any text).
INSTRUMENT_FIELDS: dict[str, tuple[str, ...] | None] = {
    "symbol": None, "title_zh": None, "title_zh_status": ("", "official", "translation"),
    "title_zh_source": None, "kind": None, "date": None,
    "date_note": ("", "opened-for-signature", "launched", "day-not-verified", "not-verified"),
    "body": None, "body_zh": None,
    "basis": ("", "recorded-vote", "without-vote", "endorsement", "issuer"),
    "open_to": ("", "all", "invited", "members", "members-and-invited", "issuer"),
    "record": ("", "complete", "no-and-abstain", "partial", "none"),
    "as_of": None, "organisations": None, "remark": None, "remark_zh": None, "totals": None,
}
#: Longest value of each instrument field (its column's length).
_INSTRUMENT_LENGTHS = {"id": 120, "symbol": 60, "title_zh_source": 500, "kind": 40, "date": 40,
                       "date_note": 40, "body": 200, "body_zh": 200, "as_of": 20,
                       "organisations": 100}
_INSTRUMENT_COUNTS = ("reported_yes", "reported_no", "reported_abstain", "reported_low",
                      "reported_high")
#: A date that carries its note in words, as the shared ``instruments.csv`` writes it:
#: ``2023-02-16 (launched)``, ``2024-11 (day not verified)``.
_DATE_WITH_NOTE = re.compile(r"^(\d{4}(?:-\d{2}){0,2})\s*\(([^()]+)\)$")
_DATE_NOTE_WORDS = {"opened for signature": "opened-for-signature", "launched": "launched",
                    "day not verified": "day-not-verified", "not verified": "not-verified"}


@dataclass(slots=True)
class RollCallRecord:
    """A roll call as read from a file."""

    key: str
    source: str
    session: int
    date: date | None = None
    resolution: str | None = None
    title: str = ""
    description: str = ""
    issues: str = ""
    amendment: bool = False
    paragraph: bool = False
    important: bool = False
    url: str | None = None


@dataclass(slots=True)
class VoteFile:
    """The roll calls of one import and its votes as (roll-call key, ISO3, vote) triples."""

    layout: str
    roll_calls: list[RollCallRecord] = field(default_factory=list)
    votes: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(slots=True)
class InstrumentRecord:
    """An instrument's metadata (one row of ``instruments.csv``).

    ``fields`` holds the optional fields of :data:`INSTRUMENT_FIELDS` and the reported
    counts (``reported_yes`` ...) that the file gives; the model's defaults apply to the rest.
    """

    slug: str
    title: str
    source_url: str | None = None
    fields: dict[str, str | int | None] = field(default_factory=dict)


@dataclass(slots=True)
class PositionRecord:
    """One state's position on one instrument."""

    instrument: str
    state: str
    position: str
    source_url: str | None
    note: str = ""
    #: None when the file has no ``note_zh`` column: a stored translation of the same note is
    #: kept (the shared per-instrument files carry only the English note).
    note_zh: str | None = ""
    #: What the position rests on (:data:`EVIDENCE`); None when the file has no ``evidence``
    #: column: a stored value for the same state and position is kept.
    evidence: str | None = ""


#: What a listed position may rest on: "" (the source names the state), "inferred" (no source
#: names it: inferred from a role or a membership), "one-source" (one source names it, others
#: do not).
EVIDENCE = ("", "inferred", "one-source")


def _rows(path: Path, max_size: int = DEFAULT_MAX_SIZE, *,
          strict: bool = False) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) pairs of a CSV, skipping leading ``#`` comment lines.

    The file is read as a stream of checked UTF-8 lines (:func:`detente.inputs.text_lines`).
    With ``strict`` a row must have as many fields as the header (a file cut in the middle of
    a line is refused) and the file must hold at least one row.
    """
    lines = text_lines(path, max_size)
    offset = 0
    first = next(lines, None)
    while first is not None and first.startswith("#"):
        offset += 1
        first = next(lines, None)
    if first is None:
        if strict:
            raise ImportFormatError(_("the file has no header and no rows"), location=str(path))
        return
    reader = csv.DictReader(itertools.chain([first], lines))
    rows = 0
    try:
        for row in reader:
            where = offset + reader.line_num
            if strict and (None in row or None in row.values()):
                raise ImportFormatError(
                    _("expected %(width)d fields on this line (a cut or broken line?)")
                    % {"width": len(reader.fieldnames or [])}, location=f"{path}:{where}")
            rows += 1
            yield where, row
    except csv.Error as exc:
        raise ImportFormatError(_("not a readable CSV file: %(error)s") % {"error": exc},
                                location=f"{path}:{offset + reader.line_num}") from None
    if strict and rows == 0:
        raise ImportFormatError(_("the file has a header but no rows"),
                                location=f"{path}:{offset + 1}")


def _header(path: Path) -> list[str]:
    """The column names of a CSV file (its first line that is not a ``#`` comment), or [].

    Only the header line is decoded here (leniently, bounded in length); the rest of the
    file is checked line by line when it is read.
    """
    try:
        with path.open("rb") as handle:
            for raw in iter(lambda: handle.readline(65_536), b""):
                line = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
                if not line.startswith("#"):
                    return [c.strip() for c in next(csv.reader([line]), [])]
    except (OSError, csv.Error):
        return []
    return []


def detect_layout(path: Path) -> str:
    """``"undl"`` for a UN Digital Library CSV, ``"unvotes"`` for an unvotes folder.

    Raises
    ------
    ImportFormatError
        When ``path`` is neither.
    """
    if path.is_dir():
        _unvotes_files(path)
        return "unvotes"
    header = set(_header(path))
    if {"undl_id", "ms_code", "ms_vote"} <= header:
        return "undl"
    if not path.exists():
        raise ImportFormatError(_("no such file or folder"), location=str(path))
    raise ImportFormatError(_(
        "not a UN vote file: expected a UN Digital Library CSV (undl_id, ms_code, ms_vote, ...)"
        " or an unvotes folder (votes, roll-call and issue tables)"), location=str(path))


def _unvotes_files(folder: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(folder.glob("*.csv")):
        header = set(_header(path))
        if {"rcid", "country_code", "vote"} <= header:
            found.setdefault("votes", path)
        elif {"rcid", "session", "unres"} <= header:
            found.setdefault("roll_calls", path)
        elif {"rcid", "short_name", "issue"} <= header:
            found.setdefault("issues", path)
    missing = {"votes", "roll_calls"} - set(found)
    if missing:
        raise ImportFormatError(
            _("not an unvotes folder: no %(tables)s table (CSV with header "
              "rcid,country,country_code,vote / rcid,session,date,unres,...)")
            % {"tables": " or ".join(sorted(missing))}, location=str(folder))
    return found


def read_votes(path: Path, infer_absent: bool = True,
               max_size: int = DEFAULT_MAX_SIZE) -> VoteFile:
    """Read either layout, detected from ``path`` (``infer_absent``: see :func:`read_unvotes`).

    ``max_size`` bounds each file read, in bytes.
    """
    if detect_layout(path) == "unvotes":
        return read_unvotes(path, infer_absent, max_size)
    return read_undl(path, max_size)


def _need(row: dict[str, str], name: str, where: str) -> str:
    value = (row.get(name) or "").strip()
    if not value:
        raise ImportFormatError(_("field %(name)r is empty") % {"name": name}, location=where)
    return value


def _int(value: str, name: str, where: str) -> int:
    try:
        number = int(float(value))
    except (ValueError, OverflowError):
        raise ImportFormatError(_("field %(name)r is not a number: %(value)r")
                                % {"name": name, "value": value}, location=where) from None
    if not 0 < number < 10_000:
        raise ImportFormatError(_("field %(name)r is out of range: %(value)r")
                                % {"name": name, "value": value}, location=where)
    return number


def _date(value: str, where: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise ImportFormatError(_("field 'date' is not a YYYY-MM-DD date: %(value)r")
                                % {"value": value}, location=where) from None


_KEY = re.compile(r"^[A-Za-z0-9._-]{1,50}$")


def _record_id(row: dict[str, str], name: str, where: str) -> str:
    value = _need(row, name, where)
    if not _KEY.match(value):
        raise ImportFormatError(
            _("field %(name)r must be up to 50 letters, digits, '.', '_' or '-', not %(value)r")
            % {"name": name, "value": value[:60]}, location=where)
    return value


def _short(value: str, name: str, limit: int, where: str) -> str:
    if len(value) > limit:
        raise ImportFormatError(_("field %(name)r is longer than %(limit)d characters")
                                % {"name": name, "limit": limit}, location=where)
    return value


def _link(value: str, where: str, name: str = "undl_link") -> str:
    """An http(s) address, else an error: a ``javascript:`` or ``data:`` link is refused."""
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc \
            or any(c.isspace() or ord(c) < 32 for c in value):
        raise ImportFormatError(
            _("field %(name)r must be an http:// or https:// address, not %(value)r")
            % {"name": name, "value": value[:80]}, location=where)
    return _short(value, name, 500, where)


#: UN Digital Library columns that describe the roll call: equal on every row of one roll call.
_UNDL_CALL_FIELDS = ("session", "date", "resolution", "title", "agenda_title", "subjects",
                     "undl_link")


def read_undl(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> VoteFile:
    """Read a UN Digital Library voting export (one row per state per roll call).

    Every row is checked: its vote and state, and that it describes its roll call (session,
    date, resolution, title, link) as the roll call's first row does.
    """
    known = countries()
    result = VoteFile("undl")
    calls: dict[str, RollCallRecord] = {}
    described: dict[str, tuple[tuple[str, ...], int]] = {}
    seen: set[tuple[str, str]] = set()
    for line, row in _rows(path, max_size, strict=True):
        where = f"{path}:{line}"
        undl_id = _record_id(row, "undl_id", where)
        key = f"undl:{undl_id}"
        description = tuple((row.get(name) or "").strip() for name in _UNDL_CALL_FIELDS)
        if key not in calls:
            link = (row.get("undl_link") or "").strip()
            calls[key] = RollCallRecord(
                key=key, source="undl",
                session=_int(_need(row, "session", where), "session", where),
                date=_date(row.get("date") or "", where),
                resolution=_short((row.get("resolution") or "").strip(), "resolution", 60,
                                  where) or None,
                title=(row.get("title") or "").strip(),
                description=(row.get("agenda_title") or row.get("subjects") or "").strip(),
                url=_link(link, where) if link
                else f"https://digitallibrary.un.org/record/{undl_id}")
            described[key] = (description, line)
        elif description != described[key][0]:
            first, first_line = described[key]
            name = next(n for n, a, b in zip(_UNDL_CALL_FIELDS, description, first, strict=True)
                        if a != b)
            raise ImportFormatError(
                _("field %(name)r of roll call %(id)s differs from its first row (line "
                  "%(line)d): %(here)r, not %(there)r") % {
                    "name": name, "id": undl_id, "line": first_line,
                    "here": dict(zip(_UNDL_CALL_FIELDS, description, strict=True))[name][:60],
                    "there": dict(zip(_UNDL_CALL_FIELDS, first, strict=True))[name][:60]},
                location=where)
        code = _need(row, "ms_code", where).upper()
        if code not in known:
            raise ImportFormatError(
                _("unknown state code %(code)r (ISO 3166-1 alpha-3 expected)")
                % {"code": code[:10]}, location=where)
        vote = (row.get("ms_vote") or "").strip().upper()
        if vote not in _UNDL_VOTES:
            raise ImportFormatError(_("field 'ms_vote' must be Y, N, A, X or blank, not %(vote)r")
                                    % {"vote": vote[:10]}, location=where)
        if (key, code) in seen:
            raise ImportFormatError(_("%(code)s votes twice on roll call %(id)s")
                                    % {"code": code, "id": undl_id}, location=where)
        seen.add((key, code))
        result.votes.append((key, code, _UNDL_VOTES[vote]))
    result.roll_calls = list(calls.values())
    return result


def read_unvotes(folder: Path, infer_absent: bool = True,
                 max_size: int = DEFAULT_MAX_SIZE) -> VoteFile:
    """Read an unvotes folder: roll calls, their issues, and the votes.

    The unvotes tables have no row for a state that was absent or not a member. With
    ``infer_absent`` a state with no row for a roll call dated between its first and last vote
    of the same session is recorded as absent on it; other missing rows stay unrecorded
    (non-member, suspended, absent all session, or before admission / after a seat changed).
    """
    files = _unvotes_files(folder)
    result = VoteFile("unvotes")
    calls: dict[str, RollCallRecord] = {}
    path = files["roll_calls"]
    for line, row in _rows(path, max_size, strict=True):
        where = f"{path}:{line}"
        rcid = _record_id(row, "rcid", where)
        if rcid in calls:
            raise ImportFormatError(_("roll call %(id)s is listed twice") % {"id": rcid},
                                    location=where)
        calls[rcid] = RollCallRecord(
            key=f"unvotes:{rcid}", source="unvotes",
            session=_int(_need(row, "session", where), "session", where),
            date=_date(row.get("date") or "", where),
            resolution=_short((row.get("unres") or "").strip(), "unres", 60, where) or None,
            title=(row.get("short") or "").strip(), description=(row.get("descr") or "").strip(),
            amendment=(row.get("amend") or "0").strip() == "1",
            paragraph=(row.get("para") or "0").strip() == "1",
            important=(row.get("importantvote") or "0").strip() == "1")
    if "issues" in files:
        path = files["issues"]
        for line, row in _rows(path, max_size, strict=True):
            rcid = _need(row, "rcid", f"{path}:{line}")
            if rcid not in calls:
                raise ImportFormatError(_("issue for unknown roll call %(id)s") % {"id": rcid},
                                        location=f"{path}:{line}")
            code = _need(row, "short_name", f"{path}:{line}")
            record = calls[rcid]
            record.issues = _short(f"{record.issues} {code}".strip(), "short_name", 200,
                                   f"{path}:{line}")
    _read_unvotes_votes(files["votes"], calls, result.votes, max_size)
    result.roll_calls = list(calls.values())
    if infer_absent:
        result.votes += _absences(result)
    return result


def _absences(data: VoteFile) -> list[tuple[str, str, str]]:
    """(roll call, state, "absent") for each roll call a state missed between its first and
    last vote of the same session (so that a seat changing hands mid-session, such as the
    USSR's to Russia in December 1991, or a mid-session admission, makes no absences)."""
    meta = {rc.key: (rc.session, rc.date) for rc in data.roll_calls}
    voters: dict[str, set[str]] = {rc.key: set() for rc in data.roll_calls}
    spans: dict[tuple[int, str], list[date | None]] = {}
    for key, state, _vote in data.votes:
        voters[key].add(state)
        session, when = meta[key]
        span = spans.setdefault((session, state), [when, when])
        if when is not None and span[0] is not None and span[1] is not None:
            span[0], span[1] = min(span[0], when), max(span[1], when)
    by_session: dict[int, list[tuple[str, list[date | None]]]] = {}
    for (session, state), span in spans.items():
        by_session.setdefault(session, []).append((state, span))
    absent = []
    for key, present in voters.items():
        session, when = meta[key]
        for state, (first, last) in by_session.get(session, []):
            inside = when is None or first is None or last is None or first <= when <= last
            if inside and state not in present:
                absent.append((key, state, "absent"))
    return absent


def _read_unvotes_votes(path: Path, calls: dict[str, RollCallRecord],
                        votes: list[tuple[str, str, str]],
                        max_size: int = DEFAULT_MAX_SIZE) -> None:
    """The votes table, read with a plain ``csv.reader`` (870k rows: no dict per row)."""
    seen: set[tuple[str, str]] = set()
    codes: dict[tuple[str, str, object], str | None] = {}
    reader = csv.reader(text_lines(path, max_size))
    try:
        _read_vote_rows(reader, path, calls, votes, seen, codes)
    except csv.Error as exc:
        raise ImportFormatError(_("not a readable CSV file: %(error)s") % {"error": exc},
                                location=f"{path}:{reader.line_num}") from None
    if not seen:
        raise ImportFormatError(_("the file has a header but no rows"), location=f"{path}:1")


def _read_vote_rows(reader: Any, path: Path, calls: dict[str, RollCallRecord],
                    votes: list[tuple[str, str, str]], seen: set[tuple[str, str]],
                    codes: dict[tuple[str, str, object], str | None]) -> None:
    header = [c.strip() for c in next(reader, [])]
    missing = [n for n in ("rcid", "country", "country_code", "vote") if n not in header]
    if missing:
        raise ImportFormatError(_("missing column(s) %(names)s") % {"names": ", ".join(missing)},
                                location=f"{path}:1")
    at = {name: header.index(name) for name in ("rcid", "country", "country_code", "vote")}
    width = len(header)
    for row in reader:
        line = reader.line_num
        if len(row) != width:
            raise ImportFormatError(_("expected %(width)d fields, found %(found)d")
                                    % {"width": width, "found": len(row)},
                                    location=f"{path}:{line}")
        rcid = row[at["rcid"]]
        call = calls.get(rcid)
        if call is None:
            raise ImportFormatError(_("vote on unknown roll call %(id)r") % {"id": rcid[:60]},
                                    location=f"{path}:{line}")
        vote = _UNVOTES_VOTES.get(row[at["vote"]])
        if vote is None:
            raise ImportFormatError(_("field 'vote' must be yes, no or abstain, not %(vote)r")
                                    % {"vote": row[at["vote"]][:20]}, location=f"{path}:{line}")
        key = (row[at["country_code"]].strip(), row[at["country"]].strip(), call.date)
        if key not in codes:
            codes[key] = iso3_from_unvotes(*key)
        code = codes[key]
        if code is None:
            raise ImportFormatError(_("unknown country %(name)r (code %(code)r)")
                                    % {"name": key[1][:60], "code": key[0][:10]},
                                    location=f"{path}:{line}")
        if (rcid, code) in seen:
            raise ImportFormatError(_("%(code)s votes twice on roll call %(id)s")
                                    % {"code": code, "id": rcid}, location=f"{path}:{line}")
        seen.add((rcid, code))
        votes.append((call.key, code, vote))


def read_instruments(path: Path) -> list[InstrumentRecord]:
    """Read an ``instruments.csv``: ``id, title`` and ``source_url``, and any of the optional
    fields of :data:`INSTRUMENT_FIELDS` and the reported counts (docs/states.md)."""
    items = []
    for line, row in _rows(path):
        where = f"{path}:{line}"
        fields: dict[str, str | int | None] = {}
        for name, allowed in INSTRUMENT_FIELDS.items():
            if name in row:
                value = (row.get(name) or "").strip()
                if allowed is not None and value not in allowed:
                    raise ImportFormatError(
                        _("field %(name)r must be one of %(choices)s, not %(value)r")
                        % {"name": name, "value": value,
                           "choices": ", ".join(a for a in allowed if a)},
                        location=where)
                fields[name] = _short(value, name, _INSTRUMENT_LENGTHS.get(name, 10**6), where)
        for name in _INSTRUMENT_COUNTS:
            if (row.get(name) or "").strip():
                fields[name] = _int(row[name].strip(), name, where)
        _split_date_note(fields)
        link = (row.get("source_url") or "").strip()
        items.append(InstrumentRecord(
            slug=_short(_need(row, "id", where), "id", _INSTRUMENT_LENGTHS["id"], where),
            title=_need(row, "title", where),
            source_url=_link(link, where, "source_url") if link else None, fields=fields))
    return items


def _split_date_note(fields: dict[str, str | int | None]) -> None:
    """Move a note written into the date (``2023-02-16 (launched)``) to ``date_note``, so that
    the pages, which add the note to the date, do not say it twice; a ``date_note`` the file
    gives wins."""
    found = _DATE_WITH_NOTE.match(str(fields.get("date") or "").strip())
    if found is None or found.group(2).strip().lower() not in _DATE_NOTE_WORDS:
        return
    fields["date"] = found.group(1)
    if not fields.get("date_note"):
        fields["date_note"] = _DATE_NOTE_WORDS[found.group(2).strip().lower()]


def read_positions(path: Path, instrument: str | None = None) -> list[PositionRecord]:
    """Read positions: ``instrument, state, position, source[, note]`` with ``state`` an ISO3
    code, or the per-instrument layout ``state, iso3, position, source_url, note`` when
    ``instrument`` names the instrument."""
    header = set(_header(path))
    if not header:
        raise ImportFormatError(_("empty or unreadable CSV file"), location=str(path))
    combined = "instrument" in header
    if not combined and instrument is None:
        raise ImportFormatError(_("no 'instrument' column: give the instrument (--instrument)"),
                                location=str(path))
    code_field = "iso3" if "iso3" in header else "state"
    source_field = "source" if "source" in header else "source_url"
    for name in (code_field, "position", source_field):
        if name not in header:
            raise ImportFormatError(_("missing column %(name)r") % {"name": name},
                                    location=str(path))
    known = countries()
    items: list[PositionRecord] = []
    seen: set[tuple[str, str]] = set()
    for line, row in _rows(path):
        where = f"{path}:{line}"
        slug = _need(row, "instrument", where) if combined else str(instrument)
        _short(slug, "instrument", _INSTRUMENT_LENGTHS["id"], where)
        code = _need(row, code_field, where).upper()
        if code not in known:
            raise ImportFormatError(_("unknown state code %(code)r (ISO 3166-1 alpha-3 expected)")
                                    % {"code": code},
                                    location=where)
        position = _need(row, "position", where).lower()
        if position not in POSITIONS:
            raise ImportFormatError(_("unknown position %(position)r (one of %(choices)s)")
                                    % {"position": position, "choices": ", ".join(POSITIONS)},
                                    location=where)
        if (slug, code) in seen:
            raise ImportFormatError(_("%(code)s listed twice for %(slug)s")
                                    % {"code": code, "slug": slug}, location=where)
        seen.add((slug, code))
        link = (row.get(source_field) or "").strip()
        evidence = (row.get("evidence") or "").strip().lower()
        if evidence not in EVIDENCE:
            raise ImportFormatError(
                _("field %(name)r must be one of %(choices)s, not %(value)r")
                % {"name": "evidence", "value": evidence,
                   "choices": ", ".join(e for e in EVIDENCE if e)}, location=where)
        items.append(PositionRecord(slug, code, position,
                                    _link(link, where, source_field) if link else None,
                                    (row.get("note") or "").strip(),
                                    (row.get("note_zh") or "").strip()
                                    if "note_zh" in header else None,
                                    evidence if "evidence" in header else None))
    return items
