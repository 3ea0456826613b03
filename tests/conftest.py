"""Fixtures every test package shares: databases on both backends, the web client, shared data.

- ``db_url``: parametrised over SQLite (a fresh file per test) and PostgreSQL (a fresh database
  per test, cloned from an upgraded template). PostgreSQL tests skip where no server answers,
  except under CI (``CI=true``), where a missing server is a failure.
- ``engine``: an upgraded engine on ``db_url``; ``sqlite_engine``: the same on SQLite only.
- ``client``: a FastAPI TestClient over an upgraded SQLite database.
- ``shared_dir``: the shared data folder, or a skip where it is absent.
- ``redis_url`` / ``redis_prefix``: the Redis server (127.0.0.1:6379 or DETENTE_TEST_REDIS_URL)
  and a key prefix of its own per test; skipped where Redis is absent, a failure under CI.

Under CI (``CI=true``) nothing may skip: :func:`pytest_runtest_makereport` turns every skip
(a missing ../shared, red-dwarf, PostgreSQL, Redis, Chromium, an ``importorskip``) into a
failure that says what is missing, so that CI cannot go green with tests that did not run.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from detente.settings import Settings
from detente.store import create_db_engine, upgrade

REPO_ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get(
    "DETENTE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
REDIS_URL = os.environ.get("DETENTE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _shared_dir() -> Path | None:
    candidates = [
        os.environ.get("DETENTE_SHARED_DIR"),
        REPO_ROOT.parent / "shared",
        "/work/shared",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "data").is_dir():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared data folder (../shared), or skip (a failure under CI)."""
    found = _shared_dir()
    if found is None:
        message = ("shared data is absent: put it in ../shared next to the repository or set "
                   "DETENTE_SHARED_DIR")
        if IN_CI:
            pytest.fail(f"{message} (required in CI)")
        pytest.skip(message)
    return found


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Iterator[None]:
    """Under CI every skip is a failure naming what is missing (see the module docstring)."""
    report = yield
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where every test must run: {reason}"
    return report


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis server for tests; a skip where absent, a failure under CI."""
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.ping()
        client.close()
    except Exception as exc:
        if IN_CI:
            pytest.fail(f"Redis is required in CI and does not answer at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis not available at {REDIS_URL}")
    return REDIS_URL


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A Redis key prefix for one test; its keys are deleted afterwards."""
    import redis

    prefix = f"detente-test-{uuid.uuid4().hex[:10]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def run_async(make_coroutine) -> object:  # type: ignore[no-untyped-def]
    """Run ``make_coroutine()`` to completion on a fresh event loop in its own thread.

    The browser tests' Playwright sync API keeps an event loop running in the main thread
    for the whole session, where ``asyncio.run`` would refuse to start.
    """
    import asyncio
    import threading

    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(make_coroutine())
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome.get("value")


def _postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """Name of an upgraded template database, created once per test run."""
    if not _postgres_available():
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI and does not answer at {POSTGRES_URL}")
        pytest.skip("PostgreSQL server not available")
    name = f"detente_tmpl_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    template_url = make_url(POSTGRES_URL).set(database=name)
    engine = create_db_engine(template_url.render_as_string(hide_password=False))
    upgrade(engine)
    engine.dispose()
    yield name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def postgres_url(postgres_template: str) -> Iterator[str]:
    """A fresh, upgraded PostgreSQL database for one test."""
    name = f"detente_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database file for one test."""
    return f"sqlite:///{tmp_path / 'detente.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh database URL, once per backend."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


def _upgraded(url: str) -> Iterator[Engine]:
    engine = create_db_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An upgraded engine, once per backend."""
    yield from _upgraded(db_url)


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    """An upgraded engine on SQLite only (for tests that need no second backend)."""
    yield from _upgraded(sqlite_url)


@pytest.fixture
def settings(sqlite_url: str, tmp_path: Path) -> Settings:
    """Settings for a web app over a fresh SQLite database."""
    return Settings(database_url=sqlite_url, secret_key="test-secret-key-" + "x" * 16,
                    media_dir=str(tmp_path / "media"))


@pytest.fixture
def app(settings: Settings, sqlite_engine: Engine):  # type: ignore[no-untyped-def]
    """The web app over an upgraded SQLite database."""
    from detente.web.app import create_app

    return create_app(settings)


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    """A TestClient for the app, with the lifespan (background workers) running."""
    from fastapi.testclient import TestClient

    with TestClient(app) as test_client:
        yield test_client


#: The hidden CSRF field of a rendered form.
CSRF_PATTERN = re.compile(r'name="csrf_token" value="([^"]+)"')
ORGANIZER_PASSWORD = "correct horse battery"


@pytest.fixture
def csrf() -> Callable:
    """Read the CSRF token of the form on ``path`` (fetched with the given client)."""

    def read(client, path: str = "/login") -> str:  # type: ignore[no-untyped-def]
        match = CSRF_PATTERN.search(client.get(path).text)
        assert match, f"no CSRF field on {path}"
        return match.group(1)

    return read


@pytest.fixture
def organizer(client, demo_engine: Engine, csrf):  # type: ignore[no-untyped-def]
    """The test client logged in as an organizer, over the demo forum."""
    from detente.accounts import create_user
    from detente.store import session_scope

    with session_scope(demo_engine) as db:
        create_user(db, "organizer", ORGANIZER_PASSWORD, organizer=True)
    response = client.post("/login", data={"username": "organizer",
                                           "password": ORGANIZER_PASSWORD,
                                           "next": "/", "csrf_token": csrf(client)},
                           follow_redirects=False)
    assert response.status_code == 303
    return client


@pytest.fixture
def demo_engine(sqlite_engine: Engine) -> Engine:
    """An upgraded SQLite database holding the demo forum."""
    from detente.forum import load_demo_forum

    load_demo_forum(sqlite_engine)
    return sqlite_engine


# --- a live server and a real browser --------------------------------------------------------

CHROMIUM = Path(os.environ.get("DETENTE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class LiveServer:
    """A uvicorn server for one app, running in a thread on a free loopback port."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        import socket

        import uvicorn

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)

    def __enter__(self) -> LiveServer:
        import threading
        import time

        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("live server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    """The app served over HTTP on 127.0.0.1 (same database as ``client`` and ``demo_engine``)."""
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Headless Debian Chromium driven by Playwright; skipped where absent outside CI."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if IN_CI:
            pytest.fail("playwright is required in CI")
        pytest.skip("playwright is not installed")
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"Chromium is required in CI at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh browser context and page (phone-width friendly pages are checked separately)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    yield context.new_page()
    context.close()
