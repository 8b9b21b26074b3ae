"""registry: the 乡镇/街道 (9-digit code) a quarantined row names, so a town official sees only that town's rows.

Revision ID: 0014_registry_quarantine_town
Revises: 0013_registry_unnumbered_index
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_registry_quarantine_town"
down_revision = "0013_registry_unnumbered_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("registry_quarantine") as t:
        t.add_column(sa.Column("town", sa.String(9), nullable=True))
        t.create_index("ix_registry_quarantine_town", ["town"])


def downgrade() -> None:
    with op.batch_alter_table("registry_quarantine") as t:
        t.drop_index("ix_registry_quarantine_town")
        t.drop_column("town")
