"""`cradle jobs systemd`: a service and a timer per registered job, valid to systemd, saying what the registry
says."""

from __future__ import annotations

import configparser
import getpass
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cradle.cli import app
from cradle.jobs.registry import JOBS


def _read(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser


@pytest.fixture
def units(tmp_path, monkeypatch):
    monkeypatch.setenv("CRADLE_JOB_SCHEDULES", "backup=*-*-* 02:45")
    env_file = tmp_path / "cradle.env"
    env_file.write_text("CRADLE_ENV=production\n")
    cradle = str(Path(sys.executable).with_name("cradle"))
    args = ["jobs", "systemd", "--out", str(tmp_path / "units"), "--cradle", cradle]
    args += ["--user", getpass.getuser(), "--env-file", str(env_file), "--working-dir", str(tmp_path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return tmp_path / "units", cradle


def test_a_service_and_a_timer_per_job(units):
    folder, cradle = units
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"cradle-job-{j.name}.{kind}" for j in JOBS for kind in ("service", "timer")
    )
    for job in JOBS:
        service = _read(folder / f"cradle-job-{job.name}.service")["Service"]
        timer = _read(folder / f"cradle-job-{job.name}.timer")["Timer"]
        assert service["ExecStart"] == f"{cradle} jobs run {job.name} --scheduled"
        assert service["Type"] == "oneshot" and service["SuccessExitStatus"] == "75"
        expected = "*-*-* 02:45" if job.name == "backup" else job.schedule  # CRADLE_JOB_SCHEDULES applies
        assert timer["OnCalendar"] == expected and timer["Persistent"] == "true"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_accepts_the_units(units):
    folder, _ = units
    done = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in folder.iterdir())],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_a_bad_override_is_refused_naming_it(tmp_path, monkeypatch):
    monkeypatch.setenv("CRADLE_JOB_SCHEDULES", "backup=*-*-* 27:00")
    result = CliRunner().invoke(app, ["jobs", "systemd", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "backup: hour '27'" in result.output
    assert list(tmp_path.iterdir()) == []
