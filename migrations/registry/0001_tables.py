"""registry: persons, households and relations, dated facts with their sources, quarantine, identity review.

Revision ID: 0001_registry
Revises: 0000_base
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_registry"
down_revision = "0000_base"
branch_labels = ("registry",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registry_assistance",
        sa.Column("source_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("event", sa.String(length=8), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_registry_assistance")),
    )
    op.create_index(
        op.f("ix_registry_assistance_person_id"), "registry_assistance", ["person_id"], unique=False
    )
    op.create_table(
        "registry_birth",
        sa.Column("source_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("child_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("mother_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("father_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("birth_order", sa.Integer(), nullable=True),
        sa.Column("babies", sa.Integer(), nullable=False),
        sa.Column("delivery_mode", sa.String(length=16), nullable=True),
        sa.Column("dystocia", sa.Boolean(), nullable=False),
        sa.Column("in_policy_cost", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_registry_birth")),
    )
    op.create_index(op.f("ix_registry_birth_child_id"), "registry_birth", ["child_id"], unique=False)
    op.create_index(op.f("ix_registry_birth_father_id"), "registry_birth", ["father_id"], unique=False)
    op.create_index(op.f("ix_registry_birth_mother_id"), "registry_birth", ["mother_id"], unique=False)
    op.create_table(
        "registry_care_enrolment",
        sa.Column("source_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("care_type", sa.String(length=16), nullable=False),
        sa.Column("event", sa.String(length=8), nullable=False),
        sa.Column("institution_code", sa.String(length=18), nullable=True),
        sa.Column("institution_name", sa.String(length=128), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=True),
        sa.Column("inclusive", sa.Boolean(), nullable=True),
        sa.Column("registered", sa.Boolean(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_registry_care_enrolment")),
    )
    op.create_index(
        op.f("ix_registry_care_enrolment_person_id"), "registry_care_enrolment", ["person_id"], unique=False
    )
    op.create_table(
        "registry_death",
        sa.Column("source_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("death_date", sa.Date(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=True),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_registry_death")),
    )
    op.create_index(op.f("ix_registry_death_person_id"), "registry_death", ["person_id"], unique=False)
    op.create_table(
        "registry_employment",
        sa.Column("source_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("employer_code", sa.String(length=18), nullable=True),
        sa.Column("employer_avg_monthly_wage", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_registry_employment")),
    )
    op.create_index(
        op.f("ix_registry_employment_person_id"), "registry_employment", ["person_id"], unique=False
    )
    op.create_table(
        "registry_family_planning",
        sa.Column("source_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("event", sa.String(length=8), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_registry_family_planning")),
    )
    op.create_index(
        op.f("ix_registry_family_planning_person_id"), "registry_family_planning", ["person_id"], unique=False
    )
    op.create_table(
        "registry_hukou_event",
        sa.Column("source_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("household_no", sa.String(length=32), nullable=True),
        sa.Column("relation_to_head", sa.String(length=2), nullable=True),
        sa.Column("hukou_type", sa.String(length=8), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_registry_hukou_event")),
    )
    op.create_index(
        op.f("ix_registry_hukou_event_person_id"), "registry_hukou_event", ["person_id"], unique=False
    )
    op.create_table(
        "registry_identity_fact",
        sa.Column("source_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_registry_identity_fact")),
    )
    op.create_index(
        op.f("ix_registry_identity_fact_person_id"), "registry_identity_fact", ["person_id"], unique=False
    )
    op.create_table(
        "registry_ingest_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dept", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("merged", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("quarantined", sa.Integer(), nullable=False),
        sa.Column("queued", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_ingest_run")),
    )
    op.create_index(
        op.f("ix_registry_ingest_run_file_sha256"), "registry_ingest_run", ["file_sha256"], unique=False
    )
    op.create_table(
        "registry_insurance",
        sa.Column("source_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("scheme", sa.String(length=24), nullable=False),
        sa.Column("event", sa.String(length=8), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_registry_insurance")),
    )
    op.create_index(
        op.f("ix_registry_insurance_person_id"), "registry_insurance", ["person_id"], unique=False
    )
    op.create_table(
        "registry_marriage",
        sa.Column("source_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("spouse_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_registry_marriage")),
    )
    op.create_index(op.f("ix_registry_marriage_person_id"), "registry_marriage", ["person_id"], unique=False)
    op.create_index(op.f("ix_registry_marriage_spouse_id"), "registry_marriage", ["spouse_id"], unique=False)
    op.create_table(
        "registry_person",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=True),
        sa.Column("merged_into_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["registry_person.id"],
            name=op.f("fk_registry_person_merged_into_id_registry_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_person")),
        sa.UniqueConstraint("id_number", name=op.f("uq_registry_person_id_number")),
    )
    op.create_index("ix_registry_person_match", "registry_person", ["birth_date", "name"], unique=False)
    op.create_index(
        op.f("ix_registry_person_merged_into_id"), "registry_person", ["merged_into_id"], unique=False
    )
    op.create_table(
        "registry_relation",
        sa.Column("source_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("relation", sa.String(length=12), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("relative_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("source_id", "relation", name=op.f("pk_registry_relation")),
    )
    op.create_index(op.f("ix_registry_relation_person_id"), "registry_relation", ["person_id"], unique=False)
    op.create_index(
        op.f("ix_registry_relation_relative_id"), "registry_relation", ["relative_id"], unique=False
    )
    op.create_table(
        "registry_residence",
        sa.Column("source_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_registry_residence")),
    )
    op.create_index(
        op.f("ix_registry_residence_person_id"), "registry_residence", ["person_id"], unique=False
    )
    op.create_table(
        "registry_source_record",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("dept", sa.String(length=16), nullable=False),
        sa.Column("record_no", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.BigInteger(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=32), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_source_record")),
        sa.UniqueConstraint("dept", "record_no", name=op.f("uq_registry_source_record_dept")),
    )
    op.create_table(
        "registry_match_candidate",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("candidate_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("basis", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("merge_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["registry_person.id"],
            name=op.f("fk_registry_match_candidate_candidate_id_registry_person"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["registry_person.id"],
            name=op.f("fk_registry_match_candidate_person_id_registry_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_match_candidate")),
        sa.UniqueConstraint("person_id", "candidate_id", name=op.f("uq_registry_match_candidate_person_id")),
    )
    op.create_index(
        op.f("ix_registry_match_candidate_candidate_id"),
        "registry_match_candidate",
        ["candidate_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_registry_match_candidate_person_id"), "registry_match_candidate", ["person_id"], unique=False
    )
    op.create_index(
        op.f("ix_registry_match_candidate_status"), "registry_match_candidate", ["status"], unique=False
    )
    op.create_table(
        "registry_merge_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("survivor_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("merged_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["merged_id"],
            ["registry_person.id"],
            name=op.f("fk_registry_merge_audit_merged_id_registry_person"),
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["registry_merge_audit.id"],
            name=op.f("fk_registry_merge_audit_reverses_id_registry_merge_audit"),
        ),
        sa.ForeignKeyConstraint(
            ["survivor_id"],
            ["registry_person.id"],
            name=op.f("fk_registry_merge_audit_survivor_id_registry_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_merge_audit")),
    )
    op.create_index(
        op.f("ix_registry_merge_audit_merged_id"), "registry_merge_audit", ["merged_id"], unique=False
    )
    op.create_index(
        op.f("ix_registry_merge_audit_survivor_id"), "registry_merge_audit", ["survivor_id"], unique=False
    )
    op.create_table(
        "registry_quarantine",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("dept", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("record_no", sa.String(length=64), nullable=True),
        sa.Column("row_hash", sa.BigInteger(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("message", sa.String(length=200), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("corrected", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("resolved_run_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["resolved_run_id"],
            ["registry_ingest_run.id"],
            name=op.f("fk_registry_quarantine_resolved_run_id_registry_ingest_run"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["registry_ingest_run.id"],
            name=op.f("fk_registry_quarantine_run_id_registry_ingest_run"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_quarantine")),
    )
    op.create_index(
        "ix_registry_quarantine_dept_hash", "registry_quarantine", ["dept", "row_hash"], unique=False
    )
    op.create_index(op.f("ix_registry_quarantine_reason"), "registry_quarantine", ["reason"], unique=False)
    op.create_index(op.f("ix_registry_quarantine_run_id"), "registry_quarantine", ["run_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_registry_quarantine_run_id"), table_name="registry_quarantine")
    op.drop_index(op.f("ix_registry_quarantine_reason"), table_name="registry_quarantine")
    op.drop_index("ix_registry_quarantine_dept_hash", table_name="registry_quarantine")
    op.drop_table("registry_quarantine")
    op.drop_index(op.f("ix_registry_merge_audit_survivor_id"), table_name="registry_merge_audit")
    op.drop_index(op.f("ix_registry_merge_audit_merged_id"), table_name="registry_merge_audit")
    op.drop_table("registry_merge_audit")
    op.drop_index(op.f("ix_registry_match_candidate_status"), table_name="registry_match_candidate")
    op.drop_index(op.f("ix_registry_match_candidate_person_id"), table_name="registry_match_candidate")
    op.drop_index(op.f("ix_registry_match_candidate_candidate_id"), table_name="registry_match_candidate")
    op.drop_table("registry_match_candidate")
    op.drop_table("registry_source_record")
    op.drop_index(op.f("ix_registry_residence_person_id"), table_name="registry_residence")
    op.drop_table("registry_residence")
    op.drop_index(op.f("ix_registry_relation_relative_id"), table_name="registry_relation")
    op.drop_index(op.f("ix_registry_relation_person_id"), table_name="registry_relation")
    op.drop_table("registry_relation")
    op.drop_index(op.f("ix_registry_person_merged_into_id"), table_name="registry_person")
    op.drop_index("ix_registry_person_match", table_name="registry_person")
    op.drop_table("registry_person")
    op.drop_index(op.f("ix_registry_marriage_spouse_id"), table_name="registry_marriage")
    op.drop_index(op.f("ix_registry_marriage_person_id"), table_name="registry_marriage")
    op.drop_table("registry_marriage")
    op.drop_index(op.f("ix_registry_insurance_person_id"), table_name="registry_insurance")
    op.drop_table("registry_insurance")
    op.drop_index(op.f("ix_registry_ingest_run_file_sha256"), table_name="registry_ingest_run")
    op.drop_table("registry_ingest_run")
    op.drop_index(op.f("ix_registry_identity_fact_person_id"), table_name="registry_identity_fact")
    op.drop_table("registry_identity_fact")
    op.drop_index(op.f("ix_registry_hukou_event_person_id"), table_name="registry_hukou_event")
    op.drop_table("registry_hukou_event")
    op.drop_index(op.f("ix_registry_family_planning_person_id"), table_name="registry_family_planning")
    op.drop_table("registry_family_planning")
    op.drop_index(op.f("ix_registry_employment_person_id"), table_name="registry_employment")
    op.drop_table("registry_employment")
    op.drop_index(op.f("ix_registry_death_person_id"), table_name="registry_death")
    op.drop_table("registry_death")
    op.drop_index(op.f("ix_registry_care_enrolment_person_id"), table_name="registry_care_enrolment")
    op.drop_table("registry_care_enrolment")
    op.drop_index(op.f("ix_registry_birth_mother_id"), table_name="registry_birth")
    op.drop_index(op.f("ix_registry_birth_father_id"), table_name="registry_birth")
    op.drop_index(op.f("ix_registry_birth_child_id"), table_name="registry_birth")
    op.drop_table("registry_birth")
    op.drop_index(op.f("ix_registry_assistance_person_id"), table_name="registry_assistance")
    op.drop_table("registry_assistance")
