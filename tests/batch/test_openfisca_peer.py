"""The OpenFisca peer (benchmarks/openfisca_peer) agrees with cradle person by person on a small population.
Skipped where openfisca-core (the `bench` extra) is not installed."""

import sys
from pathlib import Path

import pytest

pytest.importorskip("openfisca_core", reason="openfisca-core is not installed (pip install -e '.[bench]')")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def test_peer_agrees_exactly():
    from benchmarks.openfisca_peer.compare import compare

    result = compare(30_000, seed=4)
    by_program = {row["program"]: row for row in result["rows"]}
    assert len(by_program) == 8
    for row in by_program.values():
        assert row["mismatched"] == 0 and row["total_cradle"] == row["total_openfisca"], row
    for program in (
        "cn.childcare_subsidy",
        "zibo.deed_tax_subsidy",
        "baiyin.childcare_allowance",
        "sx.parental_leave",
    ):
        assert by_program[program]["beneficiaries"] > 0, program
