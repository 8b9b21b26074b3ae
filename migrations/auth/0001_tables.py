"""auth: accounts, browser sessions, API tokens, sign-in attempts (unmasked views go to the shared audit_log).

Revision ID: 0006_auth
Revises: 0000_base
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_auth"
down_revision = "0000_base"
branch_labels = ("auth",)
depends_on = ("0004_services",)  # audit_log


def upgrade() -> None:
    op.create_table(
        "auth_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("region", sa.String(length=9), nullable=True),
        sa.Column("department", sa.String(length=16), nullable=True),
        sa.Column("facility_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("registry_status", sa.String(length=16), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=True),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_account")),
        sa.UniqueConstraint("username", name=op.f("uq_auth_account_username")),
        sa.UniqueConstraint("id_number", name=op.f("uq_auth_account_id_number")),
    )
    op.create_index(op.f("ix_auth_account_role"), "auth_account", ["role"])
    op.create_index(op.f("ix_auth_account_region"), "auth_account", ["region"])
    op.create_table(
        "auth_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["auth_account.id"], name=op.f("fk_auth_session_account_id_auth_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_session")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_auth_session_key_hash")),
    )
    op.create_index(op.f("ix_auth_session_account_id"), "auth_session", ["account_id"])
    op.create_table(
        "auth_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["auth_account.id"], name=op.f("fk_auth_token_account_id_auth_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_token")),
        sa.UniqueConstraint("prefix", name=op.f("uq_auth_token_prefix")),
    )
    op.create_index(op.f("ix_auth_token_account_id"), "auth_token", ["account_id"])
    op.create_table(
        "auth_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_attempt")),
    )
    op.create_index(op.f("ix_auth_attempt_key"), "auth_attempt", ["key"])
    op.create_index(op.f("ix_auth_attempt_at"), "auth_attempt", ["at"])


def downgrade() -> None:
    for table in ("auth_attempt", "auth_token", "auth_session", "auth_account"):
        op.drop_table(table)
