"""The Snapshot API of docs/design.md as the other packages use it."""
from __future__ import annotations

import time

import numpy as np
import pytest

from workbench.data import SnapshotError, load_snapshot

DESIGN_IDS = [
    "population", "gdp_meur", "gdp_mpps", "gdp_pps_per_head", "gdp_pps_per_head_index", "employment",
    "productivity", "unemployment_rate", "employment_by_section", "industry_employment_share",
    "sbs_persons_employed", "sbs_wages_meur", "sbs_local_units", "sbs_wage_per_employee",
    "rd_expenditure_pct_gdp", "rd_business_pct_gdp", "rd_personnel_fte", "rd_personnel_pct_employment",
    "patents_per_million", "tertiary_attainment_pct", "hrst_pct_population", "hightech_manufacturing_pct",
    "kis_employment_pct", "lifelong_learning_pct", "broadband_households_pct", "daily_internet_users_pct",
    "disposable_income_pps_per_head", "local_units_per_1000",
    "employment_rate_pct", "gdp_volume_index", "gva_volume_index",  # K1: new ids from the recent files
]
CATALOGUE_COLUMNS = {"label", "unit", "dataset", "filters", "direction", "kind", "aggregation", "weight", "reference",
                     "has_nace", "first_year", "last_year", "source_file", "provenance", "definition"}


def test_load_is_cached_and_has_a_vintage_from_the_raw_hash():
    snap = load_snapshot()
    assert load_snapshot() is snap
    assert "sha256" in snap.vintage and "shared/data" in snap.vintage


def test_catalogue_has_exactly_the_design_ids_with_data():
    catalogue = load_snapshot().catalogue
    assert list(catalogue.index) == DESIGN_IDS
    assert CATALOGUE_COLUMNS <= set(catalogue.columns)
    assert set(catalogue["direction"]) <= {"higher_better", "lower_better", "neutral"}
    assert (catalogue["first_year"] >= 2008).all() and (catalogue["last_year"] >= catalogue["first_year"]).all()
    weighted = catalogue[catalogue["aggregation"] == "weighted_mean"]
    assert set(weighted["weight"]) <= set(DESIGN_IDS)
    assert catalogue.loc["gdp_pps_per_head", "provenance"].startswith("`regional_gdp_release_vintages")


def test_values_and_eu_tables_have_the_documented_columns():
    snap = load_snapshot()
    assert list(snap.values.columns)[:6] == ["indicator", "nace", "geo", "year", "value", "flag"]
    assert not snap.values["value"].isna().any()
    assert set(snap.values["indicator"].unique()) == set(DESIGN_IDS)
    assert {"indicator", "nace", "year", "value", "n_countries", "countries_missing"} <= set(snap.eu.columns)
    assert set(snap.geo.columns) == {"geo", "level", "country", "name"}
    assert snap.geo.set_index("geo").loc["DED", "level"] == 1


def test_sbs_keeps_sections_and_divisions_only():
    nace = set(load_snapshot().indicator_rows("sbs_persons_employed")["nace"].unique())
    assert {"C", "C10", "C29", "G46"} <= nace and not any(len(code) > 3 for code in nace)


def test_source_line_and_unknown_indicator():
    snap = load_snapshot()
    assert snap.source("unemployment_rate") == "Eurostat tgs00010 (sex=T, age=Y_GE15, unit=PC)"
    with pytest.raises(SnapshotError, match="unknown indicator 'gdp'"):
        snap.region_series("gdp", "DED", ["DED2"])


def test_quality_table_for_saxony():
    quality = load_snapshot().quality("DED", ["DED2", "DED4", "DED5"]).set_index("indicator")
    assert list(quality.index) == DESIGN_IDS
    assert quality.loc["gdp_mpps", "years"] == "2008-2019" and quality.loc["gdp_mpps", "n_missing"] == 0
    assert quality.loc["broadband_households_pct", "years_covered"] == 0
    assert "sum of DED2+DED4+DED5" in quality.loc["population", "methods"]


def test_geometries_for_maps():
    shapes = load_snapshot().geometries(2)
    assert "DED2" in shapes and "DED" not in shapes
    ring = shapes["DED2"][0][0]
    assert isinstance(ring, np.ndarray) and ring.shape[1] == 2
    assert 11 < ring[:, 0].mean() < 16 and 50 < ring[:, 1].mean() < 52  # lon/lat of Dresden region


def test_reference_rii_is_external_only():
    rii = load_snapshot().reference_rii()
    assert {"geo", "regional_innovation_index"} <= set(rii.columns)
    assert "regional_innovation_index" not in " ".join(load_snapshot().catalogue["definition"])


def test_one_region_loads_fast():
    snap = load_snapshot()
    started = time.perf_counter()
    for indicator in DESIGN_IDS:
        snap.compose(indicator, {"DED": ["DED2", "DED4", "DED5"]}, nace=None)
    assert time.perf_counter() - started < 5  # generous: CI machines are shared; see benchmarks/bench_data.py
