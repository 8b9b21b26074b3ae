"""services: 督办, the escalation of a case held past its review deadline to the level above.

Revision ID: services_0006
Revises: 0012_services_bundle_crypt
"""

import sqlalchemy as sa
from alembic import op

revision = "services_0006"
down_revision = "0012_services_bundle_crypt"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "svc_escalation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("sla_due", sa.Date(), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("county", sa.String(length=6), nullable=False),
        sa.Column("escalated_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["svc_case.id"], name=op.f("fk_svc_escalation_case_id_svc_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_svc_escalation")),
        sa.UniqueConstraint("case_id", "status", "sla_due", name=op.f("uq_svc_escalation_case_id")),
    )
    op.create_index("ix_svc_escalation_case_id", "svc_escalation", ["case_id"])
    op.create_index("ix_svc_escalation_county", "svc_escalation", ["county"])


def downgrade() -> None:
    op.drop_index("ix_svc_escalation_county", table_name="svc_escalation")
    op.drop_index("ix_svc_escalation_case_id", table_name="svc_escalation")
    op.drop_table("svc_escalation")
