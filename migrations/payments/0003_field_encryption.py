"""payments: beneficiaries' and payees' ID numbers encrypted at rest (cradle.fieldcrypt); existing rows too.

Revision ID: 0010_payments_field_encryption
Revises: 0009_payments_claim
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_payments_field_encryption"
down_revision = "0009_payments_claim"
branch_labels = None
depends_on = None

WIDTH = 96  # cradle.fieldcrypt.WIDTH when this revision was written
COLUMNS = {
    "pay_entitlement": ("beneficiary_id_number", "payee_id_number"),
    "pay_payment": ("beneficiary_id_number",),
}


def upgrade() -> None:
    from cradle.keyrotation import reencrypt_column

    conn = op.get_bind()
    for table, columns in COLUMNS.items():
        for name in columns:
            if conn.dialect.name == "postgresql":  # SQLite does not enforce VARCHAR lengths
                op.alter_column(table, name, type_=sa.String(WIDTH), existing_type=sa.String(18))
            reencrypt_column(conn, table, ("id",), name, commit=False)


def downgrade() -> None:
    raise NotImplementedError("decrypting ID numbers back into plain text is not offered")
