"""The 2020 (seventh) census resident population (常住人口) of the documents' jurisdictions: the one table,
``data/census2020_resident_population.csv`` (see ``data/README.md``). Cities and provinces only: the bulletins
give no county figures, so a reader that needs one splits a city by a rule it names where the figure is shown.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

CENSUS_FILE = Path(__file__).resolve().parent / "data" / "census2020_resident_population.csv"


@lru_cache(maxsize=1)
def resident_population() -> dict[str, int]:
    """{GB/T 2260 code: resident population at the 2020 census}."""
    with CENSUS_FILE.open(encoding="utf-8") as fh:
        return {row["code"]: int(row["resident_population_2020"]) for row in csv.DictReader(fh)}
