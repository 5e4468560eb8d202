"""Why a region has no sector table, in reader words.

The cluster analysis (`clusters.region_sectors`) rates a region's NACE divisions in the latest
year with the region's SBS employment (Eurostat's regional structural business statistics,
NUTS 2013 codes, 2008-2015) in which the EU-27 aggregate is complete. Some EU NUTS 2016
regions have no such year:

* NUTS 2013 regions split in NUTS 2016 (LT00 -> LT01 + LT02, HU10 -> HU11 + HU12, PL12 ->
  PL91 + PL92, IE01/IE02 -> IE04-IE06): the statistics exist only for the larger unit that
  the parts make up together (Lietuva LT0, Közép-Magyarország HU1, ...); they are never
  apportioned to a part nor shown as the part's own figures;
* regions Eurostat does not report (Mayotte FRY5);
* regions reported only in years whose EU-27 aggregate is incomplete.

`sector_gap` returns None when the region has a year to rate, else a `SectorGap` whose
`text()` says which data are missing, for which years, and what the section cannot show.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from workbench.analysis import clusters
from workbench.analysis.region_units import readable_name
from workbench.data.protocol import Snapshot

SBS_READER_NAME = "Eurostat's regional structural business statistics"


@dataclass(frozen=True)
class SectorGap:
    """The region's SBS employment cannot support the cluster analysis, and why."""

    code: str
    name: str
    dataset_years: str
    """Years the statistics cover in the snapshot, e.g. "2008-2015"."""
    region_years: tuple[int, ...] = ()
    """Years with SBS employment for the region (none of them with a complete EU-27 aggregate)."""
    complete_years: tuple[int, ...] = ()
    """Years in which the EU-27 aggregate is complete."""
    larger_unit: str | None = None
    larger_name: str | None = None
    """The smallest larger unit (NUTS 1 or country) holding the region for which the
    statistics exist while none of its NUTS 2 regions has them; None when there is none."""

    def reason(self) -> str:
        """Which data are missing and for which years, in one sentence without a full stop."""
        region = f"{self.name} ({self.code})"
        if self.region_years:
            return (f"{SBS_READER_NAME} have employment by industry for {region} only in "
                    f"{_years(self.region_years)}, when the EU-27 total they are compared with is "
                    f"incomplete (it is complete in {_years(self.complete_years)})")
        only = (f": they report it only for the larger unit {self.larger_name} ({self.larger_unit}), "
                f"of which it is a part" if self.larger_unit else "")
        return f"{SBS_READER_NAME} have no employment by industry for {region} in {self.dataset_years}{only}"

    def text(self) -> str:
        """The reason, why the larger unit's figures are not used, and what cannot be shown."""
        larger = (f" These statistics describe NUTS 2013 regions, which NUTS 2016 redrew here; the workbench "
                  f"does not share the figures of {self.larger_name} out among its parts (a report on "
                  f"{self.larger_name}, {self.larger_unit}, can show them)." if self.larger_unit else "")
        return (f"{self.reason()}.{larger} So no cluster can be rated, and no sector employment, "
                f"specialisation, growth or shift-share is shown for {self.name}.")

    def payload(self) -> dict[str, Any]:
        """The payload's `sector_gap` object."""
        return {"reason": self.reason(), "text": self.text(), "larger_unit": self.larger_unit,
                "larger_unit_name": self.larger_name}


def sector_gap(snap: Snapshot, code: str, parts: tuple[str, ...], name: str) -> SectorGap | None:
    """None when the region has SBS employment in a year with a complete EU-27 aggregate (the
    sector table can be built), else why not."""
    complete = clusters.eu_complete_years(snap)
    if _has_year(snap, [code], set(complete)):  # reported for the unit itself: no need to compose
        return None
    employment = clusters.region_employment(snap, code, tuple(parts))
    region_years = set(employment.loc[employment["value"].notna(), "year"].astype(int))
    if region_years & set(complete):
        return None
    years = snap.catalogue.loc[clusters.EMPLOYMENT, "years"]
    gap = SectorGap(code, name, f"{min(years)}-{max(years)}",
                    tuple(sorted(region_years)), tuple(complete))
    if region_years:
        return gap
    larger = _larger_unit(snap, code, set(complete))
    if larger is None:
        return gap
    return SectorGap(gap.code, gap.name, gap.dataset_years, larger_unit=larger,
                     larger_name=unit_name(snap, larger))


def growth_gap(snap: Snapshot, code: str, parts: tuple[str, ...], name: str, year: int) -> str | None:
    """Why no division of the region has an employment growth rate up to `year` (a clause), when
    the cause is too few years or a break in series; None when it is another one."""
    employment = clusters.region_employment(snap, code, tuple(parts))
    rows = employment[employment["value"].notna() & (employment["year"] <= year)]
    years = tuple(sorted(int(y) for y in set(rows["year"])))
    breaks = tuple(sorted(int(y) for y in set(rows.loc[rows["flag"].str.contains("b", na=False), "year"])))
    if not years or (len(years) > 1 and not breaks):
        return None
    return (f"{SBS_READER_NAME} have employment by industry for {name} up to {year}, the year rated, "
            f"only in {_years(years)}" + (f", with a break in series in {_years(breaks)}" if breaks else "")
            + ", and a growth rate needs two consecutive, comparable years")


def _larger_unit(snap: Snapshot, code: str, complete: set[int]) -> str | None:
    """The smallest unit above `code` with SBS employment in a complete year while none of
    its NUTS 2 units has any (the statistics describe it only as a whole); None when the
    first unit above with data also has NUTS 2 units with data (then `code` is simply not
    reported) or when no unit above has data."""
    known = set(snap.geo["geo"].astype(str))
    above = [code[:n] for n in (3, 2) if len(code) > n and code[:n] in known]  # NUTS 1, then country
    for unit in above:
        if not _has_year(snap, [unit], complete):
            continue
        return None if _has_year(snap, snap.nuts2_parts(unit), complete) else unit
    return None


def _has_year(snap: Snapshot, units: list[str], complete: set[int]) -> bool:
    rows = snap.indicator_rows(clusters.EMPLOYMENT, units)
    return bool(set(rows.loc[rows["value"].notna(), "year"]) & complete)


def unit_name(snap: Snapshot, code: str) -> str:
    """The NUTS name of a unit (GISCO's capitals of NUTS 0/1 names written in title case)."""
    names = snap.geo.loc[snap.geo["geo"].astype(str) == code, "name"]
    return readable_name(str(names.iloc[0])) if not names.empty else code


def empty_sectors() -> pd.DataFrame:
    """A sector table without rows (the columns of `clusters.region_sectors`)."""
    rated = [f"{kind}_{rule}" for rule in clusters.PRESETS for kind in ("stars", "reasons")]
    return pd.DataFrame(columns=[*clusters.SECTOR_COLUMNS, *rated, "headline_stars", "headline_brief"])


def _years(years: tuple[int, ...]) -> str:
    """'2014', '2013 and 2014', '2009, 2010 and 2012'."""
    text = [str(y) for y in years]
    return text[0] if len(text) == 1 else ", ".join(text[:-1]) + " and " + text[-1]
