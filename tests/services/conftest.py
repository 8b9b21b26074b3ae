"""The services tests use the migrated-database fixtures of tests/conftest.py (svc_url, session, …)."""
