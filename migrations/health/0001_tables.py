"""health: the 妇幼 domain's tables (institutions, pregnancy files, visits, risk assessments, deliveries, infection
records, child and women's health records, deaths and reviews, 高危专案 with follow-ups, referrals and rescues, 约谈,
婚育 offers, 生育咨询指导 follow-ups). Results, grades, causes and notes are stored encrypted (cradle.fieldcrypt).

Revision ID: health_0001
Revises: 0000_base
"""

import sqlalchemy as sa
from alembic import op

revision = "health_0001"
down_revision = "0000_base"
branch_labels = ("health",)
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "health_child_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", BIG_ID, nullable=True),
        sa.Column("id_number", sa.String(length=96), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("result", sa.String(length=160), nullable=True),
        sa.Column("diagnosis", sa.String(length=4000), nullable=True),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("town", sa.String(length=9), nullable=True),
        sa.Column("institution_code", sa.String(length=40), nullable=False),
        sa.Column("source_id", BIG_ID, nullable=True),
        sa.Column("entered_by", sa.String(length=120), nullable=True),
        sa.Column("entered_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_child_record")),
    )
    op.create_index(
        op.f("ix_health_child_record_id_number"), "health_child_record", ["id_number"], unique=False
    )
    op.create_index(
        op.f("ix_health_child_record_institution_code"),
        "health_child_record",
        ["institution_code"],
        unique=False,
    )
    op.create_index(
        "ix_health_child_record_kind_on",
        "health_child_record",
        ["kind", "recorded_on", "region", "birth_date", "id_number"],
        unique=False,
    )
    op.create_index(
        op.f("ix_health_child_record_person_id"), "health_child_record", ["person_id"], unique=False
    )
    op.create_index(
        op.f("ix_health_child_record_source_id"), "health_child_record", ["source_id"], unique=False
    )
    op.create_table(
        "health_death",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", BIG_ID, nullable=True),
        sa.Column("id_number", sa.String(length=96), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("died_on", sa.Date(), nullable=False),
        sa.Column("cause", sa.String(length=4000), nullable=False),
        sa.Column("place", sa.String(length=12), nullable=True),
        sa.Column("pregnancy_no", sa.String(length=40), nullable=True),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("town", sa.String(length=9), nullable=True),
        sa.Column("institution_code", sa.String(length=40), nullable=False),
        sa.Column("review_status", sa.String(length=12), nullable=False),
        sa.Column("review_class", sa.String(length=160), nullable=True),
        sa.Column("review_avoidable", sa.String(length=160), nullable=True),
        sa.Column("review_causes", sa.String(length=4000), nullable=True),
        sa.Column("review_measures", sa.String(length=4000), nullable=True),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=120), nullable=True),
        sa.Column("source_id", BIG_ID, nullable=True),
        sa.Column("entered_by", sa.String(length=120), nullable=True),
        sa.Column("entered_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_death")),
    )
    op.create_index(
        op.f("ix_health_death_institution_code"), "health_death", ["institution_code"], unique=False
    )
    op.create_index("ix_health_death_region_on", "health_death", ["region", "died_on"], unique=False)
    op.create_index(op.f("ix_health_death_review_status"), "health_death", ["review_status"], unique=False)
    op.create_index(op.f("ix_health_death_source_id"), "health_death", ["source_id"], unique=False)
    op.create_table(
        "health_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pregnancy_no", sa.String(length=40), nullable=False),
        sa.Column("person_id", BIG_ID, nullable=True),
        sa.Column("id_number", sa.String(length=96), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("town", sa.String(length=9), nullable=True),
        sa.Column("institution_code", sa.String(length=40), nullable=False),
        sa.Column("live_births", sa.Integer(), nullable=False),
        sa.Column("stillbirths", sa.Integer(), nullable=False),
        sa.Column("weeks", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(length=160), nullable=True),
        sa.Column("new_method", sa.Boolean(), nullable=False),
        sa.Column("source_id", BIG_ID, nullable=True),
        sa.Column("entered_by", sa.String(length=120), nullable=True),
        sa.Column("entered_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_delivery")),
        sa.UniqueConstraint("pregnancy_no", name=op.f("uq_health_delivery_pregnancy_no")),
    )
    op.create_index(
        op.f("ix_health_delivery_institution_code"), "health_delivery", ["institution_code"], unique=False
    )
    op.create_index(
        "ix_health_delivery_region_on", "health_delivery", ["region", "delivered_on"], unique=False
    )
    op.create_index(op.f("ix_health_delivery_source_id"), "health_delivery", ["source_id"], unique=False)
    op.create_table(
        "health_guidance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_no", sa.String(length=24), nullable=False),
        sa.Column("id_number", sa.String(length=96), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("town", sa.String(length=9), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=4000), nullable=True),
        sa.Column("done_by", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_guidance")),
        sa.UniqueConstraint("registration_no", name=op.f("uq_health_guidance_registration_no")),
    )
    op.create_index(op.f("ix_health_guidance_region"), "health_guidance", ["region"], unique=False)
    op.create_index(op.f("ix_health_guidance_town"), "health_guidance", ["town"], unique=False)
    op.create_table(
        "health_infection_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pregnancy_no", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("institution_code", sa.String(length=40), nullable=False),
        sa.Column("hiv", sa.String(length=160), nullable=True),
        sa.Column("syphilis", sa.String(length=160), nullable=True),
        sa.Column("hbv", sa.String(length=160), nullable=True),
        sa.Column("infection", sa.String(length=160), nullable=True),
        sa.Column("result", sa.String(length=160), nullable=True),
        sa.Column("source_id", BIG_ID, nullable=True),
        sa.Column("entered_by", sa.String(length=120), nullable=True),
        sa.Column("entered_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_infection_record")),
    )
    op.create_index(
        op.f("ix_health_infection_record_pregnancy_no"),
        "health_infection_record",
        ["pregnancy_no"],
        unique=False,
    )
    op.create_index(
        op.f("ix_health_infection_record_source_id"), "health_infection_record", ["source_id"], unique=False
    )
    op.create_table(
        "health_institution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("critical_care", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_institution")),
        sa.UniqueConstraint("code", name=op.f("uq_health_institution_code")),
    )
    op.create_index(op.f("ix_health_institution_region"), "health_institution", ["region"], unique=False)
    op.create_table(
        "health_interview",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_code", sa.String(length=40), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=4000), nullable=True),
        sa.Column("entered_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_interview")),
    )
    op.create_index(
        op.f("ix_health_interview_institution_code"), "health_interview", ["institution_code"], unique=False
    )
    op.create_table(
        "health_maternal_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pregnancy_no", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("weeks", sa.Integer(), nullable=True),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("institution_code", sa.String(length=40), nullable=False),
        sa.Column("source_id", BIG_ID, nullable=True),
        sa.Column("entered_by", sa.String(length=120), nullable=True),
        sa.Column("entered_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_maternal_visit")),
    )
    op.create_index(
        op.f("ix_health_maternal_visit_institution_code"),
        "health_maternal_visit",
        ["institution_code"],
        unique=False,
    )
    op.create_index(
        "ix_health_maternal_visit_pregnancy",
        "health_maternal_visit",
        ["pregnancy_no", "kind", "visited_on"],
        unique=False,
    )
    op.create_index(
        op.f("ix_health_maternal_visit_source_id"), "health_maternal_visit", ["source_id"], unique=False
    )
    op.create_table(
        "health_pregnancy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pregnancy_no", sa.String(length=40), nullable=False),
        sa.Column("person_id", BIG_ID, nullable=True),
        sa.Column("id_number", sa.String(length=96), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("town", sa.String(length=9), nullable=True),
        sa.Column("institution_code", sa.String(length=40), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("weeks_at_filing", sa.Integer(), nullable=True),
        sa.Column("edd", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("source_id", BIG_ID, nullable=True),
        sa.Column("entered_by", sa.String(length=120), nullable=True),
        sa.Column("entered_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_pregnancy")),
        sa.UniqueConstraint("pregnancy_no", name=op.f("uq_health_pregnancy_pregnancy_no")),
    )
    op.create_index(op.f("ix_health_pregnancy_id_number"), "health_pregnancy", ["id_number"], unique=False)
    op.create_index(
        op.f("ix_health_pregnancy_institution_code"), "health_pregnancy", ["institution_code"], unique=False
    )
    op.create_index(op.f("ix_health_pregnancy_person_id"), "health_pregnancy", ["person_id"], unique=False)
    op.create_index(
        "ix_health_pregnancy_region_filed", "health_pregnancy", ["region", "filed_on"], unique=False
    )
    op.create_index(op.f("ix_health_pregnancy_source_id"), "health_pregnancy", ["source_id"], unique=False)
    op.create_index(op.f("ix_health_pregnancy_town"), "health_pregnancy", ["town"], unique=False)
    op.create_table(
        "health_rescue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pregnancy_no", sa.String(length=40), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("institution_code", sa.String(length=40), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("condition", sa.String(length=4000), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("entered_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_rescue")),
    )
    op.create_index(
        op.f("ix_health_rescue_institution_code"), "health_rescue", ["institution_code"], unique=False
    )
    op.create_index(op.f("ix_health_rescue_pregnancy_no"), "health_rescue", ["pregnancy_no"], unique=False)
    op.create_table(
        "health_risk_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pregnancy_no", sa.String(length=40), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("grade", sa.String(length=160), nullable=False),
        sa.Column("factors", sa.String(length=4000), nullable=True),
        sa.Column("weeks", sa.Integer(), nullable=True),
        sa.Column("institution_code", sa.String(length=40), nullable=False),
        sa.Column("case_checked", sa.Boolean(), nullable=False),
        sa.Column("source_id", BIG_ID, nullable=True),
        sa.Column("entered_by", sa.String(length=120), nullable=True),
        sa.Column("entered_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_risk_assessment")),
    )
    op.create_index(
        op.f("ix_health_risk_assessment_case_checked"),
        "health_risk_assessment",
        ["case_checked"],
        unique=False,
    )
    op.create_index(
        op.f("ix_health_risk_assessment_institution_code"),
        "health_risk_assessment",
        ["institution_code"],
        unique=False,
    )
    op.create_index(
        op.f("ix_health_risk_assessment_pregnancy_no"),
        "health_risk_assessment",
        ["pregnancy_no"],
        unique=False,
    )
    op.create_index(
        op.f("ix_health_risk_assessment_source_id"), "health_risk_assessment", ["source_id"], unique=False
    )
    op.create_table(
        "health_women_service",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", BIG_ID, nullable=True),
        sa.Column("id_number", sa.String(length=96), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=False),
        sa.Column("result", sa.String(length=160), nullable=True),
        sa.Column("dose", sa.Integer(), nullable=True),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("town", sa.String(length=9), nullable=True),
        sa.Column("institution_code", sa.String(length=40), nullable=False),
        sa.Column("source_id", BIG_ID, nullable=True),
        sa.Column("entered_by", sa.String(length=120), nullable=True),
        sa.Column("entered_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_women_service")),
    )
    op.create_index(
        op.f("ix_health_women_service_id_number"), "health_women_service", ["id_number"], unique=False
    )
    op.create_index(
        op.f("ix_health_women_service_institution_code"),
        "health_women_service",
        ["institution_code"],
        unique=False,
    )
    op.create_index(
        "ix_health_women_service_kind_on",
        "health_women_service",
        ["kind", "served_on", "region", "birth_date", "id_number"],
        unique=False,
    )
    op.create_index(
        op.f("ix_health_women_service_person_id"), "health_women_service", ["person_id"], unique=False
    )
    op.create_index(
        op.f("ix_health_women_service_source_id"), "health_women_service", ["source_id"], unique=False
    )
    op.create_table(
        "health_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pregnancy_no", sa.String(length=40), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("town", sa.String(length=9), nullable=True),
        sa.Column("institution_code", sa.String(length=40), nullable=False),
        sa.Column("grade", sa.String(length=160), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("doctor", sa.String(length=64), nullable=True),
        sa.Column("plan", sa.String(length=4000), nullable=True),
        sa.Column("interval_days", sa.Integer(), nullable=False),
        sa.Column("next_due", sa.Date(), nullable=False),
        sa.Column("overdue_count", sa.Integer(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("close_reason", sa.String(length=12), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["health_risk_assessment.id"],
            name=op.f("fk_health_case_assessment_id_health_risk_assessment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_case")),
        sa.UniqueConstraint("pregnancy_no", name=op.f("uq_health_case_pregnancy_no")),
    )
    op.create_index(
        op.f("ix_health_case_institution_code"), "health_case", ["institution_code"], unique=False
    )
    op.create_index(op.f("ix_health_case_next_due"), "health_case", ["next_due"], unique=False)
    op.create_index(op.f("ix_health_case_region"), "health_case", ["region"], unique=False)
    op.create_index(op.f("ix_health_case_status"), "health_case", ["status"], unique=False)
    op.create_table(
        "health_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("marriage_ref", BIG_ID, nullable=False),
        sa.Column("person_id", BIG_ID, nullable=True),
        sa.Column("id_number", sa.String(length=96), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("spouse_name", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("married_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("offered_on", sa.Date(), nullable=False),
        sa.Column("institution_code", sa.String(length=40), nullable=True),
        sa.Column("appointment_on", sa.Date(), nullable=True),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["health_women_service.id"],
            name=op.f("fk_health_offer_service_id_health_women_service"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_offer")),
    )
    op.create_index(op.f("ix_health_offer_id_number"), "health_offer", ["id_number"], unique=False)
    op.create_index(
        op.f("ix_health_offer_institution_code"), "health_offer", ["institution_code"], unique=False
    )
    op.create_index("ix_health_offer_marriage", "health_offer", ["marriage_ref", "kind"], unique=False)
    op.create_index(op.f("ix_health_offer_region"), "health_offer", ["region"], unique=False)
    op.create_table(
        "health_case_followup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=4000), nullable=True),
        sa.Column("entered_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["health_case.id"], name=op.f("fk_health_case_followup_case_id_health_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_case_followup")),
    )
    op.create_index(
        op.f("ix_health_case_followup_case_id"), "health_case_followup", ["case_id"], unique=False
    )
    op.create_table(
        "health_referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("to_institution_code", sa.String(length=40), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=4000), nullable=True),
        sa.Column("entered_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["health_case.id"], name=op.f("fk_health_referral_case_id_health_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_referral")),
    )
    op.create_index(op.f("ix_health_referral_case_id"), "health_referral", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_health_referral_to_institution_code"),
        "health_referral",
        ["to_institution_code"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("health_referral")
    op.drop_table("health_case_followup")
    op.drop_table("health_offer")
    op.drop_table("health_case")
    op.drop_table("health_women_service")
    op.drop_table("health_risk_assessment")
    op.drop_table("health_rescue")
    op.drop_table("health_pregnancy")
    op.drop_table("health_maternal_visit")
    op.drop_table("health_interview")
    op.drop_table("health_institution")
    op.drop_table("health_infection_record")
    op.drop_table("health_guidance")
    op.drop_table("health_delivery")
    op.drop_table("health_death")
    op.drop_table("health_child_record")
