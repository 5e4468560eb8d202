"""A small in-memory stand-in for `workbench.data.Snapshot`, for the assessment tests.

It implements the documented Snapshot API (docs/design.md) on constructed values: `geo`
holds NUTS 2 units of two countries (AA, BB), their NUTS 0 codes, and an EU row is kept in
`eu_values`. Only what the assessment modules call is implemented.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbench.regions import RegionProfile

CATALOGUE_KINDS = {"pct": ("share", "%"), "per_head": ("per_head", "PPS"), "count": ("count", "persons")}


class FakeSnapshot:
    vintage = "fake snapshot for tests"

    def __init__(self, values: dict[str, dict[str, dict[int, float]]],
                 eu: dict[str, dict[int, float]] | None = None,
                 kinds: dict[str, str] | None = None,
                 directions: dict[str, str] | None = None,
                 geo: pd.DataFrame | None = None):
        """values: indicator -> geo -> year -> value; eu: indicator -> year -> value."""
        self._values = values
        self._eu = eu or {}
        kinds = kinds or {}
        directions = directions or {}
        rows = []
        for indicator in values:
            kind, unit = CATALOGUE_KINDS[kinds.get(indicator, "pct")]
            years = sorted({y for series in values[indicator].values() for y in series})
            rows.append({"id": indicator, "label": f"Label of {indicator}", "unit": unit,
                         "direction": directions.get(indicator, "higher_better"), "kind": kind,
                         "years": years})
        self.catalogue = pd.DataFrame(rows).set_index("id")
        self.geo = geo if geo is not None else default_geo(values)

    def source(self, indicator_id: str) -> str:
        return f"Test dataset {indicator_id}"

    def distribution(self, indicator_id: str, year: int, nace: str = "", level: int = 2) -> pd.Series:
        level2 = set(self.geo.loc[self.geo["level"] == 2, "geo"])
        data = self._values.get(indicator_id, {})
        return pd.Series({g: v[year] for g, v in data.items() if g in level2 and year in v}, dtype=float)

    def region_series(self, indicator_id: str, code: str, parts: tuple[str, ...], nace: str = "") -> pd.DataFrame:
        data = self._values.get(indicator_id, {})
        series = data.get(code, {})
        return pd.DataFrame({"year": list(series), "value": list(series.values()),
                             "flag": "", "method": "reported"})

    def nuts2_parts(self, code: str) -> list[str]:
        return sorted(g for g in self.geo.loc[self.geo["level"] == 2, "geo"] if g.startswith(code))

    def benchmarks(self, indicator_id: str, code: str, parts: tuple[str, ...], country: str,
                   nace: str = "") -> pd.DataFrame:
        data = self._values.get(indicator_id, {})
        region, national, eu = data.get(code, {}), data.get(country, {}), self._eu.get(indicator_id, {})
        years = sorted(set(region) | set(national) | set(eu))
        rows = []
        for year in years:
            dist = self.distribution(indicator_id, year)
            value = region.get(year, np.nan)
            percentile = np.nan if np.isnan(value) or dist.empty else 100.0 * (dist < value).mean()
            rows.append({"year": year, "region": value, "national": national.get(year, np.nan),
                         "eu": eu.get(year, np.nan), "percentile": percentile, "n_regions": len(dist),
                         "region_flag": "", "region_method": "reported" if year in region else ""})
        return pd.DataFrame(rows, columns=["year", "region", "national", "eu", "percentile", "n_regions",
                                           "region_flag", "region_method"])


def default_geo(values: dict[str, dict[str, dict[int, float]]]) -> pd.DataFrame:
    geos = sorted({g for data in values.values() for g in data})
    return pd.DataFrame({"geo": geos, "level": [2 if len(g) == 4 else 0 if len(g) == 2 else 1 for g in geos],
                         "country": [g[:2] for g in geos], "name": [f"Region {g}" for g in geos]})


def profile(code: str = "AA11", country: str = "AA", peers: tuple[str, ...] = (),
            published: tuple[str, ...] = (), **extra: Any) -> RegionProfile:
    """A valid NUTS 2 region profile."""
    return RegionProfile.model_validate({
        "id": "test-region", "name": "Test region", "country": country, "country_name": "Aland",
        "nuts": {"code": code, "level": 2, "parts": [code], "composition": f"NUTS 2 region {code}"},
        "published_challenges": [{"challenge": c, "source": "test source", "quote": "test quote"}
                                 for c in published],
        "peers": list(peers), **extra,
    })
