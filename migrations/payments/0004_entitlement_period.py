"""payments: one payment per (entitlement, period, claim), a guarantee that does not depend on the ID number's
ciphertext (which differs between keys while `cradle keys rotate` is part-way). A unique index rather than a
constraint, so SQLite needs no table copy; it replaces the plain index on entitlement_id, whose look-ups it serves.

Revision ID: 0015_payments_entitlement_period
Revises: 0010_payments_field_encryption
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_payments_entitlement_period"
down_revision = "0010_payments_field_encryption"
branch_labels = None
depends_on = None

NAME = "uq_pay_payment_entitlement_period_claim"
COLUMNS = ["entitlement_id", "period", "claim"]


def upgrade() -> None:
    # a payment already doubled (by the gap this closes) would fail the index with no hint which: name them
    doubled = sa.text(
        "SELECT entitlement_id, period, claim, count(*) FROM pay_payment GROUP BY entitlement_id, period, claim "
        "HAVING count(*) > 1 ORDER BY entitlement_id, period LIMIT 10"
    )
    twice = op.get_bind().execute(doubled).all()
    if twice:
        listed = "; ".join(f"entitlement {e} period {p} claim {c!r}: {n} payments" for e, p, c, n in twice)
        raise RuntimeError(f"pay_payment holds more than one payment for: {listed}. Reconcile them first.")
    op.create_index(NAME, "pay_payment", COLUMNS, unique=True)
    op.drop_index("ix_pay_payment_entitlement_id", table_name="pay_payment")


def downgrade() -> None:
    op.create_index("ix_pay_payment_entitlement_id", "pay_payment", ["entitlement_id"], unique=False)
    op.drop_index(NAME, table_name="pay_payment")
