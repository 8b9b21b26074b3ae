"""cradle.errors: one error type, translated when answered."""

from __future__ import annotations

import pickle

from cradle.errors import N_, Conflict, Invalid, NotFound, Problems


def test_message_in_each_language_with_params_and_str_in_chinese():
    e = Invalid("region", N_("%(region)s is outside your scope."), region="370303")
    assert e.text("zh") == "370303 不在您的管辖范围内。"
    assert e.text("en") == "370303 is outside your scope."
    assert str(e) == "region: 370303 不在您的管辖范围内。"
    assert e.as_dict("en") == {
        "field": "region",
        "code": "invalid",
        "message": "370303 is outside your scope.",
    }


def test_kinds_status_code_and_a_specific_code():
    assert (NotFound(None, N_("Not found")).status, Conflict("x", "y").status) == (404, 409)
    e = Invalid("password", N_("Enter the name."), code="weak_password")
    assert (e.code, e.status, e.bad_input) == ("weak_password", 422, True)
    assert Invalid.code == "invalid"  # the override is the instance's own


def test_problems_answer_each_and_take_the_first_status():
    p = Problems([NotFound("a", N_("Not found")), Invalid("b", N_("Enter the name."))])
    assert [e.field for e in p.items()] == ["a", "b"] and p.status == 404 and not p.bad_input


def test_pickled_whole_with_params_and_code():
    e = Invalid("region", N_("%(region)s is outside your scope."), code="out_of_scope", region="370303")
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is Invalid and back.params == {"region": "370303"} and back.code == "out_of_scope"
    assert str(back) == str(e)
