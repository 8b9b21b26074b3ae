"""GB/T 2260 regions: the table against published counts, parent chains, lookups and errors."""

from __future__ import annotations

import pytest

from cradle import regions
from cradle.regions import Region, UnknownRegion

MAINLAND_PROVINCES = {
    "110000", "120000", "130000", "140000", "150000", "210000", "220000", "230000", "310000", "320000",
    "330000", "340000", "350000", "360000", "370000", "410000", "420000", "430000", "440000", "450000",
    "460000", "500000", "510000", "520000", "530000", "540000", "610000", "620000", "630000", "640000",
    "650000",
}  # fmt: skip

# (province, cities, county-level units) as published for the five jurisdictions' provinces
PUBLISHED_COUNTS = [
    ("140000", 11, 117),  # 山西
    ("370000", 16, 136),  # 山东
    ("620000", 14, 86),  # 甘肃
    ("330000", 11, 90),  # 浙江
    ("440000", 21, 122),  # 广东
]

JURISDICTION_COUNTIES = {
    "370300": {
        "370302": "淄川区", "370303": "张店区", "370304": "博山区", "370305": "临淄区",
        "370306": "周村区", "370321": "桓台县", "370322": "高青县", "370323": "沂源县",
    },
    "620400": {"620402": "白银区", "620403": "平川区", "620421": "靖远县", "620422": "会宁县", "620423": "景泰县"},
    "330600": {
        "330602": "越城区", "330603": "柯桥区", "330604": "上虞区",
        "330624": "新昌县", "330681": "诸暨市", "330683": "嵊州市",
    },
    "441500": {"441502": "城区", "441521": "海丰县", "441523": "陆河县", "441581": "陆丰市"},
}  # fmt: skip

SHANXI_CITIES = {
    "140100": "太原市", "140200": "大同市", "140300": "阳泉市", "140400": "长治市", "140500": "晋城市",
    "140600": "朔州市", "140700": "晋中市", "140800": "运城市", "140900": "忻州市", "141000": "临汾市",
    "141100": "吕梁市",
}  # fmt: skip


def test_all_provincial_units_are_there():
    provinces = {r.code for r in regions.all_regions() if r.level == "province"}
    assert provinces >= MAINLAND_PROVINCES
    assert provinces - MAINLAND_PROVINCES == {"710000", "810000", "820000"}
    assert regions.name("440000") == "广东省"
    assert regions.name("650000") == "新疆维吾尔自治区"


def test_nationwide_prefecture_level_count():
    assert len([r for r in regions.all_regions() if r.level == "city"]) == 333


@pytest.mark.parametrize(("province", "cities", "counties"), PUBLISHED_COUNTS)
def test_jurisdiction_provinces_match_published_counts(province, cities, counties):
    assert len(regions.descendants(province, "city")) == cities
    assert len(regions.descendants(province, "county")) == counties
    assert len(regions.children(province)) == cities  # none of these has a 省直辖县级 unit


def test_shanxi_cities_and_their_counties():
    assert {r.code: r.name for r in regions.children("140000")} == SHANXI_CITIES
    per_city = {code: len(regions.children(code)) for code in SHANXI_CITIES}
    assert per_city == {
        "140100": 10, "140200": 10, "140300": 5, "140400": 12, "140500": 6, "140600": 6,
        "140700": 11, "140800": 13, "140900": 14, "141000": 17, "141100": 13,
    }  # fmt: skip
    assert sum(per_city.values()) == 117
    assert regions.name("140703") == "太谷区"


@pytest.mark.parametrize("city", sorted(JURISDICTION_COUNTIES))
def test_jurisdiction_cities_have_exactly_their_counties(city):
    kids = regions.children(city)
    assert {r.code: r.name for r in kids} == JURISDICTION_COUNTIES[city]
    assert all(r.level == "county" and r.parent == city for r in kids)


def test_table_is_consistent():
    table = regions.all_regions()
    codes = [r.code for r in table]
    assert codes == sorted(set(codes))
    for r in table:
        assert len(r.code) == 6 and r.code.isdigit(), r
        assert r.name and r.level in regions.LEVELS, r
        if r.level == "province":
            assert r.parent is None and r.code.endswith("0000"), r
        else:
            parent = regions.get(r.parent)
            assert r.code[:2] == parent.code[:2], r
            assert (parent.level, r.level) in {
                ("province", "city"),
                ("province", "county"),
                ("city", "county"),
            }


