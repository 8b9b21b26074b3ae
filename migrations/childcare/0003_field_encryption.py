"""childcare: enrolled children's ID numbers encrypted at rest (cradle.fieldcrypt); existing rows too.

Revision ID: 0010_childcare_field_encryption
Revises: 0009_childcare_actors_quarantine
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_childcare_field_encryption"
down_revision = "0009_childcare_actors_quarantine"
branch_labels = None
depends_on = None

WIDTH = 96  # cradle.fieldcrypt.WIDTH when this revision was written


def upgrade() -> None:
    from cradle.keyrotation import reencrypt_column

    conn = op.get_bind()
    if conn.dialect.name == "postgresql":  # SQLite does not enforce VARCHAR lengths
        op.alter_column(
            "cc_enrolment", "child_id_number", type_=sa.String(WIDTH), existing_type=sa.String(18)
        )
    reencrypt_column(conn, "cc_enrolment", ("id",), "child_id_number", commit=False)


def downgrade() -> None:
    raise NotImplementedError("decrypting ID numbers back into plain text is not offered")
