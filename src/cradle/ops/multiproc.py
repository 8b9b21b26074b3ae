"""prometheus-client's multiprocess mode for `cradle serve`: every worker writes its figures to files in one
directory, and a scrape sums them. prometheus-client reads PROMETHEUS_MULTIPROC_DIR when it is first imported,
so `prepare` runs before anything imports it, in the process that then starts the workers (they inherit it)."""

from __future__ import annotations

import os
from pathlib import Path

from cradle.config import get_settings


def prepare(port: int) -> Path:
    """The directory for the server on `port` (CRADLE_METRICS_DIR, default <data_dir>/metrics/<port>), emptied
    of a previous run's files: counters start again with the server, as Prometheus expects of a restart."""
    settings = get_settings()
    path = settings.metrics_dir or settings.data_dir / "metrics" / str(port)
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return path


def worker_gone(pid: int) -> None:
    """Drop a dead worker's live gauges (connections in use and open): they described a process that is gone."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)
