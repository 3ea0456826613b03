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

The model is built from the labelled corpora in ``tests/forum/data/attribution/`` by
``python scripts/attribution_model.py`` (scikit-learn), which writes
``src/detente/data/attribution-model.json``; here it is read on first use and applied in plain
Python, so importing the package or the CLI costs nothing.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "attribution-model.json"
MASK = "§"
_MENTION = re.compile("[\ue100-\ue3ff]")
WORD_PATTERN = r"(?u)\b\w+\b|§"


def masked(template: str) -> str:
    """The text the model reads: a checker template with each mention (or pronoun standing
    for one) as ``§``, lower case."""
    return _MENTION.sub(MASK, template).lower()


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
        parts = tuple(
            _Part(str(p["analyzer"]), int(p["low"]), int(p["high"]),
                  {g: (float(w[0]), float(w[1])) for g, w in p["weights"].items()})
            for p in data["parts"]
        )
        return cls(parts, float(data["intercept"]), float(data["threshold"]))

    def probability(self, template: str) -> float:
        """Probability that the sentence (a checker template) attributes something."""
        text = masked(template)
        z = self.intercept + sum(part.score(text) for part in self.parts)
        return 1.0 / (1.0 + math.exp(-z))

    def releases(self, template: str) -> bool:
        """Whether a sentence the rules hold reads as neutral to the model."""
        return self.probability(template) < self.threshold


@functools.cache
def load_model() -> AttributionModel | None:
    """The committed model, or None where the file is missing (the rules decide alone)."""
    if not MODEL_PATH.is_file():
        return None
    return AttributionModel.from_dict(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
