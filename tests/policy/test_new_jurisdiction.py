"""A jurisdiction is one folder plus its document's text: docs/packs.md's worked example ("Adding a
jurisdiction"), written as it stands there into a temporary copy of the packs and documents folders, loads,
answers calc, passes its worked cases, and its targets and measures appear in monitoring and its 托育 standard
in childcare. Malformed targets.yaml and measures.yaml stop loading, naming the file and the field."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cradle.auth.actor import Actor
from cradle.childcare import capacity
from cradle.db import session_scope
from cradle.monitoring import catalogue, plan
from cradle.policy import documents, packs
from cradle.policy.calc import calc_household
from cradle.policy.cases import check_case, load_cases
from cradle.policy.errors import PackError
from cradle.web.app import create_app

DOC = Path(__file__).resolve().parents[2] / "docs" / "packs.md"
PACK_DIR = "src/cradle/packs/example/"
TEXT_DIR = "src/cradle/data/documents/"
COUNTY = "610102"  # 西安市新城区: no pack serves it but the national one
ON = dt.date(2025, 7, 1)


def example_files() -> dict[str, str]:
    """{path: text} of the blocks of docs/packs.md's "Adding a jurisdiction", each under its path."""
    section = DOC.read_text(encoding="utf-8").split("## Adding a jurisdiction", 1)[1]
    found = re.findall(r"^`([^`]+)`:\n\n```\w*\n(.*?)^```$", section, flags=re.M | re.S)
    return dict(found)


@pytest.fixture
def with_files(tmp_path, monkeypatch):
    """Points the packs and documents folders at temporary ones holding cradle's own (linked) and `files`."""

    def use(files: dict[str, str]) -> None:
        pack_root, text_root = tmp_path / "packs", tmp_path / "documents"
        pack_root.mkdir()
        text_root.mkdir()
        for own in packs.OWN_PACKS_DIR.iterdir():
            if (own / "pack.yaml").exists():
                (pack_root / own.name).symlink_to(own)
        for own in documents.DOCUMENTS_DIR.glob("*.txt"):
            (text_root / own.name).symlink_to(own)
        for path, text in files.items():
            if path.startswith(TEXT_DIR):
                target = text_root / path.removeprefix(TEXT_DIR)
            else:
                target = pack_root / "example" / path.removeprefix(PACK_DIR)
            target.parent.mkdir(exist_ok=True)
            target.write_text(text, encoding="utf-8")
        (pack_root / "example" / "__init__.py").touch()
        monkeypatch.setattr(packs, "PACKS_DIR", pack_root)
        monkeypatch.setattr(documents, "DOCUMENTS_DIR", text_root)
        packs.reload()

    yield use
    monkeypatch.undo()
    packs.reload()


def test_the_example_is_one_folder_and_its_text():
    files = example_files()
    assert sorted(Path(p).name for p in files if p.startswith(PACK_DIR)) == sorted(
        [
            "pack.yaml",
            "clauses.yaml",
            "parameters.yaml",
            "programs.py",
            "tests.yaml",
            "targets.yaml",
            "measures.yaml",
        ]
    )
    assert [p for p in files if not p.startswith(PACK_DIR)] == [f"{TEXT_DIR}005_0123456789abcdef.txt"]


def test_a_new_jurisdiction_loads_and_answers_calc(with_files):
    with_files(example_files())
    pack = next(p for p in packs.load_packs() if p.id == "example")
    assert [p.id for p in packs.packs_for(COUNTY)] == ["cn", "example"]
    household = {
        "jurisdiction": COUNTY,
        "members": [
            {"id": "m", "relation": "mother", "sex": "F", "birth_date": "1993-04-02"},
            {"id": "c1", "relation": "child", "sex": "F", "birth_date": "2020-05-01", "birth_order": 1},
            {"id": "c2", "relation": "child", "sex": "M", "birth_date": "2025-03-10", "birth_order": 2},
            {"id": "c3", "relation": "child", "sex": "M", "birth_date": "2025-03-10", "birth_order": 3},
        ],
    }
    got = {
        e["beneficiary"]: e
        for e in calc_household(household, ON)["entitlements"]
        if e["program"] == "example.birth_grant"
    }
    assert {k: e["amount"] for k, e in got.items()} == {"c2": 2000, "c3": 5000}
    citation = got["c2"]["citations"][0]
    assert citation["document"] == "005_0123456789abcdef.txt" and citation["clause"] == "二、1"
    assert packs.find_clause("005_0123456789abcdef.txt", "二、1").text.startswith("1.发放一次性生育补贴。")
    cases = load_cases("example")
    assert len(cases) == 2 and [check_case(c) for c in cases] == [[], []]
    assert pack in packs.with_targets()


