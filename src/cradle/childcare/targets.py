"""The 托育 targets of the five documents, each with the clause it comes from."""

from __future__ import annotations

import math

# Slots for children under 3 per 1000 population, and (山西) the inclusive share, by 2025.
SLOT_TARGETS: dict[str, dict] = {
    "441523": {
        "per_1000": 4.2,
        "op": ">=",
        "year": 2025,
        "document": "000_297e707e5151f0b6.txt",
        "clause": "（二）任务目标",
        "text": "每千人口3岁以下婴幼儿托位数达到4.2个以上",
    },
    "330600": {
        "per_1000": 4.6,
        "op": ">=",
        "year": 2025,
        "document": "001_3d3464d3359ff493.txt",
        "clause": "（二）主要目标",
        "text": "每千人口拥有3岁以下婴幼儿托位数不少于4.6个",
    },
    "620400": {
        "per_1000": 4.5,
        "op": ">=",
        "year": 2025,
        "document": "002_1981582cf3246a7b.txt",
        "clause": "一、(二)任务目标",
        "text": "千人口托位数达到4.5个",
    },
    "370300": {
        "per_1000": 4.7,
        "op": ">=",
        "year": 2025,
        "document": "003_9583e153e8ef1680.txt",
        "clause": "一、总体目标",
        "text": "每千人口拥有3岁以下婴幼儿托位数达到4.7个",
    },
    "140000": {
        "per_1000": 4.5,
        "op": ">=",
        "year": 2025,
        "document": "004_6658702c9a2a6fff.txt",
        "clause": "一、总体要求",
        "text": "每千人口拥有３岁以下婴幼儿托位数４．５个，普惠托位占比达６０％以上",
        "inclusive_share": 0.60,
    },
}

# 白银 二(三)8: new residential areas ≥5 slots per 1000 residents; built areas without facilities ≥4.5.
RESIDENTIAL_RULES: dict[str, dict] = {
    "620400": {
        "new_per_1000": 5,
        "existing_per_1000": 4.5,
        "document": "002_1981582cf3246a7b.txt",
        "clause": "二、(三)8",
        "text": "新建居住小区按照每千人口不少于5个托位的标准规划建设托育服务设施；已建成无托育服务配套设施的居住区"
        "按每千人口不少于4.5个托位的配套标准予以补充完善",
    },
}

# 白银 二(三)9: community childcare sites of at least 200 ㎡.
COMMUNITY_SITE_MIN_M2 = {
    "620400": {"min_m2": 200, "document": "002_1981582cf3246a7b.txt", "clause": "二、(三)9"}
}

# Facilities that must exist: 山西 二(三)10 (per city a comprehensive centre, per county a public nursery
# with a guidance role); 淄博 二（三）2 (per 区县 a comprehensive guidance centre and at least one public
# nursery).
COVERAGE_RULES: dict[str, dict] = {
    "140000": {
        "city_centre": True,
        "county_public": True,
        "county_centre": False,
        "document": "004_6658702c9a2a6fff.txt",
        "clause": "二、(三)10",
        "text": "每个市建成1个兼有指导功能和示范性质的托育综合服务中心，每个县(市、区)至少有1所承担指导功能的公办托育机构",
    },
    "370300": {
        "city_centre": False,
        "county_public": True,
        "county_centre": True,
        "document": "003_9583e153e8ef1680.txt",
        "clause": "二、（三）2",
        "text": "各区县建设1所综合性婴幼儿养育照护服务指导中心、1所及以上具有公办性质的托育机构",
    },
}

# 绍兴 （七）: 50% of urban communities with a 婴幼儿照护服务驿站.
STATION_RULES = {
    "330600": {
        "share": 0.5,
        "document": "001_3d3464d3359ff493.txt",
        "clause": "（七）",
        "text": "50%城市社区建有婴幼儿照护服务驿站",
    }
}


def applicable(table: dict[str, dict], chain: list[str]) -> tuple[str, dict] | None:
    """The entry for the nearest jurisdiction in `chain` (county → city → province)."""
    for code in chain:
        if code in table:
            return code, table[code]
    return None


def required_slots(population: int, per_1000: float) -> int:
    """Slots needed so that slots / population × 1000 ≥ per_1000 (rounded up to a whole slot)."""
    if population < 0:
        raise ValueError("population must not be negative")
    return math.ceil(round(population * per_1000 / 1000, 6))
