"""pip-audit outcomes: a vulnerability fails, PyPI out of reach only warns, the ignore file is read."""

from __future__ import annotations

import json

from cradle.reliability import depaudit


def _report(*deps) -> str:
    return json.dumps({"dependencies": list(deps), "fixes": []})


def test_clean_and_vulnerable_reports():
    ok = depaudit.classify(0, _report({"name": "a", "version": "1", "vulns": []}), "")
    assert ok.status == "ok" and ok.audited == 1
    bad = depaudit.classify(
        1,
        _report(
            {"name": "a", "version": "1", "vulns": []},
            {
                "name": "jinja2",
                "version": "3.1.0",
                "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"]}],
            },
        ),
        "",
    )
    assert bad.status == "vulnerable" and bad.vulns == ["jinja2 3.1.0 GHSA-h5c8-rqwp-cp95 (fix: 3.1.3)"]


def test_network_failure_is_offline_and_a_crash_is_an_error():
    err = (
        "requests.exceptions.ProxyError: HTTPSConnectionPool(host='pypi.org', port=443): Max retries exceeded"
    )
    assert depaudit.classify(1, None, "Traceback ...\n" + err).status == "offline"
    assert depaudit.classify(1, None, "Traceback ...\nKeyError: 'info'").status == "error"


def test_ignore_file(tmp_path):
    f = tmp_path / "ignore"
    f.write_text("# header\n\nPYSEC-2024-1  # not reachable: we never call it\nGHSA-aaaa-bbbb-cccc\n")
    assert depaudit.ignored(f) == ["PYSEC-2024-1", "GHSA-aaaa-bbbb-cccc"]
    assert depaudit.ignored(tmp_path / "missing") == []
