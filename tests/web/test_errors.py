"""The one error shape, for FastAPI's own errors too."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.testclient import TestClient
from pydantic import BaseModel

from cradle.web.errors import field_path, install
from cradle.web.i18n import install as install_locale


class Member(BaseModel):
    birth_date: str
    birth_order: int


class Household(BaseModel):
    members: list[Member]


def make_client() -> TestClient:
    from fastapi import FastAPI

    app = FastAPI()
    install(app)
    install_locale(app)
    router = APIRouter()

    @router.post("/api/v1/echo")
    def echo(household: Household):
        return household

    @router.get("/api/v1/teapot")
    def teapot():
        raise HTTPException(418, "我是茶壶")

    app.include_router(router)
    return TestClient(app)


def test_field_paths():
    assert field_path(("body", "members", 2, "birth_date")) == "members[2].birth_date"
    assert field_path(("query", "on")) == "on"
    assert field_path(("body",)) is None


def test_validation_errors_name_the_field_in_chinese_by_default():
    client = make_client()
    response = client.post(
        "/api/v1/echo",
        json={"members": [{"birth_date": "2020-01-01", "birth_order": 1}, {"birth_order": "two"}]},
    )
    assert response.status_code == 422
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert errors["members[1].birth_date"] == {
        "field": "members[1].birth_date",
        "code": "missing",
        "message": "此项为必填项。",
    }
    assert errors["members[1].birth_order"]["message"] == "请填写整数。"
    english = client.post("/api/v1/echo?lang=en", json={"members": [{}]}).json()["errors"]
    assert {e["message"] for e in english} == {"This field is required."}


def test_http_exceptions_and_unknown_paths_use_the_shape():
    client = make_client()
    assert client.get("/api/v1/teapot").json() == {
        "errors": [{"field": None, "code": "im_a_teapot", "message": "我是茶壶"}]
    }
    missing = client.get("/api/v1/nothing")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["code"] == "not_found"


def test_a_crash_answers_500_in_the_shape():
    from fastapi import FastAPI

    app = FastAPI()
    install(app)
    install_locale(app)

    @app.get("/api/v1/boom")
    def boom():
        raise RuntimeError("boom")

    response = TestClient(app, raise_server_exceptions=False).get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json() == {
        "errors": [{"field": None, "code": "internal_error", "message": "服务器内部错误，请稍后再试。"}]
    }
