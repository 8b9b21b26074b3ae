from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cradle.web.app import create_app

PAGES = ["cradle.web.calculator", "cradle.web.programs_page", "cradle.web.documents_page"]


def load_test_module(name: str) -> str:
    """Import tests/web/<name>.py as `cradle_webtest_<name>` (pytest runs with --import-mode=importlib, so this
    folder is not on sys.path) and return the module name, for create_app's router list."""
    qualified = f"cradle_webtest_{name}"
    if qualified not in sys.modules:
        spec = importlib.util.spec_from_file_location(qualified, Path(__file__).parent / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[qualified] = module
        spec.loader.exec_module(module)
    return qualified


@pytest.fixture
def client() -> TestClient:
    """The web pages over the contract's test double (fake_api), not over the policy engine."""
    return TestClient(create_app([load_test_module("fake_api"), *PAGES]))


@pytest.fixture
def broken_client() -> TestClient:
    """The web pages over an API that crashes on every call."""
    return TestClient(create_app([load_test_module("broken_api"), *PAGES]), raise_server_exceptions=False)
