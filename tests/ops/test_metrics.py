"""/metrics: Prometheus text for the token or a caller on this machine only; requests by route template and
status, the queues officials watch, the last runs (also of a `cradle` run in another process), and under
`cradle serve --workers 2` the sum of both workers, on the main port and on --metrics-port."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from cradle.db import get_engine, session_scope
from cradle.ops.runs import record_run
from cradle.testing.postgres import _free_port

CRADLE = str(Path(sys.executable).with_name("cradle"))


def samples(body: str) -> dict[tuple, float]:
    """(name, sorted labels) -> value."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body)
        for s in family.samples
    }


def value(found: dict, name: str, **labels) -> float | None:
    return found.get((name, tuple(sorted(labels.items()))))


def test_a_caller_from_another_machine_is_refused(client, use_db, svc_sqlite_url):
    use_db(svc_sqlite_url)
    r = client.get("/metrics")
    assert r.status_code == 403
    assert r.json()["errors"][0]["message"] == "运行指标只提供给持有指标令牌的调用方，或本机上的调用方。"


def test_a_proxied_request_from_loopback_is_refused(local_client, use_db, svc_sqlite_url):
    use_db(svc_sqlite_url)
    assert local_client.get("/metrics").status_code == 200
    assert local_client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 403


def test_with_a_token_only_the_token_reads_them(client, local_client, use_db, svc_sqlite_url, monkeypatch):
    use_db(svc_sqlite_url)
    monkeypatch.setenv("CRADLE_METRICS_TOKEN", "s3cret-metrics-token")
    assert local_client.get("/metrics").status_code == 403  # loopback is not enough once a token is set
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    r = client.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics-token"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")


def test_requests_are_counted_by_route_template_never_by_path(local_client, use_db, svc_sqlite_url):
    use_db(svc_sqlite_url)
    for clause in ("一", "二（四）2"):
        local_client.get(f"/api/v1/documents/003_9583e153e8ef1680.txt/clauses/{clause}")
    local_client.get("/no/such/110101199003070011")
    body = local_client.get("/metrics").text
    found = samples(body)
    route = "/api/v1/documents/{document}/clauses/{clause}"
    answered = sum(
        v
        for (name, labels), v in found.items()
        if name == "cradle_http_requests_total" and ("route", route) in labels
    )
    assert answered >= 2
    assert value(found, "cradle_http_request_duration_seconds_count", method="GET", route=route) >= 2
    assert value(found, "cradle_http_requests_total", method="GET", route="unmatched", status="404") >= 1
    assert "003_9583e153e8ef1680" not in body and "110101199003070011" not in body


def test_queue_depths_and_last_runs(local_client, use_db, svc_url):
    from cradle.registry.models import IngestRun, MatchCandidate, Person, QuarantineRow
    from cradle.services.demo import load_demo

    use_db(svc_url)
    with session_scope(svc_url) as s:
        load_demo(s)  # applications at every review level, a paid batch: a payment run recorded
        run = IngestRun(dept="weijian", file_name="w.csv", status="done")
        s.add(run)
        s.flush()
        for n, status in enumerate(("open", "open", "dismissed")):
            s.add(
                QuarantineRow(
                    run_id=run.id,
                    dept="weijian",
                    file_name="w.csv",
                    row_no=n + 2,
                    row_hash=n,
                    field="id_number",
                    reason="checksum",
                    message="x",
                    raw={},
                    status=status,
                )
            )
        a, b = (Person(name="甲", sex="F", birth_date=dt.date(1990, 1, 1)) for _ in range(2))
        s.add_all([a, b])
        s.flush()
        s.add(MatchCandidate(person_id=a.id, candidate_id=b.id, basis="name+birth_date"))
    with get_engine(svc_url).begin() as conn:  # one open case long past its SLA date
        conn.execute(
            text(
                "UPDATE svc_case SET sla_due = :d WHERE id = "
                "(SELECT min(id) FROM svc_case WHERE status = 'town_review')"
            ),
            {"d": dt.date(2000, 1, 1)},
        )
    record_run("ingest", 12.5, 4000, engine=get_engine(svc_url))
    record_run("ingest", 3.25, 1500, engine=get_engine(svc_url))  # the last one counts

    found = samples(local_client.get("/metrics").text)
    for level in ("submitted", "town_review", "county_confirmation"):
        assert value(found, "cradle_applications_waiting", county="370303", level=level) >= 1
    assert value(found, "cradle_applications_past_sla", county="370303") == 1
    assert value(found, "cradle_quarantine_open", dept="weijian") == 2
    assert value(found, "cradle_identity_matches_waiting") == 1
    assert value(found, "cradle_payment_batches", state="reconciled") == 1
    assert value(found, "cradle_last_run_seconds", kind="ingest") == 3.25
    assert value(found, "cradle_last_run_rows", kind="ingest") == 1500
    assert value(found, "cradle_last_run_rows", kind="payment") == 2
    finished = value(found, "cradle_last_run_finished_timestamp_seconds", kind="ingest")
    assert abs(finished - time.time()) < 600
    assert value(found, "cradle_queue_metrics_up") == 1


