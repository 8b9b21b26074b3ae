"""`cradle batch --engine spark --master spark://…` through `spark-submit` on a Spark standalone cluster (a master
and a worker started on this machine), row for row against the local engine.

Skipped where PySpark or Java is missing (PySpark is in the `spark` extra, which `make test` installs when the
disk has room for it)."""

import re

import pytest

from .conftest import ON

pytest.importorskip("pyspark", reason="PySpark is not installed (pip install -e '.[spark]')")

from cradle.testing.spark import Standalone, java_available  # noqa: E402

if not java_available():
    pytest.skip("Spark needs Java (java not on PATH)", allow_module_level=True)

# one test process runs both Spark tests: they share the local reference run, and two JVMs do not fight for the cores
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("spark")]


def test_spark_submit_to_a_standalone_cluster_equals_local(zibo_source, zibo_local_370302, tmp_path):
    from cradle.batch.spark import read_spark_output

    (tmp_path / "cluster").mkdir()
    cluster = Standalone(tmp_path / "cluster")
    try:
        cluster.start()
        done = cluster.submit(
            "batch",
            "--engine",
            "spark",
            "--master",
            cluster.url,
            "--region",
            "370302",
            "--on",
            ON.isoformat(),
            "--source",
            str(zibo_source),
            "--out",
            str(tmp_path / "spark-run"),
        )
        assert done.returncode == 0, done.stderr[-4000:] + cluster.logs()
        apps = cluster.state()["completedapps"]
    finally:
        cluster.stop()
    # it ran on the cluster: the master saw the application finish, the worker ran its executor
    assert [(a["name"], a["state"]) for a in apps] == [("cradle-batch", "FINISHED")]
    assert list((tmp_path / "cluster" / "work").glob("app-*/*/stderr"))
    written = int(re.search(r"^(\d+) entitlements -> ", done.stdout, re.M).group(1))

    local = zibo_local_370302
    remote = read_spark_output(tmp_path / "spark-run")
    assert written == remote.height == local.height > 0
    assert remote.sort(remote.columns).equals(local.sort(local.columns))
