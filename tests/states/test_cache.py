"""A cached analysis that fails in the background says so in the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from detente.errors import ComputationFailedError, DetenteError, NotFoundError
from detente.i18n import gettext as _
from detente.i18n import use_language
from detente.states._cache import MemoryResultStore, Pending, cached
from detente.store import session_scope


class _AtOnce:
    """A runner that runs each job as it is submitted."""

    def submit(self, key: str, job: Callable[[], None]) -> None:
        job()


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import detente.states._cache as cache

    monkeypatch.setattr(cache, "_store", MemoryResultStore())
    monkeypatch.setattr(cache, "_runner", _AtOnce())
    yield


def _failed_in_background(engine: Engine, compute: Callable[[Any], dict[str, Any]],
                          language: str) -> DetenteError:
    with session_scope(engine) as db:
        first = cached(db, "test", {"n": 1}, compute, size=10, background_from=1)
        assert isinstance(first, Pending)
        with use_language(language), pytest.raises(DetenteError) as raised:
            cached(db, "test", {"n": 1}, compute, size=10, background_from=1)
    return raised.value


def _bug(db: Any) -> dict[str, Any]:
    raise RuntimeError("a bug")


def _nothing_there(db: Any) -> dict[str, Any]:
    raise NotFoundError(_("no recorded votes in session %(session)s") % {"session": 3})


def test_a_bug_in_the_background_is_said_in_the_reader_language(
        sqlite_engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    assert str(_failed_in_background(sqlite_engine, _bug, "zh")) == "计算失败；详情见服务器日志"
    assert "a bug" in caplog.text


def test_the_same_failure_reads_in_english_too(sqlite_engine: Engine) -> None:
    error = _failed_in_background(sqlite_engine, _bug, "en")
    assert str(error) == "the computation failed; see the server log"


def test_a_bug_in_the_background_is_a_server_error_not_a_bad_request(
        sqlite_engine: Engine) -> None:
    # The reader did nothing wrong: the page and the API answer 500, not 400.
    error = _failed_in_background(sqlite_engine, _bug, "en")
    assert isinstance(error, ComputationFailedError) and error.status_code == 500


@pytest.mark.parametrize(("language", "message"), [
    ("zh", "第 3 届没有记录表决"), ("en", "no recorded votes in session 3")])
def test_a_domain_error_in_the_background_keeps_its_kind_and_both_languages(
        sqlite_engine: Engine, language: str, message: str) -> None:
    error = _failed_in_background(sqlite_engine, _nothing_there, language)
    assert type(error) is NotFoundError  # the page shows "nothing matches", not an error
    assert str(error) == message


def test_a_result_kept_by_an_earlier_release_is_not_served(
        sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A shared store may outlive an upgrade: a result of another shape (an older
    RESULT_FORMAT) is computed again, not handed to code that expects other keys."""
    import detente.states._cache as cache

    computed: list[int] = []

    def compute(db: Any) -> dict[str, Any]:
        computed.append(cache.RESULT_FORMAT)
        return {"format": cache.RESULT_FORMAT}

    with session_scope(sqlite_engine) as db:
        monkeypatch.setattr(cache, "RESULT_FORMAT", 1)
        assert cached(db, "analysis", {"n": 1}, compute) == {"format": 1}
        monkeypatch.setattr(cache, "RESULT_FORMAT", 2)
        assert cached(db, "analysis", {"n": 1}, compute) == {"format": 2}
        assert cached(db, "analysis", {"n": 1}, compute) == {"format": 2}
    assert computed == [1, 2]
