"""registry: the indexes the 户-derived parent links need to judge only the households a 公安 run touched.

A run's source records by run id (they are appended with one run id, so the index grows at its right edge), and a
户's events by region + 户号 (cradle.registry.kinship).

Revision ID: 0016_registry_kinship_scope
Revises: 0014_registry_quarantine_town
"""

from alembic import op

revision = "0016_registry_kinship_scope"
down_revision = "0014_registry_quarantine_town"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_registry_source_record_run_id", "registry_source_record", ["run_id"])
    op.create_index("ix_registry_hukou_event_household", "registry_hukou_event", ["region", "household_no"])


def downgrade() -> None:
    op.drop_index("ix_registry_hukou_event_household", "registry_hukou_event")
    op.drop_index("ix_registry_source_record_run_id", "registry_source_record")
