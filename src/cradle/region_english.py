"""English names of the GB/T 2260 regions: Hanyu Pinyin of the proper name plus the English word for the type
(淄川区 → "Zichuan District", 临夏回族自治州 → "Linxia Hui Autonomous Prefecture").

The names are precomputed into the `name_en` column of `cradle/data/regions.csv` by
`python -m cradle.region_english` (needs the dev extra's pypinyin), so the app itself needs no pinyin package.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

CSV = Path(__file__).parent / "data" / "regions.csv"

# Whole names with a settled English form.
WELL_KNOWN = {
    "北京市": "Beijing",
    "天津市": "Tianjin",
    "上海市": "Shanghai",
    "重庆市": "Chongqing",
    "陕西省": "Shaanxi Province",
    "内蒙古自治区": "Inner Mongolia Autonomous Region",
    "广西壮族自治区": "Guangxi Zhuang Autonomous Region",
    "西藏自治区": "Tibet Autonomous Region",
    "宁夏回族自治区": "Ningxia Hui Autonomous Region",
    "新疆维吾尔自治区": "Xinjiang Uygur Autonomous Region",
    "香港特别行政区": "Hong Kong Special Administrative Region",
    "澳门特别行政区": "Macao Special Administrative Region",
    "清新区": "Qingxin District",  # 清新 + 区, not a 新区
    "神农架林区": "Shennongjia Forestry District",  # the one 林区; 万柏林区 is Wanbailin District
}
# Longest first, so 自治县 wins over 县.
SUFFIXES = [
    ("特别行政区", "Special Administrative Region"),
    ("自治区", "Autonomous Region"),
    ("自治州", "Autonomous Prefecture"),
    ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"),
    ("新区", "New Area"),
    ("地区", "Prefecture"),
    ("盟", "League"),
    ("旗", "Banner"),
    ("省", "Province"),
    ("市", "City"),
    ("县", "County"),
    ("区", "District"),
]
# Ethnic groups named in autonomous areas (the official English names of the 55 minorities that occur).
ETHNIC = {
    "蒙古": "Mongol",
    "回": "Hui",
    "藏": "Tibetan",
    "维吾尔": "Uygur",
    "苗": "Miao",
    "彝": "Yi",
    "壮": "Zhuang",
    "布依": "Bouyei",
    "朝鲜": "Korean",
    "满": "Manchu",
    "侗": "Dong",
    "瑶": "Yao",
    "白": "Bai",
    "土家": "Tujia",
    "哈尼": "Hani",
    "哈萨克": "Kazak",
    "傣": "Dai",
    "黎": "Li",
    "傈僳": "Lisu",
    "佤": "Va",
    "畲": "She",
    "拉祜": "Lahu",
    "水": "Shui",
    "东乡": "Dongxiang",
    "纳西": "Naxi",
    "景颇": "Jingpo",
    "柯尔克孜": "Kirgiz",
    "土": "Tu",
    "达斡尔": "Daur",
    "仫佬": "Mulao",
    "羌": "Qiang",
    "布朗": "Blang",
    "撒拉": "Salar",
    "毛南": "Maonan",
    "仡佬": "Gelao",
    "锡伯": "Xibe",
    "普米": "Pumi",
    "塔吉克": "Tajik",
    "怒": "Nu",
    "鄂温克": "Ewenki",
    "保安": "Bonan",
    "裕固": "Yugur",
    "京": "Gin",
    "独龙": "Derung",
    "鄂伦春": "Oroqen",
    "各": "Multi-ethnic",
}
# Place-name readings that differ from the common reading of the characters.
READINGS = {
    "长治": "changzhi",
    "单": "shan",
    "涡阳": "guoyang",
    "繁峙": "fanshi",
    "浚": "xun",
    "尉氏": "yushi",
    "洪洞": "hongtong",
    "朝阳": "chaoyang",
    "六合": "luhe",
    "六安": "lu'an",
    "乐亭": "laoting",
    "番禺": "panyu",
    "铅山": "yanshan",
    "蔚": "yu",
    "台州": "taizhou",
    "天台": "tiantai",
    "长子": "zhangzi",
    "大城": "dacheng",
    "东阿": "dong'e",
    "阿城": "acheng",
    "曲阜": "qufu",
    "莘": "shen",
    "筠连": "junlian",
    "蚌山": "bengshan",
    "柏乡": "baixiang",
    "茌平": "chiping",
    "郫都": "pidu",
    "郓城": "yuncheng",
    "黄陂": "huangpi",
    "吐鲁番": "turpan",
    "乌鲁木齐": "urumqi",
    "呼和浩特": "hohhot",
    "拉萨": "lhasa",
    "喀什": "kashgar",
    "勒": "le",
}
_VOWEL_START = re.compile(r"^[aoe]")


def _pinyin(base: str) -> str:
    from pypinyin import lazy_pinyin

    if base in READINGS:
        return READINGS[base]
    syllables = []
    i = 0
    while i < len(base):  # a known reading for the longest prefix first
        known = next((base[i:j] for j in range(len(base), i, -1) if base[i:j] in READINGS), None)
        if known:
            syllables.append(READINGS[known])
            i += len(known)
        else:
            syllables.extend(lazy_pinyin(base[i], v_to_u=True))
            i += 1
    word = syllables[0]
    for s in syllables[1:]:
        word += ("'" if _VOWEL_START.match(s) else "") + s  # Xi'an, not Xian
    return word


def english_name(name: str) -> str:
    """The English name of a region given its Chinese name."""
    if name in WELL_KNOWN:
        return WELL_KNOWN[name]
    base, kind = name, ""
    for suffix, english in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            base, kind = name[: -len(suffix)], english
            break
    peoples: list[str] = []
    while base.endswith("族"):  # 恩施土家族苗族 → 恩施, Tujia and Miao
        stem = base[:-1]
        found = max((e for e in ETHNIC if stem.endswith(e) and len(stem) > len(e)), key=len, default=None)
        if found is None:
            break
        peoples.insert(0, ETHNIC[found])
        base = stem[: -len(found)]
    if len(base) == 1 and kind:  # 城区 → "Chengqu District": a one-character name keeps its type syllable
        base = name[:2]
    proper = _pinyin(base).capitalize()
    people = " and ".join(peoples) if len(peoples) < 3 else ", ".join(peoples[:-1]) + " and " + peoples[-1]
    return " ".join(part for part in (proper, people, kind) if part)


def rewrite(path: Path = CSV) -> int:
    """Fill the `name_en` column of the regions table; returns the number of rows."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["name_en"] = english_name(row["name"])
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(
            f, fieldnames=["code", "name", "level", "parent", "name_en"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    print(f"{rewrite()} regions named")
