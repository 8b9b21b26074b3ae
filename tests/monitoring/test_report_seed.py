"""Values the report and dashboard tests share (淄博市 370300, its districts and two peer cities), stored through
the monitoring service functions; the other test modules load this file by path.

What the numbers are chosen to show:
- 淄博 托位/千人 3.1, 3.6, 4.1 (2022–2024) against ≥ 4.7 by 2025: the trend reaches 4.6 → at risk;
- 淄博 婴儿死亡率 2.9 against < 3.3 → on track; 5岁以下儿童死亡率 4.5 against < 4 (2025) → at risk;
- 淄博 births 30,000 → 26,000: a band warning (−13.3 %);
- peers 济南 4.0 and 青岛 4.4 托位/千人 in 2024: 淄博 ranks 2nd of 3;
- districts 淄川区 3.2 and 张店区 4.9 托位/千人 in 2024 for the drill-down.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from cradle.monitoring import values

CITY, PEERS, DISTRICTS = "370300", ("370100", "370200"), ("370302", "370303")
SOURCE_DATE = dt.date(2025, 2, 1)

VALUES = [
    ("childcare_places_per_1000", CITY, 2022, 3.1),
    ("childcare_places_per_1000", CITY, 2023, 3.6),
    ("childcare_places_per_1000", CITY, 2024, 4.1),
    ("childcare_places_per_1000", "370100", 2024, 4.0),
    ("childcare_places_per_1000", "370200", 2024, 4.4),
    ("childcare_places_per_1000", "370302", 2024, 3.2),
    ("childcare_places_per_1000", "370303", 2024, 4.9),
    ("infant_mortality", CITY, 2024, 2.9),
    ("under5_mortality", CITY, 2024, 4.5),
    ("births", CITY, 2023, 30000),
    ("births", CITY, 2024, 26000),
    ("births", "370302", 2024, 3100),
    ("births", "370303", 2024, 5200),
]


def seed(session) -> None:
    entries = [
        values.Entry(ind, region, year, float(v), "淄博市卫生健康委 年报", SOURCE_DATE)
        for ind, region, year, v in VALUES
    ]
    values.record(session, entries, department="淄博市卫生健康委", entered_by="test")


_TEMPLATES: dict[str, Path] = {}


def seeded_copy(tmp_path_factory, tmp_path: Path) -> str:
    """A migrated, seeded SQLite database for one test: a copy of one built once per module (migrating takes
    seconds, copying milliseconds)."""
    from cradle.db import get_engine, session_scope, upgrade

    key = str(tmp_path_factory.getbasetemp())
    if key not in _TEMPLATES:
        path = tmp_path_factory.mktemp("monitoring_template") / "template.db"
        upgrade(f"sqlite:///{path}")
        with session_scope(f"sqlite:///{path}") as s:
            seed(s)
        get_engine(f"sqlite:///{path}").dispose()  # closing the last connection checkpoints the WAL
        _TEMPLATES[key] = path
    target = tmp_path / "cradle.db"
    shutil.copyfile(_TEMPLATES[key], target)
    return f"sqlite:///{target}"


def test_seed_is_read_back(migrated_sqlite_url):
    from cradle.db import session_scope

    with session_scope(migrated_sqlite_url) as s:
        seed(s)
    with session_scope(migrated_sqlite_url) as s:
        assert values.series(s, "childcare_places_per_1000", CITY) == {2022: 3.1, 2023: 3.6, 2024: 4.1}
        many = values.series_many(s, [CITY, *DISTRICTS])
        assert many[("childcare_places_per_1000", CITY)] == values.series(
            s, "childcare_places_per_1000", CITY
        )
        assert many[("births", "370303")] == {2024: 5200.0}
