"""Values of regions made of NUTS 2 parts (`region_series`) and of countries (EU benchmarks).

Rule, per year: the value reported for the code itself if there is one; otherwise, when every
part has a value (and, for weighted means, a weight), the sum of the parts (counts, money) or
their mean weighted by the catalogue's weight indicator (rates, shares, ratios); otherwise no
value. The flag of an aggregate is the union of the parts' flags; `method` says what was done,
and lists in brackets any conversion the parts went through.

The loop is plain Python over lists: it is called for a handful of rows per region in the
notebooks (where pandas' fixed cost per merge/groupby would dominate) and for ~10^5 rows per
indicator in the build.
"""
from __future__ import annotations

import pandas as pd

from workbench.data.catalogue import Indicator

OUT_COLUMNS = ["nace", "geo", "year", "value", "flag", "method"]
_DTYPES = {"nace": "str", "geo": "str", "year": "int64", "value": "float64", "flag": "str", "method": "str"}


def combine(values: pd.DataFrame, compositions: dict[str, list[str]], indicator: Indicator,
            weights: pd.DataFrame | None = None) -> pd.DataFrame:
    """Value per (nace, code, year) for each code in `compositions` (code -> NUTS 2 parts).

    `values` holds one indicator's rows (nace, geo, year, value, flag, method); `weights` the
    rows of the weight indicator (needed for weighted means; matched on nace too when the
    weight has a NACE dimension). Returns rows sorted by nace, geo, year.
    """
    weighted = indicator.aggregation == "weighted_mean"
    if weighted and weights is None:
        raise ValueError(f"{indicator.id}: weighted mean needs the {indicator.weight} rows")
    codes_of: dict[str, list[str]] = {}
    for code, parts in compositions.items():
        for part in parts:
            if part != code:
                codes_of.setdefault(part, []).append(code)
    selected = values[values["geo"].isin([*compositions, *codes_of])]
    rows = list(zip(*(selected[column].tolist() for column in OUT_COLUMNS)))
    out = {(nace, geo, year): row for row in rows for nace, geo, year in [row[:3]] if geo in compositions}
    weight_of = _weights(weights) if weighted else {}
    by_nace = weighted and any(nace for nace, _, _ in weight_of)
    totals: dict[tuple, list] = {}
    for nace, geo, year, value, flag, method in rows:
        if geo not in codes_of:
            continue
        weight = weight_of.get((nace if by_nace else "", geo, year)) if weighted else 1.0
        if weight is None or weight <= 0:
            continue
        for code in codes_of[geo]:
            total = totals.setdefault((nace, code, year), [0, 0.0, 0.0, set(), set()])
            total[0] += 1
            total[1] += value * weight
            total[2] += weight
            total[3].update(flag)
            if method != "reported":
                total[4].add(method)
    label = {code: "+".join(parts) for code, parts in compositions.items()}
    how = f" weighted by {indicator.weight}" if weighted else ""
    for (nace, code, year), (n, total, weight, flags, notes) in totals.items():
        if n != len(compositions[code]) or (nace, code, year) in out:
            continue  # a part (or its weight) is missing, or the code reports its own value
        method = f"{'mean' if weighted else 'sum'} of {label[code]}{how}"
        if notes:
            method += f" ({'; '.join(sorted(notes))})"
        out[(nace, code, year)] = (nace, code, year, total / weight if weighted else total,
                                   "".join(sorted(flags)), method)
    records = [out[key] for key in sorted(out)]
    return pd.DataFrame({column: pd.Series([r[i] for r in records], dtype=_DTYPES[column])
                         for i, column in enumerate(OUT_COLUMNS)})


def _weights(weights: pd.DataFrame) -> dict[tuple, float]:
    """(nace, geo, year) -> weight value."""
    keys = zip(weights["nace"].tolist(), weights["geo"].tolist(), weights["year"].tolist())
    return dict(zip(keys, weights["value"].tolist()))
