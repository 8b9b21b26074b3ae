"""registry: a partial index of persons without an ID number (name, birth date), so queueing look-alikes probes
only the few unnumbered persons instead of every person with that birth date.

Revision ID: 0013_registry_unnumbered_index
Revises: 0012_registry_quarantine_crypt
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_registry_unnumbered_index"
down_revision = "0012_registry_quarantine_crypt"
branch_labels = None
depends_on = None

WHERE = sa.text("id_number IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_registry_person_unnumbered",
        "registry_person",
        ["birth_date", "name"],
        postgresql_where=WHERE,
        sqlite_where=WHERE,
    )


def downgrade() -> None:
    op.drop_index("ix_registry_person_unnumbered", table_name="registry_person")
