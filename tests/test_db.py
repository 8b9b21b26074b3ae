from sqlalchemy import inspect

from cradle.db import make_engine, upgrade


def test_upgrade_creates_schema_on_both_databases(db_url):
    upgrade(db_url)
    engine = make_engine(db_url)
    assert "alembic_version" in inspect(engine).get_table_names()
    upgrade(db_url)  # a second upgrade is a no-op, not an error
    engine.dispose()
