"""Document metadata: command options, manifest CSV rows, and what can be inferred from titles.

Kind and bindingness are inferred only where the title says so plainly ("Regulation (EU)" is a
binding regulation, "Executive Order" an executive order, "Declaration" a non-binding
declaration...); an inferred value is flagged so pages can show it as such.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from detente.errors import ImportFormatError
from detente.i18n import gettext as _

__all__ = [
    "KINDS",
    "STATUSES",
    "DocumentMeta",
    "infer_kind",
    "issuer_needles",
    "jurisdiction_name",
    "jurisdiction_of",
    "language_name",
    "parse_language",
    "parse_size",
    "parse_status",
    "read_manifest",
]

KINDS = (
    "law",
    "regulation",
    "strategy",
    "executive_order",
    "memorandum",
    "declaration",
    "resolution",
    "standard",
    "guideline",
    "treaty",
    "other",
)
#: (pattern on the title, kind, binding) in order of precedence.
_KIND_RULES: list[tuple[str, str, bool | None]] = [
    (r"\bregulation\s*\((eu|ec)\)", "regulation", True),
    (r"\bdirective\s*\((eu|ec)\)|\bdirective\b", "law", True),
    (r"executive order", "executive_order", True),
    (r"\bmemorandum\b", "memorandum", True),
    (r"\bresolution\b|A/RES/", "resolution", False),
    (r"\bdeclaration\b|宣言", "declaration", False),
    (r"\bconvention\b|\btreaty\b|公约", "treaty", True),
    (r"\bstrategy\b|\bplan\b|\binitiative\b|战略|规划|倡议", "strategy", False),
    (r"\bstandard\b|\bframework\b|\bguidance\b|标准|指南", "standard", False),
    (r"\bact\b|\blaw\b|法$|法》|办法|规定|条例", "law", True),
]
_JURISDICTIONS = [
    ("United Nations", r"united nations|general assembly|security council|联合国|\bUN\b"),
    ("European Union", r"europe|\bEU\b|欧盟"),
    ("United States", r"united states|white house|\bU\.?S\.?A?\b|president of the united"),
    ("China", r"china|chinese|中国|中华人民共和国|国家互联网信息办公室|国务院|\bPRC\b"),
    ("United Kingdom", r"united kingdom|\bUK\b"),
]
_REQUIRED = ("file", "title", "issuer", "date", "language")
_KNOWN = {
    "file",
    "title",
    "issuer",
    "date",
    "language",
    "kind",
    "binding",
    "source_url",
    "issuer_type",
    "jurisdiction",
    "status",
    "status_date",
    "status_by",
}
#: Legal status of an instrument: in force (from ``status_date`` if given), revoked or superseded
#: (on ``status_date``, by ``status_by``), a draft (never in force), or not established.
STATUSES = ("in_force", "revoked", "superseded", "draft", "unknown")


@dataclass
class DocumentMeta:
    """What we know about an instrument before its text is read."""

    title: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    kind: str | None = None
    binding: bool | None = None
    language: str | None = None
    source_url: str | None = None
    issuer_type: str | None = None
    jurisdiction: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    status: str | None = None
    status_date: dt.date | None = None
    status_by: str | None = None
    #: The manifest line the metadata comes from (None when given as options).
    line: int | None = None


def infer_kind(title: str) -> tuple[str | None, bool | None]:
    """The kind and bindingness a title states plainly, or (None, None)."""
    for pattern, kind, binding in _KIND_RULES:
        if re.search(pattern, title, re.IGNORECASE):
            return kind, binding
    return None, None


#: The Chinese names of the jurisdictions detente recognises, as pages show them and as a
#: reader may type them to compare issuers (美国 finds the documents of the United States).
JURISDICTIONS_ZH = {
    "United Nations": "联合国",
    "European Union": "欧盟",
    "United States": "美国",
    "China": "中国",
    "United Kingdom": "英国",
}


def jurisdiction_name(name: str | None, lang: str) -> str | None:
    """A jurisdiction's name in the interface language ``lang`` (Chinese where known)."""
    if name and lang == "zh":
        return JURISDICTIONS_ZH.get(name, name)
    return name


