"""params: the parameter desk's documents, clauses, proposals, published values (append-only) and version row.

Revision ID: params_0001
Revises: 0000_base
"""

import sqlalchemy as sa
from alembic import op

revision = "params_0001"
down_revision = "0000_base"
branch_labels = ("params",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "params_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("issuer", sa.String(length=120), nullable=False),
        sa.Column("doc_number", sa.String(length=80), nullable=False),
        sa.Column("issued", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("in_force_from", sa.Date(), nullable=True),
        sa.Column("in_force_to", sa.Date(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("jurisdiction", sa.String(length=6), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("registered_by", sa.String(length=120), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_params_document")),
        sa.UniqueConstraint("key", name=op.f("uq_params_document_key")),
    )
    op.create_table(
        "params_clause",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("clause", sa.String(length=80), nullable=False),
        sa.Column("starts", sa.Text(), nullable=False),
        sa.Column("ends", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"], ["params_document.id"], name=op.f("fk_params_clause_document_id_params_document")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_params_clause")),
        sa.UniqueConstraint("document_id", "clause", name=op.f("uq_params_clause_document_id")),
    )
    op.create_index(op.f("ix_params_clause_document_id"), "params_clause", ["document_id"])
    op.create_table(
        "params_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parameter", sa.String(length=120), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("scope", sa.String(length=6), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=24), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("document_key", sa.String(length=80), nullable=False),
        sa.Column("clause", sa.String(length=80), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("proposed_by", sa.String(length=120), nullable=False),
        sa.Column("proposer_account", sa.Integer(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decider_account", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("preview", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_params_proposal")),
    )
    op.create_index(op.f("ix_params_proposal_parameter"), "params_proposal", ["parameter"])
    op.create_index(op.f("ix_params_proposal_scope"), "params_proposal", ["scope"])
    op.create_index(
        "uq_params_proposal_pending",
        "params_proposal",
        ["parameter", "region", "effective_from"],
        unique=True,
        sqlite_where=sa.text("state = 'proposed'"),
        postgresql_where=sa.text("state = 'proposed'"),
    )
    op.create_table(
        "params_published",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("parameter", sa.String(length=120), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=24), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("document_key", sa.String(length=80), nullable=False),
        sa.Column("clause", sa.String(length=80), nullable=False),
        sa.Column("doc_number", sa.String(length=80), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("office", sa.String(length=60), nullable=False),
        sa.Column("proposed_by", sa.String(length=120), nullable=False),
        sa.Column("approved_by", sa.String(length=120), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["params_proposal.id"],
            name=op.f("fk_params_published_proposal_id_params_proposal"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_params_published")),
        sa.UniqueConstraint("proposal_id", name=op.f("uq_params_published_proposal_id")),
    )
    op.create_index(op.f("ix_params_published_parameter"), "params_published", ["parameter"])
    op.create_table(
        "params_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_params_version")),
    )
    op.execute("INSERT INTO params_version (id, version) VALUES (1, 0)")
    # History is never edited: a correction is a newer publication.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""CREATE FUNCTION params_published_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'params_published is append-only'; END $$""")
        op.execute("""CREATE TRIGGER params_published_no_change BEFORE UPDATE OR DELETE ON params_published
            FOR EACH ROW EXECUTE FUNCTION params_published_append_only()""")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER params_published_no_{verb.lower()} BEFORE {verb} ON params_published
                BEGIN SELECT RAISE(ABORT, 'params_published is append-only'); END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER params_published_no_change ON params_published")
        op.execute("DROP FUNCTION params_published_append_only()")
    op.drop_table("params_version")
    op.drop_index(op.f("ix_params_published_parameter"), table_name="params_published")
    op.drop_table("params_published")
    op.drop_index("uq_params_proposal_pending", table_name="params_proposal")
    op.drop_index(op.f("ix_params_proposal_scope"), table_name="params_proposal")
    op.drop_index(op.f("ix_params_proposal_parameter"), table_name="params_proposal")
    op.drop_table("params_proposal")
    op.drop_index(op.f("ix_params_clause_document_id"), table_name="params_clause")
    op.drop_table("params_clause")
    op.drop_table("params_document")
