"""The EU-27 NUTS 2 reference that the scoreboard and the diagnosis rules share.

One reference per indicator, the same for every region assessed (docs/methods-assessment.md §2):

* `eu_values`: the values of every EU-27 NUTS 2 unit, per year (`snap.distribution`: as
  reported, after NUTS 2016 harmonisation, never aggregated or filled), as a geo × year table;
* `reference_year`: the common year of comparison, the latest year in which at least
  `MIN_COVERAGE_SHARE` of the largest yearly number of EU NUTS 2 units reporting the indicator
  have a value (a recent year that only a few countries report does not become the reference);
* `unit_series` / `profile_series` / `units_table`: the yearly values of any region: its row
  of `eu_values` when it is an EU NUTS 2 unit, otherwise reported for the code or aggregated
  from its parts (`snap.region_series` / `snap.compose`);
* `level_table`: every EU-27 unit of a NUTS level (peers of NUTS 1 and national pilots).

Everything is computed once per snapshot object and process (the tables are small).
Indicators the data layer adds later (recent years, new ids) are picked up from the
catalogue: nothing here lists years or ids.
"""
from __future__ import annotations

from typing import Any, Sequence
from weakref import WeakKeyDictionary

import pandas as pd

from workbench.analysis.indicators import benchmarks
from workbench.data.protocol import Snapshot
from workbench.regions import RegionProfile

MIN_COVERAGE_SHARE = 0.75
MIN_REGIONS = 100
"""A year's distribution is a reference only with at least this many EU NUTS 2 values."""
EU_NUTS2 = "EU-27 NUTS 2 regions"

_CACHE: WeakKeyDictionary = WeakKeyDictionary()  # snapshot -> {key: value}


def cached(snap: Snapshot, key: tuple, compute: Any) -> Any:
    """`compute()` once per snapshot object and key."""
    store = _CACHE.setdefault(snap, {})
    if key not in store:
        store[key] = compute()
    return store[key]


def has_indicator(snap: Snapshot, indicator_id: str) -> bool:
    return indicator_id in snap.catalogue.index


def eu_values(snap: Snapshot, indicator_id: str) -> pd.DataFrame:
    """EU-27 NUTS 2 values: geo (index) × year (columns); NaN where a unit has no value.

    The same values as `snap.distribution` year by year, read in one go."""
    def compute() -> pd.DataFrame:
        rows = snap.indicator_rows(indicator_id, eu27_units(snap), "")  # one read for all years
        if rows.empty:
            return pd.DataFrame(dtype=float)
        return rows.pivot_table(index="geo", columns="year", values="value", aggfunc="first").astype(float)
    return cached(snap, ("eu_values", indicator_id), compute)


def eu27_units(snap: Snapshot, level: int = 2) -> list[str]:
    """The EU-27 units of a NUTS level in the snapshot's NUTS table (level 2: the units of
    `snap.distribution`)."""
    def compute() -> list[str]:
        from workbench.data.nuts import EU27_2020
        geo = snap.geo
        return sorted(geo.loc[(geo["level"] == level) & geo["country"].isin(EU27_2020), "geo"].astype(str))
    return cached(snap, ("eu27_units", level), compute)


def reference_year(snap: Snapshot, indicator_id: str) -> int | None:
    """The common year of comparison (module docstring), None without enough EU values."""
    def compute() -> int | None:
        counts = eu_values(snap, indicator_id).notna().sum()
        if counts.empty or counts.max() < MIN_REGIONS:
            return None
        good = counts[counts >= max(MIN_REGIONS, MIN_COVERAGE_SHARE * counts.max())]
        return int(max(good.index))
    return cached(snap, ("reference_year", indicator_id), compute)


def distribution(snap: Snapshot, indicator_id: str, year: int) -> pd.Series:
    """EU-27 NUTS 2 values of one year (empty when none)."""
    table = eu_values(snap, indicator_id)
    return table[year].dropna() if year in table.columns else pd.Series(dtype=float)


