"""ops: the finished runs (ingest, batch, proactive, payment) whose last durations and row counts /metrics shows.

Revision ID: ops_0001
Revises: 0000_base
"""

import sqlalchemy as sa
from alembic import op

revision = "ops_0001"
down_revision = "0000_base"
branch_labels = ("ops",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ops_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ops_run")),
    )
    op.create_index("ix_ops_run_kind", "ops_run", ["kind", "id"])


def downgrade() -> None:
    op.drop_index("ix_ops_run_kind", table_name="ops_run")
    op.drop_table("ops_run")
