"""registry: persons' ID numbers encrypted at rest (cradle.fieldcrypt); existing rows are encrypted here.

Revision ID: 0010_registry_field_encryption
Revises: 0008_registry_scope
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_registry_field_encryption"
down_revision = "0008_registry_scope"
branch_labels = None
depends_on = None

WIDTH = 96  # cradle.fieldcrypt.WIDTH when this revision was written


def upgrade() -> None:
    from cradle.keyrotation import reencrypt_column

    conn = op.get_bind()
    if conn.dialect.name == "postgresql":  # SQLite does not enforce VARCHAR lengths
        op.alter_column("registry_person", "id_number", type_=sa.String(WIDTH), existing_type=sa.String(18))
    reencrypt_column(conn, "registry_person", ("id",), "id_number", commit=False)


def downgrade() -> None:
    raise NotImplementedError("decrypting ID numbers back into plain text is not offered")
