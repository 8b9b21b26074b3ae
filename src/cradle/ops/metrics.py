"""Prometheus metrics (`GET /metrics`, or `cradle serve --metrics-port`).

Requests by method, route template and status, with latency histograms by route (cradle.ops.middleware counts
them); the calculator API's batch sizes (cradle.policy.batching); database connections in use and open (pool
events); at scrape time, a few COUNT queries for the queues officials watch, and the last ingest, batch,
proactive and payment runs (`ops_run`, cradle.ops.runs).

Under `cradle serve` every worker writes its figures to memory-mapped files in one directory
(prometheus-client's multiprocess mode, PROMETHEUS_MULTIPROC_DIR, set by `cradle serve` before any worker
starts, see `cradle.ops.multiproc`), and a scrape answered by any worker sums them. Elsewhere (tests, a bare
uvicorn) the figures are this process's own. The queue and run figures come from the database, which every
process shares, so they are computed once per scrape, by whichever process answers it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import event, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import Pool

from cradle.db import get_engine
from cradle.ops.runs import last_runs
from cradle.payments.models import Batch
from cradle.registry.models import MatchCandidate, QuarantineRow
from cradle.services import review
from cradle.services.models import Case

log = logging.getLogger("cradle.ops")

OWN = CollectorRegistry()  # this process's figures; not prometheus-client's global registry
REQUESTS = Counter(
    "cradle_http_requests", "HTTP requests answered", ["method", "route", "status"], registry=OWN
)
LATENCY = Histogram(
    "cradle_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=OWN,
)
CALC_BATCH = Histogram(
    "cradle_calc_batch_size",
    "Households of concurrent POST /api/v1/calc requests computed in one engine run (cradle.policy.batching)",
    buckets=(1, 2, 4, 8, 16, 32, 64),
    registry=OWN,
)
# livesum: the sum over the workers alive now (a replaced worker's files are dropped, cradle.web.serving)
DB_IN_USE = Gauge(
    "cradle_db_connections_in_use",
    "Database connections checked out of the pools",
    multiprocess_mode="livesum",
    registry=OWN,
)
DB_OPEN = Gauge(
    "cradle_db_connections_open", "Database connections open", multiprocess_mode="livesum", registry=OWN
)


# A checkout the pool retries (a connection found dead by cradle.db's ping) fires "checkout" again without a
# "checkin": the mark on the pool's record counts each connection once.
def _checkout(_dbapi, record, _proxy) -> None:
    if not record.record_info.get("cradle_out"):
        record.record_info["cradle_out"] = True
        DB_IN_USE.inc()


def _checkin(_dbapi, record) -> None:
    if record is not None and record.record_info.pop("cradle_out", False):
        DB_IN_USE.dec()


event.listen(Pool, "checkout", _checkout)
event.listen(Pool, "checkin", _checkin)
event.listen(Pool, "connect", lambda *_: DB_OPEN.inc())
event.listen(Pool, "close", lambda *_: DB_OPEN.dec())
event.listen(Pool, "close_detached", lambda *_: DB_OPEN.dec())

UNMATCHED = "unmatched"  # a path no route serves: never the raw path, which may carry anything


def route_of(scope) -> str:
    """The route template that served the request (`/api/v1/services/applications/{case_no}`)."""
    route = scope.get("route")
    if route is not None:
        return getattr(route, "path_format", None) or route.path
    if scope.get("endpoint") is not None:  # a mount (static files): its prefix
        return scope.get("root_path", "") + "/{path}"
    return UNMATCHED


class QueueDepths:
    """What officials and operators watch, read from the database at scrape time: applications waiting at
    each review level and past their SLA (by county), open quarantined rows (by department), identity matches
    waiting, payment batches by state, and the last run of each kind. The counts go through indexed columns
    (svc_case's county + status index) or small tables. This collector reads other domains' tables, read-only
    and only to count them, so that the metrics stay one module."""

    def collect(self):

        try:
            with get_engine().connect() as conn:
                families = _queue_families(conn) + _run_families(conn)
            ok = 1
        except SQLAlchemyError as exc:
            log.warning("queue metrics not read: %s", str(exc).splitlines()[0])
            families, ok = [], 0
        yield from families
        yield GaugeMetricFamily("cradle_queue_metrics_up", "1 when the queue figures could be read", value=ok)


def _queue_families(conn) -> list[GaugeMetricFamily]:

    waiting = GaugeMetricFamily(
        "cradle_applications_waiting",
        "Applications waiting for an official, by county and review level",
        labels=["county", "level"],
    )
    levels = ("submitted", "town_review", "county_confirmation")
    for county, status, n in conn.execute(
        select(Case.county, Case.status, func.count())
        .where(Case.status.in_(levels))
        .group_by(Case.county, Case.status)
    ):
        waiting.add_metric([county, status], n)
    late = GaugeMetricFamily(
        "cradle_applications_past_sla", "Open applications past their SLA date, by county", labels=["county"]
    )
    for county, n in conn.execute(
        select(Case.county, func.count())
        .where(Case.status.not_in(review.FINAL), Case.sla_due < dt.date.today())
        .group_by(Case.county)
    ):
        late.add_metric([county], n)
    quarantine = GaugeMetricFamily(
        "cradle_quarantine_open",
        "Quarantined rows not yet resubmitted or dismissed, by department",
        labels=["dept"],
    )
    for dept, n in conn.execute(
        select(QuarantineRow.dept, func.count())
        .where(QuarantineRow.status == "open")
        .group_by(QuarantineRow.dept)
    ):
        quarantine.add_metric([dept], n)
    matches = GaugeMetricFamily(
        "cradle_identity_matches_waiting",
        "Possible same-person pairs waiting for an official's decision",
        value=conn.execute(
            select(func.count()).select_from(MatchCandidate).where(MatchCandidate.status == "pending")
        ).scalar_one(),
    )
    batches = GaugeMetricFamily("cradle_payment_batches", "Payment batches by state", labels=["state"])
    for state, n in conn.execute(select(Batch.status, func.count()).group_by(Batch.status)):
        batches.add_metric([state], n)
    return [waiting, late, quarantine, matches, batches]


def _run_families(conn) -> list[GaugeMetricFamily]:

    seconds = GaugeMetricFamily("cradle_last_run_seconds", "Duration of the last run", labels=["kind"])
    rows = GaugeMetricFamily("cradle_last_run_rows", "Rows the last run handled", labels=["kind"])
    finished = GaugeMetricFamily(
        "cradle_last_run_finished_timestamp_seconds",
        "When the last run finished (Unix time)",
        labels=["kind"],
    )
    for kind, run in sorted(last_runs(conn).items()):
        seconds.add_metric([kind], run.seconds)
        rows.add_metric([kind], run.rows)
        finished.add_metric([kind], run.finished_at.replace(tzinfo=dt.UTC).timestamp())
    return [seconds, rows, finished]


def registry() -> CollectorRegistry:
    """What a scrape reads: every worker's files in multiprocess mode, else this process's figures; and the
    database's queues and runs."""
    out = CollectorRegistry()
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        MultiProcessCollector(out, path)
    else:
        out.register(OWN)
    out.register(QueueDepths())
    return out


def exposition() -> tuple[bytes, str]:
    """The Prometheus text format and its content type."""
    return generate_latest(registry()), CONTENT_TYPE_LATEST


def serve_port(host: str, port: int):
    """The metrics alone on their own port, from a thread of this process (`cradle serve --metrics-port`);
    returns the server, to shut down."""
    from prometheus_client import start_http_server

    server, _thread = start_http_server(port, addr=host, registry=registry())
    return server
