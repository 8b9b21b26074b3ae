"""The childcare API as `/docs` shows it: every JSON route names its request and answer models, no body or answer
is an object without properties, and an answer sent through its model is the service's dict unchanged (no key
dropped, added or retyped)."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.encoders import jsonable_encoder
from fastapi.testclient import TestClient

from cradle.auth.testing import bearer_for
from cradle.childcare import capacity, disclosure, enrolment, filing, inspections, subsidies
from cradle.childcare.facilities import facility_dict, get_facility, list_facilities
from cradle.childcare.subsidy_desk import describe
from cradle.db import session_scope
from cradle.web.app import create_app

from .helpers import child_id, filed_facility
from .test_subsidies import ON, zibo_rule


def _bare_objects(schema: dict, schemas: dict, seen: frozenset = frozenset()) -> list[str]:
    """Objects in `schema` that declare no properties."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return [] if name in seen else _bare_objects(schemas[name], schemas, seen | {name})
    found = [str(schema)[:80]] if schema.get("type") == "object" and not schema.get("properties") else []
    for prop in schema.get("properties", {}).values():
        found += _bare_objects(prop, schemas, seen)
    for key in ("items", "anyOf"):
        for sub in [schema[key]] if isinstance(schema.get(key), dict) else schema.get(key, []):
            found += _bare_objects(sub, schemas, seen)
    return found


def test_every_route_names_its_shapes():
    spec = create_app(["cradle.childcare.api"]).openapi()
    schemas = spec["components"]["schemas"]
    problems = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            where = f"{method.upper()} {path}"
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None:
                problems += [f"{where} body: {b}" for b in _bare_objects(body["schema"], schemas)]
            for code, answer in op["responses"].items():
                if not code.startswith("2"):
                    continue
                content = answer["content"]
                if "application/json" not in content:
                    assert list(content) == ["image/svg+xml"], where  # the map
                    continue
                schema = content["application/json"]["schema"]
                problems += [
                    f"{where} {code}: {b}"
                    for b in _bare_objects(schema, schemas) or ([] if schema else ["{}"])
                ]
    assert problems == []
    scope_header = {p["name"] for p in spec["paths"]["/api/v1/childcare/facilities"]["get"]["parameters"]}
    assert "x-region-scope" in scope_header


@pytest.fixture
def filled(cc_url, monkeypatch):
    """A filed facility in 张店区 with a child, an inspection with an overdue finding, a grade, a black-list record
    and an approved subsidy; one station in 越城区 and one facility in 白银 (their own rules)."""
    monkeypatch.setenv("CRADLE_DATABASE_URL", cc_url)
    with session_scope(cc_url) as s:
        fid = filed_facility(s, 1, lat=36.8, lon=118.05).id
        filed_facility(s, 2, region="330602", type="community_station", community="府山社区")
        filed_facility(s, 3, region="620402", type="public", guidance_role=True)
        enrolment.enrol(
            s,
            fid,
            {
                "child_id_number": child_id(1, dt.date(2024, 1, 5)),
                "child_name": "小红",
                "start_on": "2025-03-01",
            },
        )
        ins = inspections.record_inspection(
            s,
            fid,
            {
                "visited_on": "2025-03-02",
                "inspector": "刘",
                "result": "corrections",
                "findings": [{"item": "fire_safety", "description": "灭火器过期", "deadline": "2025-03-10"}],
            },
        )
        inspections.set_grade(s, fid, "B", "2025-03-03", "市卫健委")
        app = subsidies.apply(s, fid, subsidies.CONSTRUCTION, ON, calc=zibo_rule)
        subsidies.transition(s, app.id, "approve", ON)
        inspections.add_credit_record(s, fid, {"list_type": "black", "reason": "x", "start_on": "2025-03-20"})
        return {
            "facility": fid,
            "filing": filing.queue(s, None, ("accepted",))[0].id,
            "app": app.id,
            "ins": ins.id,
        }


def test_answers_are_the_service_dicts(filled, cc_url):
    fid, on = filled["facility"], dt.date(2025, 3, 25)
    day = {"on": on.isoformat()}
    with TestClient(create_app(["cradle.childcare.api"])) as client:
        client.headers.update(bearer_for(cc_url, "administrator", "cn"))

        def answer(path: str, **params):
            r = client.get(f"/api/v1/childcare{path}", params=params)
            assert r.status_code == 200, r.text
            return r.json()

        with session_scope(cc_url) as s:
            f = get_facility(s, fid)
            expected = {
                "/facilities": (
                    day,
                    {
                        "as_of": on.isoformat(),
                        "facilities": [facility_dict(s, x, on) for x in list_facilities(s)],
                    },
                ),
                f"/facilities/{fid}": (
                    day,
                    {
                        **facility_dict(s, f, on, detail=True),
                        "quality": inspections.quality_summary(s, fid, on),
                    },
                ),
                f"/filings/{filled['filing']}": (
                    {},
                    filing.filing_dict(s, filing.get_filing(s, filled["filing"])),
                ),
                f"/facilities/{fid}/roster": (
                    day,
                    {"as_of": on.isoformat(), "children": enrolment.roster(s, fid, on)},
                ),
                f"/facilities/{fid}/inspections": ({}, {"inspections": inspections.inspections_of(s, fid)}),
                "/overdue": (day, {"as_of": on.isoformat(), "facilities": inspections.overdue(s, on)}),
                "/capacity": ({**day, "region": "370300"}, capacity.capacity_report(s, "370300", on)),
                "/coverage": ({**day, "region": "370300"}, capacity.coverage(s, "370300", on)),
                "/stations": (
                    {**day, "region": "330600", "communities_total": 4},
                    capacity.station_coverage(s, "330600", 4, on),
                ),
                "/residential-requirement": (
                    {"region": "620402", "planned_population": 3001},
                    capacity.residential_requirement("620402", 3001),
                ),
                "/subsidies": (
                    {},
                    {"applications": [subsidies.application_dict(s, a) for a in subsidies.applications(s)]},
                ),
                f"/subsidies/{filled['app']}/payment": ({}, describe(s, filled["app"])),
                "/public/facilities": (day, disclosure.public_listing(s, on)),
            }
            no_rule = capacity.residential_requirement("370303", 3001)
            no_centre = capacity.coverage(s, "140100", on)  # 太原's counties need no centre: no "centres"
        for path, (params, service) in expected.items():
            assert answer(path, **params) == jsonable_encoder(service), path
        assert answer("/residential-requirement", region="370303", planned_population=3001) == no_rule
        assert "centres" not in no_centre["counties"][0]
        assert answer("/coverage", region="140100", **day) == no_centre
        shown = answer(f"/facilities/{fid}", **day)
        assert shown["quality"]["credit_label"] == "黑名单" and shown["filing_status_label"] == "已备案"
        assert "slots_needed" in answer("/capacity", region="370303", **day)["region"]
