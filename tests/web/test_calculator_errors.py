"""The calculator's result fragment over the real policy API: its refusals come back as the API's own errors, in
the page's language, and the pages answer an API failure with the API's status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cradle.web.app import create_app

FAMILY = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "family.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def real() -> TestClient:
    return TestClient(create_app())


@pytest.mark.parametrize(
    ("lang", "message"),
    [("zh", "子女出生日期早于母亲出生日期"), ("en", "A child cannot be born before its mother")],
)
def test_results_refusal_is_the_apis_in_the_pages_language(real, lang, message):
    doc = json.loads(json.dumps(FAMILY))
    doc["members"][1]["birth_date"] = "1980-01-01"
    r = real.post(f"/calc/results?on=2025-07-01&lang={lang}", json=doc, headers={"accept": "text/html"})
    assert r.status_code == 422
    assert r.json() == {
        "errors": [{"field": "members[1].birth_date", "code": "before_mother", "message": message}]
    }


def test_results_pass_a_broken_body_to_the_api_which_names_where(real):
    r = real.post(
        "/calc/results?on=2025-07-01&lang=zh",
        content=b'{"jurisdiction": "370303", "members": [{"id": ',
        headers={"content-type": "application/json", "accept": "text/html"},
    )
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert (error["field"], error["code"]) == ("members[0].id", "malformed_json")


def test_results_of_the_readme_household(real):
    r = real.post("/calc/results?on=2025-07-01&lang=en", json=FAMILY, headers={"accept": "text/html"})
    assert r.status_code == 200 and "10 benefits found" in r.text


def test_a_page_answers_an_api_failure_with_its_status(broken_client):
    page = broken_client.get("/documents", headers={"accept": "text/html"})
    assert page.status_code == 500 and "<html" in page.text and "服务器内部错误" in page.text
    listing = broken_client.get("/programs?jurisdiction=370303&lang=en")
    assert listing.status_code == 422 and "Internal server error. Please try again later." in listing.text
