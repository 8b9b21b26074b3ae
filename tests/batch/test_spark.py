"""`cradle batch --engine spark` in local[2], row for row against the local engine.

Slow on a 2-core machine (the JVM and the Python workers start in about a minute), so marked `slow`; skipped
where PySpark or Java is missing (PySpark is in the `spark` extra, not in `dev`)."""

import shutil

import pytest

from cradle.batch.runner import BatchSpec

from .conftest import ON

pytest.importorskip("pyspark", reason="PySpark is not installed (pip install -e '.[spark]')")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java (java not on PATH)", allow_module_level=True)

# one test process runs both Spark tests: they share the local reference run, and two JVMs do not fight for the cores
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("spark")]


def test_spark_equals_local_row_for_row(zibo_source, zibo_local_370302, tmp_path):
    from cradle.batch.spark import read_spark_output, run_spark, session

    spec = BatchSpec("370302", ON, str(zibo_source), max_households=200)
    spark = session("local[2]")
    try:
        n = run_spark(spec, tmp_path / "spark-run", spark=spark)
    finally:
        spark.stop()
    local = zibo_local_370302
    remote = read_spark_output(tmp_path / "spark-run")
    assert n == remote.height == local.height > 0
    assert remote.sort(remote.columns).equals(local.sort(local.columns))
