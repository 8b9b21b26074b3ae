"""Imports every domain's tables so that `Base.metadata` (Alembic, tests) sees them all."""

import cradle.assistance.models  # noqa: F401
import cradle.audit  # noqa: F401
import cradle.auth.models  # noqa: F401
import cradle.batch.models  # noqa: F401
import cradle.childcare.models  # noqa: F401
import cradle.health.models  # noqa: F401
import cradle.jobs.models  # noqa: F401
import cradle.monitoring.models  # noqa: F401
import cradle.ops.models  # noqa: F401
import cradle.params.models  # noqa: F401
import cradle.payments.models  # noqa: F401
import cradle.registry.models  # noqa: F401
import cradle.services.models  # noqa: F401
from cradle.db import Base

__all__ = ["Base"]
