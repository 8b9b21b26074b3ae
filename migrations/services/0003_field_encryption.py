"""services: ID and phone numbers encrypted at rest (cradle.fieldcrypt), existing rows encrypted here; each
audit chain records its hash algorithm (SHA-256 so far; SM3 for chains begun with CRADLE_CRYPTO=sm).

Revision ID: 0010_services_field_encryption
Revises: 0007_services_audit_chains
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_services_field_encryption"
down_revision = "0007_services_audit_chains"
branch_labels = None
depends_on = None

WIDTH = 96  # cradle.fieldcrypt.WIDTH when this revision was written
COLUMNS = {
    "svc_birth_registration": {"mother_id_number": 18, "father_id_number": 18, "phone": 20},
    "svc_case": {"applicant_id_number": 18, "beneficiary_id_number": 18, "phone": 20},
    "svc_birth_bundle": {"mother_id_number": 18},
    "svc_consent": {"grantor_id_number": 18, "proxy_id_number": 18},
    "svc_notification": {"recipient_id_number": 18, "phone": 20},
    "svc_reminder": {"recipient_id_number": 18},
    "svc_appeal": {"citizen_id_number": 18},
}


def upgrade() -> None:
    from cradle.keyrotation import reencrypt_column

    op.add_column(
        "audit_chain", sa.Column("algorithm", sa.String(length=8), nullable=False, server_default="sha256")
    )
    conn = op.get_bind()
    for table, columns in COLUMNS.items():
        for name, width in columns.items():
            if conn.dialect.name == "postgresql":  # SQLite does not enforce VARCHAR lengths
                op.alter_column(table, name, type_=sa.String(WIDTH), existing_type=sa.String(width))
            reencrypt_column(conn, table, ("id",), name, commit=False)


def downgrade() -> None:
    raise NotImplementedError("decrypting ID and phone numbers back into plain text is not offered")
