"""Deliberation texts pass the attribution policy: participant statements that attribute a view
to a participant are held for moderation with the reason; organizers' questions and seeds are
refused unless a reason is given; every override is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from detente.cli import app as cli_app
from detente.deliberation import (
    create_deliberation,
    get_deliberation,
    moderate,
    seed_statements,
    statements_of,
)
from detente.forum import DEMO_EVENT_SLUG, AttributionHeld
from detente.store import session_scope
from detente.store.models.auth import AuditEntry
from detente.store.models.deliberation import Deliberation, DeliberationStatement

from .conftest import CSRF, join_web, make_deliberation

HELD = "Zhou Bo argued that AI arms control is within reach."
REASON = "He asked for this to be quoted"


def _overrides(engine: Engine) -> list[str]:
    with session_scope(engine) as db:
        return [e.detail or "" for e in db.scalars(select(AuditEntry).where(
            AuditEntry.action == "attribution.override"))]


def test_participant_statement_is_held_and_accepted_only_with_a_reason(
        organizer, demo_engine: Engine, csrf) -> None:
    d = make_deliberation(demo_engine)
    token = join_web(organizer, d)
    response = organizer.post(f"/deliberations/{d}/statements",
                              data={"csrf_token": token, "text": HELD})
    assert "held until a moderator reviews it" in response.text
    with session_scope(demo_engine) as db:
        statement = db.scalar(select(DeliberationStatement).where(
            DeliberationStatement.text == HELD))
        assert statement.moderation == "pending"
        statement_id = statement.id
    manage = organizer.get(f"/deliberations/{d}/manage").text
    assert "Zhou Bo (周波)" in manage and "Held under the Chatham House rule" in manage
    token = CSRF.search(manage).group(1)
    organizer.post(f"/deliberations/{d}/moderate/{statement_id}",
                   data={"csrf_token": token, "decision": "accepted"})
    with session_scope(demo_engine) as db:
        assert db.get(DeliberationStatement, statement_id).moderation == "pending"
    organizer.post(f"/deliberations/{d}/moderate/{statement_id}",
                   data={"csrf_token": token, "decision": "accepted",
                         "override_reason": REASON})
    with session_scope(demo_engine) as db:
        assert db.get(DeliberationStatement, statement_id).moderation == "accepted"
    assert any(REASON in detail for detail in _overrides(demo_engine))


def test_held_statement_is_never_shown_to_voters(fast_client, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine, seeds=[])
    token = join_web(fast_client, d)
    fast_client.post(f"/deliberations/{d}/statements", data={"csrf_token": token,
                                                             "text": HELD})
    assert HELD not in fast_client.get(f"/deliberations/{d}").text
    assert HELD not in fast_client.get(f"/deliberations/{d}/results").text


def test_seeds_and_questions_are_checked(demo_engine: Engine) -> None:
    with session_scope(demo_engine) as db:
        with pytest.raises(AttributionHeld):
            create_deliberation(db, DEMO_EVENT_SLUG, 1, "Why does Ms Xiao want red lines?")
        assert db.scalar(select(Deliberation)) is None
        create_deliberation(db, DEMO_EVENT_SLUG, 1, "Why does Ms Xiao want red lines?",
                            override_reason=REASON)
    with pytest.raises(AttributionHeld) as caught, session_scope(demo_engine) as db:
        seed_statements(db, db.scalar(select(Deliberation)),
                        ["Red lines are needed now.", HELD])  # all or nothing
    assert "seed:2" in str(caught.value)
    with session_scope(demo_engine) as db:
        deliberation = db.scalar(select(Deliberation))
        assert statements_of(db, deliberation.id) == []
        seed_statements(db, deliberation, [HELD], override_reason=REASON)
        assert [s.text for s in statements_of(db, deliberation.id)] == [HELD]
    assert len(_overrides(demo_engine)) == 2


def test_moderation_on_the_command_line_needs_a_reason(sqlite_url: str,
                                                       demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    with session_scope(demo_engine) as db:
        statement = DeliberationStatement(deliberation_id=d, text=HELD, moderation="pending")
        db.add(statement)
        db.flush()
        statement_id = statement.id
    runner = CliRunner()
    base = ["--database", sqlite_url, "deliberation"]
    queue = runner.invoke(cli_app, [*base, "queue", str(d)])
    assert "\theld: " in queue.output and "Zhou Bo (周波)" in queue.output
    queue_zh = runner.invoke(cli_app, ["--lang", "zh", *base, "queue", str(d)])
    assert "\t暂扣：“" in queue_zh.output and "held" not in queue_zh.output
    refused = runner.invoke(cli_app, [*base, "moderate", str(statement_id), "accept"])
    assert refused.exit_code == 2 and "Zhou Bo (周波)" in refused.output
    done = runner.invoke(cli_app, [*base, "moderate", str(statement_id), "accept",
                                   "--override-reason", REASON])
    assert done.exit_code == 0, done.output
    assert done.output == f"statement {statement_id} accepted\n"
    with session_scope(demo_engine) as db:
        deliberation = get_deliberation(db, d)
        assert HELD in [s.text for s in statements_of(db, deliberation.id)]
        with pytest.raises(AttributionHeld):  # the service itself, without a reason
            statement = DeliberationStatement(deliberation_id=d, text=HELD + " Again.",
                                              moderation="pending")
            db.add(statement)
            db.flush()
            moderate(db, statement, "accepted", None)


def test_polis_comments_that_attribute_a_view_come_in_held(demo_engine: Engine,
                                                           tmp_path) -> None:  # type: ignore[no-untyped-def]
    from detente.deliberation import import_polis

    folder = tmp_path / "polis"
    folder.mkdir()
    (folder / "comments.csv").write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        f"1,x,0,0,0,0,1,{HELD}\n1,x,1,0,0,0,1,Hotlines between militaries lower the risk\n",
        encoding="utf-8")
    (folder / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,5,1\n2,x,1,5,1\n", encoding="utf-8")
    d = import_polis(demo_engine, folder, event=DEMO_EVENT_SLUG, session_position=1)
    with session_scope(demo_engine) as db:
        states = {s.text: s.moderation for s in db.scalars(
            select(DeliberationStatement).where(DeliberationStatement.deliberation_id == d))}
    assert states == {HELD: "pending", "Hotlines between militaries lower the risk": "accepted"}


def test_polis_dry_run_names_the_comments_that_would_be_held(demo_engine: Engine,
                                                             tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "polis"
    folder.mkdir()
    (folder / "comments.csv").write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        f"1,x,7,0,0,0,1,{HELD}\n1,x,8,0,0,0,1,Hotlines between militaries lower the risk\n",
        encoding="utf-8")
    (folder / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,7,5,1\n2,x,8,5,1\n", encoding="utf-8")
    url = demo_engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli_app, ["--database", url, "deliberation", "import-polis",
                                          str(folder), "--event", DEMO_EVENT_SLUG, "--session",
                                          "1", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "1 comment(s) would be held under the attribution policy (Polis comment ids 7)" in \
        result.output
    with session_scope(demo_engine) as db:
        assert db.scalar(select(Deliberation.id)) is None  # nothing written


def test_a_stored_statement_that_attributes_after_the_people_changed_is_not_shown(
        demo_engine: Engine) -> None:
    from detente.deliberation import (
        create_invites,
        held_statement_ids,
        join,
        participate_view,
    )
    from detente.deliberation._views import _texts
    from detente.store.models.forum import Person

    later = "Li Wei argued that hotlines between militaries work."
    d = make_deliberation(demo_engine, seeds=[later])
    with session_scope(demo_engine) as db:
        deliberation = get_deliberation(db, d)
        (statement,) = statements_of(db, d)
        assert held_statement_ids(db, deliberation) == set()
        voter = join(db, deliberation).participant.id
        assert participate_view(db, deliberation, voter).statement is not None
        # Li Wei is invited to the deliberation by name after the statement was accepted
        person = Person(slug="li-wei", name="Li Wei", name_local="李维")
        db.add(person)
        db.flush()
        create_invites(db, deliberation, person=person)
    with session_scope(demo_engine) as db:
        deliberation = get_deliberation(db, d)
        assert held_statement_ids(db, deliberation) == {statement.id}
        assert participate_view(db, deliberation, voter).statement is None
        assert later not in _texts(db, deliberation).values()
