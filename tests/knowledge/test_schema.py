"""The knowledge migration matches its models; the search index objects are its only extras."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

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
