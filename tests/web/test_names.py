"""Pages name who acted as people say it, never by an account reference (issue 23, item 5)."""

from __future__ import annotations

import pytest

from cradle.web.names import actor_name


@pytest.mark.parametrize(
    ("ref", "zh", "en"),
    [
        ("town:account:7@370303001", "张店区 乡镇专干", "Zhangdian District town officer"),
        ("dept_clerk:account:4@370303/jiaoyu", "张店区教育局", "Zhangdian District Education Bureau"),
        ("citizen:370303**********02:刘芳", "刘芳", "刘芳"),
        ("system", "系统", "System"),
        ("county", "区县经办人", "county officer"),
    ],
)
def test_an_actor_reference_reads_as_the_office_or_person(ref, zh, en):
    assert actor_name(ref, "zh") == zh
    assert actor_name(ref, "en") == en


def test_no_actor_is_blank_and_an_unreadable_reference_is_shown_as_stored():
    assert actor_name(None, "zh") == ""
    assert actor_name("someone else", "zh") == "someone else"
