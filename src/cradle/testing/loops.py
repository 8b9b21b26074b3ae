"""Coroutines run by tests on an event loop of their own thread: a test run before in the same process may have
left a loop running in the main thread (Playwright's sync API does), where `asyncio.run` refuses to start."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_alone(main: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main).result()
