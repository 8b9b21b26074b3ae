"""The README's tour shows real output: this keeps it true."""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_tour_matches_cradle_calc():
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "cradle.cli",
            "calc",
            str(ROOT / "docs" / "family.json"),
            "--on",
            "2025-07-01",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    got = {(e["program"], e["beneficiary"], e["amount"]) for e in json.loads(out)["entitlements"]}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_.]+)` \| (\w+) \| (\d+|—) ", readme, re.M)
    shown = {(p, b, None if a == "—" else int(a)) for p, b, a in rows}  # —: the amount is left to a county
    assert len(shown) == 10
    assert shown == got
