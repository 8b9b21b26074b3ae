import datetime as dt

from cradle import idcard


def test_generated_numbers_validate_and_carry_their_facts():
    n = idcard.make_id_number("370303", dt.date(1993, 4, 2), 17, "F")
    assert idcard.check_id_number(n) is None
    assert idcard.birth_date_of(n) == dt.date(1993, 4, 2)
    assert idcard.sex_of(n) == "F"
    assert idcard.region_of(n) == "370303"
    m = idcard.make_id_number("370303", dt.date(1991, 8, 20), 17, "M")
    assert idcard.sex_of(m) == "M"


def test_wrong_check_digit_is_named():
    n = idcard.make_id_number("370303", dt.date(1993, 4, 2), 1, "F")
    wrong = n[:-1] + ("0" if n[-1] != "0" else "1")
    assert idcard.check_id_number(wrong).code == "checksum"
    assert idcard.check_id_number("12345").code == "length"


def test_birth_date_disagreement_is_named():
    n = idcard.make_id_number("370303", dt.date(1993, 4, 2), 1, "F")
    assert idcard.check_id_number(n, birth_date=dt.date(1993, 4, 3)).code == "birth_date_mismatch"


def test_mask_hides_birth_date_and_sequence():
    n = idcard.make_id_number("370303", dt.date(1993, 4, 2), 1, "F")
    masked = idcard.mask(n)
    assert masked.startswith("370303") and masked.endswith(n[-2:])
    assert "19930402" not in masked and len(masked) == 18


def test_credit_code_check():
    assert idcard.check_credit_code("91110000802100433B") is None
    assert idcard.check_credit_code("91110000802100433A").code == "checksum"


def test_unknown_or_retired_places_are_refused_not_crashed():
    """python-stdnum raises KeyError for prefecture-level place entries (370399); we refuse the number."""
    body = "37039919900101001"
    number = body + idcard.ric.calc_check_digit(body + "0")
    assert idcard.check_id_number(number).code == "region"
    body = "99999919900101001"
    assert idcard.check_id_number(body + idcard.ric.calc_check_digit(body + "0")).code == "region"
