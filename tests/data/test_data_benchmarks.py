"""EU-27 aggregates and percentiles on constructed data."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from workbench.data.benchmarks import building_blocks, eu_aggregate, percentile
from workbench.data.catalogue import BY_ID
from workbench.data.nuts import EU27_2020


def countries(values: dict[str, float], year: int = 2015) -> pd.DataFrame:
    return pd.DataFrame({"nace": "", "geo": list(values), "year": year, "value": list(values.values()),
                         "flag": "", "method": "reported", "country": [g[:2] for g in values]})


POPULATION = countries({c: 10.0 for c in EU27_2020} | {"DE": 80.0, "FR": 60.0})  # 25*10 + 140 = 390
PARTS = {c: [f"{c}01", f"{c}02"] for c in EU27_2020}


def eu(indicator: str, blocks: pd.DataFrame, weights: pd.DataFrame | None = None) -> pd.Series:
    return eu_aggregate(BY_ID[indicator], blocks, weights, POPULATION, PARTS).iloc[0]


def test_eu_sum_only_with_all_27_countries():
    full = eu("gdp_meur", countries({c: 1.0 for c in EU27_2020}))
    assert full["value"] == 27 and full["n_countries"] == 27 and full["countries_missing"] == ""
    partial = eu("gdp_meur", countries({c: 1.0 for c in EU27_2020 if c != "MT"}))
    assert math.isnan(partial["value"]) and partial["countries_missing"] == "MT"


def test_eu_weighted_mean_needs_90_percent_of_population():
    rates = {c: 5.0 for c in EU27_2020} | {"DE": 2.0}
    without_cy = countries({c: v for c, v in rates.items() if c != "CY"})  # 380/390 = 97.4 % covered
    out = eu("unemployment_rate", without_cy, POPULATION)
    expected = (2.0 * 80 + 5.0 * 60 + 5.0 * 10 * 24) / (80 + 60 + 240)
    assert out["value"] == pytest.approx(expected)
    assert out["countries_missing"] == "CY" and out["coverage_pct"] == pytest.approx(97.44)
    without_de = countries({c: v for c, v in rates.items() if c != "DE"})  # 310/390 = 79.5 %
    assert math.isnan(eu("unemployment_rate", without_de, POPULATION)["value"])


def test_countries_without_a_national_value_enter_through_their_nuts2_units():
    # FI publishes only NUTS 2 values, and FI02 is missing: FI01 enters alone (its weight 6 of FI's 10)
    rates = countries({c: 5.0 for c in EU27_2020 if c != "FI"} | {"FI01": 9.0})
    blocks = building_blocks(rates.drop(columns="country"), PARTS)
    assert blocks.loc[blocks["geo"] == "FI01", "country"].item() == "FI"
    population = pd.concat([POPULATION, countries({"FI01": 6.0, "FI02": 4.0})], ignore_index=True)
    out = eu_aggregate(BY_ID["unemployment_rate"], blocks, population, population, PARTS).iloc[0]
    assert out["n_countries"] == 27 and out["countries_missing"] == "" and out["units_missing"] == "FI02"
    assert out["coverage_pct"] == pytest.approx(100 * 386 / 390, abs=0.01)
    assert out["value"] == pytest.approx((5.0 * 380 + 9.0 * 6) / 386)


def test_percentile_is_share_strictly_below_and_nan_for_extensive():
    spread = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0])
    assert percentile(3.0, spread, BY_ID["gdp_pps_per_head"]) == 40.0
    assert percentile(10.0, spread, BY_ID["gdp_pps_per_head"]) == 100.0
    assert math.isnan(percentile(3.0, spread, BY_ID["gdp_meur"]))
    assert math.isnan(percentile(float("nan"), spread, BY_ID["gdp_pps_per_head"]))


def test_snapshot_benchmarks_for_a_pilot_region():
    from workbench.data import load_snapshot

    snap = load_snapshot()
    table = snap.benchmarks("gdp_pps_per_head_index", "ES13", ["ES13"], "ES").set_index("year")
    assert list(table.columns) == ["region", "national", "eu", "percentile", "n_regions", "national_method",
                                   "region_flag", "region_method", "eu_kind", "eu_coverage_pct"]  # K1: + kind, coverage
    assert set(table["eu_kind"]) == {"EU-27"} and table.loc[2023, "eu_coverage_pct"] == 100.0
    assert table.loc[2019, "national"] == 91.0 and table.loc[2019, "national_method"] == "reported"
    # V2021 PPS_HAB_EU27 rows are EU-27 = 100, so the computed EU-27 mean must be ~100
    assert table.loc[2019, "eu"] == pytest.approx(100, abs=1.0)
    spread = snap.distribution("gdp_pps_per_head_index", 2019)
    assert table.loc[2019, "n_regions"] == len(spread) > 200
    assert table.loc[2019, "percentile"] == pytest.approx(100 * (spread < table.loc[2019, "region"]).mean())


def test_national_rate_from_nuts2_units_covering_98_percent():
    from workbench.data import load_snapshot

    # tgs00010 has no value for Aland (FI20, 0.5 % of Finland's population) and no national row
    table = load_snapshot().benchmarks("unemployment_rate", "FI1D", ["FI1D"], "FI").set_index("year")
    assert table.loc[2019, "national_method"].startswith("mean of 4 of 5 NUTS 2 units weighted by population")
    assert "missing FI20" in table.loc[2019, "national_method"]
    assert 6 < table.loc[2019, "national"] < 7.5


@pytest.mark.parametrize("indicator", ["unemployment_rate", "gdp_pps_per_head_index", "rd_expenditure_pct_gdp"])
def test_benchmarks_do_not_depend_on_the_regions_asked_before(indicator):
    """The national and EU parts are cached for the next region of the country (an EU-wide run
    asks for 240 regions in one kernel): the answers must be those of a snapshot asked first."""
    from workbench.data import load_snapshot
    from workbench.data.snapshot_api import Snapshot

    folder = load_snapshot().folder
    warm = Snapshot(folder)
    for code in ("FI1B", "FI1C", "FI20", "DE11"):  # Aland lacks unemployment: a partial national value
        warm.benchmarks(indicator, code, [code], code[:2])
    for code, parts, country in [("FI1D", ["FI1D"], "FI"), ("FI", ["FI19", "FI1B", "FI1C", "FI1D", "FI20"], "FI"),
                                 ("DE12", ["DE12"], "DE")]:
        pd.testing.assert_frame_equal(warm.benchmarks(indicator, code, parts, country),
                                      Snapshot(folder).benchmarks(indicator, code, parts, country))
