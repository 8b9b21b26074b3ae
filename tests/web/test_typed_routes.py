"""Every JSON route of the API names its models: no route takes or answers a bare `dict` (issue 18's "typed
routers"), so the OpenAPI document describes each request and answer and FastAPI checks them."""

from __future__ import annotations

import typing

from fastapi.routing import APIRoute, _IncludedRouter
from starlette.responses import Response

from cradle.web.app import create_app


def _api_routes() -> list[APIRoute]:
    def walk(routes):
        for r in routes:
            if isinstance(r, _IncludedRouter):
                yield from walk(r.effective_candidates())
            else:
                yield getattr(r, "original_route", r)

    return [r for r in walk(create_app().routes) if isinstance(r, APIRoute) and r.path.startswith("/api/")]


def _bare(annotation) -> bool:
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation is dict or typing.get_origin(annotation) is dict or annotation is typing.Any


def _untyped(route: APIRoute) -> list[str]:
    hints = typing.get_type_hints(route.endpoint, include_extras=True)
    problems = [f"takes {name}: dict" for name, ann in hints.items() if name != "return" and _bare(ann)]
    returned = hints.get("return")
    answers_a_response = isinstance(returned, type) and issubclass(returned, Response)
    if route.response_model is None and not answers_a_response:
        problems.append("answers without a response model")
    elif route.response_model is not None and _bare(route.response_model):
        problems.append("answers a bare dict")
    return problems


def test_no_json_route_takes_or_answers_a_bare_dict():
    untyped = {f"{sorted(r.methods)} {r.path}": p for r in _api_routes() if (p := _untyped(r))}
    assert untyped == {}


def test_the_check_finds_a_bare_dict_route():
    from fastapi import APIRouter

    router = APIRouter()

    @router.post("/api/v1/x")
    def loose(body: dict):
        return body

    (route,) = router.routes
    assert _untyped(route) == ["takes body: dict", "answers without a response model"]
