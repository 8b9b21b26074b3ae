from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from cradle.web.app import create_app

PAGES = ["cradle.web.calculator", "cradle.web.programs_page", "cradle.web.documents_page"]


@pytest.fixture
def client() -> TestClient:
    """The web pages over the contract's test double (fake_api), not over the policy engine."""
    return TestClient(create_app(["fake_api", *PAGES]))
