"""Regions made of NUTS 2 parts: sums, weighted means, and never a silent substitute."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from workbench.data import load_snapshot
from workbench.data.aggregate import combine
from workbench.data.catalogue import BY_ID

SAXONY = ("DED", ["DED2", "DED4", "DED5"])


def rows(*records):
    return pd.DataFrame([{"nace": "", "flag": "", "method": "reported", **r} for r in records])


def test_sum_needs_every_part_and_reports_what_it_did():
    values = rows({"geo": "A1", "year": 2010, "value": 1.0, "flag": "e"}, {"geo": "A2", "year": 2010, "value": 2.0},
                  {"geo": "A1", "year": 2011, "value": 1.0})  # A2 missing in 2011
    out = combine(values, {"A": ["A1", "A2"]}, BY_ID["population"])
    assert out[["geo", "year", "value", "flag", "method"]].values.tolist() == [["A", 2010, 3.0, "e", "sum of A1+A2"]]


def test_reported_value_wins_over_the_sum_of_parts():
    values = rows({"geo": "A", "year": 2010, "value": 10.0}, {"geo": "A1", "year": 2010, "value": 1.0},
                  {"geo": "A2", "year": 2010, "value": 2.0}, {"geo": "A1", "year": 2011, "value": 4.0},
                  {"geo": "A2", "year": 2011, "value": 5.0, "method": "recoded from X2 (NUTS 2013)"})
    out = combine(values, {"A": ["A1", "A2"]}, BY_ID["population"]).set_index("year")
    assert out.loc[2010, "value"] == 10.0 and out.loc[2010, "method"] == "reported"
    assert out.loc[2011, "value"] == 9.0
    assert out.loc[2011, "method"] == "sum of A1+A2 (recoded from X2 (NUTS 2013))"


def test_weighted_mean_uses_the_named_weight_and_needs_it_for_every_part():
    values = rows({"geo": "A1", "year": 2010, "value": 10.0}, {"geo": "A2", "year": 2010, "value": 20.0},
                  {"geo": "A1", "year": 2011, "value": 10.0}, {"geo": "A2", "year": 2011, "value": 20.0})
    weights = rows({"geo": "A1", "year": 2010, "value": 3.0}, {"geo": "A2", "year": 2010, "value": 1.0},
                   {"geo": "A1", "year": 2011, "value": 3.0})  # no weight for A2 in 2011
    out = combine(values, {"A": ["A1", "A2"]}, BY_ID["unemployment_rate"], weights)
    assert out["year"].tolist() == [2010]
    assert out["value"].item() == pytest.approx((10 * 3 + 20 * 1) / 4)
    assert out["method"].item() == "mean of A1+A2 weighted by population"


def test_saxony_gdp_summed_from_its_three_nuts2_parts():
    # Raw rows, regional_gdp_release_vintages_2015_2021.csv.gz, vintage V2021, unit MIO_PPS, 2019:
    #   DE,2,DED2,Dresden,V2021,MIO_PPS,2019,46468.24
    #   DE,2,DED4,Chemnitz,V2021,MIO_PPS,2019,38160.67
    #   DE,2,DED5,Leipzig,V2021,MIO_PPS,2019,31693.36
    # by hand: 46468.24 + 38160.67 + 31693.36 = 116322.27
    series = load_snapshot().region_series("gdp_mpps", *SAXONY).set_index("year")
    assert series.loc[2019, "value"] == pytest.approx(116322.27)
    assert series.loc[2019, "method"] == "sum of DED2+DED4+DED5"


def test_saxony_gdp_per_head_is_the_population_weighted_mean():
    # Same file, 2019: PPS_HAB DED2 29100, DED4 26700, DED5 30300; POP (thousand) DED2 1597.38,
    # DED4 1431.41, DED5 1046.16. By hand: (29100*1597.38 + 26700*1431.41 + 30300*1046.16)
    # / (1597.38 + 1431.41 + 1046.16) = 116401053 / 4074.95 = 28565.026
    snap = load_snapshot()
    series = snap.region_series("gdp_pps_per_head", *SAXONY).set_index("year")
    assert series.loc[2019, "value"] == pytest.approx(28565.026, abs=1e-3)
    assert series.loc[2019, "method"] == "mean of DED2+DED4+DED5 weighted by population"
    assert snap.region_series("population", *SAXONY).set_index("year").loc[2019, "value"] == 4074950


def test_hauts_de_france_sbs_from_recoded_nuts2013_parts():
    # sbs_r_nuts06_r2, C,V16110 (persons employed, manufacturing), 2014:
    #   FR30 "142062 b", FR22 "65092 b" -> FRE1 + FRE2 = 207154, flag b
    series = load_snapshot().region_series("sbs_persons_employed", "FRE", ["FRE1", "FRE2"], nace="C")
    row = series.set_index("year").loc[2014]
    assert row["value"] == 207154 and row["flag"] == "b"
    assert row["method"].startswith("sum of FRE1+FRE2 (recoded from FR22 (NUTS 2013); recoded from FR30")
    assert 2015 not in series["year"].tolist()  # FR22 and FR30 are ":" in 2015: no value


def test_missing_year_stays_missing():
    # Saxony broadband: tgs00049 has no German region, so there is no value at all
    assert load_snapshot().region_series("broadband_households_pct", *SAXONY).empty
    assert not math.isnan(load_snapshot().region_series("unemployment_rate", *SAXONY)["value"].iloc[0])
