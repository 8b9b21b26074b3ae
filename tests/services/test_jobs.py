"""The 免申即享 job: each candidate file the data hub dropped is run once and moved to done/; a file that cannot be
read or run stays, and the run fails naming the file and line."""

from __future__ import annotations

import json

from sqlalchemy import select

from cradle.db import get_engine, session_scope
from cradle.jobs import runner
from cradle.services.models import Case

from .test_proactive import candidate

PROGRAM = "baiyin.childcare_allowance"


def _write(path, rows) -> None:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")


def test_candidate_files_are_run_once_and_moved(svc_url, tmp_path, monkeypatch):
    url, tmp_path = svc_url, tmp_path / "drop"
    tmp_path.mkdir()
    monkeypatch.setenv("CRADLE_PROACTIVE_DIR", str(tmp_path))
    _write(tmp_path / f"{PROGRAM}.jsonl", [candidate(0), candidate(1), candidate(2, eligible=False)])
    record = runner.run("proactive", url)
    assert record.result == "ok", record.error
    assert record.summary == {"files": 1, "examined": 3, "eligible": 2, "opened": 2, "existing": 0}
    assert not (tmp_path / f"{PROGRAM}.jsonl").exists()
    assert [p.name.split(".")[0] for p in (tmp_path / "done").iterdir()] == ["baiyin"]
    with session_scope(url) as s:
        assert {c.origin for c in s.execute(select(Case)).scalars()} == {"proactive"}
    assert runner.run("proactive", url).summary["files"] == 0  # nothing new dropped
    get_engine(url).dispose()


def test_a_bad_file_fails_the_run_and_stays(svc_url, tmp_path, monkeypatch):
    url, tmp_path = svc_url, tmp_path / "drop"
    tmp_path.mkdir()
    monkeypatch.setenv("CRADLE_PROACTIVE_DIR", str(tmp_path))
    (tmp_path / f"{PROGRAM}.jsonl").write_text(json.dumps(candidate(0)) + "\n{not json\n", encoding="utf-8")
    _write(tmp_path / "zibo.home_purchase_subsidy.jsonl", [candidate(1)])  # applied for, never proactive
    record = runner.run("proactive", url)
    assert record.result == "failed"
    assert f"{PROGRAM}.jsonl:2: not JSON" in record.error
    assert "zibo.home_purchase_subsidy.jsonl: program: 该项目须本人申请" in record.error
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{PROGRAM}.jsonl",
        "zibo.home_purchase_subsidy.jsonl",
    ]
    with session_scope(url) as s:
        assert s.execute(select(Case)).first() is None
    get_engine(url).dispose()
