"""Quarantined import rows: corrected beside the row as read, re-submitted through the import's checks; a row
still bad stays with its new reason, a good one is stored and the row marked resolved, never deleted."""

import csv
import json

import pytest
import typer
from sqlalchemy import func, select
from typer.testing import CliRunner

from cradle import audit
from cradle.childcare import cli, quarantine
from cradle.childcare.facilities import by_credit_code
from cradle.childcare.importer import import_file
from cradle.childcare.models import Facility, ImportQuarantine
from cradle.cli import _Commands as Commands
from cradle.db import session_scope
from cradle.errors import Invalid

from .helpers import credit_code
from .test_import import _row, _write_csv


def _import(session, tmp_path):
    path = _write_csv(
        tmp_path / "list.csv",
        [_row(1), _row(2, 统一社会信用代码="91370303MA3C12345X"), _row(3, 托大班托位="-4")],
    )
    import_file(session, path)
    return {r.row_no: r.id for r in quarantine.list_rows(session)}


def test_correct_and_resubmit(session, tmp_path):
    ids = _import(session, tmp_path)
    assert set(ids) == {3, 4}
    bad_code, negative = ids[3], ids[4]
    # a correction that is still wrong: the row stays open with the new reason
    quarantine.correct(session, bad_code, {"统一社会信用代码": "9137030"}, "tester")
    out = quarantine.resubmit(session, "tester", [bad_code])
    assert out == {"stored": [], "still_quarantined": [bad_code]}
    row = session.get(ImportQuarantine, bad_code)
    assert (row.status, row.attempts) == ("open", 1)
    errors = json.loads(row.errors)
    assert [e["field"] for e in errors] == ["credit_code"] and "校验位" not in errors[0][
        "message"
    ]  # the new reason
    assert json.loads(row.data)["credit_code"] == "91370303MA3C12345X"  # the row as read is kept
    # fixed: stored, the row resolved and kept
    quarantine.correct(session, bad_code, {"credit_code": credit_code("370303", 2)}, "tester")
    quarantine.correct(session, negative, {"slots_older": "20"}, "tester")
    out = quarantine.resubmit(session, "tester")  # every corrected open row
    assert sorted(out["stored"]) == sorted([bad_code, negative]) and out["still_quarantined"] == []
    stored = by_credit_code(session, credit_code("370303", 2))
    assert stored.name == "导入托育园2"
    assert session.get(ImportQuarantine, bad_code).facility_id == stored.id
    assert sorted(g.slots for g in by_credit_code(session, credit_code("370303", 3)).slots) == [15, 20]
    assert session.scalar(select(func.count()).select_from(ImportQuarantine)) == 2
    assert {r.status for r in quarantine.list_rows(session, "all")} == {"resolved"}
    assert quarantine.list_rows(session) == []
    assert [e.action for e in audit.history(session, f"cc_quarantine:{bad_code}")] == [
        "facility_import.correct",
        "facility_import.resubmit",
        "facility_import.correct",
        "facility_import.resubmit",
    ]
    # a resolved row cannot be corrected or re-submitted again
    with pytest.raises(Invalid) as err:
        quarantine.correct(session, bad_code, {"name": "x"}, "tester")
    assert err.value.field == "quarantine_id"
    with pytest.raises(Invalid):
        quarantine.resubmit(session, "tester", [bad_code])


def test_scope_and_export(session, tmp_path):
    ids = _import(session, tmp_path)
    assert quarantine.list_rows(session, scope="620400") == []
    assert len(quarantine.list_rows(session, scope="370300")) == 2
    quarantine.correct(session, ids[4], {"托大班托位": "25"}, "tester")
    out = tmp_path / "q.csv"
    assert quarantine.export_csv(session, out) == 2
    with open(out, encoding="utf-8-sig") as fh:
        rows = {int(r["row_no"]): r for r in csv.DictReader(fh)}
    assert "统一社会信用代码校验位错误" in rows[3]["errors"]
    assert json.loads(rows[4]["record"])["slots"][1] == {
        "age_group": "older",
        "slots": "25",
        "fee_monthly": "1300",
    }


def _app():
    app = typer.Typer(cls=Commands)  # the `cradle` command's group: its one catch answers refusals

    @app.command("version")
    def version() -> None:
        pass

    cli.register(app)
    return app


def test_cli(cc_url, monkeypatch, tmp_path):
    monkeypatch.setenv("CRADLE_DATABASE_URL", cc_url)
    with session_scope(cc_url) as s:
        ids = _import(s, tmp_path)
    runner = CliRunner()
    r = runner.invoke(_app(), ["facilities", "quarantine", "list", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert [q["row_no"] for q in json.loads(r.output)] == [3, 4]
    r = runner.invoke(_app(), ["facilities", "quarantine", "correct", str(ids[4]), "托大班托位=-1"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(_app(), ["facilities", "quarantine", "resubmit", str(ids[4])])
    assert r.exit_code == 1 and "slots[1].slots" in r.output and "仍在隔离1行" in r.output
    runner.invoke(_app(), ["facilities", "quarantine", "correct", str(ids[4]), "托大班托位=20"])
    r = runner.invoke(_app(), ["facilities", "quarantine", "resubmit"])
    assert r.exit_code == 0 and "入库1行" in r.output, r.output
    r = runner.invoke(_app(), ["facilities", "quarantine", "correct", str(ids[3]), "nonsense"])
    assert r.exit_code == 2
    with session_scope(cc_url) as s:
        assert s.scalar(select(func.count()).select_from(Facility)) == 2
        assert s.get(ImportQuarantine, ids[4]).status == "resolved"
        assert s.get(ImportQuarantine, ids[3]).status == "open"
