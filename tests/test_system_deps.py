"""The Debian packages `make install` puts on a fresh machine (scripts/system-deps.sh) are the ones the code needs:
the font family the PDFs and charts name, the browser the browser tests launch, the PostgreSQL tools the test
server runs, node for the assets and Java for Spark."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "system-deps.sh"


def _needs() -> dict[str, str]:
    """package -> probe, read from the script's NEEDS array."""
    block = re.search(r"NEEDS=\((.*?)\n\)", SCRIPT.read_text(), re.S).group(1)
    return dict(re.findall(r'"([a-z0-9.-]+)\|([^"]+)"', block))


def test_every_font_family_the_documents_name_is_installed_by_the_script():
    needs = _needs()
    fonts = {probe.removeprefix("font:") for probe in needs.values() if probe.startswith("font:")}
    assert needs.get("fonts-noto-cjk") == "font:Noto Sans CJK SC"
    named = set()
    for rel in (
        "src/cradle/monitoring/report/templates/report.css",
        "src/cradle/monitoring/report/charts.py",
        "src/cradle/services/certificates.py",
    ):
        text = (ROOT / rel).read_text(encoding="utf-8")
        first = re.search(r'font-family:\s*"([^"]+)"|FONT = "([^,"]+)', text)
        assert first, rel
        named.add(first.group(1) or first.group(2))
    assert named <= fonts, f"PDF/chart fonts {named - fonts} are not installed by {SCRIPT.name}"


def test_the_browser_the_browser_tests_launch_is_installed_by_the_script():
    conftest = (ROOT / "tests" / "browser" / "conftest.py").read_text(encoding="utf-8")
    path = re.search(r'CHROMIUM = "([^"]+)"', conftest).group(1)
    assert _needs().get("chromium") == path


def test_postgresql_node_and_java_are_installed_by_the_script():
    needs = _needs()
    server = (ROOT / "src" / "cradle" / "testing" / "postgres.py").read_text(encoding="utf-8")
    assert '_pg_bin("initdb")' in server and needs.get("postgresql") == "initdb"
    assert (
        "npm ci" in (ROOT / "Makefile").read_text()
        and needs.get("npm") == "npm"
        and needs.get("nodejs") == "node"
    )
    assert 'shutil.which("java")' in (ROOT / "tests" / "batch" / "test_spark.py").read_text()
    assert needs.get("default-jre-headless") == "java"


def test_make_install_runs_the_script_and_ci_runs_only_make_test():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^install: system-deps", makefile, re.M)
    assert "./scripts/system-deps.sh" in makefile
    ci = [
        line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")
    ]
    assert ci[-1] == "exec make test" and not any("apt-get" in line for line in ci)
