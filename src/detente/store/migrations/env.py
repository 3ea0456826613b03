"""Alembic environment: runs migrations on the engine that ``store.db.upgrade`` passes."""

from __future__ import annotations

from alembic import context

from detente.store.models import metadata

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # run through the alembic command line
    from detente.store.db import create_db_engine

    engine = create_db_engine()

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
