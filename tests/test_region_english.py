"""English region names: pinyin plus the type, precomputed into regions.csv."""

from __future__ import annotations

import pytest

from cradle import regions
from cradle.region_english import english_name


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("山西省", "Shanxi Province"),
        ("陕西省", "Shaanxi Province"),
        ("绍兴市", "Shaoxing City"),
        ("陆河县", "Luhe County"),
        ("淄川区", "Zichuan District"),
        ("西安区", "Xi'an District"),
        ("城区", "Chengqu District"),
        ("临夏回族自治州", "Linxia Hui Autonomous Prefecture"),
        ("积石山保安族东乡族撒拉族自治县", "Jishishan Bonan, Dongxiang and Salar Autonomous County"),
        ("达尔罕茂明安联合旗", "Da'erhanmaoming'anlianhe Banner"),
        ("长治市", "Changzhi City"),
        ("吕梁市", "Lüliang City"),
    ],
)
def test_english_name(chinese, english):
    assert english_name(chinese) == english


def test_the_table_carries_the_computed_names():
    """regions.csv was regenerated after the last change to the naming rules (python -m cradle.region_english)."""
    stale = [(r.code, r.name, r.name_en) for r in regions.all_regions() if r.name_en != english_name(r.name)]
    assert stale == []
    assert not [
        r.code
        for r in regions.all_regions()
        if not r.name_en or any("\u4e00" <= c <= "\u9fff" for c in r.name_en)
    ]


def test_local_name_per_locale():
    assert regions.local_name("370303", "en") == "Zhangdian District"
    assert regions.local_name("370303", "zh") == "张店区"
    assert regions.local_name("370300", "en") == "Zibo City"
