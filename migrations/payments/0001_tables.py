"""payments: county rates, entitlements, batches and payments (unique per program, beneficiary and period).

Revision ID: 0005_payments
Revises: 0000_base
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_payments"
down_revision = "0000_base"
branch_labels = ("payments",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pay_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_no", sa.String(length=120), nullable=False),
        sa.Column("program", sa.String(length=80), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("county", sa.String(length=6), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("total", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=True),
        sa.Column("reconciled_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_batch")),
        sa.UniqueConstraint("batch_no", name=op.f("uq_pay_batch_batch_no")),
    )
    op.create_table(
        "pay_entitlement",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_ref", sa.String(length=40), nullable=False),
        sa.Column("program", sa.String(length=80), nullable=False),
        sa.Column("beneficiary_id_number", sa.String(length=18), nullable=False),
        sa.Column("beneficiary_name", sa.String(length=64), nullable=False),
        sa.Column("payee_id_number", sa.String(length=18), nullable=False),
        sa.Column("payee_name", sa.String(length=64), nullable=False),
        sa.Column("account_no", sa.String(length=32), nullable=False),
        sa.Column("bank_code", sa.String(length=12), nullable=False),
        sa.Column("county", sa.String(length=6), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("frequency", sa.String(length=8), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("stop_reason", sa.String(length=20), nullable=True),
        sa.Column("stop_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_entitlement")),
        sa.UniqueConstraint("program", "beneficiary_id_number", name=op.f("uq_pay_entitlement_program")),
    )
    op.create_index("ix_pay_ent_cycle", "pay_entitlement", ["program", "county", "status"], unique=False)
    op.create_table(
        "pay_payment",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("entitlement_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("program", sa.String(length=80), nullable=False),
        sa.Column("beneficiary_id_number", sa.String(length=18), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("bank_ref", sa.String(length=40), nullable=True),
        sa.Column("failure_reason", sa.String(length=200), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_payment")),
        sa.UniqueConstraint(
            "program", "beneficiary_id_number", "period", name="uq_pay_payment_program_beneficiary_period"
        ),
    )
    op.create_index("ix_pay_payment_batch_status", "pay_payment", ["batch_id", "status"], unique=False)
    op.create_index(op.f("ix_pay_payment_entitlement_id"), "pay_payment", ["entitlement_id"], unique=False)
    op.create_table(
        "pay_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program", sa.String(length=80), nullable=False),
        sa.Column("county", sa.String(length=6), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("decision", sa.String(length=200), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_rate")),
        sa.UniqueConstraint("program", "county", "start", name=op.f("uq_pay_rate_program")),
    )


def downgrade() -> None:
    op.drop_table("pay_rate")
    op.drop_table("pay_payment")
    op.drop_table("pay_entitlement")
    op.drop_table("pay_batch")
