"""The program `spark-submit` runs for `cradle batch --engine spark` on a cluster: the cradle command itself.

    spark-submit --master spark://HOST:7077 "$(python -m cradle.batch.spark_driver)" \\
        batch --engine spark --master spark://HOST:7077 --region 370300 --on 2026-06-30 --source DIR --out DIR

spark-submit takes a Python file, not a console script; `python -m cradle.batch.spark_driver` prints this file's
path. Run as that file, it is the `cradle` command (spark-submit has started the driver's JVM, which the batch's
Spark session joins).
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    if __spec__ is not None:  # `python -m cradle.batch.spark_driver`: where am I
        print(os.path.abspath(__file__))
        raise SystemExit(0)
    # Run as a file, its folder comes first on sys.path, where this package's modules (report, source, runner…)
    # would pass for top-level ones: take it off before anything is imported.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    from cradle.cli import app

    app(prog_name="cradle")
