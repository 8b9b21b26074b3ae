"""auth: a health worker's account names its 医疗机构 (health_institution), whose women and children it sees.

Revision ID: 0020_auth_institution
Revises: 0010_auth_field_encryption
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_auth_institution"
down_revision = "0010_auth_field_encryption"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("auth_account") as batch:
        batch.add_column(sa.Column("institution_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("auth_account") as batch:
        batch.drop_column("institution_id")
