"""`cradle batch --engine spark`: the same batch on Apache Spark (PySpark), for regions beyond one machine.

The households and the persons of the region are co-grouped by county (`cogroup(...).applyInArrow`): each
county arrives in one Python worker as Arrow tables, is turned into a Population exactly as the local engine
does (`Population.from_frames`) and run through the same `cradle.batch.compute.entitlements`. Births travel
on their child's person row (b_* columns), so each county needs only the two co-grouped tables. The result is
written by Spark as Parquet under OUT/spark/, one folder per county.

On a cluster: `--spark-master spark://host:7077` (or `yarn`, `k8s://…`), the three input tables on storage
every executor reads (HDFS, S3: `--source s3a://bucket/region/`), and cradle installed in the executors'
Python environment (the same version as the driver: the rules are in the package).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import polars as pl
import pyarrow as pa

from cradle.batch.compute import ENTITLEMENT_SCHEMA, entitlements
from cradle.batch.runner import BatchSpec
from cradle.batch.source import check_layout
from cradle.batch.synth import counties
from cradle.errors import N_, Invalid
from cradle.policy.population import Population

BIRTH_FIELDS = {
    "date": "b_date",
    "babies": "b_babies",
    "dystocia": "b_dystocia",
    "delivery_cost": "b_delivery_cost",
}
SPARK_SCHEMA = (
    "program string, kind string, beneficiary string, amount double, deadline date, unit string, "
    "period_start date, period_end date, household string, county long"
)


def _arrow_schema() -> pa.Schema:
    """Spark's Arrow types: plain (not large) strings."""
    schema = pl.DataFrame(schema=ENTITLEMENT_SCHEMA).to_arrow().schema
    return pa.schema(
        [pa.field(f.name, pa.string() if f.type == pa.large_string() else f.type) for f in schema]
    )


def county_entitlements(
    households: pa.Table, persons: pa.Table, as_of: dt.date, overrides: dict | None, only: list[str] | None
) -> pa.Table:
    """One county's entitlements from its co-grouped Arrow tables (the function each Spark worker runs)."""
    if households.num_rows == 0:
        return pl.DataFrame(schema=ENTITLEMENT_SCHEMA).to_arrow().cast(_arrow_schema())
    h = pl.from_arrow(households)
    p = pl.from_arrow(persons)
    births = p.filter(pl.col("b_has")).select(
        "household_id",
        pl.col("person_id").alias("child_id"),
        *(pl.col(v).alias(k) for k, v in BIRTH_FIELDS.items()),
    )
    p = p.drop("b_has", "county", *BIRTH_FIELDS.values())
    pop = Population.from_frames(h.drop("county"), p, births)
    table = entitlements(pop, as_of, overrides or None, set(only) if only is not None else None)
    return table.to_arrow().cast(_arrow_schema())


def session(master: str):
    """A Spark session; in local mode the workers run this interpreter (the one with cradle installed)."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (
        SparkSession.builder.master(master)
        .appName("cradle-batch")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.shuffle.partitions", str(max(2, os.cpu_count() or 2)))
        .config("spark.driver.host", os.environ.get("SPARK_LOCAL_IP", "127.0.0.1"))
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )


def run_spark(spec: BatchSpec, out: Path | str, master: str = "local[2]", spark=None) -> int:
    """Runs the batch on Spark; returns the number of entitlements written to OUT/spark/."""
    try:
        from pyspark.sql import functions as F
    except ImportError:
        raise Invalid("--engine", N_("PySpark is not installed (pip install 'cradle[spark]')")) from None
    paths = check_layout(Path(spec.source))
    wanted = [int(c) for c in counties(spec.region)]
    spark = spark or session(master)
    households = (
        spark.read.parquet(str(paths["households"]))
        .where(F.col("jurisdiction").isin(wanted))
        .withColumn("county", F.col("jurisdiction"))
    )
    births = spark.read.parquet(str(paths["births"])).select(
        "household_id",
        F.col("child_id").alias("person_id"),
        F.lit(True).alias("b_has"),
        *(F.col(k).alias(v) for k, v in BIRTH_FIELDS.items()),
    )
    persons = (
        spark.read.parquet(str(paths["persons"]))
        .join(
            spark.read.parquet(str(paths["households"]))
            .where(F.col("jurisdiction").isin(wanted))
            .select("household_id", F.col("jurisdiction").alias("county")),
            "household_id",
        )
        .join(births, ["household_id", "person_id"], "left")
        .withColumn("b_has", F.coalesce(F.col("b_has"), F.lit(False)))
    )
    as_of, overrides, only = spec.as_of, dict(spec.overrides), spec.only

    def work(h: pa.Table, p: pa.Table) -> pa.Table:
        return county_entitlements(h, p, as_of, overrides, only)

    result = (
        households.groupBy("county")
        .cogroup(persons.groupBy("county"))
        .applyInArrow(work, schema=SPARK_SCHEMA)
    )
    target = Path(out) / "spark"
    result.write.mode("overwrite").partitionBy("county").parquet(str(target))
    return spark.read.parquet(str(target)).count()


def read_spark_output(out: Path | str) -> pl.DataFrame:
    """OUT/spark/ as one table in ENTITLEMENT_SCHEMA (the county comes back from the folder names)."""
    table = pl.read_parquet(Path(out) / "spark" / "**" / "*.parquet", hive_partitioning=True)
    return table.select(list(ENTITLEMENT_SCHEMA)).cast(ENTITLEMENT_SCHEMA)
