"""The payments tests use the migrated-database fixtures of tests/conftest.py, and the services tests' actors."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `from services.helpers import …`
