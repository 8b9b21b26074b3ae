"""registry: feed files uploaded through the pages or the API, ingested in the background (registry_upload).

Revision ID: registry_0009
Revises: registry_0008
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0009"
down_revision = "registry_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registry_upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("dept", sa.String(16), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("path", sa.String(1000), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("problems", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_upload")),
        sa.UniqueConstraint("token", name=op.f("uq_registry_upload_token")),
    )


def downgrade() -> None:
    op.drop_table("registry_upload")
