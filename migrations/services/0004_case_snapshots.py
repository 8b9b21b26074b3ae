"""services: a case's household snapshot and identities (they carry ID numbers) encrypted at rest as text
(cradle.fieldcrypt.EncryptedJSON); existing cases too.

Revision ID: 0011_services_case_snapshots
Revises: 0010_services_field_encryption
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_services_case_snapshots"
down_revision = "0010_services_field_encryption"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from cradle.keyrotation import reencrypt_column

    conn = op.get_bind()
    for name in ("household", "identities"):
        if conn.dialect.name == "postgresql":  # SQLite keeps JSON as text already
            op.alter_column(
                "svc_case", name, type_=sa.Text(), existing_type=sa.JSON(), postgresql_using=f"{name}::text"
            )
        reencrypt_column(conn, "svc_case", ("id",), name, commit=False)


def downgrade() -> None:
    raise NotImplementedError("decrypting case snapshots back into plain text is not offered")
