"""The services and payments API as `/docs` shows it: every JSON route names its request and answer models, and
the actions' answers (sent as stored, not through FastAPI's serialiser) have the shape their model says."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from cradle.auth.actor import SYSTEM
from cradle.auth.testing import bearer_for, citizen_bearer
from cradle.db import session_scope
from cradle.payments import entitlements, rates
from cradle.payments.schemas import BatchSummary, Stopped
from cradle.services.schemas import (
    AppealDecided,
    AppealFiled,
    AttachmentAdded,
    BundleFiled,
    BundleOut,
    CaseOut,
    ConsentGranted,
    ConsentRevoked,
    DocumentOut,
    RegistrationOut,
    TaskMoved,
)
from cradle.web.app import create_app

from .helpers import AUNT, CHILD2, COUNTY, FATHER, MOTHER, TOWN, application, county

# Fields whose data are free-form (the engine's household document and verdict, a document's content, what a
# department issued, a task's view of the bundle) or maps keyed by a status.
FREE_FORM = {"household", "eligibility", "payload", "result", "data", "by_status", "changed", "identities"}


@pytest.fixture
def url(svc_sqlite_url, monkeypatch) -> str:
    monkeypatch.setenv("CRADLE_DATABASE_URL", svc_sqlite_url)  # where the auth middleware finds the tokens
    return svc_sqlite_url


def _bare_objects(schema: dict, schemas: dict, seen: frozenset = frozenset()) -> list[str]:
    """Properties typed as an object without properties, except the free-form ones."""
    found = []
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return [] if name in seen else _bare_objects(schemas[name], schemas, seen | {name})
    if schema.get("type") == "object" and "properties" not in schema:
        found.append(str(schema)[:80])
    for name, prop in schema.get("properties", {}).items():
        if name not in FREE_FORM:
            found += _bare_objects(prop, schemas, seen)
    for key in ("items", "anyOf"):
        for sub in [schema[key]] if isinstance(schema.get(key), dict) else schema.get(key, []):
            found += _bare_objects(sub, schemas, seen)
    return found


def test_every_json_route_names_its_shapes():
    spec = create_app(["cradle.services.api", "cradle.payments.api"]).openapi()
    schemas = spec["components"]["schemas"]
    problems = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            where = f"{method.upper()} {path}"
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None:
                problems += [f"{where} body: {b}" for b in _bare_objects(body["schema"], schemas)]
            answers = [(code, r) for code, r in op["responses"].items() if code.startswith("2")]
            for code, answer in answers:
                content = answer.get("content", {})
                if "application/json" not in content:
                    assert content, where  # a file download says its media type
                    continue
                schema = content["application/json"]["schema"]
                if not schema:
                    problems.append(f"{where} {code}: no answer model")
                problems += [f"{where} {code}: {b}" for b in _bare_objects(schema, schemas)]
    assert problems == []


def test_the_actions_answer_what_their_models_say(url):
    with session_scope(url) as s:
        rates.set_rate(
            s, county, "baiyin.childcare_allowance", COUNTY, dt.date(2024, 1, 1), 200, "白区政发〔2024〕1号"
        )
    app = create_app(["cradle.services.api", "cradle.payments.api"])
    app.state.database_url = url
    c = TestClient(app)
    mother = citizen_bearer(url, MOTHER, "李梅")
    town = bearer_for(url, "town_official", TOWN)
    finance = bearer_for(url, "dept_clerk", COUNTY, department="caizheng")

    def post(path, headers, key, **kw):
        r = c.post(path, headers={**headers, "Idempotency-Key": key}, **kw)
        assert r.status_code in (200, 201), r.text
        again = c.post(path, headers={**headers, "Idempotency-Key": key}, **kw)
        assert again.json() == r.json() and again.headers["Idempotent-Replayed"] == "true"
        return r.json()

    soon = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    registration = {
        "mother_id_number": MOTHER,
        "mother_name": "李梅",
        "hukou_region": COUNTY,
        "residence_region": COUNTY,
        "expected_birth": soon,
        "child_order": 2,
    }
    reg = RegistrationOut.model_validate(
        post("/api/v1/services/registrations", mother, "r1", json=registration)
    )
    DocumentOut.model_validate(post(f"/api/v1/services/registrations/{reg.reg_no}/certificate", mother, "d1"))
    case = CaseOut.model_validate(post("/api/v1/services/cases", mother, "c1", json=application()))
    pdf = b"%PDF-1.4\n%%EOF\n"
    files = {"file": ("证明.pdf", pdf, "application/pdf")}
    AttachmentAdded.model_validate(
        post(f"/api/v1/services/cases/{case.case_no}/attachments", mother, "a1", files=files)
    )
    moved = post(
        f"/api/v1/services/cases/{case.case_no}/actions/town_accept", town, "t1", json={"version": 1}
    )
    assert CaseOut.model_validate(moved).status == "town_review"
    born = (dt.date.today() - dt.timedelta(days=10)).isoformat()
    birth = {
        "mother_id_number": MOTHER,
        "mother_name": "李梅",
        "father_id_number": FATHER,
        "father_name": "王强",
        "child_name": "王三",
        "child_sex": "M",
        "child_birth_date": born,
        "birth_hospital": "白银市妇幼保健院",
        "hukou_region": COUNTY,
        "phone": "13800000001",
    }
    filed = TypeAdapter(BundleOut | BundleFiled).validate_python(
        post("/api/v1/services/bundles", mother, "b1", json=birth)
    )
    assert isinstance(filed, BundleOut) and filed.tasks
    weijian = bearer_for(url, "dept_clerk", COUNTY, department="weijian")
    task = c.get("/api/v1/services/tasks", headers=weijian).json()[0]
    TaskMoved.model_validate(post(f"/api/v1/services/tasks/{task['task_id']}/start", weijian, "k1"))
    consent = {
        "proxy_id_number": AUNT,
        "proxy_name": "李芳",
        "relation": "sibling",
        "scope": ["appeal"],
        "valid_until": soon,
        "evidence": "当面签字",
    }
    granted = ConsentGranted.model_validate(post("/api/v1/services/consents", mother, "g1", json=consent))
    revoked = c.delete(f"/api/v1/services/consents/{granted.id}", headers={**mother, "Idempotency-Key": "v1"})
    assert ConsentRevoked.model_validate(revoked.json()).revoked
    post(
        f"/api/v1/services/cases/{case.case_no}/actions/town_reject", town, "t2", json={"reason": "材料不全"}
    )
    appeal = AppealFiled.model_validate(
        post(
            "/api/v1/services/appeals",
            mother,
            "p1",
            json={"case_no": case.case_no, "kind": "rejection", "grounds": "已补齐"},
        )
    )
    decided = post(
        f"/api/v1/services/appeals/{appeal.appeal_no}/decision",
        town,
        "p2",
        json={"upheld": False, "outcome": "不成立"},
    )
    assert AppealDecided.model_validate(decided).status == "dismissed"
    batch = {"program": "baiyin.childcare_allowance", "period": "2025-05", "county": COUNTY}
    assert (
        BatchSummary.model_validate(
            post("/api/v1/services/payments/batches", finance, "f1", json=batch)
        ).count
        == 0
    )
    with session_scope(url) as s:
        entitlements.register(
            s,
            SYSTEM,
            case_ref="case:T1",
            program="baiyin.childcare_allowance",
            beneficiary_id_number=CHILD2,
            beneficiary_name="王二",
            payee_id_number=MOTHER,
            payee_name="李梅",
            account_no="6217000000000000001",
            bank_code="GSBANK",
            county=COUNTY,
            amount=Decimal("200"),
            frequency="monthly",
            start=dt.date(2025, 3, 10),
            end=dt.date(2028, 3, 10),
        )
    stop = {"beneficiary_id_number": CHILD2, "reason": "death", "effective": born}
    stopped = TypeAdapter(list[Stopped]).validate_python(
        post("/api/v1/services/payments/stops", finance, "s1", json=stop)
    )
    assert [(x.status, x.stop_reason) for x in stopped] == [("stopped", "death")]


def test_an_unknown_field_is_refused_naming_it(url):
    app = create_app(["cradle.services.api"])
    app.state.database_url = url
    r = TestClient(app).post(
        "/api/v1/services/cases",
        json={**application(), "colour": "blue"},
        headers={**citizen_bearer(url, MOTHER, "李梅"), "Idempotency-Key": "x1"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "colour"
