"""Diagnosis rules on constructed cases: indicated, not indicated, insufficient data."""
from __future__ import annotations

import pandas as pd
import pytest

from workbench.analysis.diagnosis import RULES, Facts, decide, diagnose, evaluate
from workbench.concepts import CHALLENGE_IDS

RULE = {r.challenge: r for r in RULES}


def facts(region: dict[str, dict[int, float]], eu: dict[str, dict[int, float]],
          sectors: pd.DataFrame | None = None) -> Facts:
    series = {}
    for indicator in set(region) | set(eu):
        r, e = region.get(indicator, {}), eu.get(indicator, {})
        years = sorted(set(r) | set(e))
        series[indicator] = pd.DataFrame({"year": years, "region": [r.get(y) for y in years],
                                          "eu": [e.get(y) for y in years]}, dtype=float)
    return Facts(series=series, labels={}, sources={i: f"Test {i}" for i in series},
                 sectors=sectors if sectors is not None else pd.DataFrame(),
                 sector_source="Test SBS, 2015")


def verdict(challenge: str, f: Facts, published: tuple[str, ...] = ()):
    return evaluate(RULE[challenge], f, published)


def test_one_rule_per_challenge_in_concept_order():
    assert tuple(r.challenge for r in RULES) == CHALLENGE_IDS


@pytest.mark.parametrize("met, expected", [
    ([True, True, False, False], "indicated"),
    ([True, False, False, False], "not_indicated"),
    ([True, True, None, None], "insufficient_data"),  # only 2 with data: below min_evidence
    ([True, True, True, None], "indicated"),          # the missing test cannot change it
    ([True, False, None, False], "insufficient_data"),  # the missing test could decide
    ([False, False, False, None], "not_indicated"),
    ([None, None, True, None], "insufficient_data"),
])
def test_decide(met, expected):
    assert decide(met, k=2, min_evidence=3) == expected


RD_EU = {"rd_expenditure_pct_gdp": {2015: 2.0}, "rd_business_pct_gdp": {2015: 1.3},
         "rd_personnel_pct_employment": {2015: 1.2}, "patents_per_million": {2012: 100.0}}


def test_research_innovation_access_indicated_when_two_gaps_beyond_a_quarter():
    region = {"rd_expenditure_pct_gdp": {2014: 1.0, 2015: 1.4},   # 70 % of EU -> met
              "rd_business_pct_gdp": {2015: 0.9},                  # 69 % -> met
              "rd_personnel_pct_employment": {2015: 1.0},          # 83 % -> not met
              "patents_per_million": {2012: 90.0}}                  # 90 % -> not met
    result = verdict("research_innovation_access", facts(region, RD_EU))
    assert result.verdict == "indicated"
    assert [e.met for e in result.evidence] == [True, True, False, False]
    first = result.evidence[0]
    assert (first.value, first.year, first.benchmark_value, first.source) == (1.4, 2015, 2.0, "Test rd_expenditure_pct_gdp, 2015")
    assert result.published is False and result.agreement is False


def test_research_innovation_access_not_indicated_and_agreement():
    region = {"rd_expenditure_pct_gdp": {2015: 1.9}, "rd_business_pct_gdp": {2015: 0.9},
              "rd_personnel_pct_employment": {2015: 1.2}, "patents_per_million": {2012: 120.0}}
    result = verdict("research_innovation_access", facts(region, RD_EU))
    assert result.verdict == "not_indicated" and result.agreement is True


def test_research_innovation_access_insufficient_when_evidence_missing():
    region = {"rd_expenditure_pct_gdp": {2015: 1.0}, "patents_per_million": {2012: 120.0}}
    result = verdict("research_innovation_access", facts(region, RD_EU),
                     published=("research_innovation_access",))
    assert result.verdict == "insufficient_data"
    assert [e.met for e in result.evidence] == [True, None, None, False]
    assert result.published is True and result.agreement is None


def test_missing_eu_benchmark_gives_null_evidence():
    region = {"rd_expenditure_pct_gdp": {2016: 1.0}}
    evidence = verdict("research_innovation_access", facts(region, RD_EU)).evidence[0]
    assert evidence.value == 1.0 and evidence.benchmark_value is None and evidence.met is None


COLLAB_EU = {"rd_expenditure_pct_gdp": {2012: 2.0, 2015: 2.0},
             "rd_business_pct_gdp": {2012: 1.3, 2015: 1.3},      # EU BERD share 65 %
             "patents_per_million": {2012: 100.0},                 # EU 50 per 1 % GDP of R&D
             "kis_employment_pct": {2015: 40.0}}


def test_collaboration_proxies_use_latest_common_year():
    region = {"rd_expenditure_pct_gdp": {2012: 2.0, 2015: 2.0},
              "rd_business_pct_gdp": {2012: 1.0, 2015: 1.0},     # share 50 % < 65 % -> met
              "patents_per_million": {2012: 80.0},                # 40 < 50 -> met
              "kis_employment_pct": {2015: 45.0}}                 # not met
    result = verdict("ecosystem_collaboration", facts(region, COLLAB_EU),
                     published=("ecosystem_collaboration",))
    assert result.verdict == "indicated" and result.agreement is True
    share, patents, kis = result.evidence
    assert (share.value, share.benchmark_value, share.year) == pytest.approx((50.0, 65.0, 2015))
    assert (patents.value, patents.benchmark_value, patents.year) == pytest.approx((40.0, 50.0, 2012))
    assert kis.met is False
    assert "Proxies only" in result.rule


