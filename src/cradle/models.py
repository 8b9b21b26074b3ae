"""Imports every domain's tables so that `Base.metadata` (Alembic, tests) sees them all."""

from cradle.db import Base

__all__ = ["Base"]
