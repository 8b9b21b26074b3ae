"""An ingest killed mid-file leaves its run `running`; the next run of the same file marks it `interrupted` and
says so in its summary."""

import datetime as dt

from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cradle.cli import app
from cradle.db import make_engine
from cradle.idcard import make_id_number
from cradle.registry import models as m
from cradle.registry.ingest import _begin_run, file_sha256

from .test_quarantine_identity import _gongan

ID = make_id_number("370303", dt.date(1992, 3, 4), 1, "F")


def test_a_killed_run_is_marked_interrupted_by_the_next_run_of_the_file(
    migrated_db_url, tmp_path, monkeypatch
):
    f = tmp_path / "gongan.csv"
    _gongan(f, [["K1", ID, "赵敏", "2", "1992-03-04", "register", "1992-03-04", "370303", "H1", "02", "2"]])
    engine = make_engine(migrated_db_url)
    killed = _begin_run(engine, "gongan", str(f), file_sha256(f))  # what a kill -9 leaves behind
    monkeypatch.setenv("CRADLE_DATABASE_URL", migrated_db_url)
    result = CliRunner().invoke(app, ["ingest", "gongan", str(f), "--json"])
    assert result.exit_code == 0, result.output
    assert (
        f"批次 {killed} 导入同一文件时中断" in result.output
        and f'"interrupted_runs": [{killed}]' in result.output
    )
    with Session(engine) as s:
        run = s.get(m.IngestRun, killed)
        assert run.status == "interrupted" and run.finished_at is not None and "中断" in run.error
        assert {r.status for r in s.query(m.IngestRun).filter(m.IngestRun.id != killed)} == {"done"}
    engine.dispose()