def test_a_run_of_another_process_is_seen(local_client, use_db, svc_sqlite_url, tmp_path):
    """`cradle ingest` in its own process: its duration and row count reach /metrics through the database."""
    from cradle.reliability.fault_ingest import synth

    use_db(svc_sqlite_url)
    manifest = synth(tmp_path / "feeds", 300)
    feed = tmp_path / "feeds" / manifest["feeds"]["weijian"]["file"]
    done = subprocess.run(
        [CRADLE, "ingest", "weijian", str(feed)],
        env={**os.environ, "CRADLE_DATABASE_URL": svc_sqlite_url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    found = samples(local_client.get("/metrics").text)
    assert value(found, "cradle_last_run_rows", kind="ingest") == manifest["feeds"]["weijian"]["rows"]
    assert value(found, "cradle_last_run_seconds", kind="ingest") > 0


def test_a_database_that_cannot_be_read_gives_up_the_queues_only(local_client, use_db, tmp_path):
    use_db(f"sqlite:///{tmp_path / 'empty.db'}")  # no tables
    local_client.get("/healthz")
    r = local_client.get("/metrics")
    assert r.status_code == 200
    found = samples(r.text)
    assert value(found, "cradle_queue_metrics_up") == 0
    assert value(found, "cradle_http_requests_total", method="GET", route="/healthz", status="200") >= 1


def _scrape(url: str) -> dict:
    return samples(httpx.get(url, timeout=30).text)


@pytest.mark.slow
def test_the_workers_of_cradle_serve_are_summed(svc_sqlite_url, tmp_path):
    port, metrics_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "CRADLE_DATABASE_URL": svc_sqlite_url,
        "CRADLE_DATA_DIR": str(tmp_path / "var"),
        "CRADLE_API_RATE_PER_MINUTE": "0",
    }
    proc = subprocess.Popen(
        [CRADLE, "serve", "--port", str(port), "--workers", "2", "--metrics-port", str(metrics_port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        seen, started = [], 0
        while started < 2:  # until both workers have said their app started
            line = proc.stdout.readline()
            assert line, "".join(seen)  # the server ended
            seen.append(line)
            started += "Application startup complete" in line
        # 40 connections, each to whichever worker the kernel picks (SO_REUSEPORT): both get some
        for _ in range(40):
            with httpx.Client() as c:
                assert c.get(base + "/api/v1/regions").status_code == 200
        workers = set()
        for f in (tmp_path / "var" / "metrics" / str(port)).glob("counter_*.db"):
            workers.add(re.search(r"_(\d+)\.db$", f.name).group(1))
        assert len(workers) == 2, workers  # both workers counted requests
        for url in (base + "/metrics", f"http://127.0.0.1:{metrics_port}/metrics"):
            found = _scrape(url)
            assert (
                value(
                    found, "cradle_http_requests_total", method="GET", route="/api/v1/regions", status="200"
                )
                == 40
            )
            assert value(found, "cradle_db_connections_open") is not None
            assert value(found, "cradle_queue_metrics_up") == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=40)


@pytest.mark.postgres
def test_queue_depths_on_postgresql_too(local_client, use_db, svc_pg_url):
    use_db(svc_pg_url)
    record_run("batch", 7.5, 123456, engine=get_engine(svc_pg_url))
    found = samples(local_client.get("/metrics").text)
    assert value(found, "cradle_last_run_rows", kind="batch") == 123456
    assert value(found, "cradle_identity_matches_waiting") == 0
    assert value(found, "cradle_queue_metrics_up") == 1
