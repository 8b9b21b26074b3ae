import polars as pl
from sqlalchemy import create_engine, func, select

from cradle.batch.models import BatchEntitlement
from cradle.batch.runner import BatchSpec, read_output, run_batch
from cradle.batch.store import store

from .conftest import ON


def test_store_replaces_the_same_run(zibo_source, tmp_path, migrated_db_url):
    out = tmp_path / "out"
    run_batch(BatchSpec("370305", ON, str(zibo_source), max_households=300), out, workers=1)
    expected = read_output(out)
    assert store(out, "370305", ON, migrated_db_url) == expected.height > 0
    assert store(out, "370305", ON, migrated_db_url) == expected.height  # again: replaced, not duplicated
    engine = create_engine(migrated_db_url)
    t = BatchEntitlement.__table__
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t)).scalar() == expected.height
        cost = conn.execute(
            select(func.sum(t.c.amount)).where(t.c.program == "cn.childcare_subsidy")
        ).scalar()
    assert cost == expected.filter(pl.col("program") == "cn.childcare_subsidy")["amount"].sum()
    engine.dispose()
