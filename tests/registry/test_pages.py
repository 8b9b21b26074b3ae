"""The officials' registry pages: Chinese by default, scoped, ID numbers masked unless the role handles cases."""

import pytest
from fastapi.testclient import TestClient
from tests.auth.seed import REG_BAD_ID, REG_ID, REG_NAMES, seed_registry

from cradle.auth import roles
from cradle.auth.testing import bearer_for
from cradle.idcard import mask
from cradle.testing.postgres import copy_sqlite
from cradle.web.app import create_app


@pytest.fixture
def pages(tmp_path, monkeypatch, _migrated_sqlite_template):
    url = copy_sqlite(_migrated_sqlite_template, tmp_path)  # migrated
    ids = seed_registry(url)
    monkeypatch.setenv("CRADLE_DATABASE_URL", url)
    with TestClient(create_app(), follow_redirects=False) as client:
        yield client, url, ids


def test_search_history_and_run_pages(pages):
    client, url, ids = pages
    assert client.get("/registry").headers["location"].startswith("/auth/login?next=/registry")
    own = bearer_for(url, roles.COUNTY, "370303")
    home = client.get("/registry", headers=own)
    assert home.status_code == 200 and "人口信息库" in home.text and "待确认的疑似同一人" in home.text
    assert f'href="/registry/runs/{ids["run_id"]}"' in home.text and 'href="/registry"' in home.text  # nav
    found = client.get("/registry/persons", params={"q": REG_ID}, headers=own).text
    assert REG_NAMES[0] in found and f"<td>{REG_ID}</td>" in found
    by_name = client.get("/registry/persons", params={"q": REG_NAMES[0], "birth_date": "x"}, headers=own).text
    assert "birth_date" in by_name and REG_ID not in by_name  # a wrong date names the field
    person = client.get(f"/registry/persons/{ids['person_id']}", headers=own).text
    assert "历史记录" in person and "gongan.csv" in person and "第几行 2" in person and "测试合并" in person
    run = client.get(f"/registry/runs/{ids['run_id']}", headers=own).text
    assert REG_BAD_ID in run and "id_checksum" in run
    assert "Ingest run" in client.get(f"/registry/runs/{ids['run_id']}?lang=en", headers=own).text
    city = bearer_for(url, roles.CITY, "370300")
    masked = client.get("/registry/persons", params={"q": REG_ID}, headers=city).text
    assert (
        REG_NAMES[0] in masked and f"<td>{mask(REG_ID)}</td>" in masked and f"<td>{REG_ID}</td>" not in masked
    )
    assert REG_BAD_ID not in client.get(f"/registry/runs/{ids['run_id']}", headers=city).text
    other = bearer_for(url, roles.COUNTY, "370304")
    assert client.get(f"/registry/persons/{ids['person_id']}", headers=other).status_code == 404
    assert client.get(f"/registry/runs/{ids['run_id']}", headers=other).status_code == 404
    assert REG_NAMES[0] not in client.get("/registry/persons", params={"q": REG_ID}, headers=other).text
    assert (
        "没有找到" in client.get("/registry/persons", params={"q": REG_ID, "lang": "zh"}, headers=other).text
    )


def test_a_quarantined_rows_reason_reads_in_the_readers_language(pages):
    client, url, ids = pages
    own = bearer_for(url, roles.COUNTY, "370303")
    chinese = client.get(f"/registry/runs/{ids['run_id']}", headers=own).text
    english = client.get(f"/registry/runs/{ids['run_id']}", params={"lang": "en"}, headers=own).text
    assert "身份证号码校验位错误" in chinese and "(id_checksum)" in chinese
    assert "The ID number's check digit is wrong" in english and "身份证号码校验位错误" not in english
