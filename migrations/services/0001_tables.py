"""services: the shared hash-chained audit log, 生育登记, cases and their review steps, attachments, 出生一件事
bundles and department tasks, consents (亲情代办), notifications outbox, reminders, appeals, issued documents,
idempotency keys, 免申即享 runs.

Revision ID: 0004_services
Revises: 0000_base
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_services"
down_revision = "0000_base"
branch_labels = ("services",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("on_behalf_of", sa.String(length=120), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_log_hash")),
    )
    op.create_index(op.f("ix_audit_log_action"), "audit_log", ["action"], unique=False)
    op.create_index(op.f("ix_audit_log_subject"), "audit_log", ["subject"], unique=False)
    op.create_table(
        "svc_birth_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reg_no", sa.String(length=24), nullable=False),
        sa.Column("mother_id_number", sa.String(length=18), nullable=False),
        sa.Column("mother_name", sa.String(length=64), nullable=False),
        sa.Column("father_id_number", sa.String(length=18), nullable=True),
        sa.Column("father_name", sa.String(length=64), nullable=True),
        sa.Column("hukou_region", sa.String(length=6), nullable=False),
        sa.Column("residence_region", sa.String(length=6), nullable=False),
        sa.Column("expected_birth", sa.Date(), nullable=False),
        sa.Column("child_order", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("filed_by", sa.String(length=120), nullable=False),
        sa.Column("on_behalf_of", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_svc_birth_registration")),
        sa.UniqueConstraint("reg_no", name=op.f("uq_svc_birth_registration_reg_no")),
    )
    op.create_index(
        op.f("ix_svc_birth_registration_mother_id_number"),
        "svc_birth_registration",
        ["mother_id_number"],
        unique=False,
    )
    op.create_index(
        op.f("ix_svc_birth_registration_residence_region"),
        "svc_birth_registration",
        ["residence_region"],
        unique=False,
    )
    op.create_table(
        "svc_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_no", sa.String(length=24), nullable=False),
        sa.Column("program", sa.String(length=80), nullable=False),
        sa.Column("applicant_id_number", sa.String(length=18), nullable=False),
        sa.Column("applicant_name", sa.String(length=64), nullable=False),
        sa.Column("beneficiary_id_number", sa.String(length=18), nullable=False),
        sa.Column("beneficiary_name", sa.String(length=64), nullable=False),
        sa.Column("beneficiary_member", sa.String(length=32), nullable=False),
        sa.Column("county", sa.String(length=6), nullable=False),
        sa.Column("town", sa.String(length=9), nullable=True),
        sa.Column("household", sa.JSON(), nullable=False),
        sa.Column("identities", sa.JSON(), nullable=False),
        sa.Column("eligibility", sa.JSON(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("unit", sa.String(length=16), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("account_no", sa.String(length=32), nullable=True),
        sa.Column("bank_code", sa.String(length=12), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("origin", sa.String(length=12), nullable=False),
        sa.Column("filed_by", sa.String(length=120), nullable=False),
        sa.Column("on_behalf_of", sa.String(length=120), nullable=True),
        sa.Column("sla_due", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_svc_case")),
        sa.UniqueConstraint("case_no", name=op.f("uq_svc_case_case_no")),
        sa.UniqueConstraint("program", "beneficiary_id_number", name=op.f("uq_svc_case_program")),
    )
    op.create_index(
        op.f("ix_svc_case_applicant_id_number"), "svc_case", ["applicant_id_number"], unique=False
    )
    op.create_index("ix_svc_case_queue", "svc_case", ["county", "status"], unique=False)
    op.create_table(
        "svc_consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grantor_id_number", sa.String(length=18), nullable=False),
        sa.Column("grantor_name", sa.String(length=64), nullable=False),
        sa.Column("proxy_id_number", sa.String(length=18), nullable=False),
        sa.Column("proxy_name", sa.String(length=64), nullable=False),
        sa.Column("relation", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("evidence", sa.String(length=200), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_svc_consent")),
    )
    op.create_index(
        op.f("ix_svc_consent_grantor_id_number"), "svc_consent", ["grantor_id_number"], unique=False
    )
    op.create_index(op.f("ix_svc_consent_proxy_id_number"), "svc_consent", ["proxy_id_number"], unique=False)
    op.create_table(
        "svc_idempotency",
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("actor", "key", name=op.f("pk_svc_idempotency")),
    )
    op.create_table(
        "svc_issued_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_no", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_svc_issued_document")),
        sa.UniqueConstraint("doc_no", name=op.f("uq_svc_issued_document_doc_no")),
    )
    op.create_table(
        "svc_notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id_number", sa.String(length=18), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_svc_notification")),
    )
    op.create_index("ix_svc_notification_out", "svc_notification", ["channel", "status"], unique=False)
    op.create_index(
        op.f("ix_svc_notification_recipient_id_number"),
        "svc_notification",
        ["recipient_id_number"],
        unique=False,
    )
    op.create_table(
        "svc_proactive_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program", sa.String(length=80), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("examined", sa.Integer(), nullable=False),
        sa.Column("eligible", sa.Integer(), nullable=False),
        sa.Column("opened", sa.Integer(), nullable=False),
        sa.Column("existing", sa.Integer(), nullable=False),
        sa.Column("run_by", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_svc_proactive_run")),
    )
    op.create_table(
        "svc_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id_number", sa.String(length=18), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_svc_reminder")),
        sa.UniqueConstraint(
            "recipient_id_number", "kind", "subject", "due", name=op.f("uq_svc_reminder_recipient_id_number")
        ),
    )
    op.create_table(
        "svc_appeal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appeal_no", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=True),
        sa.Column("citizen_id_number", sa.String(length=18), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("county", sa.String(length=6), nullable=False),
        sa.Column("town", sa.String(length=9), nullable=True),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["svc_case.id"], name=op.f("fk_svc_appeal_case_id_svc_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_svc_appeal")),
        sa.UniqueConstraint("appeal_no", name=op.f("uq_svc_appeal_appeal_no")),
    )
    op.create_index(op.f("ix_svc_appeal_case_id"), "svc_appeal", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_svc_appeal_citizen_id_number"), "svc_appeal", ["citizen_id_number"], unique=False
    )
    op.create_table(
        "svc_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("added_by", sa.String(length=120), nullable=False),
        sa.Column("added_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["svc_case.id"], name=op.f("fk_svc_attachment_case_id_svc_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_svc_attachment")),
    )
    op.create_index(op.f("ix_svc_attachment_case_id"), "svc_attachment", ["case_id"], unique=False)
    op.create_table(
        "svc_birth_bundle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bundle_no", sa.String(length=24), nullable=False),
        sa.Column("mother_id_number", sa.String(length=18), nullable=False),
        sa.Column("child_name", sa.String(length=64), nullable=False),
        sa.Column("child_birth_date", sa.Date(), nullable=False),
        sa.Column("county", sa.String(length=6), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("filed_by", sa.String(length=120), nullable=False),
        sa.Column("on_behalf_of", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["svc_birth_registration.id"],
            name=op.f("fk_svc_birth_bundle_registration_id_svc_birth_registration"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_svc_birth_bundle")),
        sa.UniqueConstraint("bundle_no", name=op.f("uq_svc_birth_bundle_bundle_no")),
        sa.UniqueConstraint(
            "mother_id_number",
            "child_birth_date",
            "child_name",
            name=op.f("uq_svc_birth_bundle_mother_id_number"),
        ),
    )
    op.create_index(op.f("ix_svc_birth_bundle_county"), "svc_birth_bundle", ["county"], unique=False)
    op.create_index(
        op.f("ix_svc_birth_bundle_mother_id_number"), "svc_birth_bundle", ["mother_id_number"], unique=False
    )
    op.create_table(
        "svc_case_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("from_status", sa.String(length=24), nullable=True),
        sa.Column("to_status", sa.String(length=24), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("on_behalf_of", sa.String(length=120), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["svc_case.id"], name=op.f("fk_svc_case_step_case_id_svc_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_svc_case_step")),
    )
    op.create_index(op.f("ix_svc_case_step_case_id"), "svc_case_step", ["case_id"], unique=False)
    op.create_table(
        "svc_bundle_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bundle_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("dept", sa.String(length=12), nullable=False),
        sa.Column("county", sa.String(length=6), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("updated_by", sa.String(length=120), nullable=True),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bundle_id"], ["svc_birth_bundle.id"], name=op.f("fk_svc_bundle_task_bundle_id_svc_birth_bundle")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_svc_bundle_task")),
        sa.UniqueConstraint("bundle_id", "kind", name=op.f("uq_svc_bundle_task_bundle_id")),
    )
    op.create_index(op.f("ix_svc_bundle_task_bundle_id"), "svc_bundle_task", ["bundle_id"], unique=False)
    op.create_index("ix_svc_task_queue", "svc_bundle_task", ["dept", "county", "status"], unique=False)

    # The audit log is append-only: the database itself refuses UPDATE and DELETE.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$""")
        op.execute("""CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""")


def downgrade() -> None:
    op.drop_table("svc_bundle_task")
    op.drop_table("svc_case_step")
    op.drop_table("svc_birth_bundle")
    op.drop_table("svc_attachment")
    op.drop_table("svc_appeal")
    op.drop_table("svc_reminder")
    op.drop_table("svc_proactive_run")
    op.drop_table("svc_notification")
    op.drop_table("svc_issued_document")
    op.drop_table("svc_idempotency")
    op.drop_table("svc_consent")
    op.drop_table("svc_case")
    op.drop_table("svc_birth_registration")
    op.drop_table("audit_log")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only() CASCADE")
