"""Server-sent events: the wire format, the response, and a bound on open streams per worker.

A stream is ``text/event-stream`` (https://html.spec.whatwg.org/multipage/server-sent-events.html):
messages of ``event:``, ``data:`` (one line per line of the payload), optional ``id:`` and
``retry:`` fields, each message ended by a blank line; a line starting with ``:`` is a
comment, which is what keeps an idle stream open through proxies (heartbeats).

The responses say ``Cache-Control: no-store`` and ``X-Accel-Buffering: no`` (nginx passes each
message on at once even where buffering is on), and carry no Content-Length.
"""

from __future__ import annotations

import contextlib
import json
import random
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

__all__ = ["EventStreamResponse", "StreamSlots", "comment", "event_stream_response", "message",
           "too_many_streams"]

MEDIA_TYPE = "text/event-stream"
HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


def message(event: str | None, data: Any, *, id: str | None = None,
            retry: int | None = None) -> str:
    """One event: ``data`` is sent as compact JSON unless it is a string already.

    Newlines in a string payload become several ``data:`` lines (the browser joins them back
    with newlines); ``event`` and ``id`` must be single-line.
    """
    for name, value in (("event", event), ("id", id)):
        if value is not None and ("\n" in value or "\r" in value):
            raise ValueError(f"an SSE {name} cannot span lines: {value!r}")
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False,
                                                        separators=(",", ":"))
    lines = []
    if retry is not None:
        lines.append(f"retry: {int(retry)}")
    if id is not None:
        lines.append(f"id: {id}")
    if event is not None:
        lines.append(f"event: {event}")
    lines.extend(f"data: {line}" for line in text.replace("\r\n", "\n").split("\n"))
    return "\n".join(lines) + "\n\n"


def comment(text: str = "") -> str:
    """A comment line: ignored by the browser, keeps proxies from closing an idle stream."""
    return "".join(f": {line}\n" for line in (text or " ").splitlines()) + "\n"


class EventStreamResponse(StreamingResponse):
    """A streaming response that calls ``on_close`` once it is over, however it ends (the
    client went away, the body ended or failed, or the body never started)."""

    def __init__(self, body: AsyncIterator[str],
                 on_close: Callable[[], None] | None = None) -> None:
        super().__init__(body, media_type=MEDIA_TYPE, headers=dict(HEADERS))
        self._body = body
        self._on_close = on_close

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            close = getattr(self._body, "aclose", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    await close()
            if self._on_close is not None:
                self._on_close()


def event_stream_response(body: AsyncIterator[str],
                          on_close: Callable[[], None] | None = None) -> EventStreamResponse:
    """The response for an event stream with ``body``'s messages; ``on_close`` runs when it
    ends."""
    return EventStreamResponse(body, on_close)


class StreamSlots:
    """At most ``limit`` streams open at once in this process (one web worker).

    A stream holds its slot from :meth:`acquire` until :meth:`release`; a request that finds
    none free is answered by :func:`too_many_streams`.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._open = 0
        self._lock = threading.Lock()

    @property
    def open(self) -> int:
        return self._open

    def acquire(self) -> bool:
        with self._lock:
            if self._open >= self.limit:
                return False
            self._open += 1
            return True

    def release(self) -> None:
        with self._lock:
            self._open = max(0, self._open - 1)


def too_many_streams(detail: str) -> Response:
    """503 with a ``Retry-After`` spread over 5-15 s, so that refused clients do not return
    all at once."""
    retry = random.randint(5, 15)
    return Response(json.dumps({"detail": detail}), status_code=503,
                    media_type="application/json", headers={"Retry-After": str(retry),
                                                            "Cache-Control": "no-store"})
