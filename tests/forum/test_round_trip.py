"""Exporting an event and importing the export changes nothing, for any forum (property test)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.forum import export_event, get_event, import_forum_file
from detente.store import create_db_engine, session_scope, upgrade
from tests._fuzz import database_snapshot
from tests.conftest import IN_CI

SLUG = st.from_regex(r"[a-z][a-z0-9._-]{0,10}", fullmatch=True)
TEXT = st.text(st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x85"),
               min_size=1, max_size=40).filter(lambda s: s.strip() != "")
OPTIONAL_TEXT = st.none() | TEXT
DATES = st.dates(min_value=__import__("datetime").date(1950, 1, 1),
                 max_value=__import__("datetime").date(2100, 1, 1))


@st.composite
def forums(draw: st.DrawFn) -> dict[str, Any]:
    """A valid detente-forum/1 document with references between its records."""
    institution_ids = draw(st.lists(SLUG, min_size=1, max_size=3, unique=True))
    person_ids = draw(st.lists(SLUG, min_size=0, max_size=5, unique=True))
    theme_ids = draw(st.lists(SLUG, min_size=0, max_size=3, unique=True))
    institutions = [{"id": i, "name": draw(TEXT), "name_local": draw(OPTIONAL_TEXT),
                     "short_name": draw(st.none() | TEXT.map(lambda s: s[:60])),
                     "country": draw(st.none() | st.from_regex(r"[A-Z]{3}", fullmatch=True)),
                     "url": draw(st.none() | st.just("https://example.org/x"))}
                    for i in institution_ids]
    people = [{"id": p, "name": draw(TEXT), "name_local": draw(OPTIONAL_TEXT),
               "title": draw(OPTIONAL_TEXT),
               "affiliation": draw(st.none() | st.sampled_from(institution_ids))}
              for p in person_ids]
    themes = [{"id": t, "name": draw(TEXT), "description": draw(OPTIONAL_TEXT)}
              for t in theme_ids]
    persons = st.sampled_from(person_ids) if person_ids else st.nothing()
    events = []
    for event_id in draw(st.lists(SLUG, min_size=1, max_size=2, unique=True)):
        date = draw(DATES)
        sessions = []
        for _ in range(draw(st.integers(0, 3))):
            sessions.append({
                "title": draw(st.sampled_from(["Opening", "Red lines"]) | TEXT),
                "title_local": draw(OPTIONAL_TEXT),
                "chair": draw(st.none() | persons) if person_ids else None,
                "themes": draw(st.lists(st.sampled_from(theme_ids), unique=True))
                if theme_ids else [],
                "speakers": draw(st.lists(persons, unique=True, max_size=2))
                if person_ids else [],
                "description": draw(OPTIONAL_TEXT),
            })
        closing = None
        if draw(st.booleans()):
            closing = {"text": draw(TEXT), "text_local": draw(OPTIONAL_TEXT),
                       "speaker": draw(st.none() | persons) if person_ids else None}
        participants = draw(st.lists(
            st.tuples(persons, st.sampled_from(["organizer", "chair", "speaker", "participant"])),
            unique=True, max_size=4)) if person_ids else []
        events.append({
            "id": event_id, "title": draw(TEXT), "title_local": draw(OPTIONAL_TEXT),
            "host": draw(st.sampled_from(institution_ids)), "date": date,
            "end_date": draw(st.none() | st.just(date)),
            "venue": draw(OPTIONAL_TEXT), "description": draw(OPTIONAL_TEXT),
            "languages": draw(st.sampled_from([["en"], ["zh"], ["zh", "en"], ["en", "zh"]])),
            "attribution": draw(st.sampled_from(["chatham_house", "attributed"])),
            "institutions": draw(st.lists(st.sampled_from(institution_ids), unique=True)),
            "participants": [{"person": p, "role": r} for p, r in participants],
            "sessions": sessions, "closing_remarks": closing,
        })
    return _clean({"format": "detente-forum/1", "institutions": institutions,
                   "people": people, "themes": themes, "events": events})


def _clean(value: Any) -> Any:
    """Drop None values, as a person writing the file would."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An upgraded, empty SQLite database to copy for each example."""
    path = tmp_path_factory.mktemp("round-trip") / "template.db"
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def _fresh(template: Path) -> Iterator[Any]:
    folder = Path(tempfile.mkdtemp())
    shutil.copy(template, folder / "detente.db")
    engine = create_db_engine(f"sqlite:///{folder / 'detente.db'}")
    try:
        yield engine, folder
    finally:
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


@settings(max_examples=25, deadline=None, derandomize=IN_CI,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(document=forums())
def test_export_then_import_changes_nothing(template: Path, document: dict[str, Any]) -> None:
    for engine, folder in _fresh(template):
        source = folder / "forum.yaml"
        source.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        import_forum_file(engine, source)
        for include_attributions in (False, True):
            for event in document["events"]:
                with session_scope(engine) as db:
                    first = export_event(get_event(db, event["id"]), "yaml",
                                         include_attributions=include_attributions)
                before = database_snapshot(engine)
                path = folder / "export.yaml"
                path.write_text(first, encoding="utf-8")
                summary = import_forum_file(engine, path)
                assert not summary.changed, summary.describe()
                assert database_snapshot(engine) == before
                with session_scope(engine) as db:
                    again = export_event(get_event(db, event["id"]), "yaml",
                                         include_attributions=include_attributions)
                assert again == first
