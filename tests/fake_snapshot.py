"""The one fake snapshot of the test suite: the `workbench.data.protocol.Snapshot` protocol over
constructed long tables (`values`, `eu`, `geo`, `catalogue`), with the columns of the real
snapshot. `tests/data/test_snapshot_protocol.py` checks that it implements every protocol member
with the protocol's signature; the test folders build it from their own constructed data.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from workbench.data.catalogue import BY_ID, Indicator

VALUE_COLUMNS = ["indicator", "nace", "geo", "year", "value", "flag", "method"]
_vintages = itertools.count()
BENCHMARK_COLUMNS = ["year", "region", "national", "eu", "percentile", "n_regions", "region_flag", "region_method"]


class FakeSnapshot:
    def __init__(self, values: pd.DataFrame, eu: pd.DataFrame | None = None, geo: pd.DataFrame | None = None,
                 catalogue: pd.DataFrame | None = None, vintage: str | None = None) -> None:
        self.values = values
        self.eu = eu if eu is not None else pd.DataFrame(columns=["indicator", "nace", "year", "value"])
        self.geo = geo if geo is not None else default_geo(values["geo"])
        self.catalogue = catalogue if catalogue is not None else default_catalogue(values)
        self.vintage = vintage or f"fake snapshot {next(_vintages)}"  # per instance: caches key on it

    def indicator(self, indicator_id: str) -> Indicator:
        return BY_ID[indicator_id]

    def source(self, indicator_id: str) -> str:
        return f"Test dataset {indicator_id}"

    def indicator_rows(self, indicator_id: str, geos: list[str] | None = None,
                       nace: str | None = None) -> pd.DataFrame:
        rows = self.values[self.values["indicator"] == indicator_id]
        if geos is not None:
            rows = rows[rows["geo"].isin(geos)]
        if nace is not None:
            rows = rows[rows["nace"] == nace]
        return rows

    def compose(self, indicator_id: str, compositions: dict[str, list[str]],
                nace: str | None = "") -> pd.DataFrame:
        """The units' own reported rows; unlike the real snapshot, the fake does not aggregate
        a unit from its parts (a unit without rows stays missing)."""
        return self.indicator_rows(indicator_id, list(compositions), nace)

    def region_series(self, indicator_id: str, code: str, parts: list[str], nace: str = "") -> pd.DataFrame:
        rows = self.indicator_rows(indicator_id, [code], nace)
        return rows[["year", "value", "flag", "method"]].reset_index(drop=True)

    def distribution(self, indicator_id: str, year: int, nace: str = "", level: int = 2) -> pd.Series:
        units = set(self.geo.loc[self.geo["level"] == level, "geo"])
        rows = self.indicator_rows(indicator_id, nace=nace)
        rows = rows[(rows["year"] == year) & rows["geo"].isin(units)]
        return pd.Series(rows["value"].to_numpy(dtype=float), index=rows["geo"].to_numpy(), dtype=float)

    def benchmarks(self, indicator_id: str, code: str, parts: list[str], country: str,
                   nace: str = "") -> pd.DataFrame:
        """Per year: the unit's value, its country's, the EU-27 row, and the share of NUTS 2
        values below the unit's (as a percentage)."""
        region = self._by_year(self.indicator_rows(indicator_id, [code], nace))
        national = self._by_year(self.indicator_rows(indicator_id, [country], nace))
        eu = self._by_year(self.eu[(self.eu["indicator"] == indicator_id) & (self.eu["nace"] == nace)])
        rows = []
        for year in sorted(set(region) | set(national) | set(eu)):
            dist = self.distribution(indicator_id, year, nace)
            value = region.get(year, np.nan)
            percentile = np.nan if np.isnan(value) or dist.empty else 100.0 * (dist < value).mean()
            rows.append({"year": year, "region": value, "national": national.get(year, np.nan),
                         "eu": eu.get(year, np.nan), "percentile": percentile, "n_regions": len(dist),
                         "region_flag": "", "region_method": "reported" if year in region else ""})
        return pd.DataFrame(rows, columns=BENCHMARK_COLUMNS)

    def nuts2_parts(self, code: str) -> list[str]:
        return sorted(g for g in self.geo.loc[self.geo["level"] == 2, "geo"] if g.startswith(code))

    def geometries(self, level: int) -> dict[str, list[list[np.ndarray]]]:
        """A unit square per unit of the level, side by side."""
        square = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], dtype=float)
        units = self.geo.loc[self.geo["level"] == level, "geo"]
        return {g: [[square + [5 + i, 45]]] for i, g in enumerate(units)}

    @staticmethod
    def _by_year(rows: pd.DataFrame) -> dict[int, float]:
        return dict(zip(rows["year"].astype(int), rows["value"].astype(float)))


def series_values(series: dict[str, dict[str, dict[int, float]]]) -> pd.DataFrame:
    """A values table from indicator -> geo -> year -> value (total economy, reported)."""
    return pd.DataFrame([{"indicator": i, "nace": "", "geo": g, "year": y, "value": float(v), "flag": "",
                          "method": "reported"}
                         for i, by_geo in series.items() for g, by_year in by_geo.items() for y, v in by_year.items()],
                        columns=VALUE_COLUMNS)


def default_geo(geos: pd.Series) -> pd.DataFrame:
    """Units named after their codes: four characters NUTS 2, two NUTS 0, else NUTS 1."""
    codes = sorted(set(geos))
    return pd.DataFrame({"geo": codes, "level": [2 if len(g) == 4 else 0 if len(g) == 2 else 1 for g in codes],
                         "country": [g[:2] for g in codes], "name": [f"Region {g}" for g in codes]})


def default_catalogue(values: pd.DataFrame, kinds: dict[str, tuple[str, str]] | None = None,
                      directions: dict[str, str] | None = None) -> pd.DataFrame:
    """One catalogue row per indicator in `values`: kinds maps an id to (kind, unit)."""
    kinds, directions = kinds or {}, directions or {}
    rows = [{"id": i, "label": f"Label of {i}", "unit": kinds.get(i, ("share", "%"))[1],
             "direction": directions.get(i, "higher_better"), "kind": kinds.get(i, ("share", "%"))[0],
             "years": sorted(int(y) for y in set(group["year"]))}
            for i, group in values.groupby("indicator", sort=False)]
    return pd.DataFrame(rows, columns=["id", "label", "unit", "direction", "kind", "years"]).set_index("id")
