"""The live session mode: the projector's full-screen view, the event streams, the short link.

- ``GET /j/{id}``: the short join link that the QR code carries; redirects to the
  participant's page.
- ``GET /deliberations/{id}/live``: the projector's view — question, QR code and short link,
  counters and the opinion map. Anyone may open it for a deliberation that is open or closed
  (it shows no more than the public results page: aggregate counts, anonymous points and
  accepted statements); a draft's only for organizers, so that they can put it on the screen
  before opening the deliberation.
- ``GET /deliberations/{id}/live/events``: the projector's server-sent events: ``status``,
  ``counts`` and ``board`` (the map and statements as HTML), a fresh snapshot of all three on
  every (re)connection, then whatever changed.
- ``GET /deliberations/{id}/events?waiting=N``: the participant's page's events: ``statements``
  (how many new statements arrived since the page showed ``N`` waiting) and ``status``.

Events come from the app's event bus (:mod:`detente.runtime`): in one process by default, from
every worker and host through Redis. Each stream sends a comment line every
``DETENTE_LIVE_HEARTBEAT`` seconds when idle, ends after about ten minutes (the browser
reconnects at once and gets a fresh snapshot, which also spreads streams over the workers
after a restart), and holds one of the worker's ``DETENTE_LIVE_STREAMS`` slots: beyond that the
answer is 503 with ``Retry-After``. See docs/deliberations.md, "Live session mode".
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session as DbSession

from detente import deliberation as service
from detente import i18n
from detente.accounts import User
from detente.errors import DetenteError, NotFoundError
from detente.i18n import gettext as _
from detente.runtime import Event, Subscription
from detente.store import session_scope
from detente.web.deps import get_db, shared
from detente.web.edge import Id
from detente.web.qr import qr_svg
from detente.web.routes.deliberation_api import runtime
from detente.web.security import current_user
from detente.web.sse import comment, event_stream_response, message, too_many_streams
from detente.web.templating import render, render_fragment

__all__ = ["join_url", "live"]

log = logging.getLogger(__name__)

live = APIRouter(include_in_schema=False)

#: Seconds a stream stays open (less up to a fifth, at random) before the browser is asked to
#: reconnect.
STREAM_LIFETIME = 600.0
#: Events that arrive within this many seconds of each other are answered with one read.
COALESCE = 0.2
#: The browser's reconnection delay, in milliseconds.
RETRY_MS = 3000
#: A participant's stream that must re-read from the database (a ``resync`` after Redis came
#: back, say) waits a random fraction of this many seconds first, so that thousands of phones
#: do not query at the same instant.
SPREAD = 2.0

PROJECTOR_PARTS = ("status", "counts", "board")


def _cookie_name(deliberation_id: int) -> str:
    return f"detente_p{deliberation_id}"


def public_base(request: Request) -> str:
    """The address participants open: ``DETENTE_PUBLIC_URL``, else the request's."""
    configured = request.app.state.settings.public_url
    return (configured or str(request.base_url)).rstrip("/")


def join_url(request: Request, deliberation_id: int) -> str:
    """The short join link of a deliberation (what its QR code carries)."""
    return f"{public_base(request)}/j/{deliberation_id}"


def _visible_to(status: str, user: User | None) -> bool:
    return status != "draft" or bool(user and user.is_organizer)


@live.get("/j/{deliberation_id:int}")
def short_link(deliberation_id: Id) -> RedirectResponse:
    """The short link: on to the participant's page (which says if there is none)."""
    return RedirectResponse(f"/deliberations/{deliberation_id}", status_code=303)


@live.get("/deliberations/{deliberation_id:int}/live", response_class=HTMLResponse)
def live_page(deliberation_id: Id, request: Request, db: DbSession = Depends(get_db),
              user: User | None = Depends(current_user)) -> HTMLResponse:
    """The projector's full-screen view; it keeps itself current through its event stream."""
    board = service.live_board(db, deliberation_id)
    if not _visible_to(board.status, user):
        raise NotFoundError(_("no deliberation %(id)s") % {"id": deliberation_id})
    url = join_url(request, deliberation_id)
    deliberation = board.deliberation
    return render(request, "deliberation/live.html", {
        "d": deliberation, "board": board, "event": deliberation.session.event,
        "session": deliberation.session, "join_url": url,
        "join_host": url.split("://", 1)[-1].rsplit("/j/", 1)[0],
        "join_path": f"/j/{deliberation_id}",
        "qr": qr_svg(url, _("QR code of the link to take part: %(url)s") % {"url": url}),
        "organizer": bool(user and user.is_organizer)})


