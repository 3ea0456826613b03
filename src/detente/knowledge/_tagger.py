"""Tagging provisions with taxonomy terms: bilingual lexicon rules plus a supervised classifier.

Both methods are transparent. A rule tag records the rule and the words it matched; a classifier
tag records the probability and the words that pushed it up most (weight × tf-idf). The
classifier is TF-IDF over word unigrams and bigrams (Chinese split by jieba) with one
logistic-regression model per term (one-vs-rest), trained on reviewed labels. Its weights are
stored as plain JSON, so a model can be read, diffed and loaded without unpickling.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from detente.errors import InputError
from detente.i18n import gettext as _
from detente.knowledge._taxonomy import Taxonomy
from detente.knowledge._text import tokens

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = [
    "RULES_REVISION",
    "TAG_FACETS",
    "Classifier",
    "Suggestion",
    "rule_tags",
    "rules_digest",
    "suggest_tags",
    "train_classifier",
]

#: Facets tagged on provisions (themes are then implied from them, see ``implied_themes``).
TAG_FACETS = ("risk_domain", "actor", "governance_tool")
RULE_CONFIDENCE = 0.7


@dataclass(frozen=True)
class Suggestion:
    """A proposed tag: term, method ('rule', 'classifier', 'implied'), confidence, evidence."""

    term: str
    source: str
    confidence: float
    evidence: dict[str, object]


@dataclass(frozen=True)
class _NotIn:
    """Words of a term that do not count in a text matching ``context``."""

    term: str
    context: re.Pattern[str]
    words: re.Pattern[str]


#: Words that do not count in a given context. Confidentiality is the opposite of disclosure:
#: in a provision that keeps information confidential ("shall be treated in accordance with the
#: confidentiality obligations", "shall not be disclosed", professional secrecy, security
#: clearance), the words naming documents and their disclosure say what is protected, not what
#: is disclosed, so they do not make it transparency (the gold guide files confidentiality of
#: authorities under oversight). Other words of the term ("transparency", "record-keeping",
#: "explanation") still count.
NOT_IN_CONTEXT = (
    _NotIn(
        "transparency-disclosure",
        re.compile(
            r"\bconfidential(?:ity|ly)?\b|\bprofessional secrecy\b|\bsecurity clearance\b"
            r"|\bnot be disclosed\b|保密|商业秘密",
            re.I,
        ),
        re.compile(r"^(?:technical )?documentation$|^disclos(?:e|ed|ure)$|^披露$|^公开$", re.I),
    ),
    # Conformity assessment speaks of the "surveillance" of a provider's quality management
    # system by a notified body (AI Act Annex VII(2) and (5)): oversight of a system of
    # documents, not the monitoring of people. "Biometric", "facial recognition" and the
    # term's other words still count there.
    _NotIn(
        "surveillance-biometrics",
        re.compile(r"\bquality management system\b|\bnotified bod(?:y|ies)\b", re.I),
        re.compile(r"^surveillance$", re.I),
    ),
)


#: Bumped by hand whenever how the rules are applied changes in code (:func:`rule_tags`,
#: :func:`suggest_tags`); the lexicon and the patterns of :data:`NOT_IN_CONTEXT` enter
#: :func:`rules_digest` by themselves.
RULES_REVISION = "2026-12-02 confidentiality is not transparency"


def rules_digest(taxonomy: Taxonomy) -> str:
    """A short digest of the rules that make suggested tags: every term's English patterns and
    Chinese keywords, :data:`NOT_IN_CONTEXT` and :data:`RULES_REVISION`, and the role rules
    that detente kb retag also applies (:func:`~detente.knowledge._legal.role_rules`). Stored
    on each tag at tagging time, so a database tagged by older rules can say so."""
    from detente.knowledge._legal import role_rules

    rules = {
        "lexicon": {t.id: {"en": list(t.en), "zh": list(t.zh)} for t in taxonomy.terms},
        "not_in_context": [[r.term, r.context.pattern, r.words.pattern] for r in NOT_IN_CONTEXT],
        "revision": RULES_REVISION,
        "roles": role_rules(),
    }
    text = json.dumps(rules, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def rule_tags(text: str, taxonomy: Taxonomy) -> list[Suggestion]:
    """Lexicon matches: every term whose English pattern or Chinese keyword occurs in ``text``
    (but for the words :data:`NOT_IN_CONTEXT` discounts in a text of that context).

    Confidence grows with the number of distinct matched words (0.7 for one, up to 0.95).
    """
    found = []
    for term in taxonomy.terms:
        if term.facet not in TAG_FACETS:
            continue
        words = {m.group(0).lower() for p in term.patterns for m in p.finditer(text)}
        words |= {k for k in term.zh if k in text}
        for rule in NOT_IN_CONTEXT:
            if words and rule.term == term.id and rule.context.search(text):
                words = {w for w in words if not rule.words.match(w)}
        if words:
            confidence = min(0.95, RULE_CONFIDENCE + 0.05 * (len(words) - 1))
            found.append(
                Suggestion(
                    term.id,
                    "rule",
                    round(confidence, 3),
                    {"method": "lexicon", "matched": sorted(words)[:8]},
                )
            )
    return found


def _analyzer(text: str) -> list[str]:
    words = tokens(text)
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


@dataclass
class Classifier:
    """A fitted one-vs-rest TF-IDF + logistic regression model over taxonomy terms.

    Attributes
    ----------
    terms : list of str
        The terms it predicts (those with enough positive examples).
    vocabulary : dict
        Feature string -> column index.
    idf : ndarray of shape (n_features,)
    coef : ndarray of shape (n_terms, n_features)
    intercept : ndarray of shape (n_terms,)
    """

    terms: list[str]
    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    threshold: float = 0.6

    def _features(self, texts: Sequence[str]) -> csr_matrix:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(
            analyzer=_analyzer, vocabulary=self.vocabulary, sublinear_tf=True
        )
        vectorizer.idf_ = self.idf
        return vectorizer.transform(texts)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities, shape (n_texts, n_terms)."""
        scores = self._features(texts) @ self.coef.T + self.intercept
        return 1.0 / (1.0 + np.exp(-np.asarray(scores)))

    def suggest(self, texts: Sequence[str], top_words: int = 5) -> list[list[Suggestion]]:
        """For each text, the terms whose probability reaches the threshold, with evidence."""
        features = self._features(texts).tocsr()
        probabilities = 1.0 / (1.0 + np.exp(-np.asarray(features @ self.coef.T + self.intercept)))
        inverse = {i: w for w, i in self.vocabulary.items()}
        out: list[list[Suggestion]] = []
        for row in range(features.shape[0]):
            start, end = features.indptr[row], features.indptr[row + 1]
            cols, values = features.indices[start:end], features.data[start:end]
            found = []
            for k in np.flatnonzero(probabilities[row] >= self.threshold):
                contributions = self.coef[k, cols] * values
                order = np.argsort(-contributions)[:top_words]
                words = [inverse[int(cols[i])] for i in order if contributions[i] > 0]
                found.append(
                    Suggestion(
                        self.terms[k],
                        "classifier",
                        round(float(probabilities[row, k]), 3),
                        {"method": "classifier", "top_words": words},
                    )
                )
            out.append(found)
        return out

    def to_json(self) -> dict[str, object]:
        """Plain-JSON weights (no pickle)."""
        return {
            "terms": self.terms,
            "vocabulary": self.vocabulary,
            "idf": self.idf.tolist(),
            "coef": [[round(float(v), 6) for v in row] for row in self.coef],
            "intercept": self.intercept.tolist(),
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, data: dict) -> Classifier:
        """Rebuild a classifier stored with :meth:`to_json`."""
        return cls(
            terms=list(data["terms"]),
            vocabulary=dict(data["vocabulary"]),
            idf=np.asarray(data["idf"], dtype=float),
            coef=np.asarray(data["coef"], dtype=float),
            intercept=np.asarray(data["intercept"], dtype=float),
            threshold=float(data.get("threshold", 0.6)),
        )


