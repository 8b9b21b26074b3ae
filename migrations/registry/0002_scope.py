"""registry: the region of each quarantined row and of each ingest run, so officials see only their scope.

Revision ID: 0008_registry_scope
Revises: 0001_registry
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_registry_scope"
down_revision = "0001_registry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("registry_ingest_run", sa.Column("region", sa.String(length=6), nullable=True))
    op.create_index(op.f("ix_registry_ingest_run_region"), "registry_ingest_run", ["region"], unique=False)
    op.add_column("registry_quarantine", sa.Column("region", sa.String(length=6), nullable=True))
    op.create_index(op.f("ix_registry_quarantine_region"), "registry_quarantine", ["region"], unique=False)
    _backfill(op.get_bind())


def _backfill(conn) -> None:
    """Rows filed before this revision: the region read from the row as stored; runs: what their rows cover."""
    from cradle.registry.access import covering_region, row_region

    q = sa.table(
        "registry_quarantine",
        sa.column("id"),
        sa.column("raw", sa.JSON),
        sa.column("region"),
        sa.column("run_id"),
    )
    run = sa.table("registry_ingest_run", sa.column("id"), sa.column("region"))
    by_run: dict[int, set[str]] = {}
    for row_id, raw, run_id in conn.execute(sa.select(q.c.id, q.c.raw, q.c.run_id)).all():
        region = row_region(raw or {})
        if region:
            conn.execute(q.update().where(q.c.id == row_id).values(region=region))
            by_run.setdefault(run_id, set()).add(region)
    persons = conn.execute(
        sa.text(
            "SELECT DISTINCT s.run_id, p.region FROM registry_source_record s "
            "JOIN registry_person p ON p.id = s.person_id WHERE p.region IS NOT NULL"
        )
    ).all()
    for run_id, region in persons:
        by_run.setdefault(run_id, set()).add(region)
    for run_id, codes in by_run.items():
        conn.execute(run.update().where(run.c.id == run_id).values(region=covering_region(codes)))


def downgrade() -> None:
    op.drop_index(op.f("ix_registry_quarantine_region"), table_name="registry_quarantine")
    op.drop_column("registry_quarantine", "region")
    op.drop_index(op.f("ix_registry_ingest_run_region"), table_name="registry_ingest_run")
    op.drop_column("registry_ingest_run", "region")
