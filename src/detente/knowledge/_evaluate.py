"""Measure tagging quality honestly: gold provisions and the MIT AI Risk Repository.

Gold set: the lexicon rules need no training and are scored on every gold provision; the
classifier is scored by k-fold cross-validation (each provision predicted by a model that never
saw it); "combined" is what the importer does (rule OR classifier), with the classifier part
again from the fold that held the provision out.

MIT repository: predict a risk's domain (7 classes) from its category, sub-category and
description, on a stratified held-out 20 % split, beside two baselines (majority class, and our
lexicon rules mapped to MIT domains through the crosswalk).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from detente.errors import InputError
from detente.i18n import ngettext
from detente.knowledge._review import gold_examples, read_gold
from detente.knowledge._tagger import _analyzer, rule_tags, train_classifier
from detente.knowledge._taxonomy import Taxonomy

__all__ = [
    "EVALUATED_FACETS",
    "dev_split",
    "evaluate_gold",
    "evaluate_mit",
    "evaluate_test_set",
    "scores",
]

#: The facets the gold set labels (see tests/knowledge/data/gold/GUIDE.md).
EVALUATED_FACETS = ("risk_domain", "governance_tool")
DEV_SEED = 7


def scores(gold: list[set[str]], predicted: list[set[str]], terms: list[str]) -> dict[str, object]:
    """Per-term and micro/macro precision, recall and F1 of predicted against gold sets."""
    per_term = {}
    total: Counter[str] = Counter()
    for term in terms:
        tp = sum(term in g and term in p for g, p in zip(gold, predicted, strict=True))
        fp = sum(term not in g and term in p for g, p in zip(gold, predicted, strict=True))
        fn = sum(term in g and term not in p for g, p in zip(gold, predicted, strict=True))
        total.update(tp=tp, fp=fp, fn=fn)
        per_term[term] = _prf(tp, fp, fn) | {"support": tp + fn}
    micro = _prf(total["tp"], total["fp"], total["fn"])
    supported = [v for v in per_term.values() if v["support"]]
    macro = {
        k: float(np.mean([v[k] for v in supported])) if supported else 0.0
        for k in ("precision", "recall", "f1")
    }
    return {"micro": micro, "macro": macro, "per_term": per_term}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def dev_split(n: int, seed: int = DEV_SEED) -> tuple[list[int], list[int]]:
    """The fixed half/half split of the gold set: (dev, held-out) indices.

    The lexicon rules and the classifier threshold were tuned by reading errors on the dev half
    only; the held-out half was never inspected, so its scores are the honest ones.
    """
    import random

    order = list(range(n))
    random.Random(seed).shuffle(order)
    half = n // 2
    return sorted(order[:half]), sorted(order[half:])


def evaluate_gold(
    session: Session, gold_path: Path, taxonomy: Taxonomy, *, folds: int = 5, seed: int = 0
) -> dict[str, Any]:
    """Scores of rules, cross-validated classifier and their union on the gold provisions,
    on all of them and on the dev and held-out halves.

    Raises ImportFormatError naming the first gold row whose file and path name no provision in
    the database (nothing is skipped silently), and InputError naming the gold file when it has
    too few rows for ``folds`` folds."""
    from sklearn.model_selection import KFold

    terms = [t.id for t in taxonomy.terms if t.facet in EVALUATED_FACETS]
    allowed = set(terms)
    texts, labels = gold_examples(session, read_gold(gold_path), source=gold_path)
    labels = [set(x) & allowed for x in labels]
    if len(texts) < folds * 2:
        raise InputError(
            ngettext(
                "only %(n)d gold provision found in the database; %(folds)d folds need at "
                "least %(needed)d",
                "only %(n)d gold provisions found in the database; %(folds)d folds need at "
                "least %(needed)d",
                len(texts),
            )
            % {"n": len(texts), "folds": folds, "needed": folds * 2},
            location=str(gold_path),
        )
    rules = [{s.term for s in rule_tags(t, taxonomy)} & allowed for t in texts]
    model: list[set[str]] = [set() for _ in texts]
    for train, test in KFold(folds, shuffle=True, random_state=seed).split(texts):
        classifier = train_classifier([texts[i] for i in train], [labels[i] for i in train])
        for i, found in zip(test, classifier.suggest([texts[i] for i in test]), strict=True):
            model[i] = {s.term for s in found} & allowed
    combined = [r | m for r, m in zip(rules, model, strict=True)]
    dev, held_out = dev_split(len(texts))

    def part(indices: list[int]) -> dict[str, object]:
        gold = [labels[i] for i in indices]
        return {
            "provisions": len(indices),
            "rules": scores(gold, [rules[i] for i in indices], terms),
            "classifier": scores(gold, [model[i] for i in indices], terms),
            "combined": scores(gold, [combined[i] for i in indices], terms),
        }

    return {
        "provisions": len(texts),
        "folds": folds,
        "terms": len(terms),
        "label_count": sum(len(x) for x in labels),
        **part(list(range(len(texts)))),
        "dev": part(dev),
        "held_out": part(held_out),
    }


def evaluate_test_set(
    session: Session, test_path: Path, train_path: Path, taxonomy: Taxonomy
) -> dict[str, object]:
    """Scores of the frozen tagger on a test set no rule or model has seen.

    ``rules`` is what the importer does before any review; ``combined`` adds a classifier
    trained on every provision of ``train_path`` (the earlier gold set), none of which is in the
    test set. Raises ImportFormatError (naming the row) when a test or training row names no
    provision in the database, and ValueError when a test provision is also a training one.
    """
    terms = [t.id for t in taxonomy.terms if t.facet in EVALUATED_FACETS]
    allowed = set(terms)
    test_rows = read_gold(test_path)
    train_rows = read_gold(train_path)
    overlap = {(r[0], r[1]) for r in test_rows} & {(r[0], r[1]) for r in train_rows}
    if overlap:
        raise ValueError(f"{len(overlap)} test provisions are also training provisions")
    texts, labels = gold_examples(session, test_rows, source=test_path)
    labels = [set(x) & allowed for x in labels]
    train_texts, train_labels = gold_examples(session, train_rows, source=train_path)
    classifier = train_classifier(train_texts, [set(x) & allowed for x in train_labels])
    rules = [{s.term for s in rule_tags(t, taxonomy)} & allowed for t in texts]
    model = [{s.term for s in found} & allowed for found in classifier.suggest(texts)]
    return {
        "provisions": len(texts),
        "label_count": sum(len(x) for x in labels),
        "rules": scores(labels, rules, terms),
        "combined": scores(labels, [r | m for r, m in zip(rules, model, strict=True)], terms),
    }


def _mit_rows(path: Path) -> tuple[list[str], list[str]]:
    from detente.knowledge._risks import read_risks

    texts, domains = [], []
    for row in read_risks(path):
        domain = (row.get("Domain") or "").strip()
        if not domain or not domain[0].isdigit():
            continue
        texts.append(
            " ".join(
                x
                for x in (
                    row.get("Risk category"),
                    row.get("Risk subcategory"),
                    row.get("Description"),
                )
                if x
            )
        )
        domains.append(domain.split(".")[0])
    return texts, domains


def evaluate_mit(path: Path, taxonomy: Taxonomy, *, seed: int = 0) -> dict[str, object]:
    """Domain accuracy on a held-out split: classifier vs majority vs lexicon-rule baseline."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import train_test_split

    texts, domains = _mit_rows(path)
    x_train, x_test, y_train, y_test = train_test_split(
        texts, domains, test_size=0.2, random_state=seed, stratify=domains
    )
    vectorizer = TfidfVectorizer(analyzer=_analyzer, min_df=2, sublinear_tf=True)
    model = LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced")
    model.fit(vectorizer.fit_transform(x_train), y_train)
    predicted = list(model.predict(vectorizer.transform(x_test)))
    majority = Counter(y_train).most_common(1)[0][0]
    # Keyword baseline: each MIT domain scores the rule matches of the terms its sub-domains map to.
    domain_terms: dict[str, Counter[str]] = {}
    for code, entry in taxonomy.mit_crosswalk.items():
        domain_terms.setdefault(code.split(".")[0], Counter()).update(entry.get("terms", []))
    rule_pred = []
    for text in x_test:
        found = {s.term for s in rule_tags(text, taxonomy)}
        best = max(
            domain_terms, key=lambda d: (sum(domain_terms[d][t] > 0 for t in found), d == majority)
        )
        rule_pred.append(best if any(domain_terms[best][t] for t in found) else majority)

    def summary(pred: list[str]) -> dict[str, float]:
        return {
            "accuracy": round(float(accuracy_score(y_test, pred)), 4),
            "macro_f1": round(float(f1_score(y_test, pred, average="macro")), 4),
        }

    return {
        "risks": len(texts),
        "train": len(x_train),
        "test": len(x_test),
        "classes": dict(sorted(Counter(domains).items())),
        "classifier": summary(predicted),
        "majority_baseline": summary([majority] * len(y_test)),
        "keyword_baseline": summary(rule_pred),
    }
