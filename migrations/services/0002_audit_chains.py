"""services: the audit log in 64 hash chains (by subject) with a head row each, so writers about different
subjects no longer wait for one another; entries before this revision stay in the original single chain.

Revision ID: 0007_services_audit_chains
Revises: 0004_services
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_services_audit_chains"
down_revision = "0004_services"
branch_labels = None
depends_on = None

CHAINS = 64
GENESIS = "0" * 64


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("chain", sa.Integer(), nullable=True))
    op.add_column("audit_log", sa.Column("chain_seq", sa.Integer(), nullable=True))
    op.create_index("ix_audit_log_chain", "audit_log", ["chain", "chain_seq"], unique=True)
    head = op.create_table(
        "audit_chain",
        sa.Column("chain", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_audit_chain")),
    )
    op.bulk_insert(head, [{"chain": c, "seq": 0, "last": None, "hash": GENESIS} for c in range(CHAINS)])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE audit_log_seq_global")
        op.execute(
            "SELECT setval('audit_log_seq_global', COALESCE((SELECT max(seq) FROM audit_log), 0) + 1, false)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS audit_log_seq_global")
    op.drop_table("audit_chain")
    op.drop_index("ix_audit_log_chain", table_name="audit_log")
    op.drop_column("audit_log", "chain_seq")
    op.drop_column("audit_log", "chain")
