"""`cradle params …` on behalf of an account (`--actor`), and a publication reaching another process that holds
the values already: the next answer of a `cradle calc` started before, and of one started after."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

from typer.testing import CliRunner

from cradle.cli import app
from cradle.policy.calc import calc_household

from .conftest import LUHE_CLAUSE, LUHE_DOC, REWARD, amount_source, official


def _cradle(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cradle.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


def _reward(result: dict) -> dict:
    (ent,) = [e for e in result["entitlements"] if e["program"] == "luhe.reward_assistance"]
    return ent


def test_propose_and_approve_from_another_process_reach_this_one(desk_url, luhe_household, tmp_path):
    official(desk_url, username="luhe-a")
    official(desk_url, username="luhe-b")
    on = dt.date(2026, 6, 1)
    assert _reward(calc_household(luhe_household, on))["amount"] is None  # this process has read the desk
    env = {**os.environ, "CRADLE_DATABASE_URL": desk_url}
    propose = [
        "params",
        "propose",
        REWARD,
        "--value",
        "1440",
        "--unit",
        "CNY",
        "--from",
        "2026-01-01",
        "--document",
        LUHE_DOC,
        "--clause",
        LUHE_CLAUSE,
    ]
    runner = CliRunner()
    refused = runner.invoke(app, [*propose[:4], "1440元", *propose[5:], "--actor", "luhe-a"])
    assert refused.exit_code == 2 and refused.output.startswith("value:"), refused.output
    done = runner.invoke(app, [*propose, "--actor", "luhe-a"])
    assert done.exit_code == 0 and "proposal 1:" in done.output, done.output
    own = runner.invoke(app, ["params", "approve", "1", "--actor", "luhe-a"])
    assert own.exit_code == 1 and own.output.startswith("proposal:"), own.output
    # the approval is another process's
    approved = _cradle("params", "approve", "1", "--actor", "luhe-b", env=env)
    assert approved.returncode == 0, approved.stderr
    assert "published luhe.reward_assistance.amount = 1440 CNY from 2026-01-01" in approved.stdout
    # this process had the old values; its next answer has the new one
    assert _reward(calc_household(luhe_household, on))["amount"] == 1440
    path = tmp_path / "household.json"
    path.write_text(json.dumps(luhe_household, ensure_ascii=False), encoding="utf-8")
    calc = _cradle("calc", str(path), "--on", "2026-06-01", env=env)
    ent = _reward(json.loads(calc.stdout))
    assert ent["amount"] == 1440 and amount_source(ent)["source"] == "desk"
    assert _reward(calc_household(luhe_household, dt.date(2025, 6, 1)))["amount"] is None
    history = runner.invoke(app, ["params", "history", REWARD])
    assert history.exit_code == 0, history.output
    lines = history.output.strip().splitlines()
    assert lines[0].startswith("2023-01-01\tNone\tCNY") and lines[0].endswith("release")
    assert lines[1].startswith("2026-01-01\t1440\tCNY\t《陆河县关于优化生育政策") and "陆河县" in lines[1]
    listed = runner.invoke(app, ["params", "list", "--actor", "luhe-a"])
    assert listed.exit_code == 0, listed.output
    assert any(line.startswith(f"{REWARD}\t1440\tCNY") for line in listed.output.splitlines())
    assert "baiyin." not in listed.output  # only what this official decides


def test_an_unknown_actor_is_refused(desk_url):
    r = CliRunner().invoke(app, ["params", "approve", "1", "--actor", "nobody"])
    assert r.exit_code == 1 and "--actor" in r.output
