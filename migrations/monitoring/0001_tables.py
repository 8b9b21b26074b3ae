"""monitoring: indicator values (entered and computed) and plan-measure updates, append-only.

Revision ID: 0003_monitoring
Revises: 0000_base
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_monitoring"
down_revision = "0000_base"
branch_labels = ("monitoring",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monitoring_indicator_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("method", sa.String(length=12), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("source_date", sa.Date(), nullable=False),
        sa.Column("department", sa.String(length=64), nullable=False),
        sa.Column("entered_by", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_indicator_value")),
    )
    op.create_index(
        "ix_monitoring_value_key", "monitoring_indicator_value", ["indicator_id", "region", "year"]
    )
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


def downgrade() -> None:
    op.drop_index("ix_monitoring_measure_key", table_name="monitoring_measure_update")
    op.drop_table("monitoring_measure_update")
    op.drop_index("ix_monitoring_value_key", table_name="monitoring_indicator_value")
    op.drop_table("monitoring_indicator_value")