# --- the projector's stream -----------------------------------------------------------------


def _projector_messages(engine: Any, deliberation_id: int, language: str,
                        parts: set[str]) -> list[str]:
    """Read and render ``parts`` of the projector's view (in a worker thread)."""
    with i18n.use_language(language), session_scope(engine) as db:
        if parts == {"counts"}:
            return [_counts_message(service.live_counts(db, deliberation_id))]
        board = service.live_board(db, deliberation_id)
        out = []
        if "status" in parts:
            out.append(message("status", {"status": board.status}))
        if "counts" in parts:
            out.append(_counts_message(board.counts))
        if "board" in parts:
            computed = board.results.computed_at
            out.append(message("board", {
                "computed_at": computed.isoformat() if computed else None,
                "html": render_fragment("deliberation/_live_board.html", {"board": board})}))
        return out


def _counts_message(counts: service.LiveCounts) -> str:
    html = render_fragment("deliberation/_live_counts.html", {"counts": counts})
    return message("counts", {**counts.as_dict(), "html": html})


def _projector_parts(kinds: set[str]) -> set[str]:
    """What to send again after events of these kinds."""
    parts: set[str] = set()
    if kinds & {"counts", "statements", "results", "status", "resync"}:
        parts.add("counts")
    if kinds & {"statements", "results", "status", "resync"}:
        parts.add("board")
    if kinds & {"status", "resync"}:
        parts.add("status")
    return parts


async def _gather(events: Subscription, first: Event, window: float) -> list[Event]:
    """``first`` and every event that follows it within ``window`` seconds."""
    found = [first]
    loop = asyncio.get_running_loop()
    end = loop.time() + window
    while (left := end - loop.time()) > 0:
        more = await events.get(timeout=left)
        if more is None:
            break
        found.append(more)
    return found


async def _projector_stream(app: FastAPI, deliberation_id: int, language: str
                            ) -> AsyncIterator[str]:
    state = runtime(app)
    engine = app.state.engine
    events = shared(app).bus.subscribe(deliberation_id)
    try:
        # Subscribed before the snapshot is read, so nothing falls between the two.
        yield f"retry: {RETRY_MS}\n" + comment("detente live view")
        for part in await asyncio.to_thread(_projector_messages, engine, deliberation_id,
                                            language, set(PROJECTOR_PARTS)):
            yield part
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STREAM_LIFETIME * random.uniform(0.8, 1.0)
        while (left := deadline - loop.time()) > 0:
            first = await events.get(timeout=min(state.heartbeat, left))
            if first is None:
                yield comment("keep-alive")
                continue
            batch = await _gather(events, first, COALESCE)
            parts = _projector_parts({event.kind for event in batch})
            if parts:
                for part in await asyncio.to_thread(_projector_messages, engine,
                                                    deliberation_id, language, parts):
                    yield part
    except DetenteError as exc:  # the deliberation is gone: end; the browser will hear 404
        log.info("live stream of deliberation %s ends: %s", deliberation_id, exc)
    except Exception as exc:  # the database is away, say: end; the browser reconnects in 3 s
        log.warning("live stream of deliberation %s failed: %s", deliberation_id, exc)
    finally:
        events.close()


@live.get("/deliberations/{deliberation_id:int}/live/events")
def live_events(deliberation_id: Id, request: Request, db: DbSession = Depends(get_db),
                user: User | None = Depends(current_user)) -> Response:
    """The projector's server-sent events (see the module's docstring)."""
    deliberation = service.get_deliberation(db, deliberation_id)
    if not _visible_to(deliberation.status, user):
        raise NotFoundError(_("no deliberation %(id)s") % {"id": deliberation_id})
    return _open_stream(request, lambda: _projector_stream(
        request.app, deliberation_id, i18n.current_language()))


def _open_stream(request: Request, body: Callable[[], AsyncIterator[str]]) -> Response:
    slots = runtime(request.app).streams
    if not slots.acquire():
        return too_many_streams(_("Too many live connections on this server; trying again "
                                  "shortly."))
    return event_stream_response(body(), on_close=slots.release)


# --- the participant's stream ---------------------------------------------------------------


def _participant_snapshot(engine: Any, deliberation_id: int,
                          participant_id: int | None) -> tuple[str, int]:
    """(status, statements waiting for the participant), read in a worker thread."""
    with session_scope(engine) as db:
        deliberation = service.get_deliberation(db, deliberation_id)
        return deliberation.status, service.waiting_statements(db, deliberation_id,
                                                                participant_id)


