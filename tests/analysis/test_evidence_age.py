"""Data age: the figures a report relies on that are more than three years older than the run."""
from __future__ import annotations

from datetime import date

import pandas as pd

from workbench.analysis.evidence_age import stale_figures


def _indicators(rows: list[tuple[str, float | None, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["label", "year", "value"]).astype({"year": "Int64"})


def test_figures_older_than_three_years_are_named_oldest_first():
    table = _indicators([("GDP per inhabitant", 2023, 34600.0), ("EPO patent applications", 2012, 90.7),
                         ("GDP per person employed", 2015, 54153.8), ("Unemployment rate", 2022, 3.0),
                         ("Households with broadband access", None, None)])
    stale = stale_figures(table, 2015, date(2026, 12, 3))
    assert [(f.label, f.year, f.age) for f in stale] == [
        ("EPO patent applications", 2012, 14), ("GDP per person employed", 2015, 11),
        ("Regional sector statistics (employment, wages, local units by NACE)", 2015, 11),
        ("Unemployment rate", 2022, 4)]
    # 2023 is exactly three years before 2026: not named; a missing value is not a figure
    assert stale_figures(table, None, date(2025, 1, 1))[-1].label == "GDP per person employed"
