"""The real app served by uvicorn on a free loopback port, driven by Debian's chromium through Playwright."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VENDOR = Path(__file__).resolve().parents[2] / "src" / "cradle" / "web" / "static" / "vendor"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def base_url(tmp_path_factory) -> str:
    import uvicorn

    from cradle.db import upgrade
    from cradle.web.app import create_app

    if not (VENDOR / "alpine.min.js").exists():
        pytest.fail("front-end assets missing: run `make assets`")
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'cradle.db'}"
    previous = os.environ.get("CRADLE_DATABASE_URL")
    os.environ["CRADLE_DATABASE_URL"] = url
    upgrade(url)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    if previous is None:
        os.environ.pop("CRADLE_DATABASE_URL", None)
    else:
        os.environ["CRADLE_DATABASE_URL"] = previous


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: apt-get install -y chromium fonts-noto-cjk")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, width: int, height: int, **options):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", **options)
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def desktop(browser):
    context, page = _page(browser, 1280, 900)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context, page = _page(browser, 375, 812, is_mobile=True, has_touch=True)
    yield page
    context.close()


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    """docs/screenshots when CRADLE_SCREENSHOTS=1 (`make screenshots`), else a temporary folder, so an ordinary
    test run leaves the committed pictures alone."""
    if os.environ.get("CRADLE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path
