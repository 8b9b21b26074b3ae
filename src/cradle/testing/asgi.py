"""One request handed to an ASGI app in this process, as a server would hand it (no socket): the fast paths'
tests compare two apps' answers with it, and the submissions' profiles measure the app's own work."""

from __future__ import annotations

import asyncio
from typing import NamedTuple


class Answer(NamedTuple):
    scope: dict  # as the app left it (what the middlewares and the route wrote into it)
    status: int
    headers: list[tuple[bytes, bytes]]  # without the request id, which differs from call to call
    body: bytes


async def call(
    app, method: str, target: str, chunks: list[bytes], headers: list[tuple[bytes, bytes]]
) -> Answer:
    """`target` (path and query) with the body sent in `chunks`; a `host` header is added unless `headers` has
    one."""
    path, _, query = target.partition("?")
    if not any(k == b"host" for k, _ in headers):
        headers = [(b"host", b"test"), *headers]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("test", 80),
    }
    messages = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)
    ]

    async def receive():
        if messages:
            return messages.pop(0)
        await asyncio.sleep(3600)  # the client stays connected until the answer is sent

    sent = []

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    start = sent[0]
    kept = [(k, v) for k, v in start["headers"] if k != b"x-request-id"]
    return Answer(scope, start["status"], kept, b"".join(m.get("body", b"") for m in sent[1:]))


def served_by_fast_path(scope: dict) -> bool:
    """Whether a fast path answered (`cradle.web.fastpath`): the framework's layers were not entered."""
    return "fastapi_middleware_astack" not in scope
