"""params: the cost preview computed for a proposal, kept until the day, the desk or the registry moves.

Revision ID: params_0002
Revises: params_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "params_0002"
down_revision = "params_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "params_preview",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["params_proposal.id"],
            name=op.f("fk_params_preview_proposal_id_params_proposal"),
        ),
        sa.PrimaryKeyConstraint("proposal_id", name=op.f("pk_params_preview")),
    )


def downgrade() -> None:
    op.drop_table("params_preview")
