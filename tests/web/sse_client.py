"""A server-sent events client for tests: reads a stream in a thread, as a browser's
EventSource would, and hands over the parsed messages."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

__all__ = ["Stream"]


class Stream:
    """An event stream read in a thread; messages arrive parsed, comments as ``:comment``."""

    def __init__(self, client: httpx.Client, path: str,
                 headers: dict[str, str] | None = None) -> None:
        self.client = httpx.Client(base_url=str(client.base_url), cookies=client.cookies,
                                   timeout=httpx.Timeout(10, read=30))
        self.path = path
        self.request_headers = {"Accept": "text/event-stream", **(headers or {})}
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.opened = threading.Event()
        self.status = 0
        self.headers: httpx.Headers = httpx.Headers()
        self.body = ""
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self.opened.wait(10), f"no answer on {path}"

    def _run(self) -> None:
        try:
            with self.client.stream("GET", self.path, headers=self.request_headers) as response:
                self.status = response.status_code
                self.headers = response.headers
                if response.status_code != 200:
                    self.body = response.read().decode()
                    self.opened.set()
                    return
                self.opened.set()
                block: list[str] = []
                for line in response.iter_lines():
                    if line:
                        block.append(line)
                        continue
                    self._emit(block)
                    block = []
        except (httpx.HTTPError, RuntimeError):
            pass  # closed by the test
        finally:
            self.opened.set()

    def _emit(self, block: list[str]) -> None:
        fields: dict[str, Any] = {"at": time.monotonic()}
        for line in block:
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            key = name or ":comment"
            fields[key] = fields[key] + "\n" + value if key in fields else value
        if "data" in fields:
            fields["json"] = json.loads(fields["data"])
        self.messages.put(fields)

    def next(self, event: str | None = None, timeout: float = 10.0,
             where: Callable[[dict[str, Any]], bool] | None = None) -> dict[str, Any]:
        """The next message of ``event`` (and matching ``where``), skipping others."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {event or 'message'} on {self.path} in {timeout} s")
            try:
                found = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if event is not None and found.get("event") != event:
                continue
            if where is None or where(found):
                return found

    def events_within(self, seconds: float) -> list[dict[str, Any]]:
        """Every message (keep-alive comments included) of the next ``seconds``."""
        out = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                out.append(self.messages.get(timeout=left))
            except queue.Empty:
                break
        return out

    def close(self) -> None:
        self.client.close()
        self.thread.join(timeout=5)
