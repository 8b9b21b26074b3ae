"""assistance: the village (村/社区, 12-digit code) of a listed person, whose official checks and posts the
person's line, and each village's posting of its part of the list (公示) on its notice board.

Revision ID: assistance_0002
Revises: assistance_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "assistance_0002"
down_revision = "assistance_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("asst_entry") as t:
        t.add_column(sa.Column("village", sa.String(12), nullable=True))
        t.create_index("ix_asst_entry_cycle_village", ["cycle_id", "village"])
    op.create_table(
        "asst_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("village", sa.String(12), nullable=False),
        sa.Column("posted_on", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("posted_by", sa.String(120), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["asst_cycle.id"], name=op.f("fk_asst_notice_cycle_id_asst_cycle")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asst_notice")),
        sa.UniqueConstraint("cycle_id", "village", name="uq_asst_notice_cycle_village"),
    )


def downgrade() -> None:
    op.drop_table("asst_notice")
    with op.batch_alter_table("asst_entry") as t:
        t.drop_index("ix_asst_entry_cycle_village")
        t.drop_column("village")
