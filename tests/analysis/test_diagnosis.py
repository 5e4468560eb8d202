"""Diagnosis rules: the weakest third of EU NUTS 2 regions, verdicts, confidence, calibration."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.analysis import diagnosis as dx
from workbench.analysis.diagnosis import RULES, Facts, decide, diagnose, evaluate
from workbench.concepts import CHALLENGE_IDS

RULE = {r.challenge: r for r in RULES}
SPREAD = pd.Series(np.arange(150, dtype=float), index=[f"EU{i:03d}" for i in range(150)])  # 0..149


def facts(region: dict[str, dict[int, float]], eu: dict[str, dict[int, pd.Series]] | None = None,
          reference_years: dict[str, int] | None = None, **extra) -> Facts:
    """Facts from region values and EU distributions (default: 0..149 in every year asked)."""
    def distribution(indicator: str, year: int) -> pd.Series:
        if eu is None:
            return SPREAD
        return eu.get(indicator, {}).get(year, pd.Series(dtype=float))

    series = {i: pd.Series(v, dtype=float) for i, v in region.items()}
    return Facts(series=series, distribution=distribution, reference_years=reference_years or {},
                 sources={i: f"Test {i}" for i in series}, **extra)


def verdict(challenge: str, f: Facts, published: tuple[str, ...] = ()):
    return evaluate(RULE[challenge], f, published)


def test_one_rule_per_challenge_in_concept_order_and_no_average_test():
    assert tuple(r.challenge for r in RULES) == CHALLENGE_IDS
    for rule in RULES:
        assert all("weakest third of EU-27 NUTS 2 regions" in t.text for t in rule.tests)
        assert f"at least {rule.k} of {len(rule.tests)} tests" in rule.text


@pytest.mark.parametrize("met, expected", [
    ([True, True, False, False], "indicated"),
    ([True, False, False, False], "not_indicated"),
    ([True, True, None, None], "indicated"),            # settled by the tests with data
    ([False, False, False, None], "not_indicated"),     # one more met cannot reach 2
    ([True, False, None, False], "insufficient_data"),  # the missing test could decide
    ([None, None, None, None], "insufficient_data"),
])
def test_decide_only_undecidable_is_insufficient(met, expected):
    assert decide(met, k=2) == expected


def test_research_access_indicated_in_weakest_third_on_two_of_four():
    region = {"rd_expenditure_pct_gdp": {2015: 10.0}, "rd_business_pct_gdp": {2015: 40.0},
              "rd_personnel_pct_employment": {2015: 100.0}, "patents_per_million": {2015: 120.0}}
    result = verdict("research_innovation_access", facts(region))
    assert result.verdict == "indicated" and result.confidence == "high" and result.missing == ()
    assert [e.met for e in result.evidence] == [True, True, False, False]
    first = result.evidence[0]
    assert first.benchmark_value == pytest.approx(np.quantile(SPREAD, 1 / 3))
    assert first.benchmark == "weakest-third boundary of 150 EU-27 NUTS 2 regions"
    assert (first.value, first.year, first.source) == (10.0, 2015, "Test rd_expenditure_pct_gdp, 2015")


def test_settled_verdict_is_given_with_the_missing_tests_named():
    region = {"rd_expenditure_pct_gdp": {2015: 10.0}, "rd_business_pct_gdp": {2015: 5.0}}
    result = verdict("research_innovation_access", facts(region), ("research_innovation_access",))
    assert result.verdict == "indicated" and result.agreement is True
    assert result.confidence == "medium"
    assert result.missing == ("R&D personnel % of employment in the weakest third of EU-27 NUTS 2 regions",
                              "EPO patent applications per million inhabitants in the weakest third "
                              "of EU-27 NUTS 2 regions")


def test_undecidable_verdict_is_insufficient_with_low_confidence():
    region = {"rd_expenditure_pct_gdp": {2015: 10.0}, "rd_business_pct_gdp": {2015: 90.0}}
    result = verdict("research_innovation_access", facts(region))
    assert result.verdict == "insufficient_data" and result.confidence == "low"
    assert result.agreement is None and len(result.missing) == 2


def test_common_year_preferred_and_a_year_with_a_reference_used_otherwise():
    full, thin = SPREAD, SPREAD.head(50)          # 2016: too few EU regions to compare
    eu = {"productivity": {2015: full, 2016: thin}, "gdp_pps_per_head": {2015: full, 2016: thin}}
    region = {"productivity": {2015: 10.0, 2016: 140.0}, "gdp_pps_per_head": {2016: 10.0, 2015: 12.0}}
    f = facts(region, eu, reference_years={"productivity": 2015})
    productivity, gdp, hightech = verdict("value_added_productivity", f).evidence
    assert (productivity.year, productivity.met) == (2015, True)   # the common reference year
    assert (gdp.year, gdp.met) == (2015, True)  # 2016 has no reference: not "missing data"
    assert hightech.met is None


def test_lower_better_indicator_is_weak_when_high():
    f = facts({"local_units_per_1000": {2015: 140.0}}, directions={"local_units_per_1000": "lower_better"})
    evidence = verdict("entrepreneurial_dynamics", f).evidence[0]
    assert evidence.met is True and evidence.benchmark_value == pytest.approx(np.quantile(SPREAD, 2 / 3))


def test_growth_and_ratio_compare_with_the_same_measure_of_eu_regions():
    eu = {"employment": {2010: SPREAD + 100, 2015: (SPREAD + 100) * 1.1}}   # every region +10 %
    growth = verdict("entrepreneurial_dynamics",
                     facts({"employment": {2010: 100.0, 2015: 104.0}}, eu)).evidence[1]
    assert growth.value == pytest.approx(4.0) and growth.met is True
    assert growth.benchmark_value == pytest.approx(10.0)
    ratio_eu = {"rd_business_pct_gdp": {2015: SPREAD}, "rd_expenditure_pct_gdp": {2015: SPREAD * 0 + 100}}
    share = verdict("ecosystem_collaboration", facts(
        {"rd_business_pct_gdp": {2015: 60.0}, "rd_expenditure_pct_gdp": {2015: 100.0}}, ratio_eu)).evidence[0]
    assert share.value == pytest.approx(60.0) and share.met is False  # 60 % share; EU 0..149 %


def test_aggregate_is_marked_and_not_high_confidence():
    region = {i: {2015: 1.0} for i in ("productivity", "gdp_pps_per_head", "hightech_manufacturing_pct")}
    result = verdict("value_added_productivity",
                     facts(region, aggregate="a NUTS 1 aggregate compared with NUTS 2 regions"))
    assert result.verdict == "indicated" and result.confidence == "medium"
    assert "NUTS 1 aggregate" in result.evidence[0].benchmark


def test_cluster_rule_uses_traded_rows_and_headline_stars_when_present(categories):
    sectors = pd.DataFrame({"nace": ["C29", "C28", "C10", "G47"], "year": 2014,
                            "employment": [100.0, 100.0, 300.0, 5000.0],
                            "traded": [True, True, True, False],
                            "headline_stars": [2, 1, 0, 3], "stars_eocic": [3, 3, 3, 3]})
    stats = dx.cluster_statistics(sectors, categories)
    assert stats == {"strong_traded_divisions": 1.0, "starred_traded_share": pytest.approx(40.0)}
    eu = {"strong_traded_divisions": pd.Series(np.arange(150) % 10, dtype=float),
          "starred_traded_share": pd.Series(np.linspace(30, 90, 150))}  # 40 % in the lowest sixth
    f = facts({}, cluster=stats, cluster_distribution=eu, cluster_year=2014, sector_source="Test SBS, 2014")
    result = verdict("cluster_management", f)
    assert [e.met for e in result.evidence] == [True, True] and result.verdict == "indicated"
    assert result.evidence[0].source == "Test SBS, 2014"


def test_cluster_statistics_fall_back_to_category_type_and_eocic_stars(categories):
    sectors = pd.DataFrame({"nace": ["C29", "G47"], "category": ["automotive", None], "year": 2014,
                            "employment": [100.0, 900.0], "stars_eocic": [2, 3]})
    stats = dx.cluster_statistics(sectors, categories)
    assert stats["strong_traded_divisions"] == 1.0 and stats["starred_traded_share"] == pytest.approx(100.0)


def test_diagnose_returns_all_five_with_published_flags():
    results = diagnose(facts({}, {}), published=("cluster_management",))
    assert [r.challenge for r in results] == list(CHALLENGE_IDS)
    assert all(r.verdict == "insufficient_data" and r.agreement is None for r in results)
    assert [r.published for r in results] == [c == "cluster_management" for c in CHALLENGE_IDS]


# --- on the real snapshot -------------------------------------------------------------------

@pytest.fixture(scope="module")
def snap():
    from workbench.data import load_snapshot
    return load_snapshot()


def test_every_rule_flags_15_to_60_percent_of_eu_nuts2_regions(snap, categories):
    verdicts = dx.eu_verdicts(snap, categories, dx.default_sector_year(snap))
    table = dx.calibration(verdicts)
    assert len(verdicts) >= 200  # all EU-27 NUTS 2 regions with data
    for row in table.itertuples():
        assert 15.0 <= row.indicated_pct <= 60.0, row
        assert row.with_verdict >= 0.6 * row.regions, row  # most regions get a verdict


def test_eu_wide_stars_equal_the_pilot_stars(snap, categories):
    from workbench.analysis.clusters import reference_measures, region_sectors
    pilot = region_sectors(snap, "ITC1", ("ITC1",), categories=categories).dropna(subset=["employment"])
    year = int(pilot["year"].iloc[0])
    rows = reference_measures(snap, year, categories)
    rows = rows[rows["geo"] == "ITC1"].set_index("nace")
    stars = dx.eu_stars(snap, rows.reset_index(), year, categories).set_axis(rows.index)
    rated = pilot[pilot["traded"] & (pilot["suspect"] == "")]  # the EU statistics count traded rows
    assert stars.reindex(rated["nace"]).tolist() == rated["stars_eocic"].tolist()
