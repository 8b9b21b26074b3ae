"""Every wrong input is refused with one error per problem, naming the field path."""

import datetime as dt
import json

import pytest

from cradle import idcard
from cradle.errors import Problems
from cradle.policy.household import parse_household

ON = dt.date(2025, 7, 1)


def fields(data) -> dict[str, str]:
    with pytest.raises(Problems) as e:
        parse_household(data, ON)
    return {err.field: err.code for err in e.value.items()}


def test_example_is_valid(household):
    assert parse_household(household, ON).jurisdiction == "370303"


def test_malformed_json_names_line_and_column():
    with pytest.raises(Problems) as e:
        parse_household('{"jurisdiction": "370303",, }', ON)
    assert e.value.items()[0].code == "malformed_json"
    assert "第1行" in e.value.items()[0].message


def test_unknown_fields_and_wrong_types_each_named(household):
    household["members"][0]["salary"] = 1
    household["members"][1]["sex"] = "X"
    household["events"][0]["babies"] = 0
    got = fields(household)
    assert got == {
        "members[0].salary": "extra_forbidden",
        "members[1].sex": "literal_error",
        "events[0].babies": "greater_than_equal",
    }


def test_unknown_codes(household):
    household["jurisdiction"] = "370399"
    household["members"][1]["hukou"] = "999999"
    assert fields(household) == {"jurisdiction": "unknown_code", "members[1].hukou": "unknown_code"}


def test_impossible_dates(household):
    household["members"][3]["birth_date"] = "2025-02-30"
    assert fields(household) == {"members[3].birth_date": "date_from_datetime_parsing"}


def test_child_older_than_mother(household):
    household["members"][2]["birth_date"] = "1990-01-01"
    assert fields(household) == {"members[2].birth_date": "before_mother"}


def test_birth_date_after_as_of(household):
    household["members"][3]["birth_date"] = "2025-08-01"
    household["events"][0]["date"] = "2025-08-01"
    got = fields(household)
    assert got["members[3].birth_date"] == "after_as_of" and got["events[0].date"] == "after_as_of"


def test_birth_event_for_a_non_child(household):
    household["events"][0]["child"] = "f"
    assert fields(household)["events[0].child"] == "not_a_child"


def test_birth_event_for_a_missing_member(household):
    household["events"][0]["child"] = "nobody"
    assert fields(household) == {"events[0].child": "unknown_member"}


def test_id_number_check_digit_and_birth_date(household):
    good = idcard.make_id_number("370303", dt.date(1993, 4, 2), 3, "F")
    household["members"][0]["id_number"] = good
    assert parse_household(household, ON)
    household["members"][0]["id_number"] = good[:-1] + ("1" if good[-1] != "1" else "2")
    assert fields(household) == {"members[0].id_number": "checksum"}
    household["members"][0]["id_number"] = idcard.make_id_number("370303", dt.date(1993, 4, 3), 3, "F")
    assert fields(household) == {"members[0].id_number": "birth_date_mismatch"}


def test_unknown_event_type(household):
    household["events"].append({"type": "lottery", "date": "2025-01-01"})
    assert fields(household) == {"events[3]": "union_tag_invalid"}


def test_messages_are_chinese(household):
    household["members"][2]["birth_date"] = "1990-01-01"
    with pytest.raises(Problems) as e:
        parse_household(json.dumps(household), ON)
    assert "子女出生日期早于母亲" in str(e.value)


@pytest.mark.parametrize(
    "number, code",
    [("123456789012345678901234", "less_than_equal"), ("1e999", "finite_number"), ("NaN", "finite_number")],
)
def test_numbers_json_reads_its_own_way_are_refused_as_json_reads_them(household, number, code):
    """A number past 64 bits stays an integer (too large an order), infinities and NaN are read as json reads
    them: the quicker reader leaves these texts to json."""
    text = json.dumps(household).replace('"birth_order": 1', f'"birth_order": {number}', 1)
    assert text != json.dumps(household)
    for body in (text, text.encode()):
        with pytest.raises(Problems) as err:
            parse_household(body, dt.date(2025, 7, 1))
        assert [p.code for p in err.value.problems] == [code]


def test_text_and_bytes_give_the_same_household(household):
    text = json.dumps(household, ensure_ascii=False)
    on = dt.date(2025, 7, 1)
    assert parse_household(text, on) == parse_household(text.encode(), on) == parse_household(household, on)
