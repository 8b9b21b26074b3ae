"""monitoring_0002: the measure status updates of before (a department named in the request) are kept as
submitted reports on each measure's first task, their status and evidence in the report's text."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from cradle.config import PROJECT_ROOT
from cradle.db import make_engine, upgrade


def test_measure_updates_become_submitted_reports(db_url):
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", db_url)
    command.upgrade(cfg, "0003_monitoring")
    engine = make_engine(db_url)
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO monitoring_measure_update (measure_id, region, department, status, progress, evidence,"
                " due_date, updated_by, recorded_at) VALUES ('baiyin.13', '620400', '市财政局', 'done', 100,"
                " '白财发〔2024〕12号', '2025-12-31', 'czj01', '2024-07-01 09:30:00')"
            )
        )
    engine.dispose()
    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.connect() as c:
        rows = c.execute(
            text(
                "SELECT task_id, region, period, department, progress, status, reported_by, reported_on"
                " FROM monitoring_plan_report"
            )
        ).all()
    engine.dispose()
    (row,) = rows
    assert row[:7] == (
        "baiyin.13.1",
        "620400",
        "2025",
        "市财政局",
        "done 100%: 白财发〔2024〕12号",
        "submitted",
        "czj01",
    )
    assert str(row[7]) == "2024-07-01"
