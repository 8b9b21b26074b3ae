"""The policy API's answers have the shapes /docs shows, and its refusals speak the request's language."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cradle.cli import app
from cradle.policy.calc import calc_household
from cradle.policy.cases import load_cases
from cradle.policy.facility import calc_facility
from cradle.policy.listing import list_programs
from cradle.policy.schemas import CalcOut, ProgramOut
from cradle.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
ON = dt.date(2025, 7, 1)


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def test_every_worked_case_answers_in_the_entitlement_format():
    """The calc routes answer orjson bytes that FastAPI does not check against CalcOut, so this does: every pack's
    worked cases, with the programs that did not apply (the model refuses a key it does not declare)."""
    checked = 0
    for case in load_cases():
        if case.errors:
            continue
        answer = CalcOut.model_validate(calc_household(case.household, case.on, explain=True))
        checked += len(answer.entitlements)
    assert checked > 100
    facility = {"jurisdiction": "370303", "inclusive": True, "registered": True, "inclusive_slots": 10}
    assert CalcOut.model_validate(
        calc_facility({**facility, "demonstration": True}, ON, explain=True)
    ).entitlements


def test_every_program_listing_fits_its_model():
    for on in (dt.date(2020, 1, 1), ON):
        for program in list_programs(None, on):
            assert ProgramOut.model_validate(program).id == program["id"]


def test_the_calc_answer_keeps_optional_keys_out(client, household):
    """An entitlement has `note` and `verified` only when they say something, as before the response model."""
    body = client.post("/api/v1/calc?on=2025-07-01", json=household).json()
    keys = [set(e) for e in body["entitlements"]]
    assert any("note" not in k for k in keys) and any("note" in k for k in keys)
    assert all(e.get("verified", False) is False for e in body["entitlements"])  # present only when false
    assert "not_applicable" not in body


def test_docs_show_the_household_body_whole(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/calc", "/api/v1/calc/facility"):
        schema = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert "$ref" not in json.dumps(schema), path  # nothing points at components that are not there
    household = spec["paths"]["/api/v1/calc"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    member = household["properties"]["members"]["items"]
    assert {"id", "relation", "birth_date"} <= set(member["properties"])
    answer = spec["paths"]["/api/v1/calc"]["post"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert answer == {"$ref": "#/components/schemas/CalcOut"}
    assert "explanation" in spec["components"]["schemas"]["Entitlement"]["properties"]


def test_refusals_in_the_requests_language(client, household):
    household["members"][2]["birth_date"] = "1980-01-01"
    household["events"][0]["child"] = "nobody"
    zh = client.post("/api/v1/calc?on=2025-07-01", json=household, headers={"accept-language": "zh"})
    en = client.post("/api/v1/calc?on=2025-07-01", json=household, headers={"accept-language": "en"})
    assert zh.status_code == en.status_code == 422
    assert zh.json()["errors"] == [
        {
            "field": "members[2].birth_date",
            "code": "before_mother",
            "message": "子女出生日期早于母亲出生日期",
        },
        {"field": "events[0].child", "code": "unknown_member", "message": "没有编号为 nobody 的成员"},
    ]
    assert en.json()["errors"] == [
        {
            "field": "members[2].birth_date",
            "code": "before_mother",
            "message": "A child cannot be born before its mother",
        },
        {"field": "events[0].child", "code": "unknown_member", "message": "No member has the id nobody"},
    ]


def test_pydantic_refusals_fill_their_parts_in_each_language(client, household):
    household["members"][1]["sex"] = "X"
    household["events"][0]["babies"] = 0
    household["events"].append({"type": "lottery"})
    got = {}
    for lang in ("zh", "en"):
        r = client.post(f"/api/v1/calc?on=2025-07-01&lang={lang}", json=household)
        got[lang] = {e["field"]: (e["code"], e["message"]) for e in r.json()["errors"]}
    assert got["zh"] == {
        "members[1].sex": ("literal_error", "取值不在允许范围内（'F' or 'M'）"),
        "events[0].babies": ("greater_than_equal", "不能小于 1"),
        "events[3]": ("union_tag_invalid", "未知的事件类型（'birth', 'home_purchase', 'renting'）"),
    }
    assert got["en"]["members[1].sex"] == ("literal_error", "Not one of the allowed values ('F' or 'M')")
    assert got["en"]["events[0].babies"] == ("greater_than_equal", "Cannot be less than 1")


def test_readme_refusal_line_is_what_cradle_calc_prints(tmp_path):
    line = "members[2].birth_date: 子女出生日期早于母亲出生日期"
    assert f"(`{line}`)" in (ROOT / "README.md").read_text(encoding="utf-8")
    doc = json.loads((ROOT / "docs" / "family.json").read_text(encoding="utf-8"))
    doc["members"][2]["birth_date"] = "1980-01-01"
    doc["events"][0]["date"] = "1980-01-01"
    path = tmp_path / "family.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = CliRunner().invoke(app, ["calc", str(path), "--on", "2025-07-01"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [line]


def test_programs_refuses_an_unknown_jurisdiction_by_its_option():
    result = CliRunner().invoke(app, ["programs", "--jurisdiction", "999999"])
    assert result.exit_code == 2
    assert result.output.strip() == "--jurisdiction: 未知的行政区划代码 999999"
