import json

import typer
from typer.testing import CliRunner

from cradle.childcare import cli
from cradle.cli import _Commands as Commands
from cradle.db import session_scope

from .helpers import credit_code, filed_facility


def _app():
    app = typer.Typer(cls=Commands)  # the `cradle` command's group: its one catch answers refusals

    @app.command("version")
    def version() -> None:  # a second command so that `facilities` stays a sub-command
        pass

    cli.register(app)
    return app


def test_list_import_and_capacity(cc_url, monkeypatch, tmp_path):
    monkeypatch.setenv("CRADLE_DATABASE_URL", cc_url)
    with session_scope(cc_url) as s:
        filed_facility(s, 1)
        filed_facility(s, 2, region="620402")
    runner = CliRunner()
    r = runner.invoke(_app(), ["facilities", "--region", "370300", "--format", "json", "--on", "2025-01-01"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert [(f["name"], f["slots"], f["vacancies"], f["filing_status"]) for f in data["facilities"]] == [
        ("测试托育园1", 80, 80, "accepted")
    ]
    r = runner.invoke(_app(), ["facilities"])
    assert r.exit_code == 0 and "测试托育园2" in r.output and "已备案" in r.output
    r = runner.invoke(_app(), ["facilities", "--region", "37"])
    assert r.exit_code == 2 and "region" in r.output
    r = runner.invoke(
        _app(), ["facilities", "--region", "999999"]
    )  # well-formed but unknown: not an empty list
    assert r.exit_code == 2 and "未知的行政区划代码 999999" in r.output
    path = tmp_path / "list.csv"
    path.write_text(
        "credit_code,name,type,address,region_code,floor_area_m2,rooms,opening_date,slots_older,fee_older\n"
        f"{credit_code('370303', 5)},新园,public,路1号,370303,300,2,2024-01-01,20,800\n"
        f"{credit_code('370303', 6)},坏园,public,路2号,370303,300,2,2024-01-01,-20,800\n",
        encoding="utf-8",
    )
    r = runner.invoke(_app(), ["facilities", "import", str(path)])
    assert r.exit_code == 1
    assert "新登记1" in r.output and "隔离1" in r.output and "第3行 slots[0].slots：不能为负数" in r.output
    r = runner.invoke(_app(), ["facilities", "capacity", "--region", "370300", "--on", "2025-01-01"])
    assert r.exit_code == 0 and "目标≥4.7" in r.output and "census2020" in r.output
    out = tmp_path / "feed.csv"
    r = runner.invoke(_app(), ["facilities", "export-enrolments", str(out)])
    assert r.exit_code == 0 and out.read_text(encoding="utf-8").startswith("record_no,")