def train_classifier(
    texts: Sequence[str], labels: Sequence[Iterable[str]], *, min_positive: int = 3, c: float = 4.0
) -> Classifier:
    """Fit the classifier on texts and their sets of terms.

    Terms with fewer than ``min_positive`` positive examples are left to the lexicon rules.

    Raises
    ------
    InputError
        When there are fewer than 10 examples or no term has enough positives.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    label_sets = [set(x) for x in labels]
    if len(texts) < 10:
        raise InputError(_("need at least 10 labelled provisions to train, got %(count)d")
                         % {"count": len(texts)})
    counts: dict[str, int] = {}
    for label_set in label_sets:
        for term in label_set:
            counts[term] = counts.get(term, 0) + 1
    terms = sorted(t for t, n in counts.items() if min_positive <= n < len(texts))
    # The 0.6 threshold was chosen on the dev half of the gold set (docs/validation.md).
    if not terms:
        raise InputError(_("no term has at least %(count)s positive examples")
                         % {"count": min_positive})
    vectorizer = TfidfVectorizer(analyzer=_analyzer, min_df=2, sublinear_tf=True)
    matrix = vectorizer.fit_transform(texts)
    coef, intercept = [], []
    for term in terms:
        target = np.array([term in s for s in label_sets], dtype=int)
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        model.fit(matrix, target)
        coef.append(model.coef_[0])
        intercept.append(model.intercept_[0])
    return Classifier(
        terms=terms,
        vocabulary={k: int(v) for k, v in vectorizer.vocabulary_.items()},
        idf=vectorizer.idf_,
        coef=np.vstack(coef),
        intercept=np.asarray(intercept),
    )


def implied_themes(terms: Iterable[str], taxonomy: Taxonomy) -> list[Suggestion]:
    """Forum themes implied by tagged terms (a theme's ``implied_by`` list)."""
    present = set(terms)
    out = []
    for theme in taxonomy.by_facet("theme"):
        causes = sorted(present & set(theme.implied_by))
        if causes:
            out.append(Suggestion(theme.id, "implied", 1.0, {"method": "implied", "by": causes}))
    return out


def suggest_tags(
    texts: Sequence[str], taxonomy: Taxonomy, classifier: Classifier | None = None
) -> list[list[Suggestion]]:
    """Rule and classifier suggestions per text, merged by term (highest confidence kept,
    evidence of both methods kept), plus the themes they imply."""
    predicted = classifier.suggest(texts) if classifier is not None else [[] for _ in texts]
    out = []
    for text, from_model in zip(texts, predicted, strict=True):
        merged: dict[str, Suggestion] = {}
        for suggestion in [*rule_tags(text, taxonomy), *from_model]:
            if suggestion.term not in taxonomy:
                continue
            other = merged.get(suggestion.term)
            if other is None:
                merged[suggestion.term] = suggestion
                continue
            best = suggestion if suggestion.confidence > other.confidence else other
            merged[suggestion.term] = Suggestion(
                best.term,
                "rule+classifier",
                max(suggestion.confidence, other.confidence),
                {**other.evidence, **suggestion.evidence, "method": "lexicon+classifier"},
            )
        themes = implied_themes(merged, taxonomy)
        out.append([*merged.values(), *themes])
    return out