def language_name(code: str | None, lang: str) -> str:
    """The name of the language ``code`` (en, zh, zh-Hans, fr...) in the interface language
    ``lang``: "English" / "英语", "Chinese" / "中文"; the code itself when CLDR has no name."""
    from babel import Locale, UnknownLocaleError

    if not code:
        return ""
    try:
        return str(
            Locale.parse(code.replace("-", "_")).get_display_name(
                "zh_Hans" if lang == "zh" else "en"
            )
            or code
        )
    except (ValueError, UnknownLocaleError):
        return code


def issuer_needles(issuer: str) -> list[str]:
    """What an issuer filter looks for, lower-cased, in a document's issuer or jurisdiction:
    the words as typed and, for a jurisdiction named in the other language, its other name
    ("美国" -> "美国", "united states")."""
    typed = issuer.strip().lower()
    needles = [typed]
    for english, chinese in JURISDICTIONS_ZH.items():
        for name, other in ((english, chinese), (chinese, english)):
            if typed == name.lower() and other.lower() not in needles:
                needles.append(other.lower())
    return needles


def jurisdiction_of(issuer: str) -> str | None:
    """The state or organisation an issuer belongs to ('The White House' -> 'United States')."""
    for name, pattern in _JURISDICTIONS:
        if re.search(pattern, issuer, re.IGNORECASE):
            return name
    return None


def parse_date(value: str, location: str) -> dt.date | None:
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD; the missing parts become 01), or None if empty."""
    value = value.strip()
    if not value:
        return None
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    try:
        if not match:
            raise ValueError(value)
        return dt.date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError as exc:
        raise ImportFormatError(_("date %(value)r is not YYYY-MM-DD") % {"value": value},
                                location=location) from exc


def parse_bool(value: str, location: str) -> bool | None:
    """'yes'/'true'/'1'/'binding' -> True, 'no'/'false'/'0'/'non-binding' -> False, '' -> None."""
    lowered = value.strip().lower()
    if not lowered:
        return None
    if lowered in {"yes", "true", "1", "binding"}:
        return True
    if lowered in {"no", "false", "0", "non-binding", "nonbinding"}:
        return False
    raise ImportFormatError(_("binding %(value)r is not yes/no") % {"value": value},
                            location=location)


def parse_kind(value: str, location: str) -> str | None:
    """A kind from ``KINDS`` (spaces and hyphens read as underscores), or None if empty."""
    kind = re.sub(r"[\s-]+", "_", value.strip().lower())
    if not kind:
        return None
    if kind not in KINDS:
        raise ImportFormatError(
            _("kind %(value)r is not one of %(choices)s")
            % {"value": value, "choices": ", ".join(KINDS)}, location=location
        )
    return kind


_UNITS = {
    "": 1,
    "B": 1,
    "K": 1024,
    "KB": 1024,
    "M": 1024**2,
    "MB": 1024**2,
    "G": 1024**3,
    "GB": 1024**3,
}


def parse_size(value: str, location: str) -> int:
    """A size in bytes from '100MB', '2G', '512k' or a plain number of bytes."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", value)
    unit = match.group(2).upper().replace("IB", "B") if match else ""
    if not match or unit not in _UNITS or float(match.group(1)) <= 0:
        raise ImportFormatError(
            _("size %(value)r is not a number of bytes with an optional unit (KB, MB, GB)")
            % {"value": value},
            location=location,
        )
    return int(float(match.group(1)) * _UNITS[unit])


def parse_status(value: str, location: str) -> str | None:
    """A status from ``STATUSES`` ('in force' and 'in-force' read as 'in_force'), or None."""
    status = re.sub(r"[\s-]+", "_", value.strip().lower())
    if not status:
        return None
    if status not in STATUSES:
        raise ImportFormatError(
            _("status %(value)r is not one of %(choices)s")
            % {"value": value, "choices": ", ".join(s.replace("_", " ") for s in STATUSES)},
            location=location,
        )
    return status


