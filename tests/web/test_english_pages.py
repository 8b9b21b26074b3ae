"""Every main page in English carries no Chinese except data: names of persons and facilities, document titles
and the policy texts quoted from them (program titles, explanations), values typed into the demo database.

The pages are rendered over the `make run` demo database, as the public, a citizen and the officials see them.
Data are allowed by value: every Chinese string stored in the database or returned by the policy API, less the
region names (those have English names and must be shown in English). Markup marked `lang="zh-CN"` (the brand
mark, the link to the Chinese page) is Chinese on purpose.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib import resources

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from cradle import regions
from cradle.childcare import standards
from cradle.db import Base, get_engine, session_scope
from cradle.policy.packs import load_packs

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
    "/monitoring/370303",
    "/monitoring/370300/report",
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
    "/assistance/mine",
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
    "/assistance/370303/{year}",
    "/assistance/370303/families",
    "/childcare/official?region=370303",
    "/childcare/official/filings/{filing}",
    "/childcare/official/facilities/{facility}",
    "/childcare/official/facilities/{facility}/history",
    "/childcare/official/planning?communities_total=40&planned_population=3001",
    "/childcare/official/quarantine?status=all",
    "/childcare/official/register",
    "/monitoring/entry",
    "/monitoring/upload",
    "/monitoring/370303/plan",
    "/monitoring/370303/survey",
    "/whatif?region=370303",
    "/staff",
    "/staff/cases/{case}",
    "/staff/appeals",
    "/payments",
    "/payments/batches/{batch}",
    "/registry",
    "/registry/uploads",
    "/registry/quarantine",
    "/registry/identity",
]
TOWN = ["/home", "/staff", "/staff/cases/{case}", "/assistance/370303/{year}"]
VILLAGE = ["/home", "/assistance", "/assistance/370303/{year}"]
HOSPITAL = ["/home", "/assistance/priority", "/health"]
OPERATOR = ["/home", "/childcare/operator/{facility}"]
ADMIN = ["/home", "/auth/admin/accounts", "/admin/jobs"]
CLERK = [
    "/staff",
    "/registry",
    "/registry/runs/{run}",
    "/registry/persons",
    "/registry/persons/{person}",
    "/registry/uploads",
    "/registry/quarantine",
    "/monitoring/370303/plan",
    "/monitoring/370303/plan/tasks/zibo.3-2.2",
]


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
    # Texts quoted from the policy documents: indicator definitions, each document's targets (indicators and
    # 托育 standards) and plan measures (clause numbers, titles, responsible units, quoted in the annual
    # report) and parameters (what a what-if changes), the childcare standard's items.
    catalogue = resources.files("cradle.monitoring") / "data" / "indicators.yaml"
    indicators = yaml.safe_load(catalogue.read_text("utf-8"))
    _strings(indicators, found)
    for pack in load_packs():
        for name in ("targets.yaml", "measures.yaml", "parameters.yaml"):
            if (pack.path / name).exists():
                _strings(yaml.safe_load((pack.path / name).read_text("utf-8")), found)
    units = {i["unit"] for i in indicators["indicators"]}  # "个", "所": one character, and data all the same
    _strings([v for k, v in vars(standards).items() if k.isupper()], found)
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
        found = {key: str(s.execute(text(f"{sql} ORDER BY id")).scalar()) for key, sql in queries.items()}
    return {**found, "year": str(dt.date.today().year)}  # the demo's assistance list is this year's


def _staff_account(url: str, username: str, role: str, **fields) -> str:
    """A facility operator's or an administrator's account (the demo has none); its name is in English, so
    that it is not data the check would allow."""
    from sqlalchemy import select

    from cradle.auth import accounts
    from cradle.auth.models import Account
    from cradle.services.demo import DEMO_PASSWORD

    with session_scope(url) as s:
        if s.execute(select(Account.id).where(Account.username == username)).scalar() is None:
            accounts.create_account(
                s, "cli", username=username, role=role, name="Test", password=DEMO_PASSWORD, **fields
            )
    return username


def _operator(url: str) -> str:
    with session_scope(url) as s:
        facility, region = s.execute(text("SELECT id, region_code FROM cc_facility ORDER BY id")).first()
    return _staff_account(url, "test-operator", "facility_operator", region=region, facility_id=facility)


@pytest.mark.parametrize(
    "who", ["public", "citizen", "county", "town", "village", "hospital", "clerk", "operator", "admin"]
)
def test_english_pages_show_no_chinese_but_data(demo, data_values, who):
    url, app = demo
    username, paths = {
        "public": (None, PUBLIC),
        "citizen": (_demo_mother(url), CITIZEN),
        "county": ("demo-county", COUNTY),
        "town": ("demo-town", TOWN),
        "village": ("demo-village", VILLAGE),
        "hospital": ("demo-fuyou", HOSPITAL),
        "clerk": ("demo-weijian", CLERK),
        "operator": (_operator(url) if who == "operator" else None, OPERATOR),
        "admin": (
            _staff_account(url, "test-admin", "administrator", region="cn") if who == "admin" else None,
            ADMIN,
        ),
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


def test_errors_in_english(demo, data_values):
    """A refusal page and the API's error answers follow the request's language; the default stays Chinese.
    Both messages are raised in Chinese by the domain code."""
    url, app = demo
    citizen = _signed_in(app, url, _demo_mother(url))
    page = citizen.get("/staff", params={"lang": "en"}, headers={"accept": "text/html"})
    assert page.status_code == 403
    assert "Your role cannot handle this matter." in page.text
    assert leaks(page.text, data_values) == []

    county = _signed_in(app, url, "demo-county")
    answer = county.get("/api/v1/registry/runs/987654", params={"lang": "en"})
    assert answer.status_code == 404
    assert answer.json() == {
        "errors": [
            {
                "field": "run_id",
                "code": "not_found",
                "message": "Import run does not exist or is outside your jurisdiction: 987654",
            }
        ]
    }
    assert answer.headers["content-length"] == str(len(answer.content))
    head = county.head("/api/v1/registry/runs/987654", headers={"accept-language": "en"})
    assert head.status_code in (404, 405) and head.content == b""
    chinese = county.get("/api/v1/registry/runs/987654", params={"lang": "zh"})
    assert chinese.json()["errors"][0]["message"] == "导入批次不存在或不在您的管辖范围：987654"


def test_every_quarantine_reason_reads_in_english():
    """The run page shows a quarantined row's reason by its code; each reason has its message id, in English."""
    from cradle.registry.validation import REASON_MESSAGES, REASONS
    from cradle.web.i18n import gettext

    assert set(REASON_MESSAGES) == set(REASONS)
    untranslated = {code: m for code, m in REASON_MESSAGES.items() if CJK.search(gettext("en", m))}
    assert not untranslated
    assert {code: gettext("zh", m) for code, m in REASON_MESSAGES.items()} == REASONS
    assert gettext("en", REASON_MESSAGES["id_checksum"]) == "The ID number's check digit is wrong"


def test_domain_messages_are_said_with_their_parts():
    """Refusals and notifications are message ids with parameters, said in the reader's language."""
    from cradle.errors import Conflict, Invalid
    from cradle.services import bundle, notifications
    from cradle.services.applications import NOT_ATTACHABLE

    assert Conflict("case_no", NOT_ATTACHABLE["approved"]).text("en") == (
        "The application is “Approved”: no more materials can be added"
    )
    refusal = Invalid("frequency", "Unknown payment frequency %(frequency)s", frequency="weekly")
    assert (refusal.text("en"), refusal.text()) == (
        "Unknown payment frequency weekly",
        "未知的发放频率 weekly",
    )
    params = {
        "task": notifications.label(bundle.KINDS["hukou_registration"].title),
        "status": notifications.label(bundle.STATUS_LABELS["rejected"]),
        "reason": "材料不全",
    }
    assert (
        notifications.say(bundle.TASK_MESSAGE_REASON, params) == "出生一件事·户口登记：已退回。原因：材料不全"
    )
    assert notifications.say(bundle.TASK_MESSAGE_REASON, params, "en") == (
        "Birth bundle · Hukou registration: Sent back. Reason: 材料不全"  # the reason: data, as entered
    )
