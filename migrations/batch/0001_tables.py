"""batch: entitlements of a batch run stored in the database.

Revision ID: 0007_batch
Revises: 0000_base
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_batch"
down_revision = "0000_base"
branch_labels = ("batch",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batch_entitlement",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("program", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("beneficiary", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("unit", sa.String(length=16), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("household", sa.String(length=64), nullable=False),
        sa.Column("county", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batch_entitlement")),
    )
    op.create_index("ix_batch_entitlement_run", "batch_entitlement", ["region", "as_of", "county"])
    op.create_index("ix_batch_entitlement_household", "batch_entitlement", ["household"])


def downgrade() -> None:
    op.drop_index("ix_batch_entitlement_household", table_name="batch_entitlement")
    op.drop_index("ix_batch_entitlement_run", table_name="batch_entitlement")
    op.drop_table("batch_entitlement")