def parse_language(value: str, location: str) -> str | None:
    """A known language code ('en', 'zh', 'zh-Hans', 'fr'...), or None if empty.

    Known means the Unicode CLDR (through Babel) has the language; 'xx' and typos are refused.
    """
    from babel import Locale, UnknownLocaleError

    code = value.strip()
    if not code:
        return None
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise ImportFormatError(
            _("language %(value)r is not a known language code (e.g. en, zh, fr)")
            % {"value": value},
            location=location,
        ) from exc
    return code


#: Bytes a manifest may hold.
MAX_MANIFEST_SIZE = 10 * 1024 * 1024


def read_manifest(path: Path) -> dict[str, DocumentMeta]:
    """Manifest rows keyed by file name; unknown columns are kept as ``extra`` metadata.

    Raises
    ------
    ImportFormatError
        For a missing column, a bad value, a duplicate file or a file that is not a UTF-8 CSV,
        naming the manifest line and column.
    """
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ImportFormatError(_("the manifest is not a file"), location=str(path))
        if size > MAX_MANIFEST_SIZE:
            raise ImportFormatError(
                _("the manifest is %(size)s bytes, over the limit of %(limit)s bytes")
                % {"size": f"{size:,}", "limit": f"{MAX_MANIFEST_SIZE:,}"},
                location=str(path),
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFormatError(
            _("cannot read manifest: %(reason)s") % {"reason": exc.strerror}, location=str(path)
        ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            _("the manifest is not a UTF-8 CSV file (undecodable byte at offset %(offset)d)")
            % {"offset": exc.start},
            location=str(path),
        ) from exc
    if "\x00" in text:
        raise ImportFormatError(
            _("the manifest holds NUL characters: not a CSV file"), location=str(path)
        )
    try:
        return _read_rows(path, text)
    except csv.Error as exc:
        raise ImportFormatError(
            _("the manifest is not a readable CSV file: %(reason)s") % {"reason": exc},
            location=str(path),
        ) from exc


def _read_rows(path: Path, text: str) -> dict[str, DocumentMeta]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in _REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportFormatError(_("missing column(s) %(columns)s")
                                % {"columns": ", ".join(missing)}, location=f"{path}:1")
    rows: dict[str, DocumentMeta] = {}
    lines: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        where = f"{path}:{line}"
        if None in row:
            raise ImportFormatError(_("the row has more fields than the header"), location=where)
        if not (row.get("file") or "").strip():
            raise ImportFormatError(_("empty 'file'"), location=where)
        name = Path(row["file"].strip()).name
        if name in rows:
            raise ImportFormatError(
                _("file %(file)r is listed twice (first on line %(line)d)")
                % {"file": name, "line": lines[name]},
                location=where,
            )
        lines[name] = line
        rows[name] = DocumentMeta(
            title=(row.get("title") or "").strip() or None,
            issuer=(row.get("issuer") or "").strip() or None,
            date=parse_date(row.get("date") or "", f"{where} (date)"),
            kind=parse_kind(row.get("kind") or "", f"{where} (kind)"),
            binding=parse_bool(row.get("binding") or "", f"{where} (binding)"),
            language=parse_language(row.get("language") or "", f"{where} (language)"),
            source_url=(row.get("source_url") or "").strip() or None,
            issuer_type=(row.get("issuer_type") or "").strip() or None,
            jurisdiction=(row.get("jurisdiction") or "").strip() or None,
            status=parse_status(row.get("status") or "", f"{where} (status)"),
            status_date=parse_date(row.get("status_date") or "", f"{where} (status_date)"),
            status_by=(row.get("status_by") or "").strip() or None,
            extra={k: v for k, v in row.items() if k and k not in _KNOWN and v},
            line=line,
        )
    return rows
