"""CRADLE_THREADPOOL: the number of worker threads a server process runs sync endpoints on."""

from __future__ import annotations

import anyio.to_thread
from fastapi.testclient import TestClient

from cradle.web.app import _limit_threads, create_app


def _tokens(client: TestClient) -> int:
    return client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter().total_tokens)


def test_the_limit_is_set_on_the_serving_loop():
    app = create_app(router_modules=[])
    _limit_threads(app, 3)
    with TestClient(app) as client:
        assert _tokens(client) == 3


def test_without_it_anyio_keeps_its_default():
    with TestClient(create_app(router_modules=[])) as client:
        assert _tokens(client) == 40
