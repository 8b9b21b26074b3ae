"""A town official (9-digit 乡镇/街道 scope) sees the quarantined rows naming that town, not the whole county's;
rows naming no town stay with the county. API listing, run, export and pages, and the CLI's --town filter, on
both databases."""

import datetime as dt

import polars as pl
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cradle.auth import roles
from cradle.auth.testing import bearer_for
from cradle.cli import app
from cradle.db import make_engine
from cradle.idcard import make_id_number
from cradle.registry.ingest import ingest_file
from cradle.web.app import create_app

API = "/api/v1/registry"
COLS = [
    "record_no",
    "id_number",
    "name",
    "sex",
    "birth_date",
    "event",
    "event_date",
    "hukou_region",
    "household_no",
    "relation_to_head",
    "hukou_type",
    "town",
]


def _bad(n: int) -> str:
    good = make_id_number("370303", dt.date(1990, 1, n), n, "M")
    return good[:-1] + ("0" if good[-1] != "0" else "1")  # a wrong check digit


# (record, ID number, name, town): three refused for their check digit, one for a town outside its county
ROWS = [
    ("G1", _bad(1), "东一", "370303101"),
    ("G2", _bad(2), "西二", "370303102"),
    ("G3", _bad(3), "无镇", None),
    ("G4", make_id_number("370303", dt.date(1990, 1, 4), 4, "M"), "错镇", "370304101"),
]


@pytest.fixture
def town_db(migrated_db_url, tmp_path, monkeypatch):
    f = tmp_path / "gongan.csv"
    rows = [
        [rec, idn, name, "1", f"1990-01-0{i}", "register", "2000-01-01", "370303", "H1", "02", "2", town]
        for i, (rec, idn, name, town) in enumerate(ROWS, 1)
    ]
    pl.DataFrame(rows, schema=dict.fromkeys(COLS, pl.String), orient="row").write_csv(f)
    engine = make_engine(migrated_db_url)
    s = ingest_file("gongan", f, engine=engine)
    engine.dispose()
    assert dict(s.reasons) == {"id_checksum": 3, "town_unknown": 1}
    monkeypatch.setenv("CRADLE_DATABASE_URL", migrated_db_url)
    with TestClient(create_app(), follow_redirects=False) as client:
        yield client, migrated_db_url, s.run_id


def _names(rows) -> set[str]:
    return {r["raw"]["name"] for r in rows}


def test_town_official_sees_only_the_rows_naming_the_town(town_db):
    client, url, run_id = town_db
    east = bearer_for(url, roles.TOWN, "370303101")
    got = client.get(f"{API}/quarantine", headers=east).json()
    assert got["total"] == 1 and _names(got["rows"]) == {"东一"}
    (row,) = got["rows"]
    assert row["town"] == "370303101" and row["raw"]["id_number"] == ROWS[0][1]  # own town: unmasked
    assert _names(client.get(f"{API}/runs/{run_id}", headers=east).json()["quarantine"]) == {"东一"}
    csv = client.get(f"{API}/quarantine.csv", headers=east).text
    assert "东一" in csv and not any(n in csv for n in ("西二", "无镇", "错镇"))
    page = client.get(f"/registry/runs/{run_id}", headers=east).text
    assert "东一" in page and ROWS[0][1] in page and not any(n in page for n in ("西二", "无镇", "错镇"))

    west = bearer_for(url, roles.TOWN, "370303102")
    assert _names(client.get(f"{API}/quarantine", headers=west).json()["rows"]) == {"西二"}
    assert "东一" not in client.get(f"{API}/quarantine.csv", headers=west).text

    # the county sees every row, also those naming no town or a town outside it (stored without a town)
    county = bearer_for(url, roles.COUNTY, "370303")
    rows = client.get(f"{API}/quarantine", headers=county).json()["rows"]
    assert _names(rows) == {"东一", "西二", "无镇", "错镇"}
    assert {r["raw"]["name"]: r["town"] for r in rows}["错镇"] is None
    csv = client.get(f"{API}/quarantine.csv", headers=county).text
    assert all(n in csv for n in ("东一", "西二", "无镇", "错镇"))
    # another county's town sees nothing
    other = bearer_for(url, roles.TOWN, "370304101")
    assert client.get(f"{API}/quarantine", headers=other).json() == {"total": 0, "rows": []}


def test_cli_lists_and_exports_one_town(town_db, tmp_path):
    runner = CliRunner()
    out = runner.invoke(app, ["quarantine", "list", "--town", "370303102"])
    assert out.exit_code == 0, out.output
    assert "370303102" in out.stdout and "370303101" not in out.stdout
    path = tmp_path / "town.csv"
    out = runner.invoke(app, ["quarantine", "export", str(path), "--town", "370303101"])
    assert out.exit_code == 0, out.output
    text = path.read_text(encoding="utf-8-sig")
    assert "东一" in text and "西二" not in text and "无镇" not in text
    bad = runner.invoke(app, ["quarantine", "list", "--town", "3703"])
    assert bad.exit_code == 2 and "town" in bad.output


def test_a_row_without_a_town_keeps_the_hash_it_was_stored_with():
    from cradle.registry.feeds import get_feed
    from cradle.registry.validation import row_hash

    names = get_feed("gongan").names
    row = dict(
        zip(
            COLS,
            ["G1", ROWS[0][1], "东一", "1", "1990-01-01", "register", "1990-01-01", "370303"],
            strict=False,
        )
    )
    frame = pl.DataFrame([{c: row.get(c) for c in names}], schema=dict.fromkeys(names, pl.String))
    before = [c for c in names if c != "town"]  # the feed as it was before the town column
    old = pl.concat_str([pl.col(c).fill_null("\x00") for c in before], separator="\x1f").hash(seed=1105) // 2
    assert row_hash(frame, names)[0] == frame.select(old.cast(pl.Int64)).item()
    with_town = frame.with_columns(pl.lit("370303101").alias("town"))
    assert row_hash(with_town, names)[0] != row_hash(frame, names)[0]
