import csv
import json

import pytest
from sqlalchemy import func, select

from cradle.childcare.facilities import by_credit_code
from cradle.childcare.importer import import_file
from cradle.childcare.models import Facility, ImportQuarantine
from cradle.errors import Invalid

from .helpers import credit_code

HEADER = [
    "统一社会信用代码",
    "机构名称",
    "机构类型",
    "地址",
    "行政区划代码",
    "建筑面积",
    "用房间数",
    "开办日期",
    "普惠",
    "托小班托位",
    "托小班班数",
    "托小班月收费",
    "托大班托位",
    "托大班月收费",
]


def _row(n, **kw):
    row = {
        "统一社会信用代码": credit_code("370303", n),
        "机构名称": f"导入托育园{n}",
        "机构类型": "普惠性民办托育机构",
        "地址": f"导入路{n}号",
        "行政区划代码": "370303",
        "建筑面积": "400",
        "用房间数": "4",
        "开办日期": "2024-09-01",
        "普惠": "是",
        "托小班托位": "15",
        "托小班班数": "1",
        "托小班月收费": "1500",
        "托大班托位": "20",
        "托大班月收费": "1300",
    }
    row.update(kw)
    return [row[h] for h in HEADER]


def _write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def test_csv_import_with_quarantine(session, tmp_path):
    path = _write_csv(
        tmp_path / "list.csv",
        [_row(1), _row(2, 统一社会信用代码="91370303MA3C12345X"), _row(3, 托大班托位="-4"), _row(4), _row(1)],
        encoding="gb18030",
    )
    result = import_file(session, path)
    assert (result.rows, result.created, result.updated) == (5, 2, 0)
    problems = {q["row"]: q["errors"] for q in result.quarantined}
    assert problems[3] == [{"field": "credit_code", "message": "统一社会信用代码校验位错误"}]
    assert problems[4] == [{"field": "slots[1].slots", "message": "不能为负数"}]
    assert problems[6] == [{"field": "credit_code", "message": "与第2行重复"}]
    assert session.scalar(select(func.count()).select_from(ImportQuarantine)) == 3
    stored = json.loads(
        session.scalars(select(ImportQuarantine.data).where(ImportQuarantine.row_no == 4)).one()
    )
    assert stored["slots"][1]["slots"] == "-4"
    f = by_credit_code(session, credit_code("370303", 1))
    assert f.type == "inclusive_private" and sorted(g.slots for g in f.slots) == [15, 20]
    # the same list again updates instead of duplicating
    again = import_file(session, _write_csv(tmp_path / "again.csv", [_row(1, 机构名称="新名字")]))
    assert (again.created, again.updated) == (0, 1)
    assert by_credit_code(session, credit_code("370303", 1)).name == "新名字"


def test_strict_import_stores_nothing(session, tmp_path):
    path = _write_csv(tmp_path / "list.csv", [_row(1), _row(2, 行政区划代码="999999")])
    with pytest.raises(Invalid) as err:
        import_file(session, path, strict=True)
    assert err.value.field == "rows[3].region_code"
    assert session.scalar(select(func.count()).select_from(Facility)) == 0


def test_json_and_xlsx(session, tmp_path):
    from openpyxl import Workbook

    from .helpers import facility_data

    (tmp_path / "list.json").write_text(
        json.dumps([facility_data(7), {"name": "缺很多"}], ensure_ascii=False), encoding="utf-8"
    )
    result = import_file(session, tmp_path / "list.json")
    assert result.created == 1 and result.quarantined[0]["row"] == 2
    assert {e["field"] for e in result.quarantined[0]["errors"]} >= {"credit_code", "type", "slots"}
    wb = Workbook()
    wb.active.append(HEADER)
    wb.active.append(_row(8))
    wb.save(tmp_path / "list.xlsx")
    assert import_file(session, tmp_path / "list.xlsx").created == 1
    with pytest.raises(Invalid, match="不支持"):
        import_file(session, tmp_path / "list.doc") if (tmp_path / "list.doc").write_text("x") else None
