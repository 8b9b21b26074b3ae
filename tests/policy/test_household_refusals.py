"""Every refusal of a household, at both front doors (POST /api/v1/calc, `cradle calc`), names a field path:
a broken JSON text names the value it broke off in, a document that is not an object names the root "$"."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cradle.cli import app
from cradle.errors import Problems
from cradle.policy.household import ROOT, json_path_at, parse_household
from cradle.web.app import create_app

CUT = '{"jurisdiction": "370303", "members": [{"id": "m"}, {"id": "c", "birth_date": 2024-'


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


@pytest.mark.parametrize(
    ("doc", "path"),
    [
        ('{"members": [{"id": ', "members[0].id"),
        ('{"a": "x\\"y]", "b": [1, [2, 3], ', "b[2]"),  # quotes and brackets inside a string are text
        ('{"jurisdiction": "370303", ', ROOT),
        ("", ROOT),
        ('{"members": [{"id": "m", "rel: "x"', "members[0]"),  # a key broken by a lost quote: its parent
    ],
)
def test_the_path_of_a_json_text_where_it_breaks(doc, path):
    assert json_path_at(doc, len(doc)) == path


@pytest.mark.parametrize(
    ("raw", "code", "field"),
    [
        (CUT, "malformed_json", "members[1].birth_date"),
        ("[1, 2]", "model_type", ROOT),
        ("null", "model_type", ROOT),
        (b"\xff\xfe{\x00", "malformed_json", ROOT),
        ("", "malformed_json", ROOT),
    ],
)
def test_a_document_refused_whole_names_where(raw, code, field):
    with pytest.raises(Problems) as e:
        parse_household(raw)
    assert [(x.code, x.field) for x in e.value.items()] == [(code, field)]


def test_api_refusals_each_name_a_field(client):
    for body, field in ((CUT, "members[1].birth_date"), ("[]", ROOT), ("{", ROOT)):
        r = client.post("/api/v1/calc", content=body, headers={"content-type": "application/json"})
        assert r.status_code == 422, body
        assert [e["field"] for e in r.json()["errors"]] == [field], body
    doc = {"jurisdiction": "370303", "members": [{"id": "m", "relation": "mother", "sex": "X"}], "events": []}
    r = client.post("/api/v1/calc", content=json.dumps(doc))
    fields = [e["field"] for e in r.json()["errors"]]
    assert r.status_code == 422 and "members[0].sex" in fields and all(fields)


def test_cli_refusal_names_the_field(tmp_path):
    path = tmp_path / "h.json"
    path.write_text(CUT, encoding="utf-8")
    result = CliRunner().invoke(app, ["calc", str(path)])
    assert result.exit_code == 2 and result.output.startswith("members[1].birth_date: JSON 格式错误"), (
        result.output
    )
    path.write_text("[1]", encoding="utf-8")
    result = CliRunner().invoke(app, ["calc", str(path)])
    assert result.exit_code == 2 and result.output.startswith("$: 家庭数据应为 JSON 对象"), result.output


def test_the_api_fuzz_counts_a_refusal_naming_no_field():
    from cradle.reliability.shape import field_problem

    unnamed = json.dumps({"errors": [{"field": None, "code": "malformed_json", "message": "x"}]})
    named = json.dumps({"errors": [{"field": "$", "code": "model_type", "message": "x"}]})
    assert "naming no field" in field_problem("POST /api/v1/calc", 422, unnamed)
    assert field_problem("POST /api/v1/calc", 422, named) is None
    assert (
        field_problem("GET /api/v1/programs", 422, unnamed) is None
    )  # only the household calculator promises it
