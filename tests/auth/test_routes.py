"""Every route of the app: the public ones stay public; every other one refuses an anonymous caller, and a
county official of 370304 (淄川区) gets none of 370303's (张店区) data from it, whatever the parameters."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import _IncludedRouter  # FastAPI ≥0.160 keeps included routers as branches

from cradle.auth.testing import bearer_for
from cradle.web.app import create_app

from .seed import CHILD_ID, CHILD_NAME, REG_ID, markers, seed

# (method, path) of every route open to anonymous callers, and why.
PUBLIC = {
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/redoc"),
    # the calculator, programs, documents and regions (policy engine and its pages)
    ("POST", "/api/v1/calc"),
    ("POST", "/api/v1/calc/facility"),
    ("GET", "/api/v1/programs"),
    ("GET", "/api/v1/regions"),
    ("GET", "/api/v1/documents"),
    ("GET", "/api/v1/documents/{document}/clauses/{clause}"),
    ("GET", "/"),
    ("POST", "/calc/results"),
    ("GET", "/programs"),
    ("GET", "/documents"),
    ("GET", "/clauses/{document}/{clause:path}"),
    # public facility disclosure (托育机构信息公示) and the residential-area rule (a pure calculation)
    ("GET", "/api/v1/childcare/public/facilities"),
    ("GET", "/api/v1/childcare/public/map.svg"),
    ("GET", "/api/v1/childcare/residential-requirement"),
    ("GET", "/childcare"),
    ("GET", "/childcare/facilities/{facility_id}"),
    # published indicators, plan boards, warnings and projections
    ("GET", "/api/v1/monitoring/indicators"),
    ("GET", "/api/v1/monitoring/values/{indicator_id}/{region}"),
    ("GET", "/api/v1/monitoring/plan/{region}"),
    ("GET", "/api/v1/monitoring/warnings"),
    ("GET", "/api/v1/monitoring/projection"),
    ("GET", "/monitoring"),
    ("GET", "/monitoring/{code}"),
    ("GET", "/monitoring/{code}/indicators/{indicator_id}"),
    ("GET", "/monitoring/{code}/report"),
    ("GET", "/monitoring/{code}/report.pdf"),
    # signing in and registering; signing out is a no-op for anonymous callers
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/register"),
    ("GET", "/auth/login"),
    ("POST", "/auth/login"),
    ("GET", "/auth/register"),
    ("POST", "/auth/register"),
    ("POST", "/auth/logout"),
    ("GET", "/home"),
    # anyone holding an issued document's number may check that it is genuine (the QR code's target)
    ("GET", "/api/v1/services/verify/{doc_no}"),
    # a load balancer's and systemd's probes: alive, and ready (which check fails, never any data); /metrics is
    # not public: it answers the metrics token, or a caller on the server itself (cradle.ops.api)
    ("GET", "/healthz"),
    ("GET", "/readyz"),
}
REFUSED = {401, 403}
# What the refusals of cradle.auth say (zh), to tell them from a public route's own 401/403 (a wrong password).
REFUSAL_TEXTS = ("请先登录", "无权办理", "不在您的管辖范围", "表单已过期")


def all_routes(app) -> list[tuple[str, str]]:
    def walk(routes):
        for r in routes:
            if isinstance(r, _IncludedRouter):
                yield from walk(r.effective_candidates())
            else:
                yield r

    out = []
    for r in walk(app.routes):
        original = getattr(r, "original_route", r)
        for method in sorted(getattr(original, "methods", None) or []):
            if method != "HEAD":
                out.append((method, r.path))
    return out


def fill(path: str, ids: dict) -> str:
    values = {
        "facility_id": ids["facility_id"],
        "filing_id": ids["filing_id"],
        "enrolment_id": ids["enrolment_id"],
        "finding_id": ids["finding_id"],
        "region": "370303",
        "code": "370303",
        "indicator_id": "newborn_hearing_screening_rate",
        "document": "003_9583e153e8ef1680.txt",
        "clause": "二（四）2",
        "report_id": ids["report_id"],
        "evidence_id": ids["evidence_id"],
        "survey_id": ids["survey_id"],
        "run_id": ids["monitoring_run_id"] if path.startswith("/whatif/") else ids["run_id"],
        "person_id": ids["person_id"],
        "row_id": ids["row_id"],
        "candidate_id": ids["candidate_id"],
        "merge_id": ids["merge_id"],
        "pregnancy_no": ids["pregnancy_no"],
        "case_id": ids["case_id"],
        "death_id": ids["death_id"],
        "offer_id": ids["offer_id"],
        "guidance_id": ids["guidance_id"],
        "institution_code": ids["institution_code"],
        "action": "visits",
        "year": 2024,
        "entry_id": ids["entry_id"],
        "objection_id": ids["objection_id"],
        "family_id": ids["family_id"],
        "task_id": ids["task_id"],
    }
    if "monitoring" in path:  # a plan task's id (a services task's id is a number)
        values["task_id"] = "zibo.3-2.1"
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(values.get(m.group(1), 1)), path)


QUERY = {
    "region": "370303",
    "on": "2025-06-01",
    "year": "2024",
    "communities_total": "1",
    "planned_population": "1000",
    "facility_id": "1",
}
# Asked of routes that look a person up by number (the number itself is then not a sign of a leak in the URL).
PERSON_QUERY = {
    "/api/v1/childcare/care": {"id_number": CHILD_ID},
    "/api/v1/registry/persons": {"id_number": REG_ID},
}


def body(ids: dict) -> dict:
    return {
        "region": "370303",
        "region_code": "370303",
        "action": "accept",
        "actor": "county",
        "child_id_number": CHILD_ID,
        "child_name": "x",
        "start_on": "2025-06-01",
        "end_on": "2025-07-01",
        "program": "zibo.nursery_fee_subsidy",
        "visited_on": "2025-06-01",
        "inspector": "x",
        "result": "pass",
        "ids": [ids["row_id"]],
        "changes": {"name": "x"},
        "confirm": True,
        "reason": "x",
    }


def call(client, method, path, ids, headers=None):
    url = fill(path, ids)
    query = {**QUERY, **PERSON_QUERY.get(path, {})}
    if method == "GET":
        return client.get(url, params=query, headers=headers)
    if path.startswith("/api/"):
        return client.request(method, url, params=query, json=body(ids), headers=headers)
    # a form carries the visitor's double-submit token, so only authority (not CSRF) decides the answer
    form = {**body(ids), "csrf_token": client.cookies.get("cradle_csrf") or ""}
    return client.request(method, url, params=query, data=form, headers=headers)


def refused(r) -> bool:
    return r.status_code in REFUSED and any(text in r.text for text in REFUSAL_TEXTS)


def anonymous_leaks(client, ids, routes) -> list[str]:
    client.get("/auth/login")  # the visitor's CSRF cookie
    leaks = []
    for method, path in routes:
        r = call(client, method, path, ids)
        redirected_to_login = r.status_code == 303 and r.headers["location"].startswith("/auth/login")
        if (method, path) in PUBLIC:
            if refused(r) or redirected_to_login:
                leaks.append(f"public {method} {path} refused: {r.status_code}")
        elif not (r.status_code in REFUSED or redirected_to_login):
            leaks.append(f"{method} {path} answered an anonymous caller: {r.status_code} {r.text[:120]}")
    return leaks


def scope_leaks(client, ids, routes, headers) -> list[str]:
    leaks = []
    for method, path in routes:
        if (method, path) in PUBLIC or path.startswith("/api/v1/auth/"):
            continue
        r = call(client, method, path, ids, headers=headers)
        shown = [m for m in markers(ids) if m in r.text]
        refused_form = r.status_code == 303 and "error=" in r.headers.get("location", "")
        if shown or (method != "GET" and r.status_code < 400 and not refused_form):
            leaks.append(f"{method} {path}: {r.status_code} shows {shown}")
    return leaks


@pytest.fixture
def app_client(auth_url):
    from fastapi.testclient import TestClient

    with TestClient(create_app(), base_url="https://testserver", follow_redirects=False) as c:
        yield c


def test_public_list_names_only_existing_routes(app_client):
    routes = set(all_routes(app_client.app))
    assert PUBLIC - routes == set()


def test_anonymous_callers_are_refused_everywhere_but_public_routes(app_client, auth_url):
    ids = seed(auth_url)
    routes = [(m, p) for m, p in all_routes(app_client.app)]
    leaks = anonymous_leaks(app_client, ids, routes)
    assert leaks == [], "\n".join(leaks)


def test_an_official_of_370304_gets_nothing_of_370303(app_client, auth_url):
    ids = seed(auth_url)
    other = bearer_for(auth_url, "county_official", "370304")
    own = bearer_for(auth_url, "county_official", "370303")
    # the same requests show the data to 370303's own official, so the markers are meaningful
    r = app_client.get(f"/api/v1/childcare/facilities/{ids['facility_id']}/roster", headers=own)
    assert r.status_code == 200 and CHILD_NAME in r.text
    routes = [(m, p) for m, p in all_routes(app_client.app)]
    leaks = scope_leaks(app_client, ids, routes, other)
    assert leaks == [], "\n".join(leaks)
    # and nothing of 370303 changed: the filing is still accepted, the child still enrolled
    r = app_client.get(f"/api/v1/childcare/filings/{ids['filing_id']}", headers=own).json()
    assert r["status"] == "accepted"
    roster = app_client.get(f"/api/v1/childcare/facilities/{ids['facility_id']}/roster", headers=own).json()
    assert [c["child_name"] for c in roster["children"]] == [CHILD_NAME]
