"""The registry's work pages (issue 23): a clerk uploads a feed file and sees the run's summary; the quarantine
lists rows by run and department, shows a row's reason beside its field, corrects and submits it again, and
dismisses rows in bulk with a reason; identity matches are confirmed or rejected and merges split, each with a
reason. On both databases; refusals name the field and change nothing."""

import datetime as dt

import polars as pl
import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import select
from tests.auth.seed import REG_BAD_ID, REG_ID, REG_NAMES, seed_registry

from cradle import audit
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.auth.testing import bearer_for
from cradle.db import session_scope
from cradle.idcard import make_id_number, mask
from cradle.registry import models as m
from cradle.registry import upload_jobs
from cradle.registry.exposure import LINE, shown_raw
from cradle.web.app import create_app

HEAD = "record_no,id_number,name,sex,birth_date,event,event_date,hukou_region,household_no,relation_to_head\n"
NEW_ID = make_id_number("370303", dt.date(1990, 2, 3), 5, "F")


@pytest.fixture
def pages(migrated_db_url, monkeypatch, tmp_path):
    ids = seed_registry(migrated_db_url)
    monkeypatch.setenv("CRADLE_DATABASE_URL", migrated_db_url)
    monkeypatch.setenv(
        "CRADLE_DATA_DIR", str(tmp_path / "data")
    )  # where uploaded files wait for their ingest
    with TestClient(create_app(), follow_redirects=False) as client:
        yield client, migrated_db_url, ids


def _ingested(client, headers, r):
    """The upload's page once its background ingest has ended (a refusal in the request itself as it came)."""
    if r.status_code != 303:
        return r
    assert r.headers["location"].startswith("/registry/uploads/")
    upload_jobs.drain()
    return client.get(r.headers["location"], headers=headers)


def _upload(client, headers, text: str, name="gongan.csv", dept="gongan"):
    r = client.post(
        "/registry/uploads",
        data={"dept": dept},
        files={"file": (name, text.encode("utf-8"), "text/csv")},
        headers=headers,
    )
    return _ingested(client, headers, r)


