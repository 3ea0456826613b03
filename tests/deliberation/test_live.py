"""The live session mode's service side: counts, the projector's board, statements waiting for a
participant, and the throttled "counts" announcements."""

from __future__ import annotations

import itertools
import random
import threading
import time

from sqlalchemy import Engine
from sqlalchemy.orm import Session as DbSession

from detente.deliberation import (
    ActivityNotifier,
    VoteRow,
    create_invites,
    get_deliberation,
    get_statement,
    live_board,
    live_counts,
    moderate,
    recompute,
    record_votes,
    redeem_invite,
    results_view,
    statements_of,
    stored_result,
    waiting_statements,
)
from detente.runtime import Event, LocalBus
from detente.store import session_scope
from detente.store.base import utcnow

from .conftest import join_many, make_deliberation

AGREED = "Everyone here agrees that hotlines between militaries help."


def test_counts_are_aggregates_and_an_unused_invitation_is_not_a_participant(
        forum_engine: Engine) -> None:
    d = make_deliberation(forum_engine)
    people = join_many(forum_engine, d, 2)
    with session_scope(forum_engine) as db:
        invites = create_invites(db, get_deliberation(db, d), 3)
        assert live_counts(db, d).participants == 2
        redeem_invite(db, get_deliberation(db, d), invites[0][1])
        ids = [s.id for s in statements_of(db, d)]
        record_votes(db.connection(), [VoteRow(d, people[0][0], ids[0], 1, utcnow()),
                                       VoteRow(d, people[0][0], ids[1], -1, utcnow()),
                                       VoteRow(d, people[1][0], ids[0], 0, utcnow()),
                                       VoteRow(d, people[1][0], ids[0], 1, utcnow())])
        moderate(db, get_statement(db, ids[2]), "rejected", None)
        counts = live_counts(db, d)
    assert counts.as_dict() == {"participants": 3, "voters": 2, "votes": 3,
                                "statements": len(ids) - 1, "pending": 0}


def test_waiting_statements_counts_accepted_ones_the_participant_has_not_voted_on(
        forum_engine: Engine) -> None:
    d = make_deliberation(forum_engine)
    (pid, _token), = join_many(forum_engine, d, 1)
    with session_scope(forum_engine) as db:
        ids = [s.id for s in statements_of(db, d)]
        record_votes(db.connection(), [VoteRow(d, pid, ids[0], 1, utcnow())])
        assert waiting_statements(db, d, pid) == len(ids) - 1
        assert waiting_statements(db, d, None) == len(ids)
        moderate(db, get_statement(db, ids[1]), "rejected", None)
        assert waiting_statements(db, d, pid) == len(ids) - 2


def _camps_with_one_agreed_statement(engine: Engine) -> tuple[int, int]:
    d = make_deliberation(engine, seeds=[
        "Nuclear launch decisions must stay with humans.",
        "Lethal autonomous weapons should be banned by treaty.",
        "Norms of responsible use beat a ban on autonomous weapons.",
        "Military AI raises the risk of accidental escalation.",
        "Verification of limits on military AI is impossible.",
        AGREED])
    people = join_many(engine, d, 16)
    rng = random.Random(1)
    with session_scope(engine) as db:
        statements = statements_of(db, d)
        agreed = next(s.id for s in statements if s.text == AGREED)
        rows = []
        for index, (pid, _token) in enumerate(people):
            camp = 1 if index % 2 else -1
            for position, s in enumerate(statements):
                if s.id == agreed:
                    value = 1
                else:
                    lean = camp if position % 2 else -camp
                    value = lean if rng.random() < 0.9 else 0
                rows.append(VoteRow(d, pid, s.id, value, utcnow()))
        record_votes(db.connection(), rows)
    assert recompute(engine, d) is not None
    return d, agreed


def test_the_board_shows_only_statements_still_accepted(forum_engine: Engine) -> None:
    d, agreed = _camps_with_one_agreed_statement(forum_engine)
    with session_scope(forum_engine) as db:
        board = live_board(db, d)
        assert board.status == "open" and board.results.available
        assert agreed in [s.id for s in board.consensus]
        assert board.counts.participants == 16 and board.counts.votes == 16 * 6
        moderate(db, get_statement(db, agreed), "rejected", None)
    with session_scope(forum_engine) as db:
        board = live_board(db, d)
        # The stored snapshot still lists it; the board does not.
        full = results_view(db, get_deliberation(db, d), stored_result(db, d), None)
        assert agreed in [s.id for s in full.consensus]
        assert agreed not in [s.id for s in board.consensus + board.divisive]
        assert len(board.consensus) <= 3 and len(board.divisive) <= 1


def test_the_board_before_any_result_says_so(forum_engine: Engine) -> None:
    d = make_deliberation(forum_engine)
    with session_scope(forum_engine) as db:
        board = live_board(db, d)
    assert not board.results.available and board.consensus == [] and board.counts.votes == 0


def _collect(bus: LocalBus) -> tuple[list[tuple[float, Event]], threading.Lock]:
    heard: list[tuple[float, Event]] = []
    lock = threading.Lock()

    def listen(event: Event) -> None:
        with lock:
            heard.append((time.monotonic(), event))

    bus.add_listener(listen)
    return heard, lock


def test_a_stream_of_votes_is_announced_at_most_once_per_interval_and_its_end_always() -> None:
    bus = LocalBus()
    heard, lock = _collect(bus)
    notifier = ActivityNotifier(bus, interval=0.2)
    started = time.monotonic()
    try:
        while time.monotonic() - started < 1.0:  # a vote batch every 10 ms for one second
            notifier.mark({5}, "votes")
            time.sleep(0.01)
        notifier.mark({5, 6}, "votes")
        time.sleep(0.5)
    finally:
        notifier.stop()
    with lock:
        events = list(heard)
    fives = [t for t, e in events if e.deliberation_id == 5]
    assert all(e.kind == "counts" and e.data == {"change": "votes"} for _t, e in events)
    assert 4 <= len(fives) <= 7  # ~1.2 s at one per 0.2 s, never one per batch (100)
    assert min(b - a for a, b in itertools.pairwise(fives)) >= 0.19
    assert [e.deliberation_id for _t, e in events].count(6) == 1  # the last marks arrive


def test_a_join_is_announced_after_commit_and_never_after_rollback(
        sqlite_engine: Engine) -> None:
    bus = LocalBus()
    heard, _lock = _collect(bus)
    notifier = ActivityNotifier(bus, interval=0.01)
    try:
        with DbSession(sqlite_engine) as db:
            db.begin()
            notifier.mark_after_commit(db, 3)
            db.rollback()
            db.begin()
            notifier.mark_after_commit(db, 4)
            time.sleep(0.1)
            assert heard == []
            db.commit()
        deadline = time.monotonic() + 2
        while not heard and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        notifier.stop()
    assert [(e.deliberation_id, e.data["change"]) for _t, e in heard] == [(4, "joined")]
