"""health: the 妇幼 indicators' counts kept per county and year, and each county's change number of each group of
indicators (cradle.health.aggregates). Created empty: a county's counts are made from its records when first read,
and by the nightly `health-sync` job (`cradle health rebuild-aggregates`), so this revision runs no domain code.

Revision ID: health_0003
Revises: health_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "health_0003"
down_revision = "health_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "health_indicator_count",
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=48), nullable=False),
        sa.Column("numerator", sa.Integer(), nullable=False),
        sa.Column("denominator", sa.Integer(), nullable=True),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("counted_on", sa.Date(), nullable=False),
        sa.Column("change", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("region", "year", "indicator", name=op.f("pk_health_indicator_count")),
    )
    op.create_table(
        "health_count_change",
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("part", sa.String(length=12), nullable=False),
        sa.Column("change", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("region", "part", name=op.f("pk_health_count_change")),
    )


def downgrade() -> None:
    op.drop_table("health_count_change")
    op.drop_table("health_indicator_count")
