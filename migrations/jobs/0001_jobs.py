"""jobs: the runs of scheduled jobs, and the claims that serialize them on SQLite.

Revision ID: jobs_0001
Revises: 0000_base
"""

import sqlalchemy as sa
from alembic import op

revision = "jobs_0001"
down_revision = "0000_base"
branch_labels = ("jobs",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jobs_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("result", sa.String(length=12), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("host", sa.String(length=120), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs_run")),
    )
    op.create_index("ix_jobs_run_name", "jobs_run", ["name", "started_at"])
    op.create_table(
        "jobs_lock",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=160), nullable=False),
        sa.Column("acquired_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_jobs_lock")),
    )


def downgrade() -> None:
    op.drop_table("jobs_lock")
    op.drop_index("ix_jobs_run_name", table_name="jobs_run")
    op.drop_table("jobs_run")
