"""monitoring: plan reports with evidence files (the units' reports on each task's due items, replacing the
measure status updates, which are kept as submitted reports), the household survey's samples and field results,
and the what-if and batch runs started from the pages.

Revision ID: monitoring_0002
Revises: 0003_monitoring
"""

import sqlalchemy as sa
from alembic import op

revision = "monitoring_0002"
down_revision = "0003_monitoring"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monitoring_plan_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.String(length=80), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("department", sa.String(length=64), nullable=False),
        sa.Column("progress", sa.Text(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("reported_by", sa.String(length=120), nullable=False),
        sa.Column("reviewed_by", sa.String(length=120), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_plan_report")),
    )
    op.create_index(
        "ix_monitoring_plan_report_key", "monitoring_plan_report", ["region", "task_id", "period"]
    )
    op.create_table(
        "monitoring_plan_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("added_by", sa.String(length=120), nullable=False),
        sa.Column("added_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["monitoring_plan_report.id"],
            name=op.f("fk_monitoring_plan_evidence_report_id_monitoring_plan_report"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_plan_evidence")),
    )
    op.create_index(op.f("ix_monitoring_plan_evidence_report_id"), "monitoring_plan_evidence", ["report_id"])
    # The measure updates were a measure's status by a department named in the request; each is kept as a
    # submitted report on the measure's first task, its status and evidence in the report's text.
    op.execute(
        "INSERT INTO monitoring_plan_report (task_id, region, period, department, progress, reported_on, status,"
        " reported_by, recorded_at) SELECT measure_id || '.1', region,"
        " COALESCE(SUBSTR(CAST(due_date AS VARCHAR(10)), 1, 4), SUBSTR(CAST(recorded_at AS VARCHAR(19)), 1, 4)),"
        " department, status || ' ' || CAST(progress AS VARCHAR(4)) || '%' || COALESCE(': ' || evidence, ''),"
        " DATE(recorded_at), 'submitted', updated_by, recorded_at FROM monitoring_measure_update ORDER BY id"
    )
    op.drop_index("ix_monitoring_measure_key", table_name="monitoring_measure_update")
    op.drop_table("monitoring_measure_update")
    op.create_table(
        "monitoring_survey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("fraction", sa.Float(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("frame_households", sa.Integer(), nullable=False),
        sa.Column("strata", sa.JSON(), nullable=False),
        sa.Column("drawn_by", sa.String(length=120), nullable=False),
        sa.Column("drawn_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_survey")),
    )
    op.create_index(op.f("ix_monitoring_survey_region"), "monitoring_survey", ["region"])
    op.create_table(
        "monitoring_survey_household",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("household_no", sa.String(length=40), nullable=False),
        sa.Column("stratum", sa.String(length=40), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("persons", sa.Integer(), nullable=True),
        sa.Column("births", sa.Integer(), nullable=True),
        sa.Column("under3", sa.Integer(), nullable=True),
        sa.Column("visited_on", sa.Date(), nullable=True),
        sa.Column("entered_by", sa.String(length=120), nullable=True),
        sa.Column("entered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["monitoring_survey.id"],
            name=op.f("fk_monitoring_survey_household_survey_id_monitoring_survey"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_survey_household")),
        sa.UniqueConstraint(
            "survey_id", "household_no", name=op.f("uq_monitoring_survey_household_survey_id")
        ),
    )
    op.create_index(
        op.f("ix_monitoring_survey_household_survey_id"), "monitoring_survey_household", ["survey_id"]
    )
    op.create_table(
        "monitoring_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("started_by", sa.String(length=120), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_run")),
    )
    op.create_index(op.f("ix_monitoring_run_region"), "monitoring_run", ["region"])


def downgrade() -> None:
    op.drop_index(op.f("ix_monitoring_run_region"), table_name="monitoring_run")
    op.drop_table("monitoring_run")
    op.drop_index(op.f("ix_monitoring_survey_household_survey_id"), table_name="monitoring_survey_household")
    op.drop_table("monitoring_survey_household")
    op.drop_index(op.f("ix_monitoring_survey_region"), table_name="monitoring_survey")
    op.drop_table("monitoring_survey")
    op.create_table(
        "monitoring_measure_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("department", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_measure_update")),
    )
    op.create_index("ix_monitoring_measure_key", "monitoring_measure_update", ["measure_id", "region"])
    op.drop_index(op.f("ix_monitoring_plan_evidence_report_id"), table_name="monitoring_plan_evidence")
    op.drop_table("monitoring_plan_evidence")
    op.drop_index("ix_monitoring_plan_report_key", table_name="monitoring_plan_report")
    op.drop_table("monitoring_plan_report")