def test_a_clerk_uploads_a_file_corrects_the_bad_row_and_finds_the_person(pages):
    client, url, _ = pages
    clerk = bearer_for(url, roles.DEPT, "370303", department="gongan")
    form = client.get("/registry/uploads", headers=clerk)
    assert (
        form.status_code == 200 and "上传数据文件" in form.text and 'name="dept" value="gongan"' in form.text
    )
    text = (
        HEAD + f"U1,{NEW_ID},上传测试甲,2,1990-02-03,register,1990-02-03,370303,H1,02\n"
        f"U2,{NEW_ID[:-1]}Q,上传测试乙,2,1990-02-03,register,1990-02-03,370303,H1,20\n"
        f"U3,{REG_ID},上传测试丙,2,1991-05-06,register,1991-05-06,370303,H9,02,extra\n"
    )
    r = _upload(client, clerk, text)
    assert r.status_code == 303 and r.headers["location"].startswith("/registry/runs/")
    run = client.get(r.headers["location"], headers=clerk).text
    assert "gongan.csv" in run and "上传测试乙" in run and "/registry/quarantine?run_id=" in run
    run_id = int(r.headers["location"].rsplit("/", 1)[1])
    listing = client.get("/registry/quarantine", params={"run_id": run_id}, headers=clerk).text
    assert "行数： 2" in listing and listing.count('name="ids"') == 2
    with session_scope(url) as s:
        bad, line = s.execute(
            select(m.QuarantineRow).where(m.QuarantineRow.run_id == run_id).order_by(m.QuarantineRow.row_no)
        ).scalars()
        bad_id, line_id = bad.id, line.id
        assert (bad.row_no, bad.reason, line.row_no, line.reason) == (3, "id_format", 4, "malformed_line")
    page = client.get(f"/registry/quarantine/{bad_id}", headers=clerk).text
    # the reason stands beside the field it names
    assert 'id="id_number-error"' in page and "身份证号码应为17位数字加1位数字或X" in page
    assert f"{NEW_ID[:-1]}Q" in page  # 公安's clerk handles cases: the number as read, to correct it
    shown_line = client.get(f"/registry/quarantine/{line_id}", headers=clerk).text
    assert "上传测试丙" in shown_line and "extra" in shown_line
    r = client.post(
        f"/registry/quarantine/{bad_id}",
        data={
            "v_id_number": make_id_number("370303", dt.date(1990, 2, 3), 7, "F"),
            "action": "resubmit",
            **{f"v_{k}": v for k, v in {"name": "上传测试乙", "record_no": "U2"}.items()},
        },
        headers=clerk,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/registry/quarantine/{bad_id}"
    done = client.get(r.headers["location"], headers=clerk).text
    assert "已重新提交" in done and 'id="stored-person"' in done
    with session_scope(url) as s:
        row = s.get(m.QuarantineRow, bad_id)
        person = s.execute(select(m.Person).where(m.Person.name == "上传测试乙")).scalar_one()
        assert row.status == "resubmitted" and row.resolved_run_id is not None
    history = client.get(f"/registry/persons/{person.id}", headers=clerk).text
    assert "<h1>上传测试乙</h1>" in history and "gongan.csv" in history


def test_uploads_are_refused_beside_the_field_and_store_nothing(pages):
    client, url, _ = pages
    county = bearer_for(url, roles.COUNTY, "370303")
    r = _upload(
        client, county, HEAD + f"U1,{NEW_ID},甲,2,1990-02-03,register,1990-02-03,370303,H1,02\n", dept=""
    )
    assert r.status_code == 422 and 'id="dept-error"' in r.text and "请选择部门" in r.text
    r = _upload(client, county, "编号,姓名\n1,甲\n")
    assert r.status_code == 422 and 'id="file-error"' in r.text and "缺少列" in r.text
    other = (
        HEAD
        + f"U1,{make_id_number('370304', dt.date(1990, 2, 3), 5, 'F')},乙,2,1990-02-03,register,1990-02-03,370304,H1,02\n"
    )
    r = _upload(client, county, other)
    assert r.status_code == 403 and 'id="file-error"' in r.text and "第 2 行" in r.text.replace("行：", "行 ")
    r = _upload(client, county, "x", name="gongan.doc")
    assert r.status_code == 422 and ".doc" in r.text
    clerk = bearer_for(url, roles.DEPT, "370303", department="weijian")
    r = _upload(client, clerk, HEAD, dept="gongan")  # the department is the account's, not the form's
    assert r.status_code == 422 and "缺少列" in r.text
    with session_scope(url) as s:
        assert s.execute(select(m.Person).where(m.Person.name.in_(["甲", "乙"]))).first() is None
    auditor = bearer_for(url, roles.AUDITOR, "370303")
    assert client.get("/registry/uploads", headers=auditor).status_code == 403


def test_the_quarantine_list_filters_and_dismisses_in_bulk_with_a_reason(pages):
    client, url, ids = pages
    county = bearer_for(url, roles.COUNTY, "370303")
    listing = client.get("/registry/quarantine", headers=county).text
    assert REG_BAD_ID in listing and "身份证号码校验位错误" in listing
    assert (
        REG_BAD_ID not in client.get("/registry/quarantine", params={"dept": "weijian"}, headers=county).text
    )
    assert (
        REG_BAD_ID
        not in client.get("/registry/quarantine", params={"reason": "missing"}, headers=county).text
    )
    city = bearer_for(url, roles.CITY, "370300")
    masked = client.get("/registry/quarantine", headers=city).text
    assert mask(REG_BAD_ID) in masked and REG_BAD_ID not in masked
    r = client.post(
        "/registry/quarantine", data={"ids": [ids["row_id"]], "action": "dismiss"}, headers=county
    )
    assert r.status_code == 422 and 'id="reason-error"' in r.text and "请说明理由" in r.text
    r = client.post(
        "/registry/quarantine",
        data={"ids": [ids["row_id"]], "action": "dismiss", "reason": "公安重新报送"},
        headers=county,
    )
    assert r.status_code == 303
    with session_scope(url) as s:
        assert s.get(m.QuarantineRow, ids["row_id"]).status == "dismissed"
        entries = (
            s.execute(select(audit.AuditEntry).where(audit.AuditEntry.action == "dismiss_quarantined"))
            .scalars()
            .all()
        )
        assert [e.detail["reason"] for e in entries] == ["公安重新报送"]
    assert REG_BAD_ID not in client.get("/registry/quarantine", headers=county).text
    assert (
        REG_BAD_ID in client.get("/registry/quarantine", params={"status": "dismissed"}, headers=county).text
    )


def test_identity_matches_are_confirmed_with_a_reason_and_merges_split(pages):
    client, url, ids = pages
    county = bearer_for(url, roles.COUNTY, "370303")
    page = client.get("/registry/identity", headers=county).text
    assert REG_NAMES[2] in page and REG_NAMES[0] in page and REG_ID in page and REG_NAMES[3] in page
    city = bearer_for(url, roles.CITY, "370300")
    masked = client.get("/registry/identity", headers=city).text
    # a city official reads the queue, masked, and has no forms to decide with
    assert mask(REG_ID) in masked and REG_ID not in masked and 'name="action"' not in masked
    r = client.post(
        f"/registry/identity/candidates/{ids['candidate_id']}", data={"action": "confirm"}, headers=county
    )
    assert r.status_code == 422 and f'id="reason-{ids["candidate_id"]}-error"' in r.text
    with session_scope(url) as s:
        assert s.get(m.MatchCandidate, ids["candidate_id"]).status == "pending"
    r = client.post(
        f"/registry/identity/candidates/{ids['candidate_id']}",
        data={"action": "confirm", "reason": "户籍底册核实为同一人"},
        headers=county,
    )
    assert r.status_code == 303
    r = client.post(
        f"/registry/identity/merges/{ids['merge_id']}/split", data={"reason": "核实为不同人"}, headers=county
    )
    assert r.status_code == 303
    with session_scope(url) as s:
        c = s.get(m.MatchCandidate, ids["candidate_id"])
        assert c.status == "confirmed" and s.get(m.MergeAudit, c.merge_id).reason == "户籍底册核实为同一人"
        split = s.execute(
            select(m.MergeAudit).where(m.MergeAudit.reverses_id == ids["merge_id"])
        ).scalar_one()
        assert split.reason == "核实为不同人"
    other = bearer_for(url, roles.COUNTY, "370304")
    assert REG_NAMES[0] not in client.get("/registry/identity", headers=other).text


def test_the_api_dismisses_with_the_same_rules(pages):
    client, url, ids = pages
    body = {"ids": [ids["row_id"]], "reason": "重复报送"}
    weijian = bearer_for(url, roles.DEPT, "370303", department="weijian")
    r = client.post("/api/v1/registry/quarantine/dismiss", json=body, headers=weijian)
    assert r.status_code == 404  # a clerk sees only their own department's rows
    county = bearer_for(url, roles.COUNTY, "370303")
    r = client.post("/api/v1/registry/quarantine/dismiss", json={**body, "reason": " "}, headers=county)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    with session_scope(url) as s:
        assert s.get(m.QuarantineRow, ids["row_id"]).status == "open"
    r = client.post("/api/v1/registry/quarantine/dismiss", json=body, headers=county)
    assert r.status_code == 200 and r.json() == {"dismissed": 1}
    again = client.post("/api/v1/registry/quarantine/dismiss", json=body, headers=county)
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "ids[0]"


@pytest.mark.parametrize("suffix", [".parquet", ".xlsx"])
def test_excel_and_parquet_files_upload_like_csv(pages, tmp_path, suffix):
    client, url, _ = pages
    clerk = bearer_for(url, roles.DEPT, "370303", department="gongan")
    values = [
        ["P1", NEW_ID, "格式测试甲", "2", "1990-02-03", "register", "1990-02-03", "370303", "HP", "02"],
        ["P2", "370303", "格式测试乙", "2", "1990-02-03", "register", "1990-02-03", "370303", "HP", "20"],
    ]
    columns = HEAD.strip().split(",")
    path = tmp_path / f"gongan{suffix}"
    if suffix == ".parquet":
        pl.DataFrame(values, schema=dict.fromkeys(columns, pl.String), orient="row").write_parquet(path)
    else:
        book = Workbook()
        for row in [columns, *values]:
            book.active.append(row)
        book.save(path)
    r = client.post(
        "/registry/uploads",
        files={"file": (path.name, path.read_bytes(), "application/octet-stream")},
        headers=clerk,
    )
    r = _ingested(client, clerk, r)
    assert r.status_code == 303, r.text[-500:]
    run = client.get(r.headers["location"], headers=clerk).text
    assert path.name in run and "格式测试乙" in run  # the bad row (a six-digit ID number) is quarantined
    with session_scope(url) as s:
        assert (
            s.execute(select(m.Person.name).where(m.Person.id_number == NEW_ID)).scalar_one() == "格式测试甲"
        )


def test_a_malformed_line_is_shown_with_its_id_numbers_masked():
    row = m.QuarantineRow(region="370303", town=None, dept="gongan")
    line = f"U3,{REG_ID},上传测试丙,2,1991-05-06,register,1991-05-06,370303,H9,02,extra"
    city = Actor(id="account:1", role=roles.CITY, region="370300", account_id=1)
    shown = shown_raw(city, row, {"name": None, LINE: line})
    assert REG_ID not in shown[LINE] and mask(REG_ID) in shown[LINE] and "上传测试丙" in shown[LINE]
    county = Actor(id="account:2", role=roles.COUNTY, region="370303", account_id=2)
    assert shown_raw(county, row, {LINE: line})[LINE] == line  # a role that handles cases reads it whole
