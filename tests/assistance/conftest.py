"""The assistance tests use the migrated-database fixtures of tests/conftest.py."""
