"""registry: the adoption date (民政 收养登记) on a child's relation to the parent who adopted it, so the yearly
family-planning review can tell a child adopted in the year from one adopted long ago.

Revision ID: registry_0008
Revises: 0016_registry_kinship_scope
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0008"
down_revision = "0016_registry_kinship_scope"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("registry_relation") as t:
        t.add_column(sa.Column("adopted_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("registry_relation") as t:
        t.drop_column("adopted_on")
