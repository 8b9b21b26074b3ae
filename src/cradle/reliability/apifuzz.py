"""Schemathesis against the app's own OpenAPI schema, in process (ASGI), on a migrated database.

Every operation is called with generated requests, schema-conforming ("positive") and not ("negative"), as
several principals (nobody, an administrator, a county official who also carries a services actor), and each
answer is checked by `shape.answer_problem`. An exception escaping the app counts as a 5xx.
"""

from __future__ import annotations

import os
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from unittest import mock

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Unsatisfiable

from cradle.auth.testing import bearer_for
from cradle.reliability.shape import answer_problem, field_problem
from cradle.web.app import create_app


@dataclass
class Finding:
    principal: str
    operation: str
    problem: str
    request: str


@dataclass
class ApiFuzzResult:
    operations: int = 0
    requests: int = 0
    server_errors: int = 0
    statuses: Counter = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # operations schemathesis could not generate for
    skipped: list[str] = field(default_factory=list)  # (operation, mode) with no input to generate
    seconds: dict[str, float] = field(default_factory=dict)  # time spent on each operation

    def unique_findings(self) -> list[Finding]:
        seen, out = set(), []
        for f in self.findings:
            key = (f.operation, f.problem.split(":")[0])
            if key not in seen:
                seen.add(key)
                out.append(f)
        return out


def database_env(url: str):
    """Routers read CRADLE_DATABASE_URL (services read app.state too); set it for the length of a run."""
    return mock.patch.dict(os.environ, {"CRADLE_DATABASE_URL": url})


def principals(url: str) -> dict[str, dict[str, str]]:
    """Headers of each principal the fuzzer acts as (accounts are created in the database at `url`)."""
    return {
        "anonymous": {},
        "administrator": bearer_for(url, "administrator", "cn"),
        "county": bearer_for(url, "county_official", "370303"),
    }


def _describe(case) -> str:
    parts = [f"{case.method} {case.formatted_path}"]
    if case.query:
        parts.append(f"query={case.query!r}"[:300])
    body = getattr(case, "body", None)
    if body is not None and type(body).__name__ != "NotSet":
        parts.append(f"body={body!r}"[:500])
    return " ".join(parts)


def _draw(operation, mode, examples: int, seed: int) -> list:
    """The requests hypothesis draws for one operation in one mode. Seeded: the same seed draws the same requests,
    so CI is repeatable (`make reliability` draws a new seed). Drawn once and sent as every principal: drawing
    (most draws of a negative case are refused and drawn again) costs several times what sending does."""
    cases = []

    @hypothesis_seed(seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=False,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        cases.append(case)

    run()
    return cases


def _send(case, headers: dict, principal: str, label: str, result: ApiFuzzResult) -> None:
    result.requests += 1
    try:
        response = case.call(headers=headers)
    except Exception as exc:  # the app raised: the client would have seen a 500
        result.server_errors += 1
        result.statuses["exception"] += 1
        result.findings.append(
            Finding(principal, label, f"exception {type(exc).__name__}: {exc}"[:300], _describe(case))
        )
        return
    status = response.status_code
    result.statuses[status] += 1
    if status >= 500:
        result.server_errors += 1
    problem = answer_problem(
        status,
        response.headers.get("content-type", [""])[0]
        if isinstance(response.headers.get("content-type"), list)
        else response.headers.get("content-type", ""),
        response.text,
    )
    problem = problem or field_problem(label, status, response.text)
    if problem:
        result.findings.append(Finding(principal, label, problem, _describe(case)))


def fuzz_api(
    url: str,
    examples: int = 10,
    modes: tuple[str, ...] = ("positive", "negative"),
    only: str | None = None,
    seed: int = 10,
    shard: tuple[int, int] = (0, 1),
) -> ApiFuzzResult:
    """Fuzz every operation of the schema; `url` is a migrated database the app will use. `shard` (i, n) takes
    every n-th operation from the i-th, so that n test processes share the operations."""
    import schemathesis
    from schemathesis import GenerationMode

    result = ApiFuzzResult()
    with database_env(url), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = create_app()
        app.state.database_url = url
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        who = principals(url)
        for number, item in enumerate(schema.get_all_operations()):
            if number % shard[1] != shard[0]:
                continue
            try:
                operation = item.ok()
            except Exception as exc:  # an operation whose schema cannot be read
                result.errors.append(str(exc)[:300])
                continue
            if only and only not in operation.path:
                continue
            result.operations += 1
            started = time.perf_counter()
            label = f"{operation.method.upper()} {operation.path}"
            for mode in modes:
                try:
                    cases = _draw(operation, GenerationMode(mode), examples, seed)
                except Unsatisfiable:  # nothing can break the schema (no parameters, or only free text)
                    result.skipped.append(f"{label} {mode}")
                    continue
                except Exception as exc:  # generation itself failed
                    result.errors.append(f"{label} {mode}: {type(exc).__name__}: {exc}"[:300])
                    continue
                for name, headers in who.items():
                    for case in cases:
                        _send(case, headers, name, label, result)
            result.seconds[label] = time.perf_counter() - started
    return result
