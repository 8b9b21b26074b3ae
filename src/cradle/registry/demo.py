"""Demo data for `make run`: a small synthetic 张店区 (淄博) ingested from every department, dirty rows and all,
so the pages, `cradle household` and the quarantine have something real to show."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from cradle.registry.ingest import ingest_directory
from cradle.synth.feeds import write_feeds
from cradle.synth.population import generate

DEMO_COUNTY, DEMO_PERSONS, DEMO_SEED = "370303", 3000, 2025


def load_demo(session: Session) -> None:
    session.commit()  # ingest writes on its own connections
    with tempfile.TemporaryDirectory(prefix="cradle-demo-") as d:
        write_feeds(
            generate(DEMO_COUNTY, DEMO_PERSONS, DEMO_SEED, dt.date(2025, 6, 30)), Path(d), seed=DEMO_SEED
        )
        ingest_directory(d, engine=session.get_bind())
