"""childcare: who did each step (the signed-in account and its role) on 备案 events, inspections, follow-ups,
grades and credit records; quarantined import rows can be corrected (beside the row as read) and re-submitted,
and are marked resolved, never deleted.

Revision ID: 0009_childcare_actors_quarantine
Revises: 0002_childcare
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_childcare_actors_quarantine"
down_revision = "0002_childcare"
branch_labels = None
depends_on = None

RECORDED_BY = ("cc_inspection", "cc_followup", "cc_quality_grade", "cc_credit_record")


def upgrade() -> None:
    op.add_column("cc_filing_event", sa.Column("actor_role", sa.String(length=32), nullable=True))
    for table in RECORDED_BY:
        op.add_column(table, sa.Column("recorded_by", sa.String(length=120), nullable=True))
    op.add_column(
        "cc_import_quarantine",
        sa.Column("status", sa.String(length=10), server_default="open", nullable=False),
    )
    op.add_column("cc_import_quarantine", sa.Column("corrected", sa.Text(), nullable=True))
    op.add_column(
        "cc_import_quarantine", sa.Column("attempts", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("cc_import_quarantine", sa.Column("facility_id", sa.Integer(), nullable=True))
    op.add_column("cc_import_quarantine", sa.Column("resolved_by", sa.String(length=120), nullable=True))
    op.add_column("cc_import_quarantine", sa.Column("updated_at", sa.DateTime(), nullable=True))
    op.create_index("ix_cc_import_quarantine_status", "cc_import_quarantine", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_cc_import_quarantine_status", table_name="cc_import_quarantine")
    with op.batch_alter_table("cc_import_quarantine") as t:
        for column in ("updated_at", "resolved_by", "facility_id", "attempts", "corrected", "status"):
            t.drop_column(column)
    for table in RECORDED_BY:
        with op.batch_alter_table(table) as t:
            t.drop_column("recorded_by")
    with op.batch_alter_table("cc_filing_event") as t:
        t.drop_column("actor_role")
