"""`Snapshot`: what the analysis, report and widget code reads from a data snapshot.

A `typing.Protocol`: `workbench.data.snapshot_api.Snapshot` (the committed snapshot) implements
it, and so does the tests' shared fake. Only the attributes and methods used outside
`workbench/data` are part of it; their meaning is documented on the concrete class.
"""
from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

from workbench.data.catalogue import Indicator


@runtime_checkable
class Snapshot(Protocol):
    vintage: str
    catalogue: pd.DataFrame      # indexed by indicator id
    values: pd.DataFrame         # long table: indicator, geo, nace, year, value, flag, method
    eu: pd.DataFrame             # EU-27 aggregates, same columns without geo
    geo: pd.DataFrame            # NUTS units: geo, name, level, country

    def indicator(self, indicator_id: str) -> Indicator: ...

    def source(self, indicator_id: str) -> str: ...

    def indicator_rows(self, indicator_id: str, geos: list[str] | None = None,
                       nace: str | None = None) -> pd.DataFrame: ...

    def compose(self, indicator_id: str, compositions: dict[str, list[str]],
                nace: str | None = "") -> pd.DataFrame: ...

    def region_series(self, indicator_id: str, code: str, parts: list[str], nace: str = "") -> pd.DataFrame: ...

    def distribution(self, indicator_id: str, year: int, nace: str = "", level: int = 2) -> pd.Series: ...

    def benchmarks(self, indicator_id: str, code: str, parts: list[str], country: str,
                   nace: str = "") -> pd.DataFrame: ...

    def nuts2_parts(self, code: str) -> list[str]: ...

    def geometries(self, level: int) -> dict[str, list[list[np.ndarray]]]: ...
