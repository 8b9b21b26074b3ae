"""The `cradle programs` table shows every program id whole (ids are copied into commands)."""

from typer.testing import CliRunner

from cradle.cli import app
from cradle.policy.listing import list_programs


def test_programs_table_shows_every_id_uncut():
    out = CliRunner().invoke(app, ["programs"], terminal_width=100).output
    missing = [p["id"] for p in list_programs() if p["id"] not in out]
    assert missing == []
