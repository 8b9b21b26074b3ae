"""One JSON line per request and per `cradle` command; X-Request-ID taken or made, and echoed; ID numbers and
mobile numbers masked in whatever reaches a log line."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from fastapi import APIRouter
from fastapi.testclient import TestClient

from cradle.auth.testing import bearer_for
from cradle.ops.logs import JsonFormatter, MaskPersonalData, is_record, mask_text
from cradle.web.app import create_app

CRADLE = str(Path(sys.executable).with_name("cradle"))
ID = "110101199003070011"
PHONE = "13812345678"


def _line(record: logging.LogRecord) -> dict:
    MaskPersonalData().filter(record)
    out = JsonFormatter().format(record)
    assert "\n" not in out
    return json.loads(out)


def test_id_numbers_and_mobiles_are_masked_wherever_they_are_in_a_record():
    try:
        raise ValueError(f"no person {ID}")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "lookup %s by %s", (ID, PHONE), exc_info)
    record.note = f"phone {PHONE}"
    line = json.dumps(_line(record), ensure_ascii=False)
    assert ID not in line and PHONE not in line
    assert "110101**********11" in line and "138****5678" in line and "no person 110101" in line


def test_ids_of_other_shapes_are_left_alone():
    request_id = "3f2a9c1e0b7d4e6fa1b2c3d4e5f60718"  # hex: a run of digits inside it is not a number
    assert mask_text(f"{request_id} 200 12.5ms 2026-01-02") == f"{request_id} 200 12.5ms 2026-01-02"
    assert mask_text("order 1234567890123456789012") == "order 1234567890123456789012"  # 22 digits


def test_a_request_is_one_line_with_route_status_actor_and_the_request_id(svc_sqlite_url, use_db, caplog):
    use_db(svc_sqlite_url)
    official = bearer_for(svc_sqlite_url, "county_official", "370303")
    caplog.set_level(logging.INFO, logger="cradle.request")
    with TestClient(create_app()) as c:
        r = c.get(
            f"/api/v1/registry/persons?id_number={ID}", headers={**official, "X-Request-ID": "lb-7f3a.19"}
        )
    assert r.headers["x-request-id"] == "lb-7f3a.19"
    (record,) = [r for r in caplog.records if r.name == "cradle.request"]
    line = _line(record)
    assert line["request_id"] == "lb-7f3a.19"
    assert line["route"] == "/api/v1/registry/persons" and line["method"] == "GET"
    assert line["status"] == r.status_code and line["duration_ms"] > 0
    assert line["actor_id"].startswith("account:") and line["role"] == "county_official"
    assert ID not in json.dumps(line, ensure_ascii=False)
    assert set(line) >= {"time", "level", "message"}


def test_a_request_id_is_made_when_none_or_an_unusable_one_is_given(client):
    for given in (None, "x" * 65, "two words", "<script>"):
        r = client.get("/healthz", headers={"X-Request-ID": given} if given else {})
        assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"]), given
    first = client.get("/healthz").headers["x-request-id"]
    assert client.get("/healthz").headers["x-request-id"] != first


def test_a_crash_is_logged_with_its_status_and_answered_with_the_request_id(caplog):
    caplog.set_level(logging.INFO, logger="cradle.request")
    app = create_app(["cradle.ops.api"])
    boom = APIRouter()

    @boom.get("/boom/{n}")
    def crash(n: int):
        raise RuntimeError(f"failed for {ID}")

    app.include_router(boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/boom/1", headers={"X-Request-ID": "crash-1"})
    assert r.status_code == 500 and r.headers["x-request-id"] == "crash-1"
    (record,) = [r for r in caplog.records if r.name == "cradle.request"]
    line = _line(record)
    assert line["status"] == 500 and line["level"] == "error" and line["route"] == "/boom/{n}"


def test_a_cradle_command_ends_with_one_json_line(tmp_path):
    env = {**os.environ, "CRADLE_DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"}
    done = subprocess.run(
        [CRADLE, "init-db", "--no-demo"], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert all(is_record(line) for line in done.stderr.splitlines())
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    assert lines[-1]["job"] == "init-db" and lines[-1]["exit_code"] == 0 and lines[-1]["level"] == "info"
    failed = subprocess.run(
        [CRADLE, "household", ID, "--on", "2025-01-01"],
        env={**env, "CRADLE_DATABASE_URL": f"sqlite:///{tmp_path / 'never.db'}"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    said, last = failed.stderr.splitlines()[-2:]
    last = json.loads(last)
    assert not is_record(said)  # the error the command printed for its user, just before its job line
    assert failed.returncode != 0 and last["job"] == "household" and last["exit_code"] == failed.returncode
    assert ID not in failed.stderr  # the command's argument is not logged
