"""The event form: organizers edit the event's record and its sessions through the forum
service; refused forms keep what was typed and name the field; sessions that hold data are
deleted only when the deletion is confirmed."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import Engine, func, select

from detente.forum import DEMO_EVENT_SLUG
from detente.store import session_scope
from detente.store.models.auth import AuditEntry
from detente.store.models.deliberation import Deliberation
from detente.store.models.forum import Event, Session

EDIT = f"/events/{DEMO_EVENT_SLUG}/edit"


@pytest.fixture
def with_deliberation(demo_engine: Engine) -> int:
    """The demo forum with its deliberation; the position of the session that holds it."""
    from detente.deliberation import load_demo_deliberation

    load_demo_deliberation(demo_engine)
    with session_scope(demo_engine) as db:
        return int(db.scalar(select(Session.position).join(
            Deliberation, Deliberation.session_id == Session.id)))


def _form(client, path: str = EDIT) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The form's fields as the browser would send them (lists for repeated names)."""
    soup = BeautifulSoup(client.get(path).text, "lxml")
    form = soup.select_one(f"form[action='{EDIT}']")
    assert form is not None
    data: dict[str, object] = {}
    for field in form.select("input, textarea, select"):
        name = field.get("name")
        if not name or field.get("type") in ("checkbox",):
            continue
        if field.get("type") == "radio":
            if field.has_attr("checked"):
                data[name] = field["value"]
            continue
        if field.name == "textarea":
            value = field.get_text()
        elif field.name == "select":
            chosen = field.select_one("option[selected]")
            value = chosen["value"] if chosen else ""
        else:
            value = field.get("value", "")
        if name.startswith("session_"):
            data.setdefault(name, []).append(value)  # type: ignore[union-attr]
        else:
            data[name] = value
    return data


def test_only_organizers_reach_the_form_and_the_event_page_links_it(organizer) -> None:
    assert f'href="{EDIT}"' in organizer.get(f"/events/{DEMO_EVENT_SLUG}").text
    data = _form(organizer)
    organizer.cookies.clear()
    assert f'href="{EDIT}"' not in organizer.get(f"/events/{DEMO_EVENT_SLUG}").text
    assert organizer.get(EDIT, follow_redirects=False).status_code == 303
    assert organizer.post(EDIT, data=data, follow_redirects=False).status_code in (303, 403)


def test_editing_the_record_and_adding_a_session_is_audited_in_words(organizer,
                                                                     demo_engine) -> None:
    data = _form(organizer)
    data.update(title="Forum on AI and Security", venue="Tsinghua University",
                end_date="2026-01-15", attribution_policy="chatham_house")
    data["session_title"][3] = "Rules for AI in security"  # type: ignore[index]
    data["session_title"][4] = "A closing round table"  # type: ignore[index]
    data["session_chair"][1] = ""  # type: ignore[index]
    saved = organizer.post(EDIT, data=data, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/events/{DEMO_EVENT_SLUG}"
    with session_scope(demo_engine) as db:
        event = db.scalar(select(Event).where(Event.slug == DEMO_EVENT_SLUG))
        assert event.title == "Forum on AI and Security"
        assert str(event.end_date) == "2026-01-15"
        titles = {s.position: s.title for s in event.sessions}
        assert titles[4] == "Rules for AI in security" and titles[5] == "A closing round table"
        assert next(s for s in event.sessions if s.position == 2).chair is None
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "event.edit"))
        assert entry is not None and "session 5 added" in entry.detail
    dashboard = organizer.get("/dashboard?lang=zh").text
    assert "编辑了活动“人工智能与国际安全论坛”" in dashboard


def test_a_refused_form_keeps_what_was_typed_and_names_the_field(organizer,
                                                                 demo_engine) -> None:
    data = _form(organizer)
    data.update(title="", venue="A new place", date="2026-01-14")
    refused = organizer.post(EDIT + "?lang=zh", data=data)
    assert refused.status_code == 400
    soup = BeautifulSoup(refused.text, "lxml")
    assert soup.select_one("#form-error").get_text(strip=True) == "名称：不能为空"
    assert soup.select_one("input[name=title]")["aria-invalid"] == "true"
    assert soup.select_one("input[name=venue]")["value"] == "A new place"
    data.update(title="Kept", end_date="2026-01-01")
    refused = organizer.post(EDIT + "?lang=en", data=data)
    soup = BeautifulSoup(refused.text, "lxml")
    assert soup.select_one("#form-error").get_text(strip=True) == (
        "Last day (optional): the last day comes before the first")
    data.update(end_date="")
    data["session_title"][2] = " "  # type: ignore[index]
    refused = organizer.post(EDIT, data=data)
    soup = BeautifulSoup(refused.text, "lxml")
    assert soup.select_one("#form-error").get_text(strip=True) == (
        "Session 3 — Title: must not be empty")
    assert soup.select("input[name=session_title]")[2]["aria-invalid"] == "true"
    with session_scope(demo_engine) as db:
        assert db.scalar(select(Event.venue)) != "A new place"
        assert db.scalar(select(func.count()).select_from(AuditEntry)
                         .where(AuditEntry.action == "event.edit")) == 0


def test_removing_a_session_with_a_deliberation_needs_confirming(organizer, demo_engine,
                                                                 with_deliberation) -> None:
    position = with_deliberation
    data = _form(organizer)
    data["remove"] = str(position)
    refused = organizer.post(EDIT, data=data)
    assert refused.status_code == 400
    soup = BeautifulSoup(refused.text, "lxml")
    message = soup.select_one("#form-error").get_text(" ", strip=True)
    assert f"Session {position}" in message and "the deliberation “" in message
    assert "votes" in message and "Nothing was changed" in message
    assert soup.select_one(f"input[name=remove][value='{position}']").has_attr("checked")
    assert soup.select_one("input[name=confirm]") is not None
    with session_scope(demo_engine) as db:
        assert db.scalar(select(func.count()).select_from(Deliberation)) == 1
    data["confirm"] = "yes"
    assert organizer.post(EDIT, data=data, follow_redirects=False).status_code == 303
    with session_scope(demo_engine) as db:
        assert db.scalar(select(func.count()).select_from(Deliberation)) == 0
        positions = sorted(db.scalars(select(Session.position)))
        assert position not in positions and len(positions) == 3
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "event.edit"))
        assert f"session {position} removed" in entry.detail


def test_removing_a_session_without_data_needs_no_confirmation(organizer, demo_engine) -> None:
    data = _form(organizer)
    data.update(title="Forum", session_title=[*data["session_title"][:4], "Extra"])  # type: ignore[index]
    assert organizer.post(EDIT, data=data, follow_redirects=False).status_code == 303
    data = _form(organizer)
    data["remove"] = "5"
    assert organizer.post(EDIT, data=data, follow_redirects=False).status_code == 303
    with session_scope(demo_engine) as db:
        assert sorted(db.scalars(select(Session.position))) == [1, 2, 3, 4]


def test_the_form_needs_its_csrf_token(organizer) -> None:
    data = _form(organizer)
    data.pop("csrf_token")
    assert organizer.post(EDIT, data=data, follow_redirects=False).status_code == 403
