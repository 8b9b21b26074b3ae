"""The registry's scheduled job (registered in cradle.jobs.registry): uploaded files whose ingest a worker left
unfinished are ingested (`upload_jobs.resume_abandoned`). Its counts are the run's record (no personal data)."""

from __future__ import annotations

from cradle.jobs.registry import JobContext
from cradle.registry import upload_jobs


def uploads(ctx: JobContext) -> dict:
    return upload_jobs.resume_abandoned(ctx.url)
