"""Key indicators: latest year with benchmarks of the same year; missing stays missing."""
from __future__ import annotations

import pandas as pd
import pytest

from assessment_fakes import profile, series_snapshot
from fake_snapshot import FakeSnapshot
from workbench.analysis.indicators import INDICATOR_COLUMNS, key_indicators, trends, with_year


def _snapshot() -> FakeSnapshot:
    return series_snapshot(
        values={"tertiary_attainment_pct": {"AA11": {2016: 30.0, 2018: 32.0},
                                            "AA12": {2018: 20.0}, "BB11": {2018: 40.0},
                                            "AA": {2016: 28.0, 2018: 29.0}},
                "patents_per_million": {"AA12": {2012: 50.0}}},
        eu={"tertiary_attainment_pct": {2016: 31.0, 2018: 33.0, 2019: 34.0}},
    )


def test_latest_year_value_with_benchmarks_of_that_year():
    table = key_indicators(_snapshot(), profile("AA11"), ids=["tertiary_attainment_pct"])
    assert list(table.columns) == INDICATOR_COLUMNS
    row = table.iloc[0]
    # the EU has 2019 but the region not: the latest year is the region's
    assert (row["year"], row["value"], row["national"], row["eu"]) == (2018, 32.0, 29.0, 33.0)
    assert row["percentile"] == pytest.approx(100 / 3) and row["n_regions"] == 3
    assert row["method"] == "reported" and row["source"] == "Test dataset tertiary_attainment_pct, 2018"


def test_missing_data_stays_missing():
    table = key_indicators(_snapshot(), profile("AA11"),
                           ids=["patents_per_million", "gerd_not_in_catalogue"])
    no_region_value, not_in_snapshot = table.iloc[0], table.iloc[1]
    assert pd.isna(no_region_value["value"]) and pd.isna(no_region_value["year"])
    assert "no value for the region" in no_region_value["source"]
    assert pd.isna(not_in_snapshot["value"]) and not_in_snapshot["source"] == "not in the data snapshot"


def test_trends_from_start_year_and_only_with_region_data():
    long = trends(_snapshot(), profile("AA11"),
                  ids=["tertiary_attainment_pct", "patents_per_million"], start=2017)
    assert long["indicator"].unique().tolist() == ["tertiary_attainment_pct"]
    assert long["year"].tolist() == [2018, 2019]


def test_source_year_is_not_appended_twice():
    assert with_year("Eurostat x, 2019", 2019) == "Eurostat x, 2019"
    assert with_year("Eurostat x", 2019) == "Eurostat x, 2019"
