"""Childcare (托育): facilities, 备案 filings, inspections, credit, enrolments, facility subsidies.

Revision ID: 0002_childcare
Revises: 0000_base
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_childcare"
down_revision = "0000_base"
branch_labels = ("childcare",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cc_facility",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("community", sa.String(length=100), nullable=True),
        sa.Column("floor_area_m2", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("outdoor_area_m2", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("rooms", sa.Integer(), nullable=False),
        sa.Column("inclusive", sa.Boolean(), nullable=False),
        sa.Column("demonstration", sa.Boolean(), nullable=False),
        sa.Column("comprehensive_centre", sa.Boolean(), nullable=False),
        sa.Column("guidance_role", sa.Boolean(), nullable=False),
        sa.Column("opening_date", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("lat", sa.Numeric(precision=9, scale=6), nullable=True),
        sa.Column("lon", sa.Numeric(precision=9, scale=6), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("floor_area_m2 > 0", name=op.f("ck_cc_facility_floor_area_positive")),
        sa.CheckConstraint("rooms >= 0", name=op.f("ck_cc_facility_rooms_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cc_facility")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_cc_facility_credit_code")),
    )
    op.create_index(op.f("ix_cc_facility_region_code"), "cc_facility", ["region_code"], unique=False)
    op.create_table(
        "cc_import_quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("errors", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cc_import_quarantine")),
    )
    op.create_index(op.f("ix_cc_import_quarantine_batch"), "cc_import_quarantine", ["batch"], unique=False)
    op.create_table(
        "cc_credit_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("list_type", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decision_ref", sa.String(length=100), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["cc_facility.id"],
            name=op.f("fk_cc_credit_record_facility_id_cc_facility"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cc_credit_record")),
    )
    op.create_index(
        op.f("ix_cc_credit_record_facility_id"), "cc_credit_record", ["facility_id"], unique=False
    )
    op.create_table(
        "cc_enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("child_id_number", sa.String(length=18), nullable=False),
        sa.Column("child_name", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("birth_order", sa.Integer(), nullable=True),
        sa.Column("age_group", sa.String(length=16), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("leave_reason", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "end_on IS NULL OR end_on >= start_on", name=op.f("ck_cc_enrolment_end_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["cc_facility.id"],
            name=op.f("fk_cc_enrolment_facility_id_cc_facility"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cc_enrolment")),
    )
    op.create_index(
        op.f("ix_cc_enrolment_child_id_number"), "cc_enrolment", ["child_id_number"], unique=False
    )
    op.create_index(op.f("ix_cc_enrolment_facility_id"), "cc_enrolment", ["facility_id"], unique=False)
    op.create_table(
        "cc_filing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["cc_facility.id"],
            name=op.f("fk_cc_filing_facility_id_cc_facility"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cc_filing")),
    )
    op.create_index(op.f("ix_cc_filing_facility_id"), "cc_filing", ["facility_id"], unique=False)
    op.create_table(
        "cc_inspection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("inspector", sa.String(length=100), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["cc_facility.id"],
            name=op.f("fk_cc_inspection_facility_id_cc_facility"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cc_inspection")),
    )
    op.create_index(op.f("ix_cc_inspection_facility_id"), "cc_inspection", ["facility_id"], unique=False)
    op.create_table(
        "cc_quality_grade",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=8), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("assessor", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["cc_facility.id"],
            name=op.f("fk_cc_quality_grade_facility_id_cc_facility"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cc_quality_grade")),
    )
    op.create_index(
        op.f("ix_cc_quality_grade_facility_id"), "cc_quality_grade", ["facility_id"], unique=False
    )
    op.create_table(
        "cc_slot_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("age_group", sa.String(length=16), nullable=False),
        sa.Column("slots", sa.Integer(), nullable=False),
        sa.Column("classes", sa.Integer(), nullable=False),
        sa.Column("fee_monthly", sa.Integer(), nullable=False),
        sa.CheckConstraint("fee_monthly >= 0", name=op.f("ck_cc_slot_group_fee_not_negative")),
        sa.CheckConstraint("slots >= 0", name=op.f("ck_cc_slot_group_slots_not_negative")),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["cc_facility.id"],
            name=op.f("fk_cc_slot_group_facility_id_cc_facility"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cc_slot_group")),
        sa.UniqueConstraint("facility_id", "age_group", name="uq_cc_slot_group_age"),
    )
    op.create_index(op.f("ix_cc_slot_group_facility_id"), "cc_slot_group", ["facility_id"], unique=False)
    op.create_table(
        "cc_staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("qualification", sa.String(length=200), nullable=True),
        sa.Column("education", sa.String(length=16), nullable=True),
        sa.Column("years_experience", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["cc_facility.id"],
            name=op.f("fk_cc_staff_facility_id_cc_facility"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cc_staff")),
    )
    op.create_index(op.f("ix_cc_staff_facility_id"), "cc_staff", ["facility_id"], unique=False)
    op.create_table(
        "cc_subsidy_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("payment_ref", sa.String(length=64), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("citation", sa.String(length=120), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["cc_facility.id"],
            name=op.f("fk_cc_subsidy_application_facility_id_cc_facility"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cc_subsidy_application")),
    )
    op.create_index(
        op.f("ix_cc_subsidy_application_facility_id"), "cc_subsidy_application", ["facility_id"], unique=False
    )
    op.create_table(
        "cc_filing_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filing_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=32), nullable=False),
        sa.Column("result", sa.String(length=8), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["filing_id"],
            ["cc_filing.id"],
            name=op.f("fk_cc_filing_check_filing_id_cc_filing"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cc_filing_check")),
        sa.UniqueConstraint("filing_id", "item", name="uq_cc_filing_check_item"),
    )
    op.create_index(op.f("ix_cc_filing_check_filing_id"), "cc_filing_check", ["filing_id"], unique=False)
    op.create_table(
        "cc_filing_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filing_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=False),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["filing_id"],
            ["cc_filing.id"],
            name=op.f("fk_cc_filing_event_filing_id_cc_filing"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cc_filing_event")),
    )
    op.create_index(op.f("ix_cc_filing_event_filing_id"), "cc_filing_event", ["filing_id"], unique=False)
    op.create_table(
        "cc_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["cc_facility.id"],
            name=op.f("fk_cc_finding_facility_id_cc_facility"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["cc_inspection.id"],
            name=op.f("fk_cc_finding_inspection_id_cc_inspection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cc_finding")),
    )
    op.create_index(op.f("ix_cc_finding_facility_id"), "cc_finding", ["facility_id"], unique=False)
    op.create_index(op.f("ix_cc_finding_inspection_id"), "cc_finding", ["inspection_id"], unique=False)
    op.create_table(
        "cc_subsidy_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("slot_no", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["cc_subsidy_application.id"],
            name=op.f("fk_cc_subsidy_slot_application_id_cc_subsidy_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["cc_facility.id"],
            name=op.f("fk_cc_subsidy_slot_facility_id_cc_facility"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cc_subsidy_slot")),
        sa.UniqueConstraint("program", "facility_id", "slot_no", name="uq_cc_subsidy_slot_unit"),
    )
    op.create_index(
        op.f("ix_cc_subsidy_slot_application_id"), "cc_subsidy_slot", ["application_id"], unique=False
    )
    op.create_table(
        "cc_followup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("inspector", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["cc_finding.id"],
            name=op.f("fk_cc_followup_finding_id_cc_finding"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cc_followup")),
    )
    op.create_index(op.f("ix_cc_followup_finding_id"), "cc_followup", ["finding_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_cc_followup_finding_id"), table_name="cc_followup")
    op.drop_table("cc_followup")
    op.drop_index(op.f("ix_cc_subsidy_slot_application_id"), table_name="cc_subsidy_slot")
    op.drop_table("cc_subsidy_slot")
    op.drop_index(op.f("ix_cc_finding_inspection_id"), table_name="cc_finding")
    op.drop_index(op.f("ix_cc_finding_facility_id"), table_name="cc_finding")
    op.drop_table("cc_finding")
    op.drop_index(op.f("ix_cc_filing_event_filing_id"), table_name="cc_filing_event")
    op.drop_table("cc_filing_event")
    op.drop_index(op.f("ix_cc_filing_check_filing_id"), table_name="cc_filing_check")
    op.drop_table("cc_filing_check")
    op.drop_index(op.f("ix_cc_subsidy_application_facility_id"), table_name="cc_subsidy_application")
    op.drop_table("cc_subsidy_application")
    op.drop_index(op.f("ix_cc_staff_facility_id"), table_name="cc_staff")
    op.drop_table("cc_staff")
    op.drop_index(op.f("ix_cc_slot_group_facility_id"), table_name="cc_slot_group")
    op.drop_table("cc_slot_group")
    op.drop_index(op.f("ix_cc_quality_grade_facility_id"), table_name="cc_quality_grade")
    op.drop_table("cc_quality_grade")
    op.drop_index(op.f("ix_cc_inspection_facility_id"), table_name="cc_inspection")
    op.drop_table("cc_inspection")
    op.drop_index(op.f("ix_cc_filing_facility_id"), table_name="cc_filing")
    op.drop_table("cc_filing")
    op.drop_index(op.f("ix_cc_enrolment_facility_id"), table_name="cc_enrolment")
    op.drop_index(op.f("ix_cc_enrolment_child_id_number"), table_name="cc_enrolment")
    op.drop_table("cc_enrolment")
    op.drop_index(op.f("ix_cc_credit_record_facility_id"), table_name="cc_credit_record")
    op.drop_table("cc_credit_record")
    op.drop_index(op.f("ix_cc_import_quarantine_batch"), table_name="cc_import_quarantine")
    op.drop_table("cc_import_quarantine")
    op.drop_index(op.f("ix_cc_facility_region_code"), table_name="cc_facility")
    op.drop_table("cc_facility")
