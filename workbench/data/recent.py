"""Recent Eurostat API downloads (`recent/eucohesion/`, NUTS 2021/2024 codes) and their splice
onto the older series of the same indicator.

* Files: SDMX-CSV 1.0 or the slim `freq,<dimensions>,geo,time,obs_value` layout
  (`parsers.read_eurostat_api_csv`, flags kept), plus the population extract (DERIVED: taken
  from the EUcohesion project's processed panel, values unchanged; see recent/PROVENANCE.md).
  `panel_master_derived.csv.gz` is never read: it is the author's own work.
* NUTS: codes that are NUTS 2016 units are kept; NUTS 2021/2024 codes that are not
  (HR02/HR05/HR06, NL35/NL36, PT19-PT1D) are brought to NUTS 2016 with the JRC converters
  (`nuts.Conversion`: merges exact, splits weighted by the 2021 population of the
  intersections), the method column naming the parts; a unit is converted only in the years
  all its parts have a value. Older NUTS 2013 codes go through `NutsTable.harmonise`.
* Splice: an indicator id that an older source already has keeps the older values for every
  year up to the last year the older source has (gaps included, so historic values do not
  change); the recent file gives the later years, with the method column saying
  `spliced from <file>`. Where both have a value the two are compared (`SpliceReport`): the
  differences above `SPLICE_TOLERANCE` are listed in the snapshot manifest.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbench.data.catalogue import BY_ID
from workbench.data.nuts import NutsTable
from workbench.data.parsers import read_csv_table, read_eurostat_api_csv
from workbench.data.sources import COLUMNS, SourceLog, finish

SPLICE_TOLERANCE = 0.02
"""Relative difference between the older and the recent value of one unit and year above
which the pair is listed in the splice report."""

SERIES: dict[str, tuple[str, dict[str, str]]] = {
    "gdp_meur": ("nama_10r_2gdp", {"unit": "MIO_EUR"}),
    "gdp_pps_per_head": ("nama_10r_2gdp", {"unit": "PPS_EU27_2020_HAB"}),
    "gdp_pps_per_head_index": ("nama_10r_2gdp", {"unit": "PPS_HAB_EU27_2020"}),
    "gdp_volume_index": ("nama_10r_2gvagr", {"na_item": "B1GQ", "unit": "I15"}),
    "gva_volume_index": ("nama_10r_2gvagr", {"na_item": "B1G", "unit": "I15"}),
    "employment_rate_pct": ("tgs00007", {"unit": "PC", "sex": "T", "age": "Y15-64"}),
    "unemployment_rate": ("tgs00010", {"isced11": "TOTAL", "sex": "T", "age": "Y15-74", "unit": "PC"}),
    "rd_expenditure_pct_gdp": ("tgs00042", {"sectperf": "TOTAL", "unit": "PC_GDP"}),
    "tertiary_attainment_pct": ("tgs00109", {"unit": "PC", "isced11": "ED5-8", "age": "Y25-64", "sex": "T"}),
}
"""Indicator id -> (Eurostat dataset, the dimension codes kept) of its API download (the
catalogue's `recent_file`, or `source_file` for ids that only the recent files have)."""
API_FILES = {BY_ID[i].recent_file or BY_ID[i].source_file: (i, filters) for i, (_, filters) in SERIES.items()}
POPULATION_FILE = BY_ID["population"].recent_file


def read_recent(raw: Path, nuts: NutsTable, log: SourceLog) -> pd.DataFrame:
    """Every row of the recent files, in NUTS 2016 units (method `reported` or the conversion)."""
    frames = []
    for relative, (indicator, filters) in API_FILES.items():
        table = read_eurostat_api_csv(raw / relative, filters)
        frames.append(finish(table.assign(indicator=indicator), nuts, raw / relative, log, relative))
    table = read_csv_table(raw / POPULATION_FILE, ["nuts2_id", "year", "population"],
                           numeric=["population", "year"], integer=["year"])
    table = table[table["population"].notna()]
    population = pd.DataFrame({"indicator": "population", "geo": table["nuts2_id"], "year": table["year"],
                               "value": table["population"], "flag": "", "line": table["line"]})
    frames.append(finish(population, nuts, raw / POPULATION_FILE, log, POPULATION_FILE))
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class SpliceReport:
    """The comparison of an older and a recent series of one indicator on their common keys."""

    indicator: str
    recent_file: str
    overlap_years: str
    compared: int
    median_abs_diff_pct: float
    over_tolerance: tuple[str, ...]
    filled: int
    first_year: int | None
    """First year taken from the recent file (the older source's last year + 1)."""

    def source(self) -> str:
        """Source line stem of the recent part, e.g. "Eurostat tgs00010 (isced11=TOTAL, ...)"."""
        dataset, filters = SERIES.get(self.indicator, ("demo_r_d2jan", {"unit": "NR", "sex": "T", "age": "TOTAL"}))
        how = ("DERIVED extract of the EUcohesion panel, December 2026 copy" if self.indicator == "population"
               else "API download, December 2026 copy")
        return f"Eurostat {dataset} ({', '.join(f'{k}={v}' for k, v in filters.items())}; {how})"

    def record(self) -> dict:
        return {"recent_file": self.recent_file, "first_year": self.first_year,
                "overlap_years": self.overlap_years, "compared": self.compared,
                "median_abs_diff_pct": self.median_abs_diff_pct, "filled_from_recent": self.filled,
                f"differences_over_{round(100 * SPLICE_TOLERANCE)}_pct": list(self.over_tolerance)}


def splice(old: pd.DataFrame, recent: pd.DataFrame) -> tuple[pd.DataFrame, list[SpliceReport]]:
    """Older rows plus the recent rows for keys they lack; the back-test of each spliced id."""
    keys = ["indicator", "nace", "geo", "year"]
    files = {indicator_id: BY_ID[indicator_id].recent_file for indicator_id in BY_ID}
    spliced_ids = set(old["indicator"]) & set(recent["indicator"])
    both = recent.merge(old[keys + ["value"]], on=keys, how="left", suffixes=("", "_old"), indicator=True)
    last_old = old.groupby("indicator")["year"].max()
    fills = (both["_merge"] == "left_only") & (both["year"] > both["indicator"].map(last_old).fillna(0))
    reports = []
    for indicator_id in sorted(spliced_ids):
        mine = both[both["indicator"] == indicator_id]
        common = mine[mine["_merge"] == "both"]
        diff = (common["value"] / common["value_old"] - 1).where(common["value_old"] != 0)
        over = common[diff.abs() > SPLICE_TOLERANCE]
        years = sorted(common["year"].unique())
        reports.append(SpliceReport(
            indicator_id, files[indicator_id], f"{years[0]}-{years[-1]}" if years else "none", len(common),
            round(float(100 * diff.abs().median()), 2) if len(common) else float("nan"),
            tuple(f"{g} {y}: {o:g} -> {v:g} ({100 * d:+.1f} %)" for g, y, o, v, d in
                  zip(over["geo"], over["year"], over["value_old"], over["value"], diff[over.index])),
            int(fills[mine.index].sum()),
            int(mine.loc[fills[mine.index], "year"].min()) if fills[mine.index].any() else None))
    added = both[fills][COLUMNS].copy()
    spliced = added["indicator"].isin(spliced_ids)
    notes = added["indicator"].map(lambda i: f"spliced from {files[i]} (after the older source's last year)")
    added.loc[spliced, "method"] = [n if m == "reported" else f"{m}; {n}"
                                    for m, n in zip(added.loc[spliced, "method"], notes[spliced])]
    return pd.concat([old, added], ignore_index=True), reports
