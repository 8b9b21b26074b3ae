"""Schemathesis over every operation of the app's OpenAPI schema: no 5xx, no stack trace, one error shape."""

from __future__ import annotations

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from cradle.reliability.apifuzz import fuzz_api
from cradle.reliability.shape import answer_problem
from cradle.web.app import create_app


def test_every_operation_keeps_the_error_property(migrated_sqlite):
    result = fuzz_api(migrated_sqlite, examples=2, modes=("positive",))
    assert result.operations >= 80 and result.requests >= result.operations
    assert not result.errors
    assert result.server_errors == 0 and not result.findings, result.unique_findings()[:5]


@pytest.mark.slow
@pytest.mark.parametrize(
    "shard", [0, 1, 2]
)  # a third of the operations each, so the test processes share them
def test_every_operation_keeps_the_error_property_negative(migrated_sqlite, shard):
    result = fuzz_api(migrated_sqlite, examples=5, modes=("negative",), shard=(shard, 3))
    assert result.operations >= 25
    assert result.server_errors == 0 and not result.findings, result.unique_findings()[:5]


def test_shape_check_catches_breaches():
    assert answer_problem(500, "application/json", '{"errors": []}') == "status 500"
    assert "keys" in answer_problem(422, "application/json", '{"errors": [{"field": "x", "message": "m"}]}')
    assert "trace" in answer_problem(
        400,
        "application/json",
        '{"errors": [{"field": null, "code": "c", "message": "Traceback (most recent call last)"}]}',
    )
    assert (
        answer_problem(422, "application/json", '{"errors": [{"field": null, "code": "c", "message": "m"}]}')
        is None
    )


def test_database_unavailable_is_a_503_in_the_error_shape():
    router = APIRouter()

    @router.get("/api/v1/boom")
    def boom():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    app = create_app([])
    app.include_router(router)
    r = TestClient(app, raise_server_exceptions=False).get("/api/v1/boom")
    assert r.status_code == 503 and r.headers["retry-after"] == "5"
    assert r.json()["errors"][0]["code"] == "database_unavailable"
    assert answer_problem(200, r.headers["content-type"], r.text) is None
