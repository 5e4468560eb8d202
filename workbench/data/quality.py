"""Data-quality table of a region: what is there, what is missing, what was done to it."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbench.data.catalogue import INDICATORS

if TYPE_CHECKING:
    from workbench.data.snapshot_api import Snapshot

QUALITY_COLUMNS = ["indicator", "years_covered", "years", "first_year", "last_year", "n_missing",
                   "flags", "methods"]


def year_ranges(years: list[int]) -> str:
    """[2008, 2009, 2010, 2012] -> "2008-2010, 2012"."""
    spans: list[list[int]] = []
    for year in sorted(years):
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(f"{a}-{b}" if a != b else f"{a}" for a, b in spans)


def quality_table(snapshot: Snapshot, code: str, parts: list[str]) -> pd.DataFrame:
    """One row per indicator. For indicators with a NACE dimension the row summarises all NACE
    codes: a year counts as covered when at least one code has a value, and `n_missing` counts
    the (code, year) cells missing within the indicator's years for the codes it has anywhere.
    `flags` counts each flag ("b: 2, e: 1"); `methods` lists the distinct methods, " | "-separated."""
    rows = []
    for indicator in INDICATORS:
        entry = snapshot.catalogue.loc[indicator.id]
        span = range(int(entry["first_year"]), int(entry["last_year"]) + 1)
        naces = snapshot.values.loc[snapshot.values["indicator"] == indicator.id, "nace"].unique() \
            if indicator.has_nace else [""]
        series = snapshot.compose(indicator.id, {code: parts}, None)
        series = series[series["geo"] == code]
        years = sorted(int(y) for y in series["year"].unique())
        flags = series.loc[series["flag"] != "", "flag"].value_counts()
        methods = sorted(series["method"].unique())
        rows.append((indicator.id, len(years), year_ranges(years), years[0] if years else None,
                     years[-1] if years else None, len(naces) * len(span) - len(series),
                     ", ".join(f"{f}: {n}" for f, n in sorted(flags.items())), " | ".join(methods)))
    return pd.DataFrame(rows, columns=QUALITY_COLUMNS).astype({"first_year": "Int64", "last_year": "Int64"})