def unit_level(snap: Snapshot, code: str) -> int:
    levels = snap.geo.loc[snap.geo["geo"] == code, "level"]
    return int(levels.iloc[0]) if not levels.empty else 2


def level_table(snap: Snapshot, indicator_id: str, level: int) -> pd.DataFrame:
    """Values of every EU-27 unit of a NUTS level: geo × year. Level 2: `eu_values`; levels
    0 and 1: reported or aggregated from the unit's NUTS 2 parts (`snap.compose`, the rule of
    `region_series`), all units at once."""
    if level == 2:
        return eu_values(snap, indicator_id)
    units = eu27_units(snap, level)
    return cached(snap, ("level_table", indicator_id, level),
                  lambda: _composed(snap, indicator_id, {u: snap.nuts2_parts(u) for u in units}))


def unit_series(snap: Snapshot, indicator_id: str, code: str, parts: Sequence[str]) -> pd.Series:
    """Yearly values (index year) of a region: its `eu_values` row when it is an EU NUTS 2
    unit, else `snap.region_series` (reported, else aggregated from its parts)."""
    if not has_indicator(snap, indicator_id):
        return pd.Series(dtype=float)
    table = eu_values(snap, indicator_id)
    if code in table.index:
        return table.loc[code].dropna()
    return units_table(snap, indicator_id, {code: list(parts)}).loc[code].dropna()


def profile_series(snap: Snapshot, indicator_id: str, profile: RegionProfile) -> pd.Series:
    """`unit_series` of a profiled region, sharing `indicators.benchmarks`'s cache (the key
    indicators have already composed the region's series)."""
    table = eu_values(snap, indicator_id) if has_indicator(snap, indicator_id) else pd.DataFrame()
    if profile.nuts.code in table.index or not has_indicator(snap, indicator_id):
        return unit_series(snap, indicator_id, profile.nuts.code, profile.nuts.parts)
    frame = benchmarks(snap, indicator_id, profile)
    frame = frame[frame["region"].notna()]
    return pd.Series(frame["region"].astype(float).values, index=frame["year"].astype(int).values)


def units_table(snap: Snapshot, indicator_id: str, compositions: dict[str, list[str]]) -> pd.DataFrame:
    """geo × year values of several regions (code -> NUTS 2 parts): EU NUTS 2 units from
    `eu_values`, the others reported or aggregated (`snap.compose`, one read for all)."""
    table = eu_values(snap, indicator_id)
    known = {c: table.loc[c] for c in compositions if c in table.index}
    other = {c: p for c, p in compositions.items() if c not in known}
    frames = [pd.DataFrame(known).T] if known else []
    if other:
        frames.append(cached(snap, ("units_table", indicator_id, tuple((c, tuple(p)) for c, p in other.items())),
                             lambda: _composed(snap, indicator_id, other)))
    found = pd.concat(frames) if frames else pd.DataFrame(dtype=float)
    return found.reindex(list(compositions)).astype(float)


def _composed(snap: Snapshot, indicator_id: str, compositions: dict[str, list[str]]) -> pd.DataFrame:
    rows = snap.compose(indicator_id, compositions)
    rows = rows[rows["geo"].isin(set(compositions)) & rows["value"].notna()]
    if rows.empty:
        return pd.DataFrame(index=list(compositions), dtype=float)
    return rows.pivot_table(index="geo", columns="year", values="value", aggfunc="first").astype(float)


def eu_units(snap: Snapshot, indicator_ids: Sequence[str]) -> list[str]:
    """The EU-27 NUTS 2 units with a value of at least one of the indicators (sorted)."""
    units: set[str] = set()
    for indicator_id in indicator_ids:
        units.update(map(str, eu_values(snap, indicator_id).index))
    return sorted(units)


def aggregate_note(snap: Snapshot, code: str) -> str:
    """Reader text for a region larger than a NUTS 2 unit compared with NUTS 2 regions."""
    level = unit_level(snap, code)
    return ("" if level == 2 else
            f"a NUTS {level} aggregate compared with NUTS 2 regions")
