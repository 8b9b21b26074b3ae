"""auth: accounts' user names (a citizen's is their ID number), ID numbers and phone numbers encrypted at rest
(cradle.fieldcrypt); existing rows too.

Revision ID: 0010_auth_field_encryption
Revises: 0006_auth
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_auth_field_encryption"
down_revision = "0006_auth"
branch_labels = None
depends_on = None

COLUMNS = {"username": (64, 160), "id_number": (18, 96), "phone": (20, 96)}  # name: (old width, new width)


def upgrade() -> None:
    from cradle.keyrotation import reencrypt_column

    conn = op.get_bind()
    for name, (old, new) in COLUMNS.items():
        if conn.dialect.name == "postgresql":  # SQLite does not enforce VARCHAR lengths
            op.alter_column("auth_account", name, type_=sa.String(new), existing_type=sa.String(old))
        reencrypt_column(conn, "auth_account", ("id",), name, commit=False)


def downgrade() -> None:
    raise NotImplementedError(
        "decrypting user names, ID and phone numbers back into plain text is not offered"
    )
