"""The age of the evidence a report relies on.

A figure is *stale* when its year is more than `MAX_AGE` years before the run date's year
(a run in 2026: figures of 2022 and earlier). The report shows a banner naming every stale
figure, so that a reader never mistakes 2015 sector statistics or 2012 patent counts for
current ones.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

MAX_AGE = 3
"""A figure more than this many years older than the run date is named in the banner."""


@dataclass(frozen=True)
class StaleFigure:
    label: str
    year: int
    age: int


def stale_figures(indicators: pd.DataFrame, sector_year: int | None, run_date: date,
                  sector_label: str = "Regional sector statistics (employment, wages, local units by NACE)",
                  max_age: int = MAX_AGE) -> list[StaleFigure]:
    """The figures a report relies on (key indicators with a value, the sector table) whose year
    is more than `max_age` years before `run_date`, oldest first."""
    figures = [(row.label, int(row.year)) for row in indicators.itertuples()
               if not pd.isna(row.year) and not pd.isna(row.value)]
    if sector_year is not None:
        figures.append((sector_label, int(sector_year)))
    stale = [StaleFigure(label, year, run_date.year - year) for label, year in figures
             if run_date.year - year > max_age]
    return sorted(stale, key=lambda f: (f.year, f.label))
