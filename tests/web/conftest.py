"""Fixtures of the browser tests that look at every page: a live server over every
capability's demo data."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from detente.settings import Settings
from tests.conftest import ORGANIZER_PASSWORD, LiveServer


def demo_app(folder: Path) -> tuple[Any, Engine]:
    """The web app over a new SQLite database in ``folder`` holding every capability's demo
    data and an organizer account; the engine is the caller's to dispose of."""
    from detente.accounts import create_user
    from detente.demo import load_demo
    from detente.store import create_db_engine, session_scope, upgrade
    from detente.web.app import create_app

    url = f"sqlite:///{folder / 'demo.db'}"
    engine = create_db_engine(url)
    upgrade(engine)
    load_demo(engine)
    with session_scope(engine) as db:
        create_user(db, "organizer", ORGANIZER_PASSWORD, organizer=True)
    app = create_app(Settings(database_url=url, secret_key="demo-site-" + "k" * 32,
                              media_dir=str(folder / "media")))
    return app, engine


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory, browser) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    """The app over every capability's demo data, an organizer account, and one
    participant's statement waiting for moderation."""
    app, engine = demo_app(tmp_path_factory.mktemp("accessibility"))
    with LiveServer(app) as server:
        context = browser.new_context()
        participant = context.new_page()
        participant.goto(f"{server.url}/deliberations/1")
        participant.locator("form.d-join button").click()
        participant.locator("form[action$='/statements'] textarea").fill(
            "Shared incident reporting between militaries lowers the risk of escalation.")
        participant.locator("form[action$='/statements'] button").click()
        participant.wait_for_load_state()
        context.close()
        yield server
    engine.dispose()


def log_in(page, base: str) -> None:  # type: ignore[no-untyped-def]
    """Log the page's browser context in as the demo site's organizer."""
    page.goto(f"{base}/login")
    page.locator("input[name=username]").fill("organizer")
    page.locator("input[name=password]").fill(ORGANIZER_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("form[action='/logout']").count() == 1, "organizer log-in failed"


def wait_until(check: Callable[[], bool], what: str, timeout: float = 45) -> None:
    """Poll ``check`` every 0.1 s until it holds; fail naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def live_count(page, name: str) -> int:  # type: ignore[no-untyped-def]
    """The counter ``name`` shown on a live view (-1 when it is not on the page)."""
    value = page.get_attribute(f'[data-count="{name}"]', "data-value")
    return int(value) if value is not None else -1
