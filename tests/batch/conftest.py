"""A small synthetic region in the batch layout, shared by the batch tests."""

from __future__ import annotations

import datetime as dt

import pytest

from cradle.batch.synth import generate

ON = dt.date(2026, 6, 30)


@pytest.fixture(scope="session")
def zibo_frames():
    return generate("370300", 6000, 7, ON)


@pytest.fixture(scope="session")
def zibo_source(tmp_path_factory, zibo_frames):
    return zibo_frames.write(tmp_path_factory.mktemp("zibo-src"))
