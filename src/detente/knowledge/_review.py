"""Analyst review of tags (accept, reject, add), retraining, and re-tagging with the new model.

Every review is audited through :func:`detente.accounts.audit`. Reviewed tags are never changed
by re-tagging; only ``suggested`` tags are recomputed.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, distinct, func, or_, select, update
from sqlalchemy.orm import Session

from detente.errors import ImportFormatError, InputError, NotFoundError
from detente.i18n import gettext as _
from detente.knowledge._importer import current_classifier
from detente.knowledge._legal import provision_role
from detente.knowledge._tagger import TAG_FACETS, rules_digest, suggest_tags, train_classifier
from detente.knowledge._taxonomy import Taxonomy, load_taxonomy
from detente.store import session_scope
from detente.store.base import utcnow
from detente.store.models.auth import User
from detente.store.models.knowledge import KbClassifier, KbDocument, KbProvision, KbTag

__all__ = [
    "read_gold",
    "reread_roles",
    "retag_all",
    "retrain",
    "review_tag",
    "tagging_status",
    "training_examples",
]

ACTIONS = ("accept", "reject", "add")


def review_tag(
    session: Session,
    user: User | None,
    provision_id: int,
    term: str,
    action: str,
    taxonomy: Taxonomy,
) -> KbTag:
    """Accept or reject a tag, or add one as an analyst; audited under ``user``.

    Raises
    ------
    InputError
        For an unknown action or term; NotFoundError for an unknown provision or tag.
    """
    from detente.accounts import audit

    if action not in ACTIONS:
        raise InputError(_("action must be one of %(choices)s") % {"choices": ", ".join(ACTIONS)})
    if term not in taxonomy:
        raise InputError(_("unknown taxonomy term %(term)r") % {"term": term})
    provision = session.get(KbProvision, provision_id)
    if provision is None:
        raise NotFoundError(_("no provision %(id)s") % {"id": provision_id})
    tag = session.scalars(
        select(KbTag).where(KbTag.provision_id == provision_id, KbTag.term == term)
    ).first()
    if tag is None:
        if action != "add":
            raise NotFoundError(_("provision %(id)s has no tag %(term)r")
                                % {"id": provision_id, "term": term})
        tag = KbTag(
            provision_id=provision_id,
            term=term,
            source="analyst",
            confidence=1.0,
            evidence={"method": "analyst"},
        )
        session.add(tag)
    tag.status = "rejected" if action == "reject" else "accepted"
    tag.reviewed_by = getattr(user, "id", None)
    tag.reviewed_at = utcnow()
    session.flush()
    audit(session, user, f"kb.tag.{action}", f"kb_provision:{provision_id}", f"term={term}")
    return tag


def training_examples(session: Session) -> tuple[list[str], list[set[str]]]:
    """Texts and accepted terms of every provision with at least one reviewed tag."""
    rows = session.execute(
        select(KbProvision, KbTag)
        .join(KbTag, KbTag.provision_id == KbProvision.id)
        .where(KbTag.status.in_(("accepted", "rejected")))
    ).all()
    by_id: dict[int, tuple[KbProvision, set[str]]] = {}
    for provision, tag in rows:
        entry = by_id.setdefault(provision.id, (provision, set()))
        if tag.status == "accepted":
            entry[1].add(tag.term)
    texts = ["\n".join(x for x in (p.title, p.text) if x) for p, _ in by_id.values()]
    return texts, [labels for _, labels in by_id.values()]


def read_gold(path: Path) -> list[tuple[str, str, set[str]]]:
    """Gold labels: CSV rows (file, path, labels separated by ';'); an empty labels cell means
    the labeller judged that no term applies."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise ImportFormatError(
            _("cannot read gold labels: %(reason)s") % {"reason": exc.strerror},
            location=str(path)
        ) from exc
    out = []
    for line, row in enumerate(rows, start=2):
        if not row.get("file") or not row.get("path"):
            raise ImportFormatError(_("needs 'file' and 'path'"), location=f"{path}:{line}")
        labels = {x.strip() for x in (row.get("labels") or "").split(";") if x.strip()}
        out.append((row["file"], row["path"], labels))
    return out


def gold_examples(
    session: Session, gold: list[tuple[str, str, set[str]]], *, source: Path | None = None
) -> tuple[list[str], list[set[str]]]:
    """Texts of gold-labelled provisions found in the database, with their labels.

    With ``source`` (the labels file the rows came from), every row must resolve: a row whose
    file and path name no provision in the database raises :class:`ImportFormatError` naming
    the row, instead of being skipped (a skipped row would change the figures silently).
    """
    texts, labels = [], []
    for line, (file_name, path, terms) in enumerate(gold, start=2):
        provision = session.scalars(
            select(KbProvision)
            .join(KbDocument)
            .where(KbDocument.file_name == file_name, KbProvision.path == path)
        ).first()
        if provision is None:
            if source is not None:
                raise ImportFormatError(
                    _("no provision %(path)r of %(file)r in the database "
                      "(import the document, or correct the row)")
                    % {"path": path, "file": file_name},
                    location=f"{source}:{line}",
                )
            continue
        texts.append("\n".join(x for x in (provision.title, provision.text) if x))
        labels.append(terms)
    return texts, labels


