"""Every main page in English carries no Chinese except data: names of persons and facilities, document titles
and the policy texts quoted from them (program titles, explanations), values typed into the demo database.

The pages are rendered over the `make run` demo database, as the public, a citizen and the officials see them.
Data are allowed by value: every Chinese string stored in the database or returned by the policy API, less the
region names (those have English names and must be shown in English). Markup marked `lang="zh-CN"` (the brand
mark, the link to the Chinese page) is Chinese on purpose.
"""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from cradle import regions
from cradle.childcare import standards, targets
from cradle.db import Base, get_engine, session_scope

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]+")
LANG_ZH = re.compile(r'<(\w+)[^>]*\blang="zh[^"]*"[^>]*>.*?</\1>', re.S)
ATTRS = re.compile(r'\b(?:placeholder|title|aria-label|alt)="([^"]*)"')
PACK_REGIONS = ["370303", "140000", "620400", "330600", "441523"]

PUBLIC = [
    "/",
    "/programs?jurisdiction=370303",
    "/documents",
    "/childcare",
    "/monitoring",
    "/monitoring/370300",
    "/monitoring/140000",
    "/monitoring/370300/indicators/total_fertility_rate",
    "/monitoring/370300/indicators/childcare_places_per_1000",
    "/auth/login",
    "/auth/register",
    "/home",
    "/childcare/facilities/{facility}",
]
CITIZEN = [
    "/home",
    "/services",
    "/services/registration",
    "/services/registrations/{registration}",
    "/services/bundle",
    "/services/bundles/{bundle}",
    "/services/apply",
    "/applications",
    "/applications/{case}",
    "/services/payments",
    "/services/appeals",
    "/services/messages",
    "/services/consents",
    "/auth/account",
]
COUNTY = [
    "/home",
    "/childcare/official?region=370303",
    "/childcare/official/filings/{filing}",
    "/monitoring/entry",
    "/monitoring/upload",
    "/staff",
    "/staff/cases/{case}",
    "/staff/appeals",
    "/payments",
    "/payments/batches/{batch}",
    "/registry",
]
TOWN = ["/home", "/staff", "/staff/cases/{case}"]
CLERK = ["/staff", "/registry", "/registry/runs/{run}", "/registry/persons", "/registry/persons/{person}"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo database and the app over it; restores CRADLE_DATABASE_URL afterwards."""
    from cradle.demo import init_database

    url = f"sqlite:///{tmp_path_factory.mktemp('english') / 'demo.db'}"
    mp = pytest.MonkeyPatch()
    mp.setenv("CRADLE_DATABASE_URL", url)
    init_database(True, url)
    from cradle.web.app import create_app

    yield url, create_app()
    mp.undo()


def _strings(value, out: set[str]) -> None:
    if isinstance(value, str):
        if value[:1] in "[{":
            try:
                return _strings(json.loads(value), out)
            except ValueError:
                pass
        if CJK.search(value):
            out.add(value)
    elif isinstance(value, dict):
        for v in value.values():
            _strings(v, out)
    elif isinstance(value, list | tuple):
        for v in value:
            _strings(v, out)


@pytest.fixture(scope="module")
def data_values(demo) -> list[str]:
    """Chinese data the pages may show, longest first (a facility name before the district in it)."""
    url, app = demo
    found: set[str] = set()
    engine = get_engine(url)
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                _strings(list(row), found)
    # Through the models too, which decrypt the columns the database keeps encrypted (names of persons).
    with session_scope(url) as session:
        for mapper in Base.registry.mappers:
            columns = [c.key for c in mapper.column_attrs]
            for obj in session.query(mapper.class_):
                _strings([getattr(obj, key) for key in columns], found)
    client = TestClient(app, base_url="https://testserver")
    _strings(client.get("/api/v1/documents").json(), found)
    for code in PACK_REGIONS:
        _strings(client.get("/api/v1/programs", params={"jurisdiction": code}).json(), found)
    # Texts quoted from the policy documents: indicator definitions and targets, the childcare standard's items.
    catalogue = resources.files("cradle.monitoring") / "data" / "indicators.yaml"
    indicators = yaml.safe_load(catalogue.read_text("utf-8"))
    _strings(indicators, found)
    units = {i["unit"] for i in indicators["indicators"]}  # "个", "所": one character, and data all the same
    for module in (standards, targets):
        _strings([v for k, v in vars(module).items() if k.isupper()], found)
    place_names = {r.name for r in regions.all_regions()}
    # Stored values may be whole sentences in Chinese; a data value split by markup is also allowed by its parts.
    parts = {p for v in found for p in re.split(r"[\s·：:，,（）()]+", v) if CJK.search(p) and len(p) > 2}
    # One-character values ("男", "区") would hide any word that contains them.
    return sorted(({v for v in found | parts if len(v) > 1} | units) - place_names, key=len, reverse=True)


def leaks(html: str, data: list[str]) -> list[str]:
    """Chinese runs left in the page's text and labelling attributes once the data values are taken out."""
    html = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
    html = LANG_ZH.sub("", html)
    shown = re.sub(r"<[^>]+>", " ", html) + " " + " ".join(ATTRS.findall(html))
    shown = shown.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
    for value in data:
        if value in shown:
            shown = shown.replace(value, " ")
    return sorted({m.group() for m in CJK.finditer(shown)})


def _signed_in(app, url: str, username: str | None) -> TestClient:
    client = TestClient(app, base_url="https://testserver")
    if username:
        from cradle.services.demo import DEMO_PASSWORD

        r = client.post("/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD})
        assert r.status_code == 200, r.text
    return client


def _demo_mother(url: str) -> str:
    from sqlalchemy import select

    from cradle.auth.models import Account

    with session_scope(url) as s:  # through the model: user names are encrypted at rest
        return s.execute(
            select(Account.username).where(Account.role == "citizen").order_by(Account.id)
        ).scalar()


def _ids(url: str) -> dict[str, str]:
    """The first facility, filing, case, payment batch, 出生一件事, 生育登记, 卫健 feed run and person of the demo."""
    queries = {
        "facility": "SELECT facility_id FROM cc_filing",
        "filing": "SELECT id FROM cc_filing",
        "case": "SELECT case_no FROM svc_case",
        "batch": "SELECT batch_no FROM pay_batch",
        "bundle": "SELECT bundle_no FROM svc_birth_bundle",
        "registration": "SELECT reg_no FROM svc_birth_registration",
        "run": "SELECT id FROM registry_ingest_run WHERE dept = 'weijian'",
        "person": "SELECT id FROM registry_person",
    }
    with session_scope(url) as s:
        return {key: str(s.execute(text(f"{sql} ORDER BY id")).scalar()) for key, sql in queries.items()}


@pytest.mark.parametrize("who", ["public", "citizen", "county", "town", "clerk"])
def test_english_pages_show_no_chinese_but_data(demo, data_values, who):
    url, app = demo
    username, paths = {
        "public": (None, PUBLIC),
        "citizen": (_demo_mother(url), CITIZEN),
        "county": ("demo-county", COUNTY),
        "town": ("demo-town", TOWN),
        "clerk": ("demo-weijian", CLERK),
    }[who]
    ids = _ids(url)
    paths = [path.format(**ids) for path in paths]
    client = _signed_in(app, url, username)
    found = {}
    for path in paths:
        page = client.get(path, params={"lang": "en"})
        assert page.status_code == 200, (path, page.status_code)
        assert '<html lang="en"' in page.text, path
        if left := leaks(page.text, data_values):
            found[path] = left
    assert found == {}


def test_the_check_finds_chinese_outside_data(data_values):
    """The check itself: interface text in Chinese is found, data and lang="zh-CN" markup are not."""
    assert leaks("<p>Status: 已提交</p>", data_values) == ["已提交"]
    assert leaks('<input placeholder="请选择">', data_values) == ["请选择"]
    assert leaks('<a lang="zh-CN" href="/?lang=zh">中文</a><h1>保育费补助</h1>', data_values) == []
    assert leaks("<td>张店区</td>", data_values) == ["张店区"]  # a region name must be in English
