"""payments: a claim key beside (program, beneficiary[, period]), so distinct facility subsidies of one facility
(a construction subsidy for slots added later, the demonstration award) are each paid once. Person benefits keep
claim '' and so keep one entitlement per beneficiary and program, one payment per period.

Revision ID: 0009_payments_claim
Revises: 0005_payments
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_payments_claim"
down_revision = "0005_payments"
branch_labels = None
depends_on = None


BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _tables(claim: bool) -> tuple[sa.Table, sa.Table]:
    """The two tables as 0005_payments made them (with `claim` when `claim`), so SQLite's batch copy needs no
    reflection (the migration engine's dialect is not initialised for it)."""
    meta = sa.MetaData()
    extra = [sa.Column("claim", sa.String(length=40), server_default="", nullable=False)] if claim else []
    ent = sa.Table(
        "pay_entitlement",
        meta,
        sa.Column("id", BigId, primary_key=True),
        sa.Column("case_ref", sa.String(40), nullable=False),
        sa.Column("program", sa.String(80), nullable=False),
        sa.Column("beneficiary_id_number", sa.String(18), nullable=False),
        *extra,
        sa.Column("beneficiary_name", sa.String(64), nullable=False),
        sa.Column("payee_id_number", sa.String(18), nullable=False),
        sa.Column("payee_name", sa.String(64), nullable=False),
        sa.Column("account_no", sa.String(32), nullable=False),
        sa.Column("bank_code", sa.String(12), nullable=False),
        sa.Column("county", sa.String(6), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("frequency", sa.String(8), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("stop_reason", sa.String(20), nullable=True),
        sa.Column("stop_date", sa.Date(), nullable=True),
        sa.UniqueConstraint(
            "program",
            "beneficiary_id_number",
            *(["claim"] if claim else []),
            name="uq_pay_entitlement_program_beneficiary_claim" if claim else "uq_pay_entitlement_program",
        ),
        sa.Index("ix_pay_ent_cycle", "program", "county", "status"),
    )
    pay = sa.Table(
        "pay_payment",
        meta,
        sa.Column("id", BigId, primary_key=True),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("entitlement_id", BigId, nullable=False),
        sa.Column("program", sa.String(80), nullable=False),
        sa.Column("beneficiary_id_number", sa.String(18), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        *[c.copy() for c in extra],
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("bank_ref", sa.String(40), nullable=True),
        sa.Column("failure_reason", sa.String(200), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint(
            "program",
            "beneficiary_id_number",
            "period",
            *(["claim"] if claim else []),
            name="uq_pay_payment_program_beneficiary_period_claim"
            if claim
            else "uq_pay_payment_program_beneficiary_period",
        ),
        sa.Index("ix_pay_payment_batch_status", "batch_id", "status"),
        sa.Index("ix_pay_payment_entitlement_id", "entitlement_id"),
    )
    return ent, pay


def upgrade() -> None:
    ent, pay = _tables(claim=False)
    with op.batch_alter_table("pay_entitlement", copy_from=ent) as t:
        t.add_column(sa.Column("claim", sa.String(length=40), server_default="", nullable=False))
        t.drop_constraint("uq_pay_entitlement_program", type_="unique")
        t.create_unique_constraint(
            "uq_pay_entitlement_program_beneficiary_claim", ["program", "beneficiary_id_number", "claim"]
        )
    with op.batch_alter_table("pay_payment", copy_from=pay) as t:
        t.add_column(sa.Column("claim", sa.String(length=40), server_default="", nullable=False))
        t.drop_constraint("uq_pay_payment_program_beneficiary_period", type_="unique")
        t.create_unique_constraint(
            "uq_pay_payment_program_beneficiary_period_claim",
            ["program", "beneficiary_id_number", "period", "claim"],
        )


def downgrade() -> None:
    ent, pay = _tables(claim=True)
    with op.batch_alter_table("pay_payment", copy_from=pay) as t:
        t.drop_constraint("uq_pay_payment_program_beneficiary_period_claim", type_="unique")
        t.create_unique_constraint(
            "uq_pay_payment_program_beneficiary_period", ["program", "beneficiary_id_number", "period"]
        )
        t.drop_column("claim")
    with op.batch_alter_table("pay_entitlement", copy_from=ent) as t:
        t.drop_constraint("uq_pay_entitlement_program_beneficiary_claim", type_="unique")
        t.create_unique_constraint("uq_pay_entitlement_program", ["program", "beneficiary_id_number"])
        t.drop_column("claim")
