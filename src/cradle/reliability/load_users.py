"""Locust users for the load curve, run headless in their own process (locust patches the standard library
with gevent, which must not reach the orchestrating process): ``python -m cradle.reliability.load_users
PLAN.json OUT.json``.

The mix: anonymous calculator requests, citizens submitting 生育登记 (each a different mother, each with its own
Idempotency-Key; once every mother has submitted, citizens read their 我的 page), a county official reading
their queue and the registrations acknowledged so far, and an official of another county trying to read those
same registrations (an answer 200 there is an out-of-scope read). Users step up; each step's statistics are
kept apart. The run stops stepping when p99 passes ``saturate_p99_factor`` × the lowest p99 so far, or errors pass
1% of requests.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment

PLAN: dict = {}
STATE = {"next": 0, "acked": {}, "status": {}, "out_of_scope_reads": 0, "outsider_reads": 0}


def _note(status: int) -> None:
    key = str(status)
    STATE["status"][key] = STATE["status"].get(key, 0) + 1


class Anonymous(HttpUser):
    weight = 4
    wait_time = between(0.05, 0.2)

    @task
    def calc(self):
        with self.client.post(
            "/api/v1/calc?on=2025-07-01", json=PLAN["household"], name="calc", catch_response=True
        ) as r:
            _note(r.status_code)
            r.success() if r.status_code == 200 else r.failure(f"status {r.status_code}")


class Citizen(HttpUser):
    weight = 3
    wait_time = between(0.1, 0.3)

    @task
    def apply(self):
        subs = PLAN["submissions"]
        i = STATE["next"]
        if i >= len(subs):
            with self.client.get(
                "/api/v1/services/me", headers=subs[i % len(subs)]["headers"], name="me", catch_response=True
            ) as r:
                _note(r.status_code)
                r.success() if r.status_code == 200 else r.failure(f"status {r.status_code}")
            return
        STATE["next"] = i + 1
        sub = subs[i]
        with self.client.post(
            "/api/v1/services/registrations",
            json=sub["body"],
            headers=sub["headers"],
            name="register",
            catch_response=True,
        ) as r:
            _note(r.status_code)
            if r.status_code == 201:
                STATE["acked"][sub["key"]] = r.json()["reg_no"]
                r.success()
            else:
                r.failure(f"status {r.status_code}")


class Official(HttpUser):
    weight = 2
    wait_time = between(0.1, 0.3)

    @task(2)
    def queue(self):
        with self.client.get(
            "/api/v1/services/queue", headers=PLAN["official"], name="queue", catch_response=True
        ) as r:
            _note(r.status_code)
            r.success() if r.status_code == 200 else r.failure(f"status {r.status_code}")

    @task(3)
    def review(self):
        if not STATE["acked"]:
            return
        reg_no = random.choice(list(STATE["acked"].values()))
        with self.client.get(
            f"/api/v1/services/registrations/{reg_no}",
            headers=PLAN["official"],
            name="registration (own county)",
            catch_response=True,
        ) as r:
            _note(r.status_code)
            r.success() if r.status_code == 200 else r.failure(f"status {r.status_code}")
        with self.client.get(
            f"/api/v1/services/registrations/{reg_no}",
            headers=PLAN["outsider"],
            name="registration (other county)",
            catch_response=True,
        ) as r:
            _note(r.status_code)
            STATE["outsider_reads"] += 1
            if r.status_code == 200:
                STATE["out_of_scope_reads"] += 1
                r.failure("out-of-scope read")
            elif r.status_code in (403, 404):
                r.success()  # the refusal is the right answer
            else:
                r.failure(f"status {r.status_code}")


def _step(env: Environment, users: int, seconds: float) -> dict:
    env.stats.reset_all()
    before = dict(STATE["status"])
    env.runner.start(users, spawn_rate=max(users, 1))
    gevent.sleep(seconds)
    s = env.stats.total
    delta = {k: v - before.get(k, 0) for k, v in STATE["status"].items()}
    return {
        "users": users,
        "requests": s.num_requests,
        "failures": s.num_failures,
        "rps": s.total_rps,
        "p50_ms": s.get_response_time_percentile(0.5),
        "p95_ms": s.get_response_time_percentile(0.95),
        "p99_ms": s.get_response_time_percentile(0.99),
        "server_errors": sum(v for k, v in delta.items() if k.startswith("5")),
        "connection_errors": delta.get("0", 0),
    }


def run(plan: dict) -> dict:
    PLAN.update(plan)
    env = Environment(user_classes=[Anonymous, Citizen, Official], host=plan["host"], events=events)
    env.create_local_runner()
    steps: list[dict] = []
    _step(env, 1, min(3, plan["step_seconds"]))  # warm-up (first connections, caches), not recorded
    t0 = time.monotonic()
    for users in plan["users"]:
        step = _step(env, users, plan["step_seconds"])
        steps.append(step)
        best = min(s["p99_ms"] or 1 for s in steps)
        # Saturated: more users bring under 20% more throughput while p99 climbs (a latency spike alone, e.g. while
        # the batch starts, is not saturation), or over 1% of requests fail.
        stalled = len(steps) > 1 and step["rps"] < 1.2 * steps[-2]["rps"]
        if (stalled and step["p99_ms"] > plan.get("saturate_p99_factor", 2) * best) or (
            step["requests"] and step["failures"] / step["requests"] > 0.01
        ):
            step["saturated"] = True
            break
        if time.monotonic() - t0 > plan.get("max_seconds", 600):
            break
    env.runner.quit()
    return {
        "steps": steps,
        "acked": STATE["acked"],
        "status": STATE["status"],
        "out_of_scope_reads": STATE["out_of_scope_reads"],
        "outsider_reads": STATE["outsider_reads"],
        "submitted": STATE["next"],
    }


def main() -> None:
    out = run(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
    Path(sys.argv[2]).write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
