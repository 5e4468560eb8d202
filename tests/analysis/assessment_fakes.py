"""Constructed inputs for the assessment tests: the shared fake snapshot (`tests/fake_snapshot.py`)
built from nested series, and a valid region profile."""
from __future__ import annotations

from typing import Any

import pandas as pd

from fake_snapshot import FakeSnapshot, default_catalogue, series_values
from workbench.regions import RegionProfile

CATALOGUE_KINDS = {"pct": ("share", "%"), "per_head": ("per_head", "PPS"), "count": ("count", "persons")}
CONSTRUCTED_COUNTRIES = ("AA", "BB", "CC", "DD")
"""Country codes of the constructed regions; the `eu_members` fixture counts them as EU-27."""


def series_snapshot(values: dict[str, dict[str, dict[int, float]]],
                    eu: dict[str, dict[int, float]] | None = None,
                    kinds: dict[str, str] | None = None,
                    directions: dict[str, str] | None = None,
                    geo: pd.DataFrame | None = None) -> FakeSnapshot:
    """The shared fake from nested series. values: indicator -> geo -> year -> value;
    eu: indicator -> year -> value; kinds: indicator -> a `CATALOGUE_KINDS` key."""
    table = series_values(values)
    eu_table = series_values({i: {"EU27_2020": by_year} for i, by_year in (eu or {}).items()}).drop(columns="geo")
    kinds = {i: CATALOGUE_KINDS[k] for i, k in (kinds or {}).items()}
    return FakeSnapshot(table, eu_table, geo, default_catalogue(table, kinds, directions))


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
