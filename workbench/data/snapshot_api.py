"""The Snapshot API (docs/design.md): read-only access to the committed data snapshot.

`load_snapshot()` reads the small tables at once and splits the values by indicator on first
use of each indicator, so that one region's notebook loads in well under half a second.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pandas as pd

from workbench import paths
from workbench.data.aggregate import combine
from workbench.data.benchmarks import KIND_TEXT, partial_national, percentile
from workbench.data.catalogue import BY_ID, Indicator
from workbench.data.nuts import EU27_2020
from workbench.data.quality import quality_table
from workbench.data.store import read_parquet

SERIES_COLUMNS = ["year", "value", "flag", "method"]
BENCHMARK_COLUMNS = ["year", "region", "national", "eu", "percentile", "n_regions", "national_method",
                     "region_flag", "region_method", "eu_kind", "eu_coverage_pct"]
EMPTY_SPREAD = pd.Series(dtype="float64")  # the EU-27 NUTS 2 values of a year that has none
PLAIN_CACHE_SIZE = 256
"""Selections of rows kept converted to plain text, oldest dropped first (copy-on-write keeps
them safe from callers' changes)."""


class SnapshotError(LookupError):
    """An unknown indicator id or a snapshot folder that is missing or incomplete."""


class Snapshot:
    """Indicator values for NUTS 2016 units, EU-27 aggregates, catalogue, NUTS units, maps."""

    def __init__(self, folder: Path) -> None:
        folder = Path(folder)
        if not (folder / "manifest.json").is_file():
            raise SnapshotError(f"{folder}: no data snapshot; build it with `workbench data build`")
        self.folder = folder
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        self.vintage: str = manifest["vintage"]
        self.aliases: dict[str, dict] = manifest.get("nuts_aliases", {})
        records = json.loads((folder / "catalogue.json").read_text(encoding="utf-8"))
        self.catalogue = pd.DataFrame(records).set_index("id")
        self.values = read_parquet(folder / "values.parquet")
        self.eu = read_parquet(folder / "eu.parquet")
        self.geo = read_parquet(folder / "geo.parquet")
        self._levels = dict(zip(self.geo["geo"].astype(str), self.geo["level"]))
        self._by_indicator: dict[str, pd.DataFrame] = {}
        self._eu_unit_rows: dict[tuple[str, str, int], pd.DataFrame] = {}
        self._plain_rows: dict[tuple, pd.DataFrame] = {}
        self._national_rows: dict[tuple[str, str, str], tuple[pd.DataFrame, pd.DataFrame | None]] = {}
        self._eu_references: dict[tuple[str, str], tuple[dict[int, float], dict[int, float],
                                                         dict[int, pd.Series]]] = {}

    # -- catalogue -------------------------------------------------------------------------
    def indicator(self, indicator_id: str) -> Indicator:
        """The catalogue entry of an indicator id; `SnapshotError` if unknown."""
        if indicator_id not in BY_ID:
            raise SnapshotError(f"unknown indicator {indicator_id!r}; known: {', '.join(BY_ID)}")
        return BY_ID[indicator_id]

    def source(self, indicator_id: str) -> str:
        """Source line stem, e.g. "Eurostat tgs00010 (sex=T, age=Y_GE15, unit=PC)"; derived
        indicators name their inputs, i40 columns the panel they were taken from."""
        row = self.catalogue.loc[self.indicator(indicator_id).id]
        dataset = row["dataset"]
        if dataset.startswith("derived: "):
            line = f"Eurostat {dataset.removeprefix('derived: ')}, derived"
        else:
            line = f"Eurostat {dataset}" + (f" ({row['filters']})" if row["filters"] else "")
        if row["source_file"].startswith("i40/"):
            line += ", via the Industry 4.0 readiness panel (Honti et al. 2020)"
        return line

    def year_source(self, indicator_id: str, year: int | None) -> str:
        """Source line stem of the value of one year: for a spliced indicator the recent API
        download from its first year on, the older source before; both when `year` is None."""
        row = self.catalogue.loc[self.indicator(indicator_id).id]
        first = row.get("recent_from")
        if first is None or pd.isna(first):
            return self.source(indicator_id)
        if year is None:
            return f"{self.source(indicator_id)} to {int(first) - 1}; {row['recent_source']} from {int(first)}"
        return row["recent_source"] if year >= first else self.source(indicator_id)

    # -- values ----------------------------------------------------------------------------
    def _frame(self, indicator_id: str) -> pd.DataFrame:
        """One indicator's rows as stored (categorical text columns), cached."""
        self.indicator(indicator_id)
        if indicator_id not in self._by_indicator:
            frame = self.values[self.values["indicator"] == indicator_id].drop(columns="indicator")
            self._by_indicator[indicator_id] = frame.reset_index(drop=True)
        return self._by_indicator[indicator_id]

    def indicator_rows(self, indicator_id: str, geos: list[str] | None = None,
                       nace: str | None = None) -> pd.DataFrame:
        """Rows of one indicator (optionally only these units / this NACE code): nace, geo,
        year, value, flag, method, with plain text columns."""
        key = (indicator_id, tuple(geos) if geos is not None else None, nace)
        if key not in self._plain_rows:
            rows = self._frame(indicator_id)
            if geos is not None:
                rows = rows[rows["geo"].isin(list(geos))]
            if nace is not None:
                rows = rows[rows["nace"] == nace]
            self._plain_rows[key] = rows.astype({"nace": str, "geo": str, "flag": str, "method": str,
                                                 "year": "int64"}).reset_index(drop=True)
            if len(self._plain_rows) > PLAIN_CACHE_SIZE:
                self._plain_rows.pop(next(iter(self._plain_rows)))
        return self._plain_rows[key]

    def compose(self, indicator_id: str, compositions: dict[str, list[str]], nace: str | None = "") -> pd.DataFrame:
        """Values of several composed regions at once (code -> NUTS 2 parts), all NACE codes
        when `nace` is None: nace, geo, year, value, flag, method."""
        indicator = self.indicator(indicator_id)
        geos = sorted({g for code, parts in compositions.items() for g in (code, *parts)})
        rows = self.indicator_rows(indicator_id, geos, nace)
        weights = None
        if indicator.aggregation == "weighted_mean":
            weight_nace = nace if self.indicator(indicator.weight).has_nace else None
            weights = self.indicator_rows(indicator.weight, geos, weight_nace)
        return combine(rows, compositions, indicator, weights)

    def region_series(self, indicator_id: str, code: str, parts: list[str], nace: str = "") -> pd.DataFrame:
        """Yearly value of `code` (reported, else aggregated from `parts`): year, value, flag, method."""
        series = self.compose(indicator_id, {code: list(parts)}, nace)
        return series[SERIES_COLUMNS].reset_index(drop=True)

    def _eu_units(self, indicator_id: str, nace: str, level: int) -> pd.DataFrame:
        """Rows (geo, year, value) of the EU-27 units of one level, cached."""
        key = (indicator_id, nace, level)
        if key not in self._eu_unit_rows:
            units = self.geo.loc[(self.geo["level"] == level) & self.geo["country"].isin(EU27_2020), "geo"]
            rows = self.indicator_rows(indicator_id, units.astype(str).tolist(), nace)
            self._eu_unit_rows[key] = rows[["geo", "year", "value"]].sort_values(["year", "geo"], ignore_index=True)
        return self._eu_unit_rows[key]

    def distribution(self, indicator_id: str, year: int, nace: str = "", level: int = 2) -> pd.Series:
        """Values of the EU-27 NUTS units of `level` in `year` (as reported, after NUTS 2016
        harmonisation; no aggregation), indexed by geo."""
        rows = self._eu_units(indicator_id, nace, level)
        return rows[rows["year"] == year].set_index("geo")["value"].rename(indicator_id)

    def benchmarks(self, indicator_id: str, code: str, parts: list[str], country: str,
                   nace: str = "") -> pd.DataFrame:
        """Per year: the region's value, the national value (see `benchmarks` module: reported,
        from all NUTS 2 units, or for rates from units holding >= 98 % of the population), the
        EU reference, the region's percentile among EU-27 NUTS 2 units and their number, and
        how the national value was obtained (`national_method`), and the flag and method of the
        region's value (as `region_series` gives them).

        `eu` is the ONE reference of the indicator, the same for every region in a year: the
        EU-27 aggregate, or for indicators whose catalogue `reference` is `distribution` the
        median of the EU-27 NUTS 2 units of that year; `eu_kind` names it in reader text
        ("EU-27", "EU-27 NUTS 2 median") and `eu_coverage_pct` says how much of the EU entered
        (% of population, or % of NUTS 2 units for the median). Percentile and reference are
        always those of the row's year."""
        indicator = self.indicator(indicator_id)
        own = self.compose(indicator_id, {code: list(parts)}, nace).set_index("year")
        national, partial = self._national(indicator, country, nace)
        if partial is not None and not set(own.index) <= set(national.index):
            national = pd.concat([national, partial[~partial.index.isin(national.index)]]).sort_index()
        eu_by_year, coverage_by_year, spread = self._eu_reference(indicator_id, nace)
        kind = self.reference_kind(indicator_id)
        own_rows = dict(zip(own.index.tolist(), zip(own["value"].tolist(), own["flag"].tolist(),
                                                    own["method"].tolist())))
        national_rows = dict(zip(national.index.tolist(), zip(national["value"].tolist(),
                                                              national["method"].tolist())))
        rows = []
        for year in sorted(own_rows.keys() | national_rows.keys()):
            value, flag, method = own_rows.get(year, (np.nan, "", ""))
            national_value, national_method = national_rows.get(year, (np.nan, ""))
            values = spread.get(year, EMPTY_SPREAD)
            rows.append((int(year), float(value), float(national_value), float(eu_by_year.get(year, np.nan)),
                         percentile(value, values, indicator), len(values), national_method, flag, method,
                         kind, float(coverage_by_year.get(year, np.nan))))
        return pd.DataFrame(rows, columns=BENCHMARK_COLUMNS)

    def reference_kind(self, indicator_id: str) -> str:
        """Reader text of the indicator's one EU reference: "EU-27" or "EU-27 NUTS 2 median"."""
        return KIND_TEXT[self.indicator(indicator_id).reference]

    def _national(self, indicator: Indicator, country: str, nace: str) -> tuple[pd.DataFrame, pd.DataFrame | None]:
        """A country's values (value, method by year) and, for weighted means, the values from
        the units holding most of its population (`benchmarks` adds those for the years the
        country lacks); cached per country, as every region of the country needs them."""
        key = (indicator.id, country, nace)
        if key not in self._national_rows:
            parts = self.nuts2_parts(country)
            rows = self.compose(indicator.id, {country: parts}, nace).set_index("year")[["value", "method"]]
            partial = (self._partial_national(indicator, country, parts, nace)
                       if indicator.aggregation == "weighted_mean" else None)
            self._national_rows[key] = (rows, partial)
        return self._national_rows[key]

    def _eu_reference(self, indicator_id: str, nace: str) -> tuple[dict[int, float], dict[int, float],
                                                                   dict[int, pd.Series]]:
        """The EU reference and its coverage, by year, and the values of the EU-27 NUTS 2 units
        by year (for percentiles); cached, the same for every region."""
        key = (indicator_id, nace)
        if key not in self._eu_references:
            rows = self.eu[(self.eu["indicator"] == indicator_id) & (self.eu["nace"] == nace)]
            years = rows["year"].astype("int64").tolist()
            spread = dict(tuple(self._eu_units(indicator_id, nace, 2).groupby("year")["value"]))
            self._eu_references[key] = (dict(zip(years, rows["value"].tolist())),
                                        dict(zip(years, rows["coverage_pct"].tolist())), spread)
        return self._eu_references[key]

    def _partial_national(self, indicator: Indicator, country: str, parts: list[str], nace: str) -> pd.DataFrame:
        weight_nace = nace if self.indicator(indicator.weight).has_nace else ""
        population = self.compose("population", {country: parts})
        return partial_national(
            indicator, self.indicator_rows(indicator.id, parts, nace),
            self.indicator_rows(indicator.weight, parts, weight_nace),
            self.indicator_rows("population", parts, ""),
            population[population["geo"] == country].set_index("year")["value"], parts,
        ).set_index("year")

    def nuts2_parts(self, code: str) -> list[str]:
        """NUTS 2 units inside a NUTS 0/1 unit (the unit itself at level 2)."""
        if self._levels.get(code) == 2:
            return [code]
        return sorted(g for g, level in self._levels.items() if level == 2 and g.startswith(code))

    def working_units(self, code: str) -> list[str]:
        """The NUTS 2016 unit(s) (the snapshot's working vintage) for a NUTS 2016, 2021 or 2024
        code: the code itself when it is a NUTS 2016 unit (the NUTS 2 codes kept between
        versions, e.g. DED2, ES13), else the units a NUTS 2021/2024 code lies in (HR05 -> HR04,
        NL36 -> NL33); empty when unknown. `aliases[code]` says the shares and whether it is exact."""
        if code in self._levels:
            return [code]
        return list(self.aliases.get(code, {}).get("nuts2016", {}))

    def quality(self, code: str, parts: list[str]) -> pd.DataFrame:
        """Data-quality table of a region: coverage, missing years, flags and methods per indicator."""
        return quality_table(self, code, list(parts))

    # -- maps and references ---------------------------------------------------------------
    @functools.cached_property
    def _geometry_rows(self) -> pd.DataFrame:
        return read_parquet(self.folder / "geometries.parquet")

    def geometries(self, level: int) -> dict[str, list[list[np.ndarray]]]:
        """NUTS 2016 polygons (GISCO 1:60 million, EPSG:4326) of one level: geo -> polygons,
        each a list of rings (exterior first, then holes), each ring an (n, 2) array lon/lat."""
        rows = self._geometry_rows
        rows = rows[rows["geo"].astype(str).map(self._levels) == level]
        shapes: dict[str, list[list[np.ndarray]]] = {}
        for geo, polygon, ring, lon, lat in rows.itertuples(index=False):
            polygons = shapes.setdefault(str(geo), [])
            if ring == 0:
                polygons.append([])
            polygons[-1].append(np.column_stack([lon, lat]))
        return shapes

    def reference_rii(self) -> pd.DataFrame:
        """External reference only (never an input): the 2019 Regional Innovation Index and
        the Industry 4.0 readiness ranks from i40/i40_index_rank.csv, by NUTS 2 code."""
        return read_parquet(self.folder / "reference_rii.parquet")


@functools.lru_cache(maxsize=None)
def _load(folder: str) -> Snapshot:
    return Snapshot(Path(folder))


def load_snapshot(folder: Path | str | None = None) -> Snapshot:
    """The snapshot (cached per process and folder); default: the committed one."""
    return _load(str(Path(folder) if folder is not None else paths.SNAPSHOT_DIR))
