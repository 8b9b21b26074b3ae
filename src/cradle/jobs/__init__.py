"""Scheduled jobs: the recurring work of every domain run by `cradle jobs run NAME` under a lock, with a record of
every run (cradle.jobs.registry lists the jobs)."""
