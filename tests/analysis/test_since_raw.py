"""Since the EOCIC assessment, back-tested against the raw files (not through the snapshot).

Saxony (NUTS 1, three NUTS 2 parts) and Lithuania (the country): the baseline values come from
Eurostat's regional GDP release V2021 (the source the snapshot uses up to 2019), the latest from
the recent Eurostat API downloads; unemployment 2024 is the population-weighted mean of the NUTS 2
parts. Skips without ../shared/data.
"""
from __future__ import annotations

import pandas as pd
import pytest

from workbench import paths
from workbench.analysis import since
from workbench.data import load_snapshot
from workbench.data.nuts import EU27_2020
from workbench.regions import load_profile

RAW = paths.DEFAULT_RAW_DIR
RECENT = RAW / "recent" / "eucohesion"
pytestmark = pytest.mark.skipif(not RECENT.is_dir(), reason=f"raw data not found in {RAW}")


@pytest.fixture(scope="module")
def release() -> pd.DataFrame:
    frame = pd.read_csv(RAW / "eurostat" / "regional_gdp_release_vintages_2015_2021.csv.gz")
    return frame[frame["vintage"] == "V2021"].pivot_table(index=["geo", "time"], columns="unit", values="values")


@pytest.fixture(scope="module")
def recent_gdp() -> pd.Series:
    frame = pd.read_csv(RECENT / "eurostat_gdp_pc_pps_nuts2.csv.gz")
    return frame.set_index(["geo", "time"])["obs_value"]


def _baseline_from_release(release: pd.DataFrame, code: str, parts: list[str], year: int) -> float:
    if (code, year) in release.index and pd.notna(release.loc[(code, year), "PPS_HAB"]):
        return float(release.loc[(code, year), "PPS_HAB"])
    rows = release.loc[[(p, year) for p in parts]]
    return float((rows["PPS_HAB"] * rows["POP"]).sum() / rows["POP"].sum())


@pytest.mark.parametrize("region", ["saxony", "lithuania"])
def test_gdp_per_head_then_and_now_equal_the_raw_files(region, release, recent_gdp):
    profile = load_profile(region)
    code, parts = profile.nuts.code, list(profile.nuts.parts)
    row = since.movements(load_snapshot(), profile, 2018).set_index("id").loc["gdp_pps_per_head"]
    then = _baseline_from_release(release, code, parts, 2018)
    now = float(recent_gdp[(code, 2023)])
    assert (row["baseline_year"], row["latest_year"]) == (2018, 2023)
    assert row["baseline_value"] == pytest.approx(then, rel=1e-6)
    assert row["latest_value"] == pytest.approx(now)
    assert row["change"] == pytest.approx(now - then, rel=1e-6)
    assert row["latest_eu"] == pytest.approx(float(recent_gdp[("EU27_2020", 2023)]), rel=0.005)  # Eurostat's own EU row
    regions_2023 = recent_gdp.xs(2023, level="time")
    eu_nuts2 = regions_2023[[len(g) == 4 and g[:2] in EU27_2020 and g not in parts for g in regions_2023.index]]
    working = set(load_snapshot().geo.query("level == 2")["geo"])
    recoded = sum(g not in working for g in eu_nuts2.index)  # NUTS 2021/2024 units the snapshot maps to 2016
    assert abs(row["rank_now"] - (1 + int((eu_nuts2 > now).sum()))) <= recoded
    gap_then = 100 * (then - row["baseline_eu"]) / row["baseline_eu"]
    gap_now = 100 * (now - row["latest_eu"]) / row["latest_eu"]
    assert row["gap_change"] == pytest.approx(gap_now - gap_then, rel=1e-6)


def test_lithuanian_unemployment_2024_is_the_population_weighted_mean_of_its_regions():
    rates = pd.read_csv(RECENT / "eurostat_tgs00010_unemployment_rate.csv.gz").set_index(["geo", "TIME_PERIOD"])["OBS_VALUE"]
    population = pd.read_csv(RECENT / "demo_r_d2jan_population_nuts2_extracted_from_panel_master.csv.gz")
    population = population.set_index(["nuts2_id", "year"])["population"]
    parts = ["LT01", "LT02"]
    expected = sum(rates[(p, 2024)] * population[(p, 2024)] for p in parts) / sum(population[(p, 2024)] for p in parts)
    row = since.movements(load_snapshot(), load_profile("lithuania"), 2018).set_index("id").loc["unemployment_rate"]
    assert row["latest_year"] == 2024 and row["latest_value"] == pytest.approx(expected, rel=1e-6)
