"""The knowledge migration matches its models; the search index objects are its only extras."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from detente.store.models import metadata
from detente.store.models.knowledge import SEARCH_INDEX_OBJECTS


def test_knowledge_tables_match_the_migration(engine: Engine) -> None:
    def include(name, type_, parent) -> bool:  # type: ignore[no-untyped-def]
        return name not in SEARCH_INDEX_OBJECTS

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include}
        )
        differences = compare_metadata(context, metadata)
    assert [d for d in differences if "kb_" in repr(d)] == []


def test_search_index_exists(engine: Engine) -> None:
    inspector = inspect(engine)
    if engine.dialect.name == "sqlite":
        assert "kb_provision_fts" in inspector.get_table_names()
    else:
        assert "ix_kb_provisions_fts" in {i["name"] for i in inspector.get_indexes("kb_provisions")}


def test_the_search_fields_migration_fills_titles_and_headings_of_existing_rows(
    engine: Engine, eu_md: Path
) -> None:
    from alembic import command

    from detente.knowledge import DocumentMeta, import_documents, search
    from detente.store import session_scope
    from detente.store.db import _alembic_config, upgrade

    import_documents(engine, [eu_md], defaults=DocumentMeta(title="R", issuer="EU"))
    command.downgrade(_alembic_config(engine), "knowledge_0002")
    assert "search_heading" not in {c["name"] for c in inspect(engine).get_columns("kb_provisions")}
    upgrade(engine)
    with engine.connect() as connection:
        title, heading = connection.execute(
            text("SELECT search_title, search_heading FROM kb_provisions WHERE path = :p"),
            {"p": "Annex I › 1(a)"},
        ).one()
        assert (title, heading) == ("", "list of test areas")
    with session_scope(engine) as db:
        assert "Annex I › 1(a)" in [h.path for h in search(db, "test areas")]
