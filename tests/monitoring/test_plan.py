"""Plan tracker: measures from the documents, owners verbatim, owner-only updates, overdue flags."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cradle.config import get_settings
from cradle.db import session_scope, upgrade
from cradle.errors import DomainError
from cradle.monitoring import plan


def test_measure_counts_and_baiyin_owners_verbatim():
    ms = plan.measures()
    by_doc = {}
    for m in ms.values():
        by_doc[m.jurisdiction] = by_doc.get(m.jurisdiction, 0) + 1
    assert by_doc == {"620400": 23, "140000": 23, "370300": 16, "330600": 10, "441523": 18}
    text = re.sub(
        r"\s+", "", (get_settings().seeds_dir / "002_1981582cf3246a7b.txt").read_text(encoding="utf-8")
    )
    for n in range(1, 24):
        m = ms[f"baiyin.{n:02d}"]
        assert f"{n}.{m.title}" in text
        assert f"责任单位:{m.owners_text}" in text, m.id
        assert all(o.removesuffix("(市政府国资委)") in m.owners_text for o in m.owners)
    assert ms["baiyin.13"].owners == ("市卫生健康委", "市公安局", "市财政局")
    assert "各县区党委和政府" in ms["baiyin.01"].owners


def test_titles_are_in_their_documents():
    seeds = get_settings().seeds_dir
    texts = {p.name: re.sub(r"\s+", "", p.read_text(encoding="utf-8")) for p in seeds.glob("*.txt")}
    for m in plan.measures().values():
        assert m.title.replace("“", "").replace("”", "") in texts[m.document].replace("“", "").replace(
            "”", ""
        ), m.id


def test_owner_updates_and_overdue(sqlite_url):
    upgrade(sqlite_url)
    with session_scope(sqlite_url) as s:
        plan.update(s, "baiyin.13", "620400", "市财政局", "in_progress", "czj01", progress=40)
        plan.update(s, "baiyin.18", "620400", "市教育局", "done", "jyj01", evidence="白教发〔2024〕12号")
        plan.update(s, "baiyin.08", "620400", "市住建局", "in_progress", "zjj01")  # 市直各有关部门
        plan.update(s, "baiyin.05", "620421", "靖远县人民政府", "in_progress", "jy01")  # 各县区党委和政府
    with session_scope(sqlite_url) as s:
        rows = {r.measure.id: r for r in plan.board(s, "620400", today=dt.date(2026, 1, 5))}
        assert len(rows) == 23
        assert rows["baiyin.13"].status == "in_progress" and rows["baiyin.13"].overdue
        assert rows["baiyin.18"].status == "done" and not rows["baiyin.18"].overdue
        assert rows["baiyin.01"].status == "not_started" and rows["baiyin.01"].overdue
        early = {r.measure.id: r for r in plan.board(s, "620400", today=dt.date(2025, 6, 1))}
        assert not any(r.overdue for r in early.values())


@pytest.mark.parametrize(
    "args, field",
    [
        (("baiyin.99", "620400", "市财政局", "done"), "measure_id"),
        (("baiyin.13", "370300", "市财政局", "in_progress"), "region"),
        (("baiyin.13", "620400", "市教育局", "in_progress"), "department"),
        (("baiyin.13", "620400", "市财政局", "finished"), "status"),
        (("baiyin.13", "620400", "市财政局", "done"), "evidence"),
    ],
)
def test_bad_update_names_the_field(sqlite_url, args, field):
    upgrade(sqlite_url)
    with pytest.raises(DomainError) as exc, session_scope(sqlite_url) as s:
        plan.update(s, *args, updated_by="u")
    assert field in [p.field for p in exc.value.items()]
    with session_scope(sqlite_url) as s:
        assert all(r.status == "not_started" for r in plan.board(s, "620400"))
