"""What cradle.ops.middleware adds to every request: a trivial ASGI app, bare and wrapped (request id, metrics),
with the JSON request line off and on (written to /dev/null), in process, interleaved rounds.

    .venv/bin/python benchmarks/request_middleware.py [--requests 20000] [--rounds 7]

Prints the minimum and median microseconds per request of each; the calculator's target (>= 1000 req/s per
process, issue 25) leaves 1000 µs a request, so the middleware's share is its figure over 1000.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import logging.config
import os
import time

from cradle.ops.logs import config
from cradle.ops.middleware import RequestMiddleware

SCOPE = {"type": "http", "method": "POST", "path": "/api/v1/calc", "headers": [(b"host", b"x")]}


async def bare(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})


async def _receive():
    return {"type": "http.request", "body": b""}


async def _send(_message):
    return None


async def per_request(app, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        await app({**SCOPE, "state": {}}, _receive, _send)
    return (time.perf_counter() - start) / n * 1e6


async def measure(n: int, rounds: int) -> dict[str, list[float]]:
    wrapped = RequestMiddleware(bare)
    request_log = logging.getLogger("cradle.request")
    out: dict[str, list[float]] = {
        "bare app": [],
        "middleware, no log line": [],
        "middleware, JSON log line": [],
    }
    for _ in range(rounds):
        out["bare app"].append(await per_request(bare, n))
        request_log.setLevel(logging.WARNING)
        out["middleware, no log line"].append(await per_request(wrapped, n))
        request_log.setLevel(logging.INFO)
        out["middleware, JSON log line"].append(await per_request(wrapped, n))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    cfg = config(request_log=True)
    cfg["handlers"]["stderr"]["stream"] = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    logging.config.dictConfig(cfg)
    for name, figures in asyncio.run(measure(args.requests, args.rounds)).items():
        figures.sort()
        print(f"{name:27s} min {figures[0]:6.1f} µs  median {figures[len(figures) // 2]:6.1f} µs per request")


if __name__ == "__main__":
    main()
