from cradle.web.region_choices import Group, Option, grouped


def test_leaves_grouped_under_their_ancestors_without_the_national_layer():
    regions = [
        {"code": "cn", "name": "全国", "level": "country", "parent": None},
        {"code": "370000", "name": "山东省", "level": "province", "parent": "cn"},
        {"code": "370300", "name": "淄博市", "level": "city", "parent": "370000"},
        {"code": "370303", "name": "张店区", "level": "county", "parent": "370300"},
        {"code": "370302", "name": "淄川区", "level": "county", "parent": "370300"},
        {"code": "140000", "name": "山西省", "level": "province", "parent": "cn"},
        {"code": "140100", "name": "太原市", "level": "city", "parent": "140000"},
    ]
    assert grouped(regions) == [
        Group("山西省", [Option("140100", "太原市")]),
        Group("山东省 · 淄博市", [Option("370302", "淄川区"), Option("370303", "张店区")]),
    ]