def _statements_message(deliberation_id: int, new: int, showing: bool, language: str) -> str:
    with i18n.use_language(language):
        html = render_fragment("deliberation/_live_notice.html", {
            "kind": "statements", "new": new, "showing": showing, "d_id": deliberation_id})
    return message("statements", {"new": new, "html": html})


def _status_message(deliberation_id: int, status: str, language: str) -> str:
    with i18n.use_language(language):
        html = render_fragment("deliberation/_live_notice.html", {
            "kind": "status", "status": status, "d_id": deliberation_id})
    return message("status", {"status": status, "html": html})


class NewStatements:
    """How many statements arrived for a participant since their page was drawn.

    ``base`` is what the page showed waiting; a fresh read gives ``offset`` (the statements
    waiting now beyond those), and accepted statements announced by events since then are
    added one by one — no database read per event, which matters with thousands of phones.
    """

    def __init__(self, base: int | None) -> None:
        self.base = base
        self.offset = 0
        self.announced: set[int] = set()

    def reread(self, waiting_now: int) -> None:
        self.offset = max(0, waiting_now - self.base) if self.base is not None else 0
        self.announced.clear()

    @property
    def count(self) -> int:
        return self.offset + len(self.announced)

    def apply(self, event: Event) -> bool:
        """Update from a ``statements`` event; False when only a fresh read can tell."""
        change = event.data.get("change")
        statement = event.data.get("statement")
        if change == "submitted":  # waits for moderation: nothing to vote on yet
            return True
        if change == "accepted" and isinstance(statement, int):
            self.announced.add(statement)
            return True
        if change in ("rejected", "pending") and isinstance(statement, int):
            self.announced.discard(statement)
            return True
        ids = event.data.get("statements")
        if change == "seeded" and isinstance(ids, list):
            self.announced.update(i for i in ids if isinstance(i, int))
            return True
        return False


async def _participant_stream(app: FastAPI, deliberation_id: int, participant_id: int | None,
                              waiting: int | None, showing: bool, language: str
                              ) -> AsyncIterator[str]:
    state = runtime(app)
    engine = app.state.engine
    events = shared(app).bus.subscribe(deliberation_id, kinds=("statements", "status"))
    tally = NewStatements(waiting)
    try:
        yield f"retry: {RETRY_MS}\n" + comment("detente participant events")
        status, now = await asyncio.to_thread(_participant_snapshot, engine, deliberation_id,
                                              participant_id)
        tally.reread(now)
        sent = tally.count
        yield _status_message(deliberation_id, status, language)
        yield _statements_message(deliberation_id, sent, showing, language)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STREAM_LIFETIME * random.uniform(0.8, 1.0)
        while (left := deadline - loop.time()) > 0:
            first = await events.get(timeout=min(state.heartbeat, left))
            if first is None:
                yield comment("keep-alive")
                continue
            fresh = False
            for event in await _gather(events, first, COALESCE):
                if event.kind == "status":
                    status = str(event.data.get("status") or status)
                    yield _status_message(deliberation_id, status, language)
                elif event.kind == "resync" or not tally.apply(event):
                    fresh = True
            if fresh:
                await asyncio.sleep(random.uniform(0, SPREAD))
                status, now = await asyncio.to_thread(_participant_snapshot, engine,
                                                      deliberation_id, participant_id)
                tally.reread(now)
                yield _status_message(deliberation_id, status, language)
            if tally.count != sent:
                sent = tally.count
                yield _statements_message(deliberation_id, sent, showing, language)
    except DetenteError as exc:
        log.info("participant stream of deliberation %s ends: %s", deliberation_id, exc)
    except Exception as exc:
        log.warning("participant stream of deliberation %s failed: %s", deliberation_id, exc)
    finally:
        events.close()


@live.get("/deliberations/{deliberation_id:int}/events")
def participant_events(deliberation_id: Id, request: Request,
                       waiting: int | None = Query(None, ge=0, le=1_000_000),
                       showing: bool = Query(False), db: DbSession = Depends(get_db),
                       user: User | None = Depends(current_user)) -> Response:
    """The participant's page's server-sent events (see the module's docstring)."""
    deliberation = service.get_deliberation(db, deliberation_id)
    if not _visible_to(deliberation.status, user):
        raise NotFoundError(_("no deliberation %(id)s") % {"id": deliberation_id})
    acting = runtime(request.app).cache.acting(request.cookies.get(_cookie_name(deliberation_id)))
    participant_id = (acting.participant_id if acting is not None
                      and acting.deliberation_id == deliberation_id else None)
    return _open_stream(request, lambda: _participant_stream(
        request.app, deliberation_id, participant_id, waiting, showing,
        i18n.current_language()))
