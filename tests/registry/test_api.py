"""The registry JSON API: search with masking by role, history with sources, runs with quarantine."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle.auth import roles
from cradle.auth.testing import bearer_for
from cradle.db import make_engine
from cradle.registry import models as m
from cradle.registry.ingest import ingest_directory
from cradle.testing.postgres import copy_sqlite


@pytest.fixture(scope="module")
def api(county_feeds, tmp_path_factory, _migrated_sqlite_template):
    url = copy_sqlite(_migrated_sqlite_template, tmp_path_factory.mktemp("api"))  # migrated
    ingest_directory(county_feeds[0], engine=make_engine(url))
    mp = pytest.MonkeyPatch()
    mp.setenv("CRADLE_DATABASE_URL", url)
    from cradle.web.app import create_app

    client = TestClient(create_app(["cradle.registry.api"]))
    yield client, url
    mp.undo()


def test_search_masks_id_numbers_unless_the_role_handles_cases(api):
    client, url = api
    with Session(make_engine(url)) as s:
        p = s.execute(
            select(m.Person).where(m.Person.region == "441523", m.Person.id_number.is_not(None)).limit(1)
        ).scalar_one()
    assert client.get("/api/v1/registry/persons", params={"name": p.name}).status_code == 401
    city = bearer_for(url, roles.CITY, "441500")
    found = client.get("/api/v1/registry/persons", params={"id_number": p.id_number}, headers=city).json()
    (hit,) = found["persons"]
    assert hit["masked"] and hit["id_number"] != p.id_number and hit["id_number"].startswith("441523")
    county = bearer_for(url, roles.COUNTY, "441523")
    (hit,) = client.get("/api/v1/registry/persons", params={"id_number": p.id_number}, headers=county).json()[
        "persons"
    ]
    assert hit["id_number"] == p.id_number and not hit["masked"]
    other = bearer_for(url, roles.COUNTY, "370303")
    assert (
        client.get("/api/v1/registry/persons", params={"id_number": p.id_number}, headers=other).json()[
            "persons"
        ]
        == []
    )
    assert client.get("/api/v1/registry/persons", headers=county).status_code == 422


def test_history_runs_and_quarantine(api, county_feeds):
    client, url = api
    manifest = county_feeds[1]
    county = bearer_for(url, roles.COUNTY, "441523")
    with Session(make_engine(url)) as s:
        mother = s.execute(select(m.Birth.mother_id).limit(1)).scalar_one()
    h = client.get(f"/api/v1/registry/persons/{mother}", headers=county).json()
    kinds = {f["kind"] for f in h["facts"]}
    assert {"hukou", "birth"} <= kinds
    src = next(f for f in h["facts"] if f["kind"] == "birth")["source"]
    assert src["dept"] == "weijian" and src["file"].endswith("weijian.csv") and src["row"] >= 2
    hh = client.get(
        f"/api/v1/registry/persons/{mother}/household", headers=county, params={"on": "2025-07-01"}
    ).json()
    assert any(x["relation"] == "child" for x in hh["members"])
    runs = client.get("/api/v1/registry/runs", headers=county).json()["runs"]
    assert len(runs) == sum(1 for f in manifest["feeds"].values() if f["rows"])  # one run per file with rows
    run = next(r for r in runs if r["dept"] == "gongan")
    detail = client.get(f"/api/v1/registry/runs/{run['id']}", headers=county).json()
    assert len(detail["quarantine"]) == run["quarantined"] > 0
    assert {q["reason"] for q in detail["quarantine"]} == set(run["reasons"])
    csv = client.get("/api/v1/registry/quarantine.csv", params={"run_id": run["id"]}, headers=county)
    assert csv.status_code == 200 and csv.text.count("\n") == run["quarantined"] + 1


def test_openapi_shows_every_answer_and_body(api):
    client, _ = api
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    routes = {p: ops for p, ops in spec["paths"].items() if p.startswith("/api/v1/registry/")}
    assert len(routes) == 15  # with POST /quarantine/dismiss, POST /uploads and GET /uploads/{upload_id}
    for path, ops in routes.items():
        for op in ops.values():
            answer = op["responses"].get("200", op["responses"].get("202"))["content"]
            if path.endswith(".csv"):
                assert list(answer) == ["text/csv"], path
                continue
            bodies = [answer["application/json"]["schema"]]
            bodies += [c["schema"] for c in op.get("requestBody", {}).get("content", {}).values()]
            for body in bodies:
                assert schemas[body["$ref"].rsplit("/", 1)[-1]]["properties"], path