def test_collaboration_insufficient_without_business_rd():
    region = {"rd_expenditure_pct_gdp": {2015: 2.0}, "kis_employment_pct": {2015: 35.0}}
    result = verdict("ecosystem_collaboration", facts(region, COLLAB_EU))
    assert result.verdict == "insufficient_data"


PROD_EU = {"productivity": {2019: 70000.0}, "gdp_pps_per_head": {2019: 31000.0},
           "hightech_manufacturing_pct": {2019: 5.6}}


@pytest.mark.parametrize("region, expected", [
    ({"productivity": {2019: 60000.0}, "gdp_pps_per_head": {2019: 28000.0},
      "hightech_manufacturing_pct": {2019: 7.0}}, "indicated"),
    ({"productivity": {2019: 60000.0}, "gdp_pps_per_head": {2019: 33000.0},
      "hightech_manufacturing_pct": {2019: 7.0}}, "not_indicated"),
    ({"productivity": {2019: 60000.0}}, "insufficient_data"),
    ({"productivity": {2019: 80000.0}, "gdp_pps_per_head": {2019: 33000.0}}, "not_indicated"),
])
def test_value_added_productivity(region, expected):
    assert verdict("value_added_productivity", facts(region, PROD_EU)).verdict == expected


def sectors(stars: list[int], employment: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"nace": [f"C{10 + i}" for i in range(len(stars))], "year": 2015,
                         "stars_eocic": stars, "employment": employment})


@pytest.mark.parametrize("table, expected", [
    (sectors([2, 1, 0, 0], [100.0, 50.0, 500.0, 350.0]), "indicated"),       # 1 strong, 15 %
    (sectors([2, 2, 3, 0], [100.0, 100.0, 100.0, 700.0]), "not_indicated"),  # 3 strong
    (sectors([1, 1, 0, 0], [300.0, 100.0, 300.0, 300.0]), "not_indicated"),  # 40 % starred
    (pd.DataFrame(), "insufficient_data"),
])
def test_cluster_management(table, expected):
    result = verdict("cluster_management", facts({}, {}, table))
    assert result.verdict == expected
    if expected == "insufficient_data":
        assert all(e.met is None for e in result.evidence)


ENTRE_EU = {"local_units_per_1000": {2010: 50.0, 2015: 52.0},   # +4 %
            "employment": {2010: 200000.0, 2015: 210000.0}}      # +5 %


@pytest.mark.parametrize("region, expected", [
    ({"local_units_per_1000": {2010: 40.0, 2015: 40.0}, "employment": {2010: 100.0, 2015: 104.0}}, "indicated"),
    ({"local_units_per_1000": {2010: 40.0, 2015: 44.0}, "employment": {2010: 100.0, 2015: 110.0}}, "not_indicated"),
    ({"local_units_per_1000": {2015: 40.0}, "employment": {2014: 100.0}}, "insufficient_data"),
])
def test_entrepreneurial_dynamics(region, expected):
    result = verdict("entrepreneurial_dynamics", facts(region, ENTRE_EU))
    assert result.verdict == expected


def test_growth_evidence_values():
    region = {"employment": {2010: 100.0, 2015: 104.0}}
    growth = verdict("entrepreneurial_dynamics", facts(region, ENTRE_EU)).evidence[1]
    assert (growth.value, growth.benchmark_value, growth.year, growth.met) == pytest.approx((4.0, 5.0, 2015, True))


def test_diagnose_returns_all_five_with_published_flags():
    results = diagnose(facts({}, {}), published=("cluster_management",))
    assert [r.challenge for r in results] == list(CHALLENGE_IDS)
    assert all(r.verdict == "insufficient_data" and r.agreement is None for r in results)
    assert [r.published for r in results] == [c == "cluster_management" for c in CHALLENGE_IDS]


def test_median_of_eu_regions_stands_in_for_a_missing_eu_aggregate():
    many = pd.Series([1.0] * 60 + [3.0] * 60)  # 120 regions, median 2.0
    f = facts({"rd_expenditure_pct_gdp": {2015: 1.4}}, {})
    f = Facts(series=f.series, labels={}, sources=f.sources,
              distribution=lambda indicator, year: many if year == 2015 else pd.Series(dtype=float))
    evidence = verdict("research_innovation_access", f).evidence[0]
    assert evidence.benchmark == "EU-27 NUTS 2 median (120 regions)"
    assert (evidence.benchmark_value, evidence.met) == (2.0, True)
    few = Facts(series=f.series, labels={}, sources=f.sources,
                distribution=lambda indicator, year: many.head(99))
    evidence = verdict("research_innovation_access", few).evidence[0]
    assert evidence.benchmark == "EU-27" and evidence.benchmark_value is None and evidence.met is None
