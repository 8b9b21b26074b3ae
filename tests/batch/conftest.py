"""A small synthetic region in the batch layout, shared by the batch tests."""

from __future__ import annotations

import datetime as dt

import pytest

from cradle.batch.runner import BatchSpec, read_output, run_batch
from cradle.batch.synth import generate

ON = dt.date(2026, 6, 30)


@pytest.fixture(scope="session")
def zibo_frames():
    return generate("370300", 6000, 7, ON)


@pytest.fixture(scope="session")
def zibo_source(tmp_path_factory, zibo_frames):
    return zibo_frames.write(tmp_path_factory.mktemp("zibo-src"))


@pytest.fixture(scope="session")
def zibo_local_370302(zibo_source, tmp_path_factory):
    """张店区's first 200 households run by the local engine: what both Spark engines are compared with."""
    out = tmp_path_factory.mktemp("zibo-local-370302")
    run_batch(BatchSpec("370302", ON, str(zibo_source), max_households=200), out, workers=1)
    return read_output(out)