def tagging_status(session: Session, taxonomy: Taxonomy) -> dict[str, Any]:
    """Whether the suggested tags were made by the current tagging rules: ``rules`` (the
    current digest, :func:`~detente.knowledge._tagger.rules_digest`), ``stale_tags`` (suggested
    tags made by other rules, or before rules were recorded), ``stale_documents`` (the
    instruments holding them), ``current`` (none is stale) and ``foreign_terms`` (terms of
    suggested tags that ``taxonomy`` does not define: made with another taxonomy file, they are
    neither counted as stale nor touched by :func:`retag_all`)."""
    rules = rules_digest(taxonomy)
    known = [term.id for term in taxonomy.terms]
    stale = (
        select(KbTag.id, KbProvision.document_id)
        .join(KbProvision, KbProvision.id == KbTag.provision_id)
        .where(
            KbTag.status == "suggested",
            KbTag.term.in_(known),
            or_(KbTag.rules.is_(None), KbTag.rules != rules),
        )
        .subquery()
    )
    tags, documents = session.execute(
        select(func.count(stale.c.id), func.count(distinct(stale.c.document_id)))
    ).one()
    foreign = session.scalars(
        select(KbTag.term)
        .where(KbTag.status == "suggested", KbTag.term.not_in(known))
        .distinct()
        .order_by(KbTag.term)
    ).all()
    return {
        "rules": rules,
        "stale_tags": int(tags or 0),
        "stale_documents": int(documents or 0),
        "current": not tags,
        "foreign_terms": list(foreign),
    }


def retag_all(session: Session, taxonomy: Taxonomy) -> int:
    """Recompute every ``suggested`` tag with the current rules and classifier; each new tag
    records the rules that made it (:func:`tagging_status` reads them). Only tags of terms that
    ``taxonomy`` defines are recomputed: a suggested tag of a term from another taxonomy file
    (one the command was not given) is kept as it is, never dropped."""
    rules = rules_digest(taxonomy)
    classifier = current_classifier(session)
    known = [term.id for term in taxonomy.terms]
    session.execute(
        delete(KbTag).where(KbTag.status == "suggested", KbTag.term.in_(known))
    )
    reviewed: dict[int, set[str]] = {}
    for pid, term in session.execute(select(KbTag.provision_id, KbTag.term)):
        reviewed.setdefault(pid, set()).add(term)
    provisions = session.scalars(select(KbProvision).order_by(KbProvision.id)).all()
    count = 0
    for start in range(0, len(provisions), 2000):
        chunk = provisions[start : start + 2000]
        texts = ["\n".join(x for x in (p.title, p.text) if x) for p in chunk]
        for provision, suggestions in zip(
            chunk, suggest_tags(texts, taxonomy, classifier), strict=True
        ):
            for s in suggestions:
                if s.term in reviewed.get(provision.id, set()):
                    continue
                session.add(
                    KbTag(
                        provision_id=provision.id,
                        term=s.term,
                        source=s.source,
                        confidence=s.confidence,
                        evidence=dict(s.evidence),
                        status="suggested",
                        rules=rules,
                    )
                )
                count += 1
    return count


def reread_roles(session: Session) -> int:
    """Read every provision's role again with the current rules (a parent before its points,
    as on import); returns how many roles changed."""
    rows = session.execute(
        select(
            KbProvision.id,
            KbProvision.parent_id,
            KbProvision.kind,
            KbProvision.title,
            KbProvision.text,
            KbProvision.role,
        ).order_by(KbProvision.document_id, KbProvision.position)
    ).all()
    by_id = {row.id: row for row in rows}
    roles: dict[int, str] = {}
    changed = []
    for row in rows:
        parent = by_id.get(row.parent_id) if row.parent_id is not None else None
        roles[row.id] = provision_role(
            row.kind,
            row.title,
            row.text or "",
            roles.get(parent.id) if parent is not None else None,
            parent_text=(parent.text or "") if parent is not None else None,
            parent_title=parent.title if parent is not None else None,
        )
        if roles[row.id] != row.role:
            changed.append({"id": row.id, "role": roles[row.id]})
    for start in range(0, len(changed), 1000):
        session.execute(update(KbProvision), changed[start : start + 1000])
    return len(changed)


def retrain(
    engine: Engine,
    *,
    gold: Path | None = None,
    taxonomy: Taxonomy | None = None,
    retag: bool = True,
) -> dict[str, Any]:
    """Train a classifier on reviewed labels (and gold labels if given), store it, re-tag.

    Gold rows whose provision is not in the database are left out and counted
    (``gold_skipped``).

    Raises
    ------
    InputError
        When there are too few labelled provisions.
    """
    taxonomy = taxonomy or load_taxonomy()
    allowed = {t.id for t in taxonomy.terms if t.facet in TAG_FACETS}
    with session_scope(engine) as session:
        texts, labels = training_examples(session)
        gold_skipped = 0
        if gold is not None:
            gold_rows = read_gold(gold)
            gold_texts, gold_labels = gold_examples(session, gold_rows)
            gold_skipped = len(gold_rows) - len(gold_texts)
            texts, labels = texts + gold_texts, labels + gold_labels
        labels = [set(x) & allowed for x in labels]
        if not texts:
            raise InputError(_("no reviewed or gold-labelled provisions to train on"))
        classifier = train_classifier(texts, labels)
        session.add(
            KbClassifier(
                n_examples=len(texts),
                terms=classifier.terms,
                model=classifier.to_json(),
                metrics={"examples": len(texts), "terms": len(classifier.terms)},
            )
        )
        session.flush()
        tagged = retag_all(session, taxonomy) if retag else 0
    return {
        "examples": len(texts),
        "terms": classifier.terms,
        "suggested_tags": tagged,
        # Gold rows whose provision is not in the database (not trained on).
        "gold_skipped": gold_skipped,
    }
