import json

import polars as pl
from typer.testing import CliRunner

from cradle.cli import app

runner = CliRunner()


def test_synth_then_batch_then_resume(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    r = runner.invoke(
        app,
        [
            "batch-synth",
            "--region",
            "370305",
            "--persons",
            "1500",
            "--seed",
            "3",
            "--on",
            "2026-06-30",
            "--out",
            str(src),
        ],
    )
    assert r.exit_code == 0, r.output
    args = [
        "batch",
        "--region",
        "370305",
        "--on",
        "2026-06-30",
        "--source",
        str(src),
        "--out",
        str(out),
        "--workers",
        "1",
        "--partition-households",
        "150",
    ]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "(0 already done)" in r.output and "[1/" in r.output
    manifest = json.loads((out / "manifest.json").read_text())
    parts = sorted((out / "parts").glob("*.parquet"))
    assert len(parts) == len(manifest["done"]) >= 3
    rows = pl.read_parquet(parts).height
    r = runner.invoke(app, args)
    assert r.exit_code == 0 and f"({len(parts)} already done)" in r.output
    assert pl.read_parquet(sorted((out / "parts").glob("*.parquet"))).height == rows


def test_batch_errors_name_the_field(tmp_path):
    r = runner.invoke(
        app, ["batch", "--region", "370305", "--source", str(tmp_path), "--out", str(tmp_path / "o")]
    )
    assert r.exit_code == 2 and "households.parquet" in r.output
    pl.DataFrame({"household_id": [1]}).write_parquet(tmp_path / "households.parquet")
    for name in ("persons", "births"):
        pl.DataFrame({"household_id": [1]}).write_parquet(tmp_path / f"{name}.parquet")
    r = runner.invoke(
        app, ["batch", "--region", "370305", "--source", str(tmp_path), "--out", str(tmp_path / "o")]
    )
    assert r.exit_code == 2 and "households.parquet: missing column(s) jurisdiction" in r.output
    r = runner.invoke(
        app, ["batch-synth", "--region", "123456", "--persons", "10", "--out", str(tmp_path / "x")]
    )
    assert r.exit_code == 2 and "region: unknown region code 123456" in r.output


def test_whatif_command(zibo_source, tmp_path):
    r = runner.invoke(
        app,
        [
            "whatif",
            "--region",
            "370302",
            "--source",
            str(zibo_source),
            "--on",
            "2026-06-30",
            "--set",
            "zibo.nursery_fee_subsidy.second_child=600",
            "--years",
            "2026-2027",
            "--out",
            str(tmp_path),
            "--workers",
            "1",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "预测" in r.output and "合计" in r.output
    assert (tmp_path / "whatif.csv").exists() and (tmp_path / "whatif.html").exists()
    r = runner.invoke(app, ["whatif", "--region", "370302", "--source", str(zibo_source), "--set", "x.y=1"])
    assert r.exit_code == 2 and "--set x.y: unknown parameter" in r.output