def test_get_returns_the_region():
    assert regions.get("441523") == Region("441523", "陆河县", "county", "441500")
    assert regions.get("441500") == Region("441500", "汕尾市", "city", "440000")
    assert regions.get("140000") == Region("140000", "山西省", "province", None)


def test_chain_and_ancestors_go_province_first():
    assert [r.name for r in regions.chain("441523")] == ["广东省", "汕尾市", "陆河县"]
    assert regions.ancestors("370303") == ["370000", "370300", "370303"]
    assert regions.ancestors("620400") == ["620000", "620400"]
    assert regions.ancestors("330000") == ["330000"]


def test_units_directly_under_a_province_have_explicit_parents():
    assert regions.ancestors("419001") == ["410000", "419001"]  # 济源市, 省直辖
    assert regions.ancestors("429021") == ["420000", "429021"]  # 神农架林区
    assert regions.ancestors("659001") == ["650000", "659001"]  # 石河子市
    assert regions.ancestors("110105") == ["110000", "110105"]  # 北京市朝阳区
    assert regions.city_of("419001") is None
    assert regions.province_of("419001") == "410000"
    assert regions.get("419001").level == "county"


def test_province_of_and_city_of():
    assert regions.province_of("330683") == "330000"
    assert regions.province_of("330000") == "330000"
    assert regions.city_of("330683") == "330600"
    assert regions.city_of("330600") == "330600"
    assert regions.city_of("330000") is None


def test_children_and_descendants():
    assert [r.code for r in regions.children("620400")] == ["620402", "620403", "620421", "620422", "620423"]
    assert regions.children("441523") == []
    under_zibo = regions.descendants("370300")
    assert len(under_zibo) == 8 and "370300" not in {r.code for r in under_zibo}
    assert regions.descendants("370300", "city") == []
    shandong = regions.descendants("370000")
    assert len(shandong) == 16 + 136
    assert [r.code for r in shandong] == sorted(r.code for r in shandong)
    with pytest.raises(ValueError, match="level"):
        regions.descendants("370000", "town")


def test_is_within():
    assert regions.is_within("441523", "441523")
    assert regions.is_within("441523", "441500")
    assert regions.is_within("441523", "440000")
    assert regions.is_within("441523", regions.NATIONAL)
    assert not regions.is_within("441523", "441502")
    assert not regions.is_within("441500", "441523")
    assert not regions.is_within("370303", "140000")
    assert not regions.is_within("419001", "410100")  # 济源 is not under 郑州市
    assert regions.is_within("419001", "410000")


@pytest.mark.parametrize("bad", ["999999", "441599", "cn", "", "4415", "441500 ", "419000"])
def test_unknown_codes_raise_and_name_the_code(bad):
    assert not regions.exists(bad)
    with pytest.raises(UnknownRegion) as caught:
        regions.get(bad)
    assert repr(bad) in str(caught.value)
    assert isinstance(caught.value, KeyError)
    for call in (regions.name, regions.chain, regions.ancestors, regions.children, regions.descendants,
                 regions.province_of, regions.city_of):  # fmt: skip
        with pytest.raises(UnknownRegion):
            call(bad)


def test_is_within_refuses_unknown_codes():
    with pytest.raises(UnknownRegion):
        regions.is_within("999999", "440000")
    with pytest.raises(UnknownRegion):
        regions.is_within("441523", "449999")


def test_non_strings_are_unknown():
    assert not regions.exists(None)  # type: ignore[arg-type]
    assert not regions.exists(441523)  # type: ignore[arg-type]
    with pytest.raises(UnknownRegion):
        regions.get(441523)  # type: ignore[arg-type]


def test_current_edition_codes():
    assert regions.name("500157") == "两江新区"  # 2025
    assert not regions.exists("500105")  # 江北区, merged into 两江新区 in 2025
    assert regions.name("653229") == "和安县"  # December 2024
    assert regions.name("330114") == "钱塘区"  # 2021
    assert not regions.exists("330103")  # 下城区, abolished 2021


def test_results_are_fresh_lists():
    first = regions.children("370300")
    first.clear()
    assert len(regions.children("370300")) == 8
