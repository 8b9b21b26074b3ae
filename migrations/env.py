"""Alembic environment: the URL comes from the caller (cradle.db.upgrade) or CRADLE_DATABASE_URL."""

from alembic import context
from sqlalchemy import pool

from cradle.config import get_settings
from cradle.db import make_engine
from cradle.models import Base  # noqa: F401  (imports every domain's tables)

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    engine.pool = pool.NullPool(engine.pool._creator)
    with engine.connect() as connection:
        # The new pool skipped the dialect's first-connect set-up, which batch operations (SQLite reflection)
        # need; its queries begin a transaction, so it is committed: alembic's own must be the outermost.
        if connection.dialect.server_version_info is None:
            connection.dialect.initialize(connection)
            connection.commit()
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=url.startswith("sqlite")
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
