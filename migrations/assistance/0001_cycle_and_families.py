"""assistance: the yearly 奖励扶助/特别扶助 cycle (county settings, cycles, entries, objections) and the special
families' 三个全覆盖 (families, contacts, visits, tasks, reminders).

Revision ID: assistance_0001
Revises: 0000_base
"""

import sqlalchemy as sa
from alembic import op

revision = "assistance_0001"
down_revision = "0000_base"
branch_labels = ("assistance",)
depends_on = None

ENCRYPTED = sa.String(96)  # cradle.fieldcrypt.WIDTH when this revision was written


def upgrade() -> None:
    op.create_table(
        "asst_setting",
        sa.Column("county", sa.String(6), nullable=False),
        sa.Column("publicity_days", sa.Integer(), nullable=False),
        sa.Column("visit_interval_days", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.String(120), nullable=False),
        sa.PrimaryKeyConstraint("county", name=op.f("pk_asst_setting")),
    )
    op.create_table(
        "asst_cycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("publicity_start", sa.Date(), nullable=True),
        sa.Column("publicity_end", sa.Date(), nullable=True),
        sa.Column("reviewed_by", sa.String(120), nullable=True),
        sa.Column("approved_by", sa.String(120), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("confirmed_by", sa.String(120), nullable=True),
        sa.Column("filed_by", sa.String(120), nullable=True),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asst_cycle")),
        sa.UniqueConstraint("county", "year", name="uq_asst_cycle_county_year"),
    )
    op.create_table(
        "asst_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("program", sa.String(80), nullable=False),
        sa.Column("id_number", ENCRYPTED, nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("household", ENCRYPTED, nullable=False),
        sa.Column("town", sa.String(9), nullable=True),
        sa.Column("source", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2), nullable=True),
        sa.Column("frequency", sa.String(8), nullable=False),
        sa.Column("account_no", sa.String(32), nullable=True),
        sa.Column("bank_code", sa.String(12), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("leave_reason", sa.String(20), nullable=True),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["asst_cycle.id"], name=op.f("fk_asst_entry_cycle_id_asst_cycle")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asst_entry")),
        sa.UniqueConstraint("cycle_id", "program", "id_number", name="uq_asst_entry_cycle_program_person"),
    )
    op.create_index("ix_asst_entry_cycle_status", "asst_entry", ["cycle_id", "status"])
    op.create_index(op.f("ix_asst_entry_id_number"), "asst_entry", ["id_number"])
    op.create_table(
        "asst_objection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("raised_by", sa.String(120), nullable=False),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("decided_by", sa.String(120), nullable=True),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["asst_entry.id"], name=op.f("fk_asst_objection_entry_id_asst_entry")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asst_objection")),
    )
    op.create_index(op.f("ix_asst_objection_entry_id"), "asst_objection", ["entry_id"])
    op.create_table(
        "asst_family",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household", ENCRYPTED, nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("county", sa.String(6), nullable=False),
        sa.Column("town", sa.String(9), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("doctor_contract", sa.String(10), nullable=False),
        sa.Column("doctor_contract_on", sa.Date(), nullable=True),
        sa.Column("last_visit", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asst_family")),
        sa.UniqueConstraint("household", name=op.f("uq_asst_family_household")),
    )
    op.create_index(op.f("ix_asst_family_county"), "asst_family", ["county"])
    op.create_table(
        "asst_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("phone", ENCRYPTED, nullable=True),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("set_by", sa.String(120), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"], ["asst_family.id"], name=op.f("fk_asst_contact_family_id_asst_family")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asst_contact")),
    )
    op.create_index("ix_asst_contact_family", "asst_contact", ["family_id", "kind"])
    op.create_table(
        "asst_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("visitor", sa.String(64), nullable=False),
        sa.Column("done", sa.Text(), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("recorded_by", sa.String(120), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"], ["asst_family.id"], name=op.f("fk_asst_visit_family_id_asst_family")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asst_visit")),
    )
    op.create_index(op.f("ix_asst_visit_family_id"), "asst_visit", ["family_id"])
    op.create_table(
        "asst_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(6), nullable=False),
        sa.Column("need", sa.String(16), nullable=False),
        sa.Column("department", sa.String(12), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("closed_by", sa.String(120), nullable=True),
        sa.ForeignKeyConstraint(
            ["family_id"], ["asst_family.id"], name=op.f("fk_asst_task_family_id_asst_family")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["asst_visit.id"], name=op.f("fk_asst_task_visit_id_asst_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asst_task")),
    )
    op.create_index("ix_asst_task_dept", "asst_task", ["county", "department", "status"])
    op.create_table(
        "asst_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(6), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"], ["asst_family.id"], name=op.f("fk_asst_reminder_family_id_asst_family")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asst_reminder")),
        sa.UniqueConstraint("family_id", "due", name="uq_asst_reminder_family_due"),
    )
    op.create_index(op.f("ix_asst_reminder_county"), "asst_reminder", ["county"])


def downgrade() -> None:
    for table in (
        "asst_reminder",
        "asst_task",
        "asst_visit",
        "asst_contact",
        "asst_family",
        "asst_objection",
        "asst_entry",
        "asst_cycle",
        "asst_setting",
    ):
        op.drop_table(table)
