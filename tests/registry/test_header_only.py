"""A file with a header and no data rows: a wrong header is refused, naming the missing columns, in every format
the feeds come in; a right one is an empty run."""

import polars as pl
import pytest
from openpyxl import Workbook
from sqlalchemy import select

from cradle.db import make_engine
from cradle.errors import Invalid
from cradle.registry import models as m
from cradle.registry.feeds import get_feed
from cradle.registry.ingest import ingest_file


def _write(path, columns):
    if path.suffix == ".csv":
        path.write_text(",".join(columns) + "\n", encoding="utf-8")
    elif path.suffix == ".parquet":
        pl.DataFrame(schema=dict.fromkeys(columns, pl.String)).write_parquet(path)
    else:
        wb = Workbook()
        wb.active.append(columns)
        wb.save(path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_a_wrong_header_without_data_rows_is_refused(migrated_db_url, tmp_path, suffix):
    path = tmp_path / f"gongan{suffix}"
    _write(path, ["编号", "姓名"])
    engine = make_engine(migrated_db_url)
    with pytest.raises(Invalid, match="缺少列：record_no, id_number"):
        ingest_file("gongan", path, engine=engine)
    with engine.connect() as conn:
        assert conn.execute(select(m.IngestRun.status)).scalars().all() == ["failed"]
        assert conn.execute(select(m.Person.id)).first() is None
    engine.dispose()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_a_right_header_without_data_rows_is_an_empty_run(migrated_db_url, tmp_path, suffix):
    path = tmp_path / f"gongan{suffix}"
    _write(path, get_feed("gongan").names)
    engine = make_engine(migrated_db_url)
    s = ingest_file("gongan", path, engine=engine)
    assert (s.rows_read, s.accepted, s.quarantined) == (0, 0, 0)
    with engine.connect() as conn:
        assert conn.execute(select(m.IngestRun.status)).scalars().all() == ["done"]
    engine.dispose()


def test_an_ingest_into_a_database_never_set_up_says_to_run_init_db(db_url, tmp_path, monkeypatch, capsys):
    from cradle.cli import app

    path = tmp_path / "gongan.csv"
    _write(path, get_feed("gongan").names)
    monkeypatch.setenv("CRADLE_DATABASE_URL", db_url)  # created, never upgraded
    with pytest.raises(SystemExit) as exit_:
        app(["ingest", "gongan", str(path)])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "请先运行 cradle init-db" in err and "registry_ingest_run" in err
