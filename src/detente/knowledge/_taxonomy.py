"""The shared taxonomy: loading, validation, user extensions and the MIT crosswalk.

The taxonomy ships as ``detente/data/taxonomy/taxonomy.yaml``. A user file with the same shape
(``terms:`` and optionally ``mit_crosswalk:``) may add terms or override labels and lexicon rules
of existing ones; every term is validated (facet, labels in both languages, definition, rules
that compile).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TypedDict

import yaml

from detente.errors import ImportFormatError
from detente.i18n import gettext as _

__all__ = ["FACETS", "Taxonomy", "Term", "load_taxonomy"]

FACETS = ("risk_domain", "actor", "governance_tool", "theme")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Term:
    """One taxonomy term with its bilingual labels and lexicon rules."""

    id: str
    facet: str
    label_en: str
    label_zh: str
    definition: str
    en: tuple[str, ...] = ()
    zh: tuple[str, ...] = ()
    implied_by: tuple[str, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = field(default=(), compare=False, repr=False)

    def to_json(self) -> dict[str, object]:
        """The term as JSON-ready data."""
        return {
            "id": self.id,
            "facet": self.facet,
            "label_en": self.label_en,
            "label_zh": self.label_zh,
            "definition": self.definition,
            "rules": {"en": list(self.en), "zh": list(self.zh)},
            "implied_by": list(self.implied_by),
        }


class CrosswalkEntry(TypedDict, total=False):
    """One MIT risk sub-domain: its label and the taxonomy terms it maps to."""

    label: str
    terms: list[str]


@dataclass(frozen=True)
class Taxonomy:
    """The whole taxonomy: terms in file order, facet labels, MIT crosswalk."""

    version: str
    terms: tuple[Term, ...]
    facets: dict[str, dict[str, str]]
    mit_crosswalk: dict[str, CrosswalkEntry]
    mit_domains: dict[str, str]
    sources: tuple[str, ...] = ()
    #: Everyday words in both languages: (English words, Chinese words) per entry.
    glossary: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()

    def __contains__(self, term_id: object) -> bool:
        return any(t.id == term_id for t in self.terms)

    def get(self, term_id: str) -> Term:
        """The term ``term_id``; raise ImportFormatError when unknown."""
        for term in self.terms:
            if term.id == term_id:
                return term
        raise ImportFormatError(_("unknown taxonomy term %(term)r") % {"term": term_id})

    def by_facet(self, facet: str) -> list[Term]:
        """Terms of one facet, in file order."""
        return [t for t in self.terms if t.facet == facet]

    @property
    def ids(self) -> list[str]:
        """Every term id, in file order."""
        return [t.id for t in self.terms]

    def to_json(self) -> dict[str, object]:
        """The taxonomy as JSON-ready data."""
        return {
            "version": self.version,
            "sources": list(self.sources),
            "facets": self.facets,
            "terms": [t.to_json() for t in self.terms],
            "mit_crosswalk": self.mit_crosswalk,
            "mit_domains": self.mit_domains,
        }


def _compile(term_id: str, en: list[str], location: str) -> tuple[re.Pattern[str], ...]:
    """One case-insensitive, word-bounded alternation of all the term's English rules.

    Each rule is compiled on its own first, so an invalid one is reported by name.
    """
    for rule in en:
        try:
            re.compile(rule)
        except re.error as exc:
            raise ImportFormatError(
                _("rule %(rule)r of %(term)r is not a valid regular expression: %(reason)s")
                % {"rule": rule, "term": term_id, "reason": exc},
                location=location,
            ) from exc
    if not en:
        return ()
    alternation = "|".join(f"(?:{rule})" for rule in en)
    return (re.compile(rf"(?<![\w-])(?:{alternation})(?![\w])", re.IGNORECASE),)


def _term(raw: object, index: int, location: str) -> Term:
    where = f"{location}: terms[{index}]"
    if not isinstance(raw, dict):
        raise ImportFormatError(_("a term must be a mapping"), location=where)
    for key in ("id", "facet", "label_en", "label_zh", "definition"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ImportFormatError(_("missing or empty field %(key)r") % {"key": key},
                                    location=where)
    if not _SLUG.match(raw["id"]):
        raise ImportFormatError(_("id %(id)r is not a lower-case slug") % {"id": raw["id"]},
                                location=where)
    if raw["facet"] not in FACETS:
        raise ImportFormatError(
            _("facet %(facet)r is not one of %(choices)s")
            % {"facet": raw["facet"], "choices": ", ".join(FACETS)}, location=where
        )
    lists = {}
    for key in ("en", "zh", "implied_by"):
        value = raw.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ImportFormatError(_("%(key)r must be a list of strings") % {"key": key},
                                    location=where)
        lists[key] = value
    return Term(
        id=raw["id"],
        facet=raw["facet"],
        label_en=raw["label_en"].strip(),
        label_zh=raw["label_zh"].strip(),
        definition=raw["definition"].strip(),
        en=tuple(lists["en"]),
        zh=tuple(lists["zh"]),
        implied_by=tuple(lists["implied_by"]),
        patterns=_compile(raw["id"], lists["en"], where),
    )


def _read_yaml(path: Path | None, text: str | None, location: str) -> dict:
    if path is not None:  # a user's file: UTF-8 without NUL, bounded depth and aliases
        from detente.inputs import load_yaml, read_text

        data = load_yaml(read_text(path), location=location)
    else:
        try:
            data = yaml.safe_load(text or "")
        except yaml.YAMLError as exc:
            raise ImportFormatError(_("cannot read taxonomy: %(reason)s") % {"reason": exc},
                                    location=location) from exc
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise ImportFormatError(_("a taxonomy file needs a 'terms:' list"), location=location)
    return data


def load_taxonomy(extra: str | Path | None = None) -> Taxonomy:
    """Load the shipped taxonomy, extended by the user file ``extra`` when given.

    A term in ``extra`` with a new id is appended; one with an existing id replaces it. Every
    ``implied_by`` and crosswalk reference must name a known term.

    Raises
    ------
    ImportFormatError
        Naming the file and the term index of the first invalid entry.
    """
    shipped = resources.files("detente") / "data" / "taxonomy" / "taxonomy.yaml"
    base = _read_yaml(None, shipped.read_text(encoding="utf-8"), "taxonomy.yaml")
    terms = {t.id: t for t in (_term(r, i, "taxonomy.yaml") for i, r in enumerate(base["terms"]))}
    crosswalk = dict(base.get("mit_crosswalk") or {})
    sources = ["taxonomy.yaml"]
    version = str(base.get("version", "0"))
    if extra:
        path = Path(extra)
        data = _read_yaml(path, None, str(path))
        for index, raw in enumerate(data["terms"]):
            term = _term(raw, index, str(path))
            terms[term.id] = term
        extra_crosswalk = data.get("mit_crosswalk") or {}
        if not isinstance(extra_crosswalk, dict) or not all(
            isinstance(entry, dict | None) for entry in extra_crosswalk.values()
        ):
            raise ImportFormatError(_("mit_crosswalk must map codes to entries"),
                                    location=str(path))
        crosswalk.update(extra_crosswalk)
        sources.append(str(path))
        version = f"{version}+{data.get('version', 'local')}"
    for term in terms.values():
        for ref in term.implied_by:
            if ref not in terms:
                raise ImportFormatError(_("term %(term)r is implied by unknown term %(ref)r")
                                        % {"term": term.id, "ref": ref})
    for code, entry in crosswalk.items():
        for ref in (entry or {}).get("terms", []):
            if ref not in terms:
                raise ImportFormatError(_("crosswalk %(code)r names unknown term %(ref)r")
                                        % {"code": code, "ref": ref})
    return Taxonomy(
        version=version,
        terms=tuple(terms.values()),
        facets=dict(base.get("facets") or {}),
        mit_crosswalk=crosswalk,
        mit_domains={str(k): v for k, v in (base.get("mit_domains") or {}).items()},
        sources=tuple(sources),
        glossary=_glossary(base.get("glossary") or []),
    )


def _glossary(raw: object) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Glossary entries ``{en: [...], zh: [...]}``, validated."""
    if not isinstance(raw, list):
        raise ImportFormatError(_("'glossary' must be a list"), location="taxonomy.yaml")
    out = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(k), list) and all(isinstance(w, str) and w for w in entry[k])
            for k in ("en", "zh")
        ):
            raise ImportFormatError(
                _("a glossary entry needs 'en' and 'zh' lists of words"),
                location=f"taxonomy.yaml: glossary[{index}]",
            )
        out.append((tuple(entry["en"]), tuple(entry["zh"])))
    return tuple(out)
