"""Households computed together (calc_households, and the API's concurrent requests through
cradle.policy.batching) get, byte for byte, the answer each gets alone."""

import asyncio
import copy
import datetime as dt

import httpx
import orjson
import pytest

from cradle.ops.metrics import CALC_BATCH
from cradle.policy import batching
from cradle.policy.calc import calc_household, calc_households
from cradle.policy.cases import load_cases
from cradle.policy.household import parse_household
from cradle.testing.loops import run_alone
from cradle.web.app import create_app

from .conftest import EXAMPLE

ON = dt.date(2025, 7, 1)
COUNTIES = ["370303", "620402", "330602", "441523", "140105"]  # benchmarks/calc_latency.py's jurisdictions


def in_county(code: str) -> dict:
    h = copy.deepcopy(EXAMPLE)
    h["jurisdiction"] = code
    for m in h["members"]:
        m["hukou"] = code
    return h


def mixed_households() -> list[dict]:
    """The benchmark's five jurisdictions, the catalogue's example, and every pack's worked cases of the
    default date that are valid households (32 jurisdictions, births and none, homes, care, leave...)."""
    out = [in_county(c) for c in COUNTIES] + [copy.deepcopy(EXAMPLE)]
    out += [c.household for c in load_cases() if c.on == ON and not c.errors]
    return out


@pytest.mark.parametrize("explain", [False, True], ids=["answer", "explain"])
def test_households_computed_together_get_the_answers_they_get_alone(explain):
    households = [parse_household(h, ON) for h in mixed_households()]
    assert len({h.jurisdiction for h in households}) >= 30
    alone = [orjson.dumps(calc_household(h, ON, explain=explain)) for h in households]
    together = [orjson.dumps(a) for a in calc_households(households, ON, explain=explain)]
    assert together == alone
    # in another order, and in small mixed batches as the API forms them
    backwards = [orjson.dumps(a) for a in calc_households(households[::-1], ON, explain=explain)]
    assert backwards == alone[::-1]
    for start in range(0, len(households), 7):
        batch = calc_households(households[start : start + 7], ON, explain=explain)
        assert [orjson.dumps(a) for a in batch] == alone[start : start + 7]


def test_a_household_cites_its_own_layer_of_a_figure_other_layers_set():
    """Guangdong sets its own days for a dystocia (gd over cn): computed with a Shandong household, each
    cites only its own layer's figure."""
    zibo, luhe = (parse_household(in_county(c), ON) for c in ("370303", "441523"))
    answers = calc_households([zibo, luhe], ON)

    def parameters(answer):
        leave = next(e for e in answer["entitlements"] if e["program"] == "cn.maternity_leave")
        return {p["parameter"] for p in leave["provenance"]}

    assert "cn.maternity_leave.dystocia_days" in parameters(answers[0])
    assert "gd.maternity_leave.dystocia_days" not in parameters(answers[0])
    assert "gd.maternity_leave.dystocia_days" in parameters(answers[1])
    assert "cn.maternity_leave.dystocia_days" not in parameters(answers[1])


async def _gather(app, requests: list[tuple[str, dict]]) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await asyncio.gather(*(client.post(url, json=body) for url, body in requests))


def _post_together(app, requests: list[tuple[str, dict]]) -> list[httpx.Response]:
    """The requests sent at once, on an event loop of their own (in a thread: a test run before may have left
    one running in this one, as Playwright's sync API does)."""
    return run_alone(_gather(app, requests))


def _batched_households() -> float:
    """Households computed in a batch of more than one so far (this process's histogram)."""
    total = count = ones = 0.0
    for metric in CALC_BATCH.collect():
        for s in metric.samples:
            if s.name.endswith("_sum"):
                total = s.value
            elif s.name.endswith("_count"):
                count = s.value
            elif s.name.endswith("_bucket") and s.labels["le"] == "1.0":
                ones = s.value
    return total - ones if count else 0.0


@pytest.fixture(scope="module")
def app():
    return create_app()


def test_concurrent_requests_are_computed_together_and_a_bad_household_gets_its_own_422(app):
    households = mixed_households()[:8]
    bad = copy.deepcopy(EXAMPLE)
    bad["members"][2]["birth_date"] = "1980-01-01"  # a child born before its mother
    url, explained = "/api/v1/calc?on=2025-07-01", "/api/v1/calc?on=2025-07-01&explain=true"
    requests = [(url, h) for h in households[:4]] + [(url, bad)] + [(url, h) for h in households[4:]]
    requests += [(explained, h) for h in households[:3]] + [("/api/v1/calc?on=2026-01-01", households[0])]
    before = _batched_households()
    answers = _post_together(app, requests)
    assert _batched_households() - before >= len(households)  # they were computed together

    refused = answers[4]
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["members[2].birth_date"]
    for (path, body), answer in zip(requests, answers, strict=True):
        if body is bad:
            continue
        on = dt.date.fromisoformat(path.split("on=")[1][:10])
        alone = calc_household(body, on, explain="explain=true" in path)
        assert answer.status_code == 200
        assert answer.content == orjson.dumps(alone)


def test_a_household_the_engine_fails_on_fails_alone(app, monkeypatch):
    """A failure while computing a batch is computed again household by household: only the household it
    belongs to gets the error (a 500), the others their answers."""
    real = batching.calc_households

    def failing(households, as_of, explain=False):
        if any(h.jurisdiction == "441523" for h in households):
            raise RuntimeError("a formula failed")
        return real(households, as_of, explain=explain)

    monkeypatch.setattr(batching, "calc_households", failing)
    households = [in_county(c) for c in COUNTIES]
    before = _batched_households()
    answers = _post_together(app, [("/api/v1/calc?on=2025-07-01", h) for h in households])
    assert _batched_households() - before == len(households)
    assert [a.status_code for a in answers] == [200, 200, 200, 500, 200]
    assert answers[0].content == orjson.dumps(calc_household(households[0], ON))
