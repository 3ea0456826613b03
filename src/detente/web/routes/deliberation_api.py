"""The deliberation JSON API (tag "deliberations").

Participants join an open deliberation and get a secret token once; every later call sends
it as ``Authorization: Bearer TOKEN`` (never in a URL). A missing or unknown token is 401, a
token of another deliberation 403. The vote endpoint is the hot path: it reads only cached
data (token hash, open statements), queues the vote for the group-commit writer and answers
once the vote is committed. Results are the stored snapshot; a vote never waits for the math.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session as DbSession

from detente import deliberation as service
from detente.deliberation import (
    Acting,
    ActivityNotifier,
    QueueScheduler,
    Recomputer,
    StoredResult,
    VoteCache,
    VoteWriter,
    recompute,
    result_event,
)
from detente.errors import NotFoundError, PermissionDeniedError
from detente.i18n import gettext as _
from detente.runtime import Event, Rule
from detente.web.deps import get_db, shared
from detente.web.edge import NO_NUL, BodyId, Id, StrictModel
from detente.web.security import client_address
from detente.web.sse import StreamSlots

__all__ = ["Runtime", "acting_participant", "api", "client_address", "limit_address",
           "runtime"]

#: Included by :mod:`detente.web.routes.deliberation` (its ``router``), before the pages.
api = APIRouter(prefix="/api/deliberations", tags=["deliberations"])

#: Recompute results in a separate process (the default: keeps numpy off the vote path's
#: interpreter lock). Tests switch it off to avoid starting a process per app.
RECOMPUTE_IN_PROCESS = True


class Runtime:
    """The deliberation machinery of one app: vote cache, writer, recompute, rate limits.

    Rate limits and the event bus are the app's shared state (:mod:`detente.runtime`):
    counted in Redis and delivered to every process when ``DETENTE_REDIS_URL`` is set.
    Recomputations run inline (a child process) or as jobs on the PostgreSQL queue
    (``DETENTE_JOB_QUEUE=postgresql``).
    """

    def __init__(self, app: FastAPI) -> None:
        settings = app.state.settings
        engine = app.state.engine
        state = shared(app)
        self.limits = state.limits
        self.bus = state.bus
        self.recomputer: Recomputer | QueueScheduler
        if settings.job_queue == "postgresql":
            self.recomputer = QueueScheduler(settings.database_url, settings.recompute_delay)
        else:
            self.recomputer = Recomputer(
                engine, settings.recompute_delay,
                compute=None if RECOMPUTE_IN_PROCESS else recompute,
                on_result=self._announce)
        self.cache = VoteCache(engine, bus=self.bus)
        # Live views hear of committed votes and new participants through "counts" events.
        self.activity = ActivityNotifier(self.bus)
        self.writer = VoteWriter(engine, on_commit=self._committed)
        #: Event streams (live views, participants' phones) open in this process.
        self.streams = StreamSlots(settings.live_streams)
        self.heartbeat = float(settings.live_heartbeat)
        vote = Rule.parse("vote", settings.vote_rate_limit, "DETENTE_VOTE_RATE_LIMIT")
        self.vote_rule = vote
        # Statements take longer to write than votes: a twelfth of the vote allowance.
        self.statement_rule = Rule("statement", max(1, vote.count // 12), vote.seconds)
        self.address_rule = Rule.parse("address", settings.address_rate_limit,
                                       "DETENTE_ADDRESS_RATE_LIMIT")

    def _committed(self, deliberation_ids: set[int]) -> None:
        """After the writer committed votes: recompute soon, tell the live views."""
        self.recomputer.mark(deliberation_ids)
        self.activity.mark(deliberation_ids, "votes")

    def joined(self, db: DbSession, deliberation_id: int) -> None:
        """Someone joined: tell the live views once ``db`` commits."""
        self.activity.mark_after_commit(db, deliberation_id, "joined")

    def _announce(self, deliberation_id: int, stored: StoredResult) -> None:
        self.bus.publish(result_event(deliberation_id, stored))

    async def limit_address(self, address: str) -> None:
        """Raise 429 when this address writes too fast (503 when limits cannot be counted)."""
        await self.limits.check(self.address_rule, address)

    async def limit_vote(self, acting: Acting, address: str) -> None:
        """Raise 429 when this participant or address votes too fast."""
        await self.limits.check(self.address_rule, address)
        await self.limits.check(self.vote_rule, str(acting.participant_id))

    async def limit_statement(self, acting_id: int, address: str) -> None:
        """Raise 429 when this participant or address adds statements too fast."""
        await self.limits.check(self.address_rule, address)
        await self.limits.check(self.statement_rule, str(acting_id))

    def changed(self, deliberation_id: int, kind: str = "statements",
                db: DbSession | None = None, **data: Any) -> None:
        """Statements or status changed: tell every process (their vote caches drop the
        deliberation's open statements) once ``db`` commits, and recompute soon."""
        event = Event(kind, deliberation_id, data)
        if db is not None:
            self.bus.publish_after_commit(db, event)
        else:
            self.bus.publish(event)
        if kind == "statements" and data.get("change") in ("accepted", "rejected", "pending"):
            self.recomputer.mark([deliberation_id])


def runtime(app: FastAPI) -> Runtime:
    """The app's :class:`Runtime`, created (and its writer started) on first use."""
    found = getattr(app.state, "deliberation", None)
    if found is None:
        found = Runtime(app)
        found.writer.start()
        app.state.deliberation = found
    return found


async def limit_address(request: Request) -> None:
    """Dependency: count one write for the client's address."""
    await runtime(request.app).limit_address(client_address(request))


#: Longest statement text the edge reads (the service refuses more than 280 with a clear
#: message; this only keeps an oversized body from reaching it).
MAX_STATEMENT_CHARS = 2_000

bearer = HTTPBearer(auto_error=False, description="The participant token from joining.")


class DeliberationOut(BaseModel):
    """A deliberation as listed."""

    id: int
    question: str
    question_local: str | None = None
    status: str = Field(description="draft, open or closed")
    language: str
    allow_statements: bool
    invite_only: bool
    simulated: bool = Field(description="True for demonstration data with simulated votes")
    event: str = Field(description="slug of the event")
    session: int = Field(description="1-based position of the session in the event")
    statements: int = Field(description="accepted statements")


class JoinOut(BaseModel):
    """A new participant: keep the token secret; it is shown only this once."""

    participant: str
    token: str


class StatementOut(BaseModel):
    id: int
    text: str
    text_local: str | None = None


class NextOut(BaseModel):
    statement: StatementOut


class VoteIn(StrictModel):
    """A vote: JSON integers only (``"1"``, ``1.0`` and ``true`` are refused with 422)."""

    statement: BodyId
    vote: int = Field(strict=True, description="1 agree, -1 disagree, 0 pass")


class VoteOut(BaseModel):
    statement: int
    vote: int


class StatementIn(StrictModel):
    text: str = Field(description="10 to 280 characters", max_length=MAX_STATEMENT_CHARS,
                      pattern=NO_NUL)


class NewStatementOut(BaseModel):
    id: int
    text: str
    moderation: str


class ResultsOut(BaseModel):
    """The ``detente consensus`` JSON (participants by their API ids) plus computed_at."""

    model_config = ConfigDict(extra="allow")

    computed_at: datetime
    vote_count: int
    participants: Any = None
    statements: Any = None
    votes: Any = None
    k: int
    groups: list[dict[str, Any]]
    consensus: list[dict[str, Any]]
    divisive: list[dict[str, Any]]
    projection: list[dict[str, Any]]
    statement_stats: list[dict[str, Any]]


async def acting_participant(request: Request,
                             credentials: HTTPAuthorizationCredentials | None = Depends(bearer)
                             ) -> Acting:
    """The participant a bearer token acts for; 401 when missing or unknown.

    Async so that the hot path needs no thread hand-off: a cached token is answered at once,
    and only an unknown one is looked up in the database (in a worker thread).
    """
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized_error("missing bearer token")
    cache = runtime(request.app).cache
    acting = cache.cached(credentials.credentials)
    if acting is None:
        acting = await asyncio.to_thread(cache.acting, credentials.credentials)
    if acting is None:
        raise _unauthorized_error("unknown token")
    return acting


def _unauthorized_error(message: str) -> HTTPException:
    return HTTPException(status_code=401, detail=message, headers={"WWW-Authenticate": "Bearer"})


def _own(acting: Acting, deliberation_id: int) -> None:
    if acting.deliberation_id != deliberation_id:
        raise PermissionDeniedError(_("this token belongs to another deliberation"))


# The vote route is defined first: it is the hot path.
@api.post("/{deliberation_id}/votes", response_model=VoteOut, status_code=201,
             summary="Vote on a statement")
async def vote(deliberation_id: Id, body: VoteIn, request: Request,
               acting: Acting = Depends(acting_participant)) -> Response:
    """Agree (1), disagree (-1) or pass (0); a later vote on the same statement replaces it.

    Answered once the vote is committed to the database.
    """
    state = runtime(request.app)
    _own(acting, deliberation_id)
    await state.limit_vote(acting, client_address(request))
    row = state.cache.check_vote(acting, deliberation_id, body.statement, body.vote)
    await state.writer.submit(row)
    # A ready Response skips FastAPI's response validation: this is the hot path.
    return Response(f'{{"statement":{row.statement_id},"vote":{row.value}}}'.encode(),
                    status_code=201, media_type="application/json")


@api.get("", response_model=list[DeliberationOut], summary="List deliberations")
def list_deliberations(db: DbSession = Depends(get_db)) -> list[DeliberationOut]:
    """Open and closed deliberations, newest first (drafts are not listed)."""
    out = []
    for d in service.list_deliberations(db):
        counts = service.statement_counts(db, d.id)
        out.append(DeliberationOut(
            id=d.id, question=d.question, question_local=d.question_local, status=d.status,
            language=d.language, allow_statements=d.allow_statements, invite_only=d.invite_only,
            simulated=d.is_simulated, event=d.session.event.slug, session=d.session.position,
            statements=counts["accepted"]))
    return out


@api.post("/{deliberation_id}/participants", response_model=JoinOut, status_code=201,
             summary="Join an open deliberation", dependencies=[Depends(limit_address)])
def join(deliberation_id: Id, request: Request, db: DbSession = Depends(get_db)) -> JoinOut:
    """Create a pseudonymous participant; the token is returned only here."""
    joined = service.join(db, service.get_deliberation(db, deliberation_id))
    runtime(request.app).joined(db, deliberation_id)
    return JoinOut(participant=joined.participant.public_id, token=joined.token)


@api.get("/{deliberation_id}/next", response_model=NextOut,
            responses={204: {"description": "Nothing left to vote on"}},
            summary="The next statement to vote on")
def next_statement(deliberation_id: Id, db: DbSession = Depends(get_db),
                   acting: Acting = Depends(acting_participant)) -> Any:
    """Chosen by the documented policy (docs/deliberations.md); 204 when none is left."""
    _own(acting, deliberation_id)
    deliberation = service.get_deliberation(db, deliberation_id)
    statement = None
    if deliberation.status == "open":
        statement = service.next_statement(db, deliberation_id, acting.participant_id)
    if statement is None:
        return Response(status_code=204)
    return NextOut(statement=StatementOut(id=statement.id, text=statement.text,
                                          text_local=statement.text_local))


async def limit_statement(request: Request,
                          acting: Acting = Depends(acting_participant)) -> None:
    """Dependency: count one statement for the participant and the address."""
    await runtime(request.app).limit_statement(acting.participant_id, client_address(request))


@api.post("/{deliberation_id}/statements", response_model=NewStatementOut, status_code=201,
             summary="Add a statement", dependencies=[Depends(limit_statement)])
def add_statement(deliberation_id: Id, body: StatementIn, request: Request,
                  db: DbSession = Depends(get_db),
                  acting: Acting = Depends(acting_participant)) -> NewStatementOut:
    """A new statement, pending moderation. 409 when it repeats one (the message says which)."""
    _own(acting, deliberation_id)
    participant = service.get_participant(db, acting.participant_id)
    statement = service.add_statement(db, service.get_deliberation(db, deliberation_id),
                                      participant, body.text)
    runtime(request.app).changed(deliberation_id, "statements", db, change="submitted",
                                 statement=statement.id)
    return NewStatementOut(id=statement.id, text=statement.text, moderation=statement.moderation)


@api.get("/{deliberation_id}/results", response_model=ResultsOut,
            responses={404: {"description": "No such deliberation, or not enough votes yet"}},
            summary="The last computed results")
def results(deliberation_id: Id, db: DbSession = Depends(get_db)) -> Any:
    """Opinion groups, representative, consensus and divisive statements (``detente consensus``
    schema, participants named by their API ids), with ``computed_at`` and ``vote_count``."""
    deliberation = service.get_deliberation(db, deliberation_id)
    if deliberation.status == "draft":
        raise NotFoundError(_("no deliberation %(id)s") % {"id": deliberation_id})
    stored = service.stored_result(db, deliberation_id)
    if stored is None:
        raise NotFoundError(_("not enough votes yet: no results have been computed"))
    return stored.to_json()
