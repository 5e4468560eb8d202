"""Dynamics of a region's traded employment: shift-share split and emerging/declining divisions.

Method (docs/methods-clusters.md, "Dynamics"), as US Cluster Mapping shows job creation against
"expected change" with the benchmark economy in place of the US:

* Divisions: the region's traded, plausible (not `suspect`) NACE divisions with SBS employment
  in both years; benchmark: EU-27, per division the sum over the EU-27 countries that report it
  comparably in both years (no `b` break after the start, no `d`/`i` flag).
* Years: the latest run of consecutive, comparable years of the region's summed traded
  employment up to the analysis year (`clusters.comparable_run`, no span limit).
* With E0, E1 the region's and B0, B1 the benchmark's employment per division s, G the
  benchmark's traded growth (sum B1 / sum B0 - 1), g_s = B1_s / B0_s - 1:
  national growth = sum E0_s G; industry mix = sum E0_s (g_s - G);
  regional competitive effect = sum (E1_s - E0_s - E0_s g_s). They add up to sum (E1_s - E0_s).
* Emerging: growing (E1 > E0) and specialising (the division's share of the region's traded
  employment rises faster than its share of the benchmark's: LQ change > 0), at least
  `MIN_EMPLOYMENT` persons employed in both years. Declining: shrinking and de-specialising,
  a specialisation today (LQ vs EU-27 >= 1), the same floor.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench.analysis import clusters
from workbench.data.protocol import Snapshot

MIN_EMPLOYMENT = clusters.MIN_EMPLOYMENT_FOR_RANKING
BENCHMARK = "EU-27 (countries reporting the division in both years)"
COMPONENTS = ("national_growth", "industry_mix", "regional_competitive")


def decompose(region: pd.DataFrame, benchmark: pd.DataFrame) -> pd.DataFrame:
    """Shift-share per division. `region` and `benchmark` are indexed by nace with columns
    start, end (employment); divisions missing from either are left out.

    Returns per nace: start, end, change, national_growth, industry_mix, regional_competitive,
    growth_pct, benchmark_growth_pct, lq_change_pct (change of the division's location quotient
    within traded employment, region vs benchmark, %)."""
    both = region.join(benchmark.add_suffix("_b"), how="inner").dropna()
    both = both[both["start_b"] > 0]
    out = pd.DataFrame(index=both.index)
    out["start"], out["end"] = both["start"], both["end"]
    out["change"] = both["end"] - both["start"]
    g_all = both["end_b"].sum() / both["start_b"].sum() - 1 if len(both) else np.nan
    g = both["end_b"] / both["start_b"] - 1
    out["national_growth"] = both["start"] * g_all
    out["industry_mix"] = both["start"] * (g - g_all)
    out["regional_competitive"] = out["change"] - both["start"] * g
    with np.errstate(divide="ignore", invalid="ignore"):
        out["growth_pct"] = 100 * (both["end"] / both["start"] - 1)
        out["benchmark_growth_pct"] = 100 * g
        share = (both["end"] / both["end"].sum()) / (both["start"] / both["start"].sum())
        share_b = (both["end_b"] / both["end_b"].sum()) / (both["start_b"] / both["start_b"].sum())
        out["lq_change_pct"] = 100 * (share / share_b - 1)
    return out.replace([np.inf, -np.inf], np.nan)


@dataclass(frozen=True)
class ShiftShare:
    """The split of a region's traded employment change between two years."""

    start_year: int | None
    end_year: int | None
    divisions: pd.DataFrame          # `decompose` output
    coverage_pct: float              # share of end-year traded employment in `divisions`
    benchmark: str = BENCHMARK

    def totals(self) -> dict[str, float]:
        return {"total_change": float(self.divisions["change"].sum()),
                **{c: float(self.divisions[c].sum()) for c in COMPONENTS}}

    def payload(self) -> dict[str, Any]:
        """The `clusters.shift_share` object of the assessment payload (K2)."""
        return {"start_year": self.start_year, "end_year": self.end_year,
                **{k: round(v, 1) for k, v in self.totals().items()}}


def emerging(shift: ShiftShare, sectors: pd.DataFrame) -> list[str]:
    """Growing and specialising traded divisions (largest first)."""
    return _named(shift, sectors, lambda d: (d["change"] > 0) & (d["lq_change_pct"] > 0))


def declining(shift: ShiftShare, sectors: pd.DataFrame) -> list[str]:
    """Shrinking, de-specialising traded divisions in which the region is specialised today."""
    lq = sectors.set_index("nace")["lq"]
    return _named(shift, sectors, lambda d: (d["change"] < 0) & (d["lq_change_pct"] < 0)
                  & (d.index.map(lq).fillna(0) >= 1))


def _named(shift: ShiftShare, sectors: pd.DataFrame, test) -> list[str]:
    d = shift.divisions
    if d.empty:
        return []
    d = d[(d["start"] >= MIN_EMPLOYMENT) & (d["end"] >= MIN_EMPLOYMENT)]
    return [str(n) for n in d[test(d)].sort_values("end", ascending=False).index]


def region_shift_share(snap: Snapshot, code: str, parts: tuple[str, ...], sectors: pd.DataFrame) -> ShiftShare:
    """The shift-share of the region's traded, plausible divisions (`sectors` from
    `clusters.region_sectors`) up to its analysis year."""
    year = int(sectors["year"].iloc[0])
    naces = list(clusters.rated(sectors)["nace"])
    long = clusters.region_employment(snap, code, tuple(parts))
    long = long[long["nace"].isin(naces)]
    run = clusters.comparable_run(_summed(long), year, None)
    if not run:
        return ShiftShare(None, None, decompose(_empty(), _empty()), float("nan"))
    start, end = int(run[0]["year"]), int(run[-1]["year"])
    region = _two_years(long, start, end)
    table = decompose(region, _benchmark(snap, naces, start, end))
    now = long.loc[long["year"] == end, "value"].sum()
    coverage = 100 * table["end"].sum() / now if now else float("nan")
    return ShiftShare(start, end, table, coverage)


def _summed(long: pd.DataFrame) -> pd.DataFrame:
    """One row per year: summed value, all flags, all methods (a change of either ends a run)."""
    return (long.groupby("year")
            .agg(value=("value", "sum"), flag=("flag", lambda f: "".join(sorted(set("".join(f))))),
                 method=("method", lambda m: "|".join(sorted(set(m)))))
            .reset_index())


def _two_years(long: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    wide = long[long["year"].isin([start, end])].pivot_table(index="nace", columns="year", values="value")
    return wide.reindex(columns=[start, end]).set_axis(["start", "end"], axis=1)


def _benchmark(snap: Snapshot, naces: list[str], start: int, end: int) -> pd.DataFrame:
    rows = clusters.national_employment(snap)
    rows = rows[rows["nace"].isin(naces) & rows["year"].between(start, end)]
    flags = rows["flag"].fillna("")
    bad = (flags.map(lambda f: bool(set(f) & clusters.INCOMPARABLE_FLAGS))
           | (flags.str.contains("b") & (rows["year"] > start)))
    broken = set(zip(rows.loc[bad, "geo"], rows.loc[bad, "nace"]))
    ends = rows[rows["year"].isin([start, end])]
    ends = ends[[(g, n) not in broken for g, n in zip(ends["geo"], ends["nace"])]]
    wide = ends.pivot_table(index=["nace", "geo"], columns="year", values="value").dropna()
    return wide.groupby("nace").sum().reindex(columns=[start, end]).set_axis(["start", "end"], axis=1)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=["start", "end"], dtype=float)
