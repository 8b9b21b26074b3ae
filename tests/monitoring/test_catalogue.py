"""The indicator catalogue: every target cites a clause whose words are in the document."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from cradle.config import get_settings
from cradle.monitoring import catalogue
from cradle.policy.errors import PackError
from cradle.policy.targets import load_targets


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def docs():
    seeds = get_settings().seeds_dir
    return {p.name: _norm(p.read_text(encoding="utf-8")) for p in seeds.glob("*.txt")}


def test_every_quote_is_in_its_document(docs):
    cat = catalogue.load()
    assert len(cat.targets) >= 45
    for t in cat.targets:
        assert t.document in docs, t
        assert _norm(t.quote) in docs[t.document], (t.indicator, t.jurisdiction, t.quote)
        if t.value is not None and t.comparator in (">=", "<"):
            # the number itself is in the quote (full-width digits in 山西's text)
            digits = _norm(t.quote).translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
            assert f"{t.value:g}" in digits or f"{t.value:.1f}" in digits, t


@pytest.mark.parametrize(
    "indicator, code, comparator, value",
    [
        ("childcare_places_per_1000", "441523", ">=", 4.2),
        ("childcare_places_per_1000", "330600", ">=", 4.6),
        ("childcare_places_per_1000", "620400", ">=", 4.5),
        ("childcare_places_per_1000", "370300", ">=", 4.7),
        ("childcare_places_per_1000", "140000", ">=", 4.5),
        ("inclusive_places_share", "140000", ">=", 60),
        ("maternal_mortality", "441523", "<", 8),
        ("maternal_mortality", "620400", "<", 14.5),
        ("maternal_mortality", "370300", "<", 8.0),
        ("infant_mortality", "370300", "<", 3.3),
        ("infant_toddler_mortality", "620400", "<", 5),
        ("neonatal_mortality", "441523", "<", 2),
        ("under5_mortality", "370300", "<", 4),
        ("maternal_system_management_rate", "370300", ">=", 90),
        ("two_cancer_screening_rate", "370300", ">=", 90),
        ("cervical_cancer_screening_rate", "441523", ">=", 70),
        ("prenatal_hiv_syphilis_hbv_testing_rate", "441523", ">=", 98.5),
        ("hiv_mother_to_child_transmission_rate", "441523", "<", 2),
        ("hiv_syphilis_treatment_rate", "441523", ">=", 95),
        ("newborn_metabolic_screening_rate", "441523", ">=", 98),
        ("newborn_hearing_screening_rate", "441523", ">=", 95),
        ("community_childcare_station_share", "330600", ">=", 50),
        ("complete_community_childcare_compliance", "330600", ">=", 60),
        ("inclusive_kindergarten_coverage", "370300", ">=", 90),
        ("new_residential_places_per_1000", "620400", ">=", 5),
        ("community_childcare_site_area", "620400", ">=", 200),
    ],
)
def test_policy_catalogue_targets_are_present(indicator, code, comparator, value):
    found = catalogue.load().targets_for(code, indicator)
    assert any(t.comparator == comparator and t.value == value for t in found), found


def test_targets_reach_counties():
    cat = catalogue.load()
    own = {t.indicator for t in cat.targets_for("370303")}
    assert own == {"childcare_guidance_centres", "public_childcare_institutions"}
    inherited = {t.indicator for t in cat.targets_for("370303", inherit=True)}
    assert {"infant_mortality", "childcare_places_per_1000"} <= inherited
    assert {t.indicator for t in cat.targets_for("140100")} == {
        "standard_mch_institutions",
        "childcare_guidance_centres",
    }


def test_target_judgement():
    t = catalogue.load().targets_for("370300", "infant_mortality")[0]
    assert t.met(3.2) is True and t.met(3.3) is False
    srb = catalogue.load().targets_for("140000", "sex_ratio_at_birth")[0]
    assert srb.met(106.0, band=catalogue.load().bands["sex_ratio_at_birth"]) is True
    assert srb.met(112.0, band=catalogue.load().bands["sex_ratio_at_birth"]) is False


def test_bad_target_names_the_file_and_field():
    with pytest.raises(PackError, match=r"sx/targets\.yaml: targets\[0\]\.comparator"):
        load_targets(
            {
                "targets": [
                    {
                        "indicator": "x",
                        "applies_to": "jurisdiction",
                        "comparator": "≈",
                        "value": 1,
                        "year": 2025,
                        "clause": "c",
                        "quote": "q",
                    }
                ]
            },
            "140000",
            "province",
            ["004_6658702c9a2a6fff.txt"],
            "packs/sx/targets.yaml",
        )


HAN = re.compile(r"[\u3400-\u9fff]")
# (indicator, its English name) as English pages, reports and exports say it
ENGLISH = [
    ("childcare_places_per_1000", "Childcare places for children under 3 per 1,000 population"),
    ("maternal_mortality", "Maternal mortality ratio"),
    ("infant_mortality", "Infant mortality rate"),
    ("sex_ratio_at_birth", "Sex ratio at birth"),
    ("total_fertility_rate", "Total fertility rate"),
]


def test_every_indicator_is_defined_in_english_too():
    cat = catalogue.load()
    assert len(cat.indicators) == 39
    for ind in cat.indicators.values():
        for field in catalogue.FIELDS:
            chinese, english = ind.text(field, "zh"), ind.text(field, "en")
            assert chinese == getattr(ind, field)  # the Chinese is the definitions' own words
            assert (english is None) == (chinese is None), (ind.id, field)
            if english is not None:
                assert english.strip() and not HAN.search(english), (ind.id, field, english)
        assert not HAN.search(ind.department_text("en")), ind.id
        assert ind.department_text("zh") == ind.department
    for indicator_id, name in ENGLISH:
        assert catalogue.indicator_text(indicator_id, "name", "en") == name
    places = cat.indicator("childcare_places_per_1000")
    assert places.text("denominator", "en") == "Resident population"
    assert places.text("denominator", "zh") == "常住人口"
    assert places.department_text("en") == "Health Commission"
    assert cat.indicator("births").text("denominator", "en") is None


def _definitions() -> dict:
    text = (resources.files("cradle.monitoring") / "data" / "indicators.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda row: row.pop("en"), r"indicators\[8\]\.en: the English of name, numerator, denominator"),
        (
            lambda row: row["en"].pop("numerator"),
            r"indicators\[8\]\.en\.numerator: the English of '孕产妇死亡数'",
        ),
        (
            lambda row: row["en"].update(denominator=" "),
            r"indicators\[8\]\.en\.denominator: the English of '活产数'",
        ),
        (
            lambda row: row["en"].update(name="孕产妇死亡率"),
            r"indicators\[8\]\.en\.name: '孕产妇死亡率' is not English",
        ),
        (lambda row: row["en"].update(unit="per 100,000"), r"indicators\[8\]\.en: unknown fields \['unit'\]"),
    ],
    ids=["no_en", "no_numerator", "blank_denominator", "chinese_name", "unknown_field"],
)
def test_an_indicator_without_its_english_is_refused(change, message):
    data = _definitions()
    catalogue._parse(data)  # the file as it is loads
    row = data["indicators"][8]
    assert row["id"] == "maternal_mortality"
    change(row)
    with pytest.raises(ValueError, match=message):
        catalogue._parse(data)


def test_an_english_denominator_where_there_is_none_is_refused():
    data = _definitions()
    row = next(r for r in data["indicators"] if r["id"] == "births")
    row["en"]["denominator"] = "Live births"
    with pytest.raises(ValueError, match=r"\.en\.denominator: null where denominator is null"):
        catalogue._parse(data)


def test_the_refusal_of_a_computed_indicator_names_it_in_the_readers_language():
    exc = catalogue.IndicatorInvalid(
        "indicator_id",
        "%(indicator)s is computed by the platform and cannot be typed in",
        indicator="childcare_places_per_1000",
        code="computed",
    )
    assert exc.text("zh") == "每千人口拥有3岁以下婴幼儿托位数由平台根据其掌握的数据计算，不能手工填报"
    assert exc.text("en") == (
        "Childcare places for children under 3 per 1,000 population is computed by the platform and cannot be "
        "typed in"
    )
    assert exc.as_dict("en")["message"] == exc.text("en")
    assert str(exc) == f"indicator_id: {exc.text('zh')}"


def test_the_cli_says_indicators_in_the_configured_language(monkeypatch):
    from typer.testing import CliRunner

    from cradle.cli import app

    zh = CliRunner().invoke(app, ["monitoring", "indicators", "--region", "370300"])
    assert zh.exit_code == 0, zh.output
    assert "\t每千人口拥有3岁以下婴幼儿托位数\t>= 4.7 个/千人\t" in zh.output  # Chinese unless set, as before
    monkeypatch.setenv("CRADLE_LOCALE", "en")
    en = CliRunner().invoke(app, ["monitoring", "indicators", "--region", "370300"])
    assert en.exit_code == 0, en.output
    assert (
        "\tChildcare places for children under 3 per 1,000 population\t>= 4.7 places per 1,000 people\t"
        in en.output
    )
    assert "\tMaternal mortality ratio\t< 8 per 100,000\t" in en.output
