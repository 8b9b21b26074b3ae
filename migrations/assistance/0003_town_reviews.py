"""assistance: each town's (乡镇/街道) review of its own part of the posted list, and an index on a listed
person's town (a town official's part of the list).

Revision ID: assistance_0003
Revises: assistance_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "assistance_0003"
down_revision = "assistance_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("asst_entry") as t:
        t.create_index("ix_asst_entry_cycle_town", ["cycle_id", "town"])
    op.create_table(
        "asst_town_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("town", sa.String(9), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("reviewed_by", sa.String(120), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["asst_cycle.id"], name=op.f("fk_asst_town_review_cycle_id_asst_cycle")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asst_town_review")),
        sa.UniqueConstraint("cycle_id", "town", name="uq_asst_town_review_cycle_town"),
    )


def downgrade() -> None:
    op.drop_table("asst_town_review")
    with op.batch_alter_table("asst_entry") as t:
        t.drop_index("ix_asst_entry_cycle_town")