def test_its_targets_and_measures_appear_in_monitoring_and_childcare(with_files):
    with_files(example_files())
    targets = catalogue.load().targets_for(COUNTY)
    assert [(t.indicator, t.comparator, t.value, t.clause) for t in targets] == [
        ("childcare_places_per_1000", ">=", 4.5, "一、主要目标"),
        ("maternal_mortality", "<", 10, "一、主要目标"),
    ]
    assert all(t.document == "005_0123456789abcdef.txt" and t.jurisdiction == COUNTY for t in targets)
    measures = plan.for_region(COUNTY)
    assert [m.id for m in measures] == ["example.01", "example.02"]
    tasks = plan.tasks_for(COUNTY)
    assert [(t.id, t.lead, t.support) for t in tasks] == [
        ("example.01.1", ("weijian",), ("caizheng",)),
        ("example.02.1", ("weijian",), ()),
    ]
    row = capacity.indicator(None, COUNTY, [], ON)
    assert row["target"]["slots_per_1000"] == 4.5 and row["target"]["clause"] == "一、主要目标"
    page = TestClient(create_app(["cradle.monitoring.pages"])).get("/monitoring")
    assert page.status_code == 200 and f'href="/monitoring/{COUNTY}"' in page.text


def test_its_measures_take_progress_reports(with_files, migrated_db_url):
    with_files(example_files())
    unit = Actor(id="account:1", role="dept_clerk", region=COUNTY, dept="weijian", name="u1", account_id=1)
    today = dt.date(2026, 1, 5)
    with session_scope(migrated_db_url) as s:
        plan.submit(
            s, unit, COUNTY, "example.02.1", "2025", "托育服务进展", dt.date(2025, 12, 1), today=today
        )
    with session_scope(migrated_db_url) as s:
        board = {r.task.id: r for r in plan.board(s, COUNTY, today)}
    assert board["example.02.1"].items[0].state == "submitted"
    assert board["example.01.1"].items[0].overdue(today)


@pytest.mark.parametrize(
    "file, old, new, error",
    [
        (
            "targets.yaml",
            'comparator: "<"',
            'comparator: "≈"',
            r"example/targets\.yaml: targets\[1\]\.comparator",
        ),
        (
            "targets.yaml",
            "quote: 孕产妇死亡率",
            "quote: 婴儿死亡率",
            r"example/targets\.yaml: targets\[1\]\.quote",
        ),
        (
            "targets.yaml",
            "slots: {clause",
            "slots: {per_1000: 4.5, clause",
            r"example/targets\.yaml: childcare\.slots\.per_1000: kept once",
        ),
        (
            "measures.yaml",
            "due: 2025-12-31}\n  - {id: example.02",
            "due: soon}\n  - {id: example.02",
            r"example/measures\.yaml: measures\[0\]\.due",
        ),
        ("measures.yaml", "id: example.02", "id: example.01", r"example/measures\.yaml: measures: duplicate"),
    ],
)
def test_a_malformed_file_stops_loading_naming_file_and_field(with_files, file, old, new, error):
    files = example_files()
    path = PACK_DIR + file
    assert old in files[path]
    files[path] = files[path].replace(old, new)
    with_files(files)
    with pytest.raises(PackError, match=error):
        packs.load_packs()


def test_a_target_of_an_undefined_indicator_stops_the_catalogue(with_files):
    files = example_files()
    files[PACK_DIR + "targets.yaml"] = files[PACK_DIR + "targets.yaml"].replace(
        "indicator: maternal_mortality", "indicator: maternal_happiness"
    )
    with_files(files)
    with pytest.raises(PackError, match=r"example/targets\.yaml: targets\[1\]\.indicator: unknown"):
        catalogue.load()


@pytest.mark.parametrize(
    "cited, error",
    [
        (("luhe", "促进支持政策优惠减免"), None),
        (
            ("luhe", "没有这一条"),
            r"example\.birth_grant: clause 没有这一条 of 000_\w+\.txt is not in any pack",
        ),
        (("nowhere", "一"), r"example\.birth_grant: cites the document of unknown pack 'nowhere'"),
    ],
)
def test_a_program_cites_another_packs_document_through_the_pack(with_files, cited, error):
    """`pack_document("luhe")` stands for the 陆河 pack's document: the citation shows its file and the clause
    must be located in a clauses.yaml, or loading stops naming the program."""
    files = example_files()
    path = PACK_DIR + "programs.py"
    files[path] = (
        files[path]
        .replace("import Ctx, Rule, program", "import Ctx, Rule, pack_document, program")
        .replace(
            '    clause="二、1",\n',
            f'    clause="二、1",\n    citations=[(pack_document("{cited[0]}"), "{cited[1]}")],\n',
        )
    )
    with_files(files)
    if error:
        with pytest.raises(PackError, match=error):
            packs.load_packs()
        return
    luhe = next(p for p in packs.load_packs() if p.id == "luhe").documents[0].file
    cites = [c.as_dict() for c in packs.find_program("example.birth_grant").citations]
    assert cites == [
        {"document": "005_0123456789abcdef.txt", "clause": "二、1"},
        {"document": luhe, "clause": "促进支持政策优惠减免"},
    ]
