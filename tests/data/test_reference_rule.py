"""One EU reference per indicator: the same kind and value for every region in a year, and key
indicators that show the region's latest year with the reference of that same year."""
from __future__ import annotations

import pandas as pd
import pytest

from workbench.analysis.assessment import indicator_payload, validate_payload
from workbench.analysis.indicators import key_indicators
from workbench.data import load_snapshot
from workbench.data.benchmarks import MEDIAN_COVERAGE
from workbench.data.catalogue import INDICATORS
from workbench.regions import load_profile, load_profiles


@pytest.fixture(scope="module")
def all_benchmarks() -> pd.DataFrame:
    snap = load_snapshot()
    frames = []
    for profile in load_profiles():
        nuts = profile.nuts
        for indicator in INDICATORS:
            if indicator.has_nace:
                continue
            frame = snap.benchmarks(indicator.id, nuts.code, list(nuts.parts), profile.country)
            frames.append(frame.assign(indicator=indicator.id, region_id=profile.id))
    return pd.concat(frames, ignore_index=True)


def test_all_ten_regions_share_one_reference_per_indicator_and_year(all_benchmarks):
    assert all_benchmarks["region_id"].nunique() == 10
    per_year = all_benchmarks.groupby(["indicator", "year"])
    # one value (or none) and one kind per indicator and year, whatever the region
    assert (per_year["eu"].nunique(dropna=False) == 1).all()
    assert (all_benchmarks.groupby("indicator")["eu_kind"].nunique() == 1).all()
    kinds = all_benchmarks.groupby("indicator")["eu_kind"].first()
    assert kinds["rd_expenditure_pct_gdp"] == "EU-27" and kinds["gdp_volume_index"] == "EU-27 NUTS 2 median"


def test_a_median_reference_is_the_median_of_that_years_distribution():
    snap = load_snapshot()
    frame = snap.benchmarks("rd_business_pct_gdp", "ES13", ["ES13"], "ES").set_index("year")
    for year in frame.index[frame["eu"].notna()]:
        assert frame.loc[year, "eu"] == pytest.approx(snap.distribution("rd_business_pct_gdp", year).median())


def test_a_median_reference_is_missing_only_below_the_coverage_rule(all_benchmarks):
    """Where a pilot region has a value, a NUTS 2 median reference exists unless fewer than a
    third of the EU-27 NUTS 2 units report that year (disposable income 2018: 9 units)."""
    median = all_benchmarks[(all_benchmarks["eu_kind"] == "EU-27 NUTS 2 median") & all_benchmarks["region"].notna()]
    assert (median["eu"].notna() | (median["eu_coverage_pct"] < 100 * MEDIAN_COVERAGE)).all()
    assert median["eu"].notna().mean() > 0.98


@pytest.mark.parametrize("region", ["saxony", "cantabria"])
def test_key_indicators_show_latest_years_with_same_year_references(region):
    snap = load_snapshot()
    table = key_indicators(snap, load_profile(region)).set_index("id")
    gdp, unemployment = table.loc["gdp_pps_per_head"], table.loc["unemployment_rate"]
    assert gdp["year"] == 2023 and gdp["reference_year"] == 2023 and gdp["reference_kind"] == "EU-27"
    assert unemployment["year"] == 2024 and unemployment["reference_year"] == 2024
    eu = snap.eu.set_index(["indicator", "nace", "year"])["value"]
    assert gdp["eu"] == pytest.approx(eu[("gdp_pps_per_head", "", 2023)])
    assert unemployment["eu"] == pytest.approx(eu[("unemployment_rate", "", 2024)])
    rows = [indicator_payload(row) for row in table.reset_index().to_dict("records")]
    payload_gdp = next(r for r in rows if r["id"] == "gdp_pps_per_head")
    assert {k: payload_gdp[k] for k in ("year", "reference_kind", "reference_year")} == {
        "year": 2023, "reference_kind": "EU-27", "reference_year": 2023}
    assert "flag" in payload_gdp
    assert not [p for p in validate_payload({"indicators": rows}) if p.startswith("payload.indicators")]
