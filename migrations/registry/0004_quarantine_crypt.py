"""registry: quarantined rows as read and their corrections (they carry ID numbers) encrypted at rest as text
(cradle.fieldcrypt.EncryptedJSON); existing rows too.

Revision ID: 0012_registry_quarantine_crypt
Revises: 0010_registry_field_encryption
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_registry_quarantine_crypt"
down_revision = "0010_registry_field_encryption"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from cradle.keyrotation import reencrypt_column

    conn = op.get_bind()
    for name in ("raw", "corrected"):
        if conn.dialect.name == "postgresql":  # SQLite keeps JSON as text already
            op.alter_column(
                "registry_quarantine",
                name,
                type_=sa.Text(),
                existing_type=sa.JSON(),
                postgresql_using=f"{name}::text",
            )
        # a JSON null written by the old column is no correction: stored as SQL NULL, not encrypted
        conn.execute(sa.text(f"UPDATE registry_quarantine SET {name} = NULL WHERE {name} = 'null'"))
        reencrypt_column(conn, "registry_quarantine", ("id",), name, commit=False)


def downgrade() -> None:
    raise NotImplementedError("decrypting quarantined rows back into plain text is not offered")
