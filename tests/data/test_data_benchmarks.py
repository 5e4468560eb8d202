"""EU-27 aggregates and percentiles on constructed data."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from workbench.data.benchmarks import eu_aggregate, percentile
from workbench.data.catalogue import BY_ID
from workbench.data.nuts import EU27_2020


def countries(values: dict[str, float], year: int = 2015) -> pd.DataFrame:
    return pd.DataFrame({"nace": "", "geo": list(values), "year": year, "value": list(values.values()),
                         "flag": "", "method": "reported"})


POPULATION = countries({c: 10.0 for c in EU27_2020} | {"DE": 80.0, "FR": 60.0})  # 25*10 + 140 = 390


def test_eu_sum_only_with_all_27_countries():
    full = eu_aggregate(BY_ID["gdp_meur"], countries({c: 1.0 for c in EU27_2020}), None, POPULATION)
    assert full["value"].item() == 27 and full["n_countries"].item() == 27 and full["countries_missing"].item() == ""
    partial = eu_aggregate(BY_ID["gdp_meur"], countries({c: 1.0 for c in EU27_2020 if c != "MT"}), None, POPULATION)
    assert math.isnan(partial["value"].item()) and partial["countries_missing"].item() == "MT"


def test_eu_weighted_mean_needs_90_percent_of_population():
    rates = {c: 5.0 for c in EU27_2020} | {"DE": 2.0}
    without_cy = countries({c: v for c, v in rates.items() if c != "CY"})  # 380/390 = 97.4 % covered
    out = eu_aggregate(BY_ID["unemployment_rate"], without_cy, POPULATION, POPULATION)
    expected = (2.0 * 80 + 5.0 * 60 + 5.0 * 10 * 24) / (80 + 60 + 240)
    assert out["value"].item() == pytest.approx(expected)
    assert out["countries_missing"].item() == "CY" and out["coverage_pct"].item() == pytest.approx(97.44)
    without_de = countries({c: v for c, v in rates.items() if c != "DE"})  # 310/390 = 79.5 %
    assert math.isnan(eu_aggregate(BY_ID["unemployment_rate"], without_de, POPULATION, POPULATION)["value"].item())


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
    assert list(table.columns) == ["region", "national", "eu", "percentile", "n_regions"]
    # V2021 PPS_HAB_EU27 rows are EU-27 = 100, so the computed EU-27 mean must be ~100
    assert table.loc[2019, "eu"] == pytest.approx(100, abs=1.0)
    spread = snap.distribution("gdp_pps_per_head_index", 2019)
    assert table.loc[2019, "n_regions"] == len(spread) > 200
    assert table.loc[2019, "percentile"] == pytest.approx(100 * (spread < table.loc[2019, "region"]).mean())
