from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from cradle.db import make_engine, upgrade


def test_upgrade_creates_schema_on_both_databases(db_url):
    upgrade(db_url)
    engine = make_engine(db_url)
    assert "alembic_version" in inspect(engine).get_table_names()
    upgrade(db_url)  # a second upgrade is a no-op, not an error
    engine.dispose()


def test_a_savepoint_first_in_a_transaction_does_not_commit_it(db_url):
    """`session.begin_nested()` as the transaction's first statement, then a rollback: nothing is kept (with
    pysqlite's own transaction handling, releasing that savepoint committed the work)."""
    engine = make_engine(db_url)
    with engine.begin() as c:
        c.execute(text("CREATE TABLE savepoint_check (x integer)"))
    with Session(engine) as s:
        with s.begin_nested():
            s.execute(text("INSERT INTO savepoint_check VALUES (1)"))
        s.execute(text("INSERT INTO savepoint_check VALUES (2)"))
        s.rollback()
    with Session(engine) as s:
        with s.begin_nested():
            s.execute(text("INSERT INTO savepoint_check VALUES (3)"))
        with s.begin_nested() as inner:
            s.execute(text("INSERT INTO savepoint_check VALUES (4)"))
            inner.rollback()
        s.commit()
    with engine.connect() as c:
        assert c.execute(text("SELECT x FROM savepoint_check ORDER BY x")).scalars().all() == [3]
    engine.dispose()
