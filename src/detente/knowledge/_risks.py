"""Import the MIT AI Risk Repository (v3) and map its domain taxonomy onto ours.

Each risk keeps its causal labels (entity, intent, timing) and domain / sub-domain, and gets the
terms the crosswalk in the taxonomy file assigns to its sub-domain. Re-import updates by
``Ev_ID``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select

from detente.errors import ImportFormatError
from detente.i18n import gettext as _
from detente.i18n import punct
from detente.inputs import check_text_file
from detente.knowledge._taxonomy import Taxonomy, load_taxonomy
from detente.store import session_scope
from detente.store.models.knowledge import KbRisk

__all__ = ["RiskImport", "import_risks", "read_risks", "subdomain_code"]

_COLUMNS = ("Ev_ID", "Description", "Domain", "Sub-domain")
_MAX_ID = 40  # the length of kb_risks.ev_id


@dataclass
class RiskImport:
    """Counts of risks added, updated and left without a domain."""

    added: int = 0
    updated: int = 0
    unmapped: int = 0
    #: Lines of rows skipped because an earlier row has the same Ev_ID (the repository's v3
    #: file repeats five).
    repeated: list[int] = field(default_factory=list)

    def describe(self) -> str:
        """One line for the CLI."""
        line = _("%(added)d risk(s) added, %(updated)d updated, %(unmapped)d without a domain") % {
            "added": self.added, "updated": self.updated, "unmapped": self.unmapped}
        if self.repeated:
            lines = punct("enum").join(str(n) for n in self.repeated)
            line += punct("semicolon") + _(
                "%(n)d row(s) skipped, their Ev_ID repeated (lines %(lines)s)"
            ) % {"n": len(self.repeated), "lines": lines}
        return line


def subdomain_code(value: str) -> str | None:
    """'4.2 > Cyberattacks, weapon development...' or '4.2. Cyber...' -> '4.2'."""
    match = re.match(r"^\s*(\d+\.\d+)", value or "")
    return match.group(1) if match else None


def read_risks(path: Path, repeated: list[int] | None = None) -> list[dict[str, str]]:
    """Rows of the risk database CSV that describe a risk (category or sub-category rows).

    A row whose Ev_ID an earlier row has is left out, its line appended to ``repeated``.

    Raises
    ------
    ImportFormatError
        Naming the file and line: not UTF-8 text, a NUL, a missing column, an Ev_ID too long.
    """
    if path.is_dir():
        path = path / "mit_ai_risk_database_v3.csv"
    check_text_file(path)  # a regular file of UTF-8 text without NUL, within the size limit
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        try:
            missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ImportFormatError(
                    _("missing column(s) %(columns)s") % {"columns": ", ".join(missing)},
                    location=f"{path}:1",
                )
            for row in reader:
                ev_id = row.get("Ev_ID") or ""
                described = row.get("Description") or row.get("Risk category") or ""
                if not ev_id.strip() or not described.strip():
                    continue
                where = f"{path}:{reader.line_num}"
                if len(ev_id) > _MAX_ID:
                    raise ImportFormatError(
                        _("Ev_ID is longer than %(limit)s characters") % {"limit": _MAX_ID},
                        location=where,
                    )
                if ev_id in seen:
                    if repeated is not None:
                        repeated.append(reader.line_num)
                    continue
                seen.add(ev_id)
                rows.append(row)
        except csv.Error as exc:
            where = f"{path}:{reader.line_num}"
            raise ImportFormatError(_("not a CSV file: %(reason)s") % {"reason": exc},
                                    location=where) from None
    return rows


def import_risks(engine: Engine, path: Path, taxonomy: Taxonomy | None = None) -> RiskImport:
    """Import or update every risk of the repository CSV in one transaction."""
    taxonomy = taxonomy or load_taxonomy()
    report = RiskImport()
    rows = read_risks(path, report.repeated)
    with session_scope(engine) as session:
        existing = {r.ev_id: r for r in session.scalars(select(KbRisk))}
        for row in rows:
            code = subdomain_code(row.get("Sub-domain", ""))
            terms = list((taxonomy.mit_crosswalk.get(code) or {}).get("terms", [])) if code else []
            if not (row.get("Domain") or "").strip() or row["Domain"].strip().lower().startswith(
                "x"
            ):
                report.unmapped += 1
            values = {
                "source_title": (row.get("Title") or "")[:500],
                "category": row.get("Risk category") or "",
                "subcategory": row.get("Risk subcategory") or "",
                "description": row.get("Description") or "",
                "entity": (row.get("Entity") or "")[:40] or None,
                "intent": (row.get("Intent") or "")[:40] or None,
                "timing": (row.get("Timing") or "")[:40] or None,
                "domain": (row.get("Domain") or "")[:120] or None,
                "subdomain": (row.get("Sub-domain") or "")[:200] or None,
                "terms": terms,
            }
            risk = existing.get(row["Ev_ID"])
            if risk is None:
                session.add(KbRisk(ev_id=row["Ev_ID"], **values))
                report.added += 1
            else:
                for key, value in values.items():
                    setattr(risk, key, value)
                report.updated += 1
    return report
