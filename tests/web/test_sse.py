"""Server-sent events: the wire format, the bound on streams, closing whatever happens."""

from __future__ import annotations

import asyncio
import json

import pytest

from detente.web.sse import StreamSlots, comment, event_stream_response, message
from tests.deliberation.conftest import run_async


def _parse(text: str) -> list[dict[str, str]]:
    """Messages as the browser's EventSource reads them (fields of each blank-line block)."""
    out = []
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            if not line or line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            fields[name] = fields[name] + "\n" + value if name in fields else value
        if fields:
            out.append(fields)
    return out


def test_a_message_has_its_event_id_retry_and_json_data_and_ends_with_a_blank_line() -> None:
    text = message("counts", {"votes": 3, "html": "<b>三</b>"}, id="7", retry=3000)
    assert text.endswith("\n\n") and text.count("\n\n") == 1
    [parsed] = _parse(text)
    assert parsed["event"] == "counts" and parsed["id"] == "7" and parsed["retry"] == "3000"
    assert json.loads(parsed["data"]) == {"votes": 3, "html": "<b>三</b>"}


def test_multi_line_text_becomes_several_data_lines_that_the_browser_joins() -> None:
    text = message(None, "first line\nsecond line\r\nthird")
    assert text == "data: first line\ndata: second line\ndata: third\n\n"
    assert _parse(text) == [{"data": "first line\nsecond line\nthird"}]


def test_json_data_never_spans_lines_even_with_newlines_inside() -> None:
    text = message("board", {"html": "<p>a</p>\n<p>b</p>"})
    assert text.count("data:") == 1
    assert json.loads(_parse(text)[0]["data"])["html"] == "<p>a</p>\n<p>b</p>"


@pytest.mark.parametrize("field", ["event", "id"])
def test_an_event_name_or_id_with_a_newline_is_refused(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        message(**{"data": "x", "event": None, field: "a\nb"})  # type: ignore[arg-type]


def test_a_comment_is_ignored_by_the_browser() -> None:
    assert comment("keep-alive") == ": keep-alive\n\n"
    assert _parse(comment("keep-alive") + message("status", {"s": 1})) == [
        {"event": "status", "data": '{"s":1}'}]


def test_stream_slots_refuse_beyond_the_limit_and_free_on_release() -> None:
    slots = StreamSlots(2)
    assert slots.acquire() and slots.acquire()
    assert not slots.acquire() and slots.open == 2
    slots.release()
    assert slots.acquire() and slots.open == 2
    slots.release(), slots.release(), slots.release()
    assert slots.open == 0


def _run_response(response, disconnect_after: float | None = None) -> list[bytes]:  # type: ignore[no-untyped-def]
    """Drive an ASGI response; the client disconnects after ``disconnect_after`` seconds."""
    sent: list[bytes] = []

    async def receive() -> dict:
        if disconnect_after is None:
            await asyncio.sleep(3600)
        await asyncio.sleep(disconnect_after or 0)
        return {"type": "http.disconnect"}

    async def send(msg: dict) -> None:
        if msg["type"] == "http.response.body":
            sent.append(msg.get("body", b""))

    scope = {"type": "http", "asgi": {"spec_version": "2.3"}}
    # In a thread of its own: the browser tests keep an event loop running in this one.
    run_async(lambda: asyncio.wait_for(response(scope, receive, send), 5))
    return sent


def test_a_stream_that_ends_calls_on_close() -> None:
    closed: list[bool] = []

    async def body():  # type: ignore[no-untyped-def]
        yield message("status", {"status": "open"})

    response = event_stream_response(body(), on_close=lambda: closed.append(True))
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-accel-buffering"] == "no"
    chunks = _run_response(response)
    assert b"event: status" in b"".join(chunks) and closed == [True]


def test_a_client_that_goes_away_ends_the_body_and_frees_the_slot() -> None:
    slots = StreamSlots(1)
    assert slots.acquire()
    finished: list[str] = []

    async def body():  # type: ignore[no-untyped-def]
        try:
            while True:
                yield comment("keep-alive")
                await asyncio.sleep(0.01)
        finally:
            finished.append("body closed")

    _run_response(event_stream_response(body(), on_close=slots.release), disconnect_after=0.1)
    assert finished == ["body closed"] and slots.open == 0
