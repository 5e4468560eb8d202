"""Key economic and innovation indicators of a region: latest values with benchmarks, and trends.

For each indicator the latest year in which the region has a value and the indicator's one EU
reference has a value is taken (else the region's latest year, with the reference missing);
the national value, the EU reference (EU-27 aggregate or EU-27 NUTS 2 median, the same kind for
every region and year: catalogue `reference`) and the region's percentile among EU-27 NUTS 2
regions are those of the same year (`Snapshot.benchmarks`). An indicator the snapshot lacks, or for which the region has
no value, stays in the table with missing values: it is never dropped silently or filled.
"""
from __future__ import annotations

import math
import re
from typing import Any, Iterable
from weakref import WeakKeyDictionary

import pandas as pd

from workbench.data.protocol import Snapshot
from workbench.regions import RegionProfile

KEY_INDICATORS: tuple[str, ...] = (
    "population",
    "gdp_pps_per_head",
    "gdp_pps_per_head_index",
    "gdp_volume_index",
    "productivity",
    "unemployment_rate",
    "employment_rate_pct",
    "industry_employment_share",
    "hightech_manufacturing_pct",
    "kis_employment_pct",
    "rd_expenditure_pct_gdp",
    "rd_business_pct_gdp",
    "rd_personnel_pct_employment",
    "patents_per_million",
    "tertiary_attainment_pct",
    "hrst_pct_population",
    "lifelong_learning_pct",
    "broadband_households_pct",
    "daily_internet_users_pct",
    "disposable_income_pps_per_head",
    "local_units_per_1000",
)

TREND_INDICATORS: tuple[str, ...] = (
    "gdp_pps_per_head",
    "productivity",
    "unemployment_rate",
    "industry_employment_share",
    "rd_expenditure_pct_gdp",
    "patents_per_million",
    "tertiary_attainment_pct",
    "lifelong_learning_pct",
)

TREND_START = 2008
TREND_COLUMNS = ["indicator", "year", "region", "national", "eu", "region_flag"]

INDICATOR_COLUMNS = ["id", "label", "unit", "direction", "year", "value", "national", "eu",
                     "percentile", "n_regions", "method", "flag", "source", "reference_kind", "reference_year"]
DEFAULT_KIND = "EU-27"
"""Reference kind of a snapshot built before the one-reference rule (no `eu_kind` column)."""

_ENDS_WITH_YEAR = re.compile(r"(19|20)\d\d\s*$")
_BENCHMARKS: WeakKeyDictionary = WeakKeyDictionary()  # snapshot -> {(indicator, code, parts, country): frame}


def with_year(stem: str, year: int | None) -> str:
    """A source line: the snapshot's source stem plus the year (unless it already ends in one)."""
    if year is None or _ENDS_WITH_YEAR.search(stem):
        return stem
    return f"{stem}, {int(year)}"


def sourced(snap: Snapshot, indicator_id: str, year: int | None) -> str:
    """The source line of an indicator for a year."""
    year_source = getattr(snap, "year_source", None)  # snapshots built before the splice lack it
    stem = year_source(indicator_id, year) if year_source is not None else snap.source(indicator_id)
    return with_year(stem, year)


def has_indicator(snap: Snapshot, indicator_id: str) -> bool:
    return indicator_id in snap.catalogue.index


def benchmarks(snap: Snapshot, indicator_id: str, profile: RegionProfile) -> pd.DataFrame:
    """Region, national and EU-27 values per year (empty when the snapshot lacks the indicator).

    Cached per snapshot object, as several parts of the assessment read the same series;
    callers must not modify the returned frame.
    """
    columns = ["year", "region", "national", "eu", "percentile", "n_regions", "region_flag", "region_method",
               "eu_kind"]
    if not has_indicator(snap, indicator_id):
        return pd.DataFrame(columns=columns)
    nuts = profile.nuts
    key = (indicator_id, nuts.code, nuts.parts, profile.country)
    cache = _BENCHMARKS.setdefault(snap, {})
    if key not in cache:
        frame = snap.benchmarks(indicator_id, nuts.code, list(nuts.parts), profile.country)
        if "eu_kind" not in frame:
            frame = frame.assign(eu_kind=DEFAULT_KIND)
        cache[key] = frame[columns].sort_values("year").reset_index(drop=True)
    return cache[key]


def latest_row(frame: pd.DataFrame, column: str = "region") -> pd.Series | None:
    """The row of the latest year in which `column` has a value, or None."""
    present = frame[frame[column].notna()]
    return None if present.empty else present.iloc[-1]


def key_indicator(snap: Snapshot, indicator_id: str, profile: RegionProfile) -> dict[str, Any]:
    """One row of the key-indicator table (missing values as None)."""
    row: dict[str, Any] = dict.fromkeys(INDICATOR_COLUMNS)
    row["id"] = indicator_id
    if not has_indicator(snap, indicator_id):
        row.update(label=indicator_id, source="not in the data snapshot")
        return row
    meta = snap.catalogue.loc[indicator_id]
    row.update(label=meta["label"], unit=meta["unit"], direction=meta["direction"])
    frame = benchmarks(snap, indicator_id, profile)
    with_reference = latest_row(frame[frame["eu"].notna()])
    latest = with_reference if with_reference is not None else latest_row(frame)
    if latest is None:
        row["source"] = f"{snap.source(indicator_id)}: no value for the region"
        return row
    year = int(latest["year"])
    row.update(
        year=year, value=_number(latest["region"]), national=_number(latest["national"]),
        eu=_number(latest["eu"]), percentile=_number(latest["percentile"]),
        n_regions=_integer(latest["n_regions"]), method=latest["region_method"], flag=latest["region_flag"],
        source=sourced(snap, indicator_id, year), reference_kind=latest["eu_kind"],
        reference_year=year if with_reference is not None else None,
    )
    return row


def key_indicators(snap: Snapshot, profile: RegionProfile,
                   ids: Iterable[str] = KEY_INDICATORS) -> pd.DataFrame:
    """The key-indicator table: one row per indicator, columns `INDICATOR_COLUMNS`."""
    table = pd.DataFrame([key_indicator(snap, i, profile) for i in ids], columns=INDICATOR_COLUMNS)
    return table.astype({"year": "Int64", "n_regions": "Int64", "reference_year": "Int64",
                         "value": float, "national": float,
                         "eu": float, "percentile": float})


def trends(snap: Snapshot, profile: RegionProfile, ids: Iterable[str] = TREND_INDICATORS,
           start: int = TREND_START) -> pd.DataFrame:
    """Long table indicator, year, region, national, eu, region_flag from `start` on (indicators
    with data only)."""
    frames = []
    for indicator_id in ids:
        frame = benchmarks(snap, indicator_id, profile)
        frame = frame[frame["year"] >= start]
        if frame["region"].notna().any():
            frames.append(frame[TREND_COLUMNS[1:]].assign(indicator=indicator_id))
    if not frames:
        return pd.DataFrame(columns=TREND_COLUMNS)
    return pd.concat(frames, ignore_index=True)[TREND_COLUMNS]


def _number(value: Any) -> float | None:
    if value is None or pd.isna(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _integer(value: Any) -> int | None:
    number = _number(value)
    return None if number is None else int(number)
