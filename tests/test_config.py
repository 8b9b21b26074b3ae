"""Every CRADLE_* variable is read in cradle.config.Settings and nowhere else."""

from __future__ import annotations

import re
from pathlib import Path

from cradle.config import ENV_NAMES, get_settings

SRC = Path(__file__).resolve().parents[1] / "src" / "cradle"
READ = re.compile(r"""(?:os\.environ\.get|os\.getenv|os\.environ\[)\(?\s*["'](CRADLE_\w+)""")


def test_no_module_but_config_reads_a_cradle_variable():
    readers = [
        f"{path.relative_to(SRC)}: {name}"
        for path in SRC.rglob("*.py")
        if path.name != "config.py"
        for name in READ.findall(path.read_text(encoding="utf-8"))
    ]
    assert readers == []


def test_a_changed_variable_is_followed(monkeypatch):
    assert "CRADLE_DATABASE_URL" in ENV_NAMES and "CRADLE_FIELD_KEYS" in ENV_NAMES
    monkeypatch.setenv("CRADLE_API_RATE_PER_MINUTE", "7")
    monkeypatch.setenv("CRADLE_ENV", "Production")
    settings = get_settings()
    assert settings.api_rate_per_minute == 7 and settings.production
    monkeypatch.delenv("CRADLE_ENV")
    assert not get_settings().production
