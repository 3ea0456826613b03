"""CPU-heavy work runs off the event loop: while one request decodes a huge photo, the
worker's other requests are answered (a 49-megapixel upload used to stall every request)."""

from __future__ import annotations

import asyncio
import time

import httpx
from sqlalchemy import Engine

from detente.accounts import create_user
from detente.forum import DEMO_EVENT_SLUG
from detente.store import session_scope
from tests.conftest import CSRF_PATTERN, ORGANIZER_PASSWORD, run_async
from tests.reports.conftest import make_image

STALL = 3.0  # seconds the stand-in for Pillow holds its thread


def test_other_requests_are_answered_while_an_upload_is_processed(
        app, demo_engine: Engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import detente.reports as reports

    real_add_media = reports.add_media
    started = {"at": 0.0}

    def slow_add_media(*args, **kwargs):  # type: ignore[no-untyped-def]
        started["at"] = time.perf_counter()
        time.sleep(STALL)  # blocks its thread as decoding a 49-megapixel photo does
        return real_add_media(*args, **kwargs)

    monkeypatch.setattr("detente.web.routes.publications.add_media", slow_add_media)
    with session_scope(demo_engine) as db:
        create_user(db, "organizer", ORGANIZER_PASSWORD, organizer=True)

    async def run() -> tuple[int, float, float]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            token = CSRF_PATTERN.search((await client.get("/login")).text).group(1)  # type: ignore[union-attr]
            await client.post("/login", data={"username": "organizer",
                                              "password": ORGANIZER_PASSWORD,
                                              "csrf_token": token})
            media_page = await client.get(f"/events/{DEMO_EVENT_SLUG}/media")
            token = CSRF_PATTERN.search(media_page.text).group(1)  # type: ignore[union-attr]
            upload = asyncio.create_task(client.post(
                f"/events/{DEMO_EVENT_SLUG}/media", data={"csrf_token": token},
                files={"file": ("big.jpg", make_image(size=(400, 300)), "image/jpeg")}))
            for _ in range(1000):  # until the upload's work has begun (at most 10 s)
                if started["at"] or upload.done():
                    break
                await asyncio.sleep(0.01)
            assert started["at"], (await upload).text[:300]
            page = await client.get(f"/events/{DEMO_EVENT_SLUG}")
            answered = time.perf_counter() - started["at"]  # since the upload's work began
            assert page.status_code == 200
            response = await upload
            return response.status_code, answered, time.perf_counter() - started["at"]

    status, answered, upload_took = run_async(run)  # type: ignore[misc]
    assert status == 303
    assert upload_took >= STALL
    assert answered < STALL / 2, f"the event page waited {answered:.2f} s for the upload"
