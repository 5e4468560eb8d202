"""Cluster measures and stars against a hand-worked example of 12 regions x 3 divisions.

EU-27 employment (snap.eu): C29 100,000; G47 600,000; M72 300,000 -> EU total 1,000,000
(no section totals, so each section total is its one division). EU shares: 10%, 60%, 30%.

Region   C29   G47    M72   total  C29 share  LQ C29  units C29  wage C29
R01     4000   5000   1000  10000     40%      4.0       40      50,000
R02     3000   6000   1000  10000     30%      3.0       30      40,000
R03     2000   6000   2000  10000     20%      2.0        3      45,000
R04     1500   6500   2000  10000     15%      1.5       15      30,000
R05     1000   6000   3000  10000     10%      1.0       10      35,000
R06      800   6200   3000  10000      8%      0.8        8      20,000
R07      600   6400   3000  10000      6%      0.6        6      25,000
R08      400   6600   3000  10000      4%      0.4        4      15,000
R09      200   6800   3000  10000      2%      0.2        3      10,000
R10      100   6900   3000  10000      1%      0.1        2      12,000
R11       50   6950   3000  10000    0.5%      0.05       1      (confidential)
R12     5000  30000  15000  50000     10%      1.0       50      60,000

Percentiles (linear interpolation, position = (n-1) q over sorted values), C29:
* employment, n=12: 50 100 200 400 600 800 1000 1500 2000 3000 4000 5000
  p90: pos 9.9 -> 3000 + 0.9*1000 = 3,900; p25: pos 2.75 -> 200 + 0.75*200 = 350
* share %, n=12: 0.5 1 2 4 6 8 10 10 15 20 30 40 -> p90: pos 9.9 -> 20 + 0.9*10 = 29
* LQ, n=12: 0.05 0.1 0.2 0.4 0.6 0.8 1 1 1.5 2 3 4 -> p75: pos 8.25 -> 1.5 + 0.25*0.5 = 1.625
* local units, n=12: 1 2 3 3 4 6 8 10 15 30 40 50 -> p25: pos 2.75 -> 3 + 0.75*0 = 3
* wage, n=11 (R11 missing): 10k 12k 15k 20k 25k 30k 35k 40k 45k 50k 60k -> p75: pos 7.5 -> 42,500

Stars in C29:
* eco (size emp >= 3,900; LQ >= 2; focus share >= 29):
  R01 3 (4000, 4.0, 40); R02 2 (LQ, share); R03 1 (LQ = 2.0 exactly); R12 1 (size); R04 0
* eocic (size >= 3,900; LQ >= 1.5; wage >= 42,500):
  R01 3; R02 1 (LQ); R03 2 (LQ, wage); R04 1 (LQ = 1.5 exactly); R12 2 (size, wage);
  R11 0 with "no data" for the wage
* us (LQ >= 1.625 and >= 1; employment > 350; local units > 3):
  R01 1; R02 1; R03 0 (3 local units is not > 3); R12 0 (LQ 1.0); R08 0 (LQ)
Composite pilot XX (country, parts R01 + R02, no own value):
  C29 7000 of 20000 = 35% -> LQ 3.5; wage = (4000*50,000 + 3000*40,000) / 7000 = 45,714.29;
  units 70; eco 3, eocic 3, us 1, and the size reason notes the NUTS 0 level.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from fake_snapshot import FakeSnapshot
from workbench.analysis import clusters
from workbench.analysis.clusters import (business_economy_total, employment_growth,
                                         location_quotient, region_sectors,
                                         sector_across_regions, top_sectors)
from workbench.analysis.stars import PRESETS, Criterion, StarRule, get_rule

YEAR = 2014
EMP = {  # region: (C29, G47, M72)
    "R01": (4000, 5000, 1000), "R02": (3000, 6000, 1000), "R03": (2000, 6000, 2000),
    "R04": (1500, 6500, 2000), "R05": (1000, 6000, 3000), "R06": (800, 6200, 3000),
    "R07": (600, 6400, 3000), "R08": (400, 6600, 3000), "R09": (200, 6800, 3000),
    "R10": (100, 6900, 3000), "R11": (50, 6950, 3000), "R12": (5000, 30000, 15000),
}
UNITS_C29 = dict(zip(EMP, (40, 30, 3, 15, 10, 8, 6, 4, 3, 2, 1, 50)))
WAGE_C29 = dict(zip(EMP, (50000, 40000, 45000, 30000, 35000, 20000, 25000, 15000, 10000, 12000,
                          None, 60000)))
EU = {"C29": 100_000, "G47": 600_000, "M72": 300_000}


def _rows(indicator: str, cells: dict[tuple[str, str], float | None], year: int = YEAR) -> list[dict]:
    return [{"indicator": indicator, "nace": nace, "geo": geo, "year": year, "value": float(v), "flag": "",
             "method": "reported"}
            for (geo, nace), v in cells.items() if v is not None]


def make_snapshot(extra: list[dict] = ()) -> FakeSnapshot:
    emp = {(g, n): e for g, row in EMP.items() for n, e in zip(EU, row)}
    rows = (_rows("sbs_persons_employed", emp)
            + _rows("sbs_local_units", {(g, "C29"): u for g, u in UNITS_C29.items()})
            + _rows("sbs_wage_per_employee", {(g, "C29"): w for g, w in WAGE_C29.items()})
            + list(extra))
    values = pd.DataFrame(rows)
    eu = pd.DataFrame({"indicator": "sbs_persons_employed", "nace": list(EU), "year": YEAR,
                       "value": [float(v) for v in EU.values()], "n_countries": 27,
                       "countries_missing": ""})
    geo = pd.DataFrame({"geo": [*EMP, "XX", "YY"], "level": [2] * len(EMP) + [0, 0],
                        "country": [*(["AT"] * len(EMP)), "XX", "YY"],
                        "name": [f"Region {g}" for g in EMP] + ["Country XX", "Country YY"]})
    return FakeSnapshot(values, eu, geo)


@pytest.fixture
def snap() -> FakeSnapshot:
    return make_snapshot()


@pytest.fixture
def c29(snap, categories) -> pd.DataFrame:
    return sector_across_regions(snap, "C29", "eco", YEAR, categories=categories).set_index("geo")


# --- location quotient and totals ------------------------------------------------------

def test_location_quotient_formula():
    assert location_quotient(4000, 10000, 100_000, 1_000_000) == pytest.approx(4.0)
    assert math.isnan(location_quotient(np.nan, 10000, 100_000, 1_000_000))
    assert math.isnan(location_quotient(10, 0, 100_000, 1_000_000))


def test_total_uses_section_value_else_sum_of_divisions(categories):
    wide = pd.DataFrame({"C": [100.0, np.nan], "C29": [30.0, 30.0], "C10": [20.0, 20.0],
                         "G47": [50.0, np.nan], "S95": [5.0, np.nan]}, index=["a", "b"])
    totals = business_economy_total(wide, clusters.division_table(categories))
    assert totals["a"] == 155  # C reported (100) + G (47 only: 50) + S95 5
    assert totals["b"] == 50   # C missing -> C29 + C10


def test_measure_table_hand_worked(snap, categories):
    table = clusters.reference_measures(snap, YEAR, categories).set_index(["geo", "nace"])
    assert table.loc[("R01", "C29"), "lq"] == pytest.approx(4.0)
    assert table.loc[("R01", "G47"), "lq"] == pytest.approx(0.5 / 0.6)
    assert table.loc[("R01", "M72"), "lq"] == pytest.approx(0.1 / 0.3)
    assert table.loc[("R12", "G47"), "lq"] == pytest.approx(1.0)
    assert table.loc[("R12", "C29"), "share"] == pytest.approx(10.0)
    assert table.loc[("R12", "C29"), "total"] == 50_000
    assert table.loc[("R11", "C29"), "lq"] == pytest.approx(0.05)


# --- stars per preset ------------------------------------------------------------------

def _stars(snap, preset: str, categories) -> pd.Series:
    return sector_across_regions(snap, "C29", preset, YEAR, categories=categories).set_index("geo")["stars"]


def test_eco_stars_hand_worked(snap, categories):
    stars = _stars(snap, "eco", categories)
    assert stars.to_dict() == {"R01": 3, "R02": 2, "R03": 1, "R12": 1, "R04": 0, "R05": 0, "R06": 0,
                               "R07": 0, "R08": 0, "R09": 0, "R10": 0, "R11": 0}


def test_eocic_stars_hand_worked(snap, categories):
    stars = _stars(snap, "eocic", categories)
    assert stars[["R01", "R02", "R03", "R04", "R12", "R11", "R05"]].tolist() == [3, 1, 2, 1, 2, 0, 0]


def test_us_strong_cluster_hand_worked(snap, categories):
    stars = _stars(snap, "us", categories)
    assert sorted(stars[stars == 1].index) == ["R01", "R02"]
    assert stars["R03"] == 0  # 3 local units is not above the 25th percentile (3)


def test_reasons_carry_the_numbers(c29):
    size, specialisation, focus = c29.loc["R01", "reasons"]
    assert size.startswith("Size: 4,000 persons employed reaches the top-10% threshold 3,900")
    assert "12 regions" in size and size.endswith("star [C29, 2014, EU-27 NUTS 2 reference].")
    assert "minimum 2.00" in specialisation
    assert "40.00% of regional employment reaches the top-10% threshold 29.00%" in focus
    assert c29.loc["R04", "reasons"][0].endswith("no star [C29, 2014, EU-27 NUTS 2 reference].")


def test_us_reason_is_one_sentence_with_all_conditions(snap, categories):
    table = sector_across_regions(snap, "C29", "us", YEAR, categories=categories)
    reasons = table.set_index("geo").loc["R03", "reasons"]
    assert len(reasons) == 1
    assert reasons[0].startswith("US Cluster Mapping strong cluster: no")
    assert "threshold 1.62 (75th percentile" in reasons[0]
    assert "3 local units is not above the 25th percentile 3 of 12 regions" in reasons[0]


def test_missing_value_gives_no_star_and_says_so(snap, categories):
    r11 = sector_across_regions(snap, "C29", "eocic", YEAR, categories=categories).set_index("geo").loc["R11"]
    assert "no data for EUR wages and salaries per person employed" in r11["reasons"][2]
    assert r11["reasons"][2].endswith("no star [C29, 2014, EU-27 NUTS 2 reference].")


def test_partial_eu_value_is_the_sum_of_reporting_countries(categories):
    extra = _rows("sbs_persons_employed", {("AT", "C29"): 60_000, ("BE", "C29"): 40_000})
    snap = make_snapshot(extra)
    snap.eu.loc[snap.eu["nace"] == "C29", ["value", "n_countries"]] = [np.nan, 26]
    r01 = sector_across_regions(snap, "C29", "eco", YEAR, categories=categories).set_index("geo").loc["R01"]
    assert r01["lq"] == pytest.approx(4.0)  # EU C29 = 60,000 + 40,000
    assert "EU-27 value of C29 from 2 of 27 countries" in r01["reasons"][1]


def test_too_small_reference_gives_no_percentile_star(snap, categories):
    rule = StarRule("tiny", "tiny", (Criterion("Size", "employment", percentile=50),), min_reference=13)
    reasons = sector_across_regions(snap, "C29", rule, YEAR, categories=categories)["reasons"]
    assert all("only 12 reference regions" in r[0] for r in reasons)


def test_user_defined_rule_and_unknown_preset(snap, categories):
    rule = StarRule("lq1", "LQ at least 1", (Criterion("Specialisation", "lq", minimum=1.0),))
    stars = sector_across_regions(snap, "C29", rule, YEAR, categories=categories).set_index("geo")["stars"]
    assert sorted(stars[stars == 1].index) == ["R01", "R02", "R03", "R04", "R05", "R12"]
    with pytest.raises(ValueError, match="unknown star preset"):
        get_rule("nope")
    with pytest.raises(ValueError, match="unknown measure"):
        Criterion("x", "gdp", minimum=1)


def test_presets_are_the_documented_ones():
    assert set(PRESETS) == {"eco", "eocic", "us"}
    assert [c.minimum for c in PRESETS["eco"].criteria] == [None, 2.0, None]
    assert [c.percentile for c in PRESETS["eocic"].criteria] == [90, None, 75]
    assert PRESETS["us"].combine == "all" and PRESETS["us"].max_stars == 1


# --- the pilot region: composite, missing cells --------------------------------------------

def test_region_sectors_composite_region(snap, categories):
    table = region_sectors(snap, "XX", ("R01", "R02"), categories=categories).set_index("nace")
    assert list(table.reset_index().columns[:len(clusters.SECTOR_COLUMNS)]) == clusters.SECTOR_COLUMNS
    assert len(table) == 68 and (table["year"] == YEAR).all()
    row = table.loc["C29"]
    assert row["employment"] == 7000 and row["local_units"] == 70
    assert row["share"] == pytest.approx(35.0) and row["lq"] == pytest.approx(3.5)
    assert row["wage_per_employee"] == pytest.approx(45714.2857, rel=1e-6)
    assert (row["stars_eco"], row["stars_eocic"], row["stars_us"]) == (3, 3, 1)
    assert "XX is a NUTS 0 unit compared with NUTS 2 regions" in row["reasons_eco"][0]
    assert "NUTS 0" not in row["reasons_eco"][1]  # LQ is not a size measure
    assert row["category"] == "automotive" and row["category_label"] == "Automotive"


def test_region_sectors_reported_value_wins_over_parts(categories):
    extra = _rows("sbs_persons_employed", {("XX", "C29"): 6500, ("XX", "G47"): 11000, ("XX", "M72"): 2500})
    table = region_sectors(make_snapshot(extra), "XX", ("R01", "R02"), categories=categories).set_index("nace")
    assert table.loc["C29", "employment"] == 6500
    assert table.loc["C29", "share"] == pytest.approx(32.5)


def test_confidential_cell_stays_missing_not_zero(snap, categories):
    table = region_sectors(snap, "XX", ("R01", "R09"), categories=categories).set_index("nace")
    c10 = table.loc["C10"]  # not in the table at all: confidential or not reported
    assert math.isnan(c10["employment"]) and math.isnan(c10["lq"]) and math.isnan(c10["share"])
    for preset in PRESETS:
        assert c10[f"stars_{preset}"] == 0
    assert c10["reasons_eco"][0].startswith("Size: no data for persons employed")
    assert "no data" in c10["reasons_us"][0]


def test_default_year_needs_complete_eu_aggregate(categories):
    extra = _rows("sbs_persons_employed", {("R01", "C29"): 4100}, year=2015)
    snap = make_snapshot(extra)
    snap.eu = pd.concat([snap.eu, snap.eu.assign(year=2015, n_countries=16)])
    assert region_sectors(snap, "R01", ("R01",), categories=categories)["year"].iloc[0] == YEAR


# --- growth -------------------------------------------------------------------------------

def _series(values: dict[int, float], flags: dict[int, str] = {}, methods: dict[int, str] = {}) -> pd.DataFrame:
    return pd.DataFrame({"year": list(values), "value": list(values.values()),
                         "flag": [flags.get(y, "") for y in values],
                         "method": [methods.get(y, "reported") for y in values]})


TEN_PCT = {y: 100 * 1.1 ** (y - 2008) for y in range(2008, 2015)}


@pytest.mark.parametrize("flags, methods, drop, years", [
    ({}, {}, (), "2008-2014"),                                   # the longest span with data
    ({2008: "d", 2009: "d"}, {}, (), "2010-2014"),               # 'd' years are not comparable
    ({2008: "i"}, {}, (), "2009-2014"),                          # nor 'i' (Germany 2008: partial)
    ({2014: "b"}, {}, (), "2008-2013"),                          # break at 2014: last run before it
    ({2012: "b"}, {}, (), "2012-2014"),                          # break inside the window
    ({}, {2012: "sum", 2013: "sum", 2014: "sum"}, (), "2012-2014"),  # method change is a break
    ({}, {}, (2012,), "2013-2014"),                              # a gap ends the run
])
def test_growth_window(flags, methods, drop, years):
    values = {y: v for y, v in TEN_PCT.items() if y not in drop}
    growth, span = employment_growth(_series(values, flags, methods), 2014)
    assert span == years and growth == pytest.approx(10.0)


def test_growth_not_computable():
    growth, span = employment_growth(_series({2014: 100.0}), 2014)
    assert math.isnan(growth) and span == ""
    growth, span = employment_growth(_series({2013: 100.0, 2014: 120.0}, {2014: "b"}), 2014)
    assert math.isnan(growth) and span == ""


# --- portfolio -------------------------------------------------------------------------------

def test_top_sectors_floor_for_lq():
    sectors = pd.DataFrame({"nace": ["A", "B", "C"], "employment": [50_000, 300, 2_000],
                            "lq": [1.2, 9.0, 3.0], "wage_per_employee": [30_000, 90_000, 40_000]})
    assert top_sectors(sectors, "lq", 2)["nace"].tolist() == ["C", "A"]
    assert top_sectors(sectors, "employment", 1)["nace"].tolist() == ["A"]
    assert top_sectors(sectors, "wage_per_employee", 3)["nace"].tolist() == ["C", "A"]
    with pytest.raises(ValueError):
        top_sectors(sectors, "growth_pct", 3)


# --- real snapshot ---------------------------------------------------------------------------

def test_saxony_on_real_snapshot(categories):
    from workbench.data import load_snapshot
    real = load_snapshot()
    table = region_sectors(real, "DED", ("DED2", "DED4", "DED5"), categories=categories).set_index("nace")
    year = int(table["year"].iloc[0])
    reported = real.region_series("sbs_persons_employed", "DED", ("DED2", "DED4", "DED5"), nace="C29")
    assert table.loc["C29", "employment"] == reported.set_index("year").loc[year, "value"]
    assert table["share"].sum() <= 100.0 + 1e-9
    assert table["lq"].dropna().ge(0).all()  # reported zeros (e.g. B06) are data
