"""auth: an account's region scope may be a 12-digit 村/社区 code (the village official's).

Revision ID: auth_0003
Revises: 0010_auth_field_encryption
"""

import sqlalchemy as sa
from alembic import op

revision = "auth_0003"
down_revision = "0010_auth_field_encryption"
branch_labels = None
depends_on = None


def _width(old: int, new: int) -> None:
    if op.get_bind().dialect.name == "postgresql":  # SQLite does not enforce VARCHAR lengths
        op.alter_column("auth_account", "region", type_=sa.String(new), existing_type=sa.String(old))


def upgrade() -> None:
    _width(9, 12)


def downgrade() -> None:
    _width(12, 9)
