"""services: a birth bundle's data (the parents' ID numbers and phone) encrypted at rest as text
(cradle.fieldcrypt.EncryptedJSON); existing bundles too.

Revision ID: 0012_services_bundle_crypt
Revises: 0011_services_case_snapshots
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_services_bundle_crypt"
down_revision = "0011_services_case_snapshots"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from cradle.keyrotation import reencrypt_column

    conn = op.get_bind()
    if conn.dialect.name == "postgresql":  # SQLite keeps JSON as text already
        op.alter_column(
            "svc_birth_bundle",
            "data",
            type_=sa.Text(),
            existing_type=sa.JSON(),
            postgresql_using="data::text",
        )
    reencrypt_column(conn, "svc_birth_bundle", ("id",), "data", commit=False)


def downgrade() -> None:
    raise NotImplementedError("decrypting birth bundles back into plain text is not offered")
