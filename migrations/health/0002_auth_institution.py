"""auth: a health worker's account names its 医疗机构 (health_institution), whose women and children it sees.

Revision ID: health_0002
Revises: health_0001
Depends on: 0006_auth, which makes auth_account. Not auth's head: a dependency on a head folds it into this
branch's row of alembic_version, and each branch keeps its own head there (tests/test_migrations.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "health_0002"
down_revision = "health_0001"
branch_labels = None
depends_on = "0006_auth"


def upgrade() -> None:
    with op.batch_alter_table("auth_account") as batch:
        batch.add_column(sa.Column("institution_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("auth_account") as batch:
        batch.drop_column("institution_id")
