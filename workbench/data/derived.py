"""Indicators computed from other indicators at each NUTS unit.

A derived value exists only where all its inputs exist for the same unit and year. Inputs
are the reported values and, for NUTS 0/1 units without a reported input, the sum of all the
unit's NUTS 2 parts (all inputs are counts or money), so that e.g. Saxony's local units per
1,000 inhabitants use its reported SBS local units and the sum of its parts' population.
The flag is the union of the inputs' flags; the method says "derived" and repeats what the
inputs went through (e.g. "derived; recoded from FR24 (NUTS 2013)",
"derived; sum of DED2+DED4+DED5").
"""
from __future__ import annotations

import pandas as pd

from workbench.data.aggregate import combine
from workbench.data.catalogue import BY_ID
from workbench.data.sources import COLUMNS

INPUTS = ("population", "gdp_mpps", "employment", "employment_by_section", "sbs_wages_meur",
          "sbs_persons_employed", "sbs_local_units")

LOCAL_UNIT_SECTIONS = ("B", "C", "D", "E", "F", "G", "H", "I", "J", "L", "M", "N", "S95")
"""SBS business economy (Eurostat B-N_S95_X_K) = sections B-N without K, plus division S95."""


def union_flags(*flags: pd.Series) -> pd.Series:
    """Letters of all flags, sorted and without repeats ("p" + "ep" -> "ep")."""
    joined = flags[0].str.cat(list(flags[1:]), sep="") if len(flags) > 1 else flags[0]
    return joined.map(lambda text: "".join(sorted(set(text))))


def _method(first: pd.Series, second: pd.Series) -> list[str]:
    notes = ("; ".join(sorted({a, b} - {"reported"})) for a, b in zip(first, second))
    return [f"derived; {note}" if note else "derived" for note in notes]


def _series(rows: pd.DataFrame, indicator: str, nace: str | None = None) -> pd.DataFrame:
    frame = rows[rows["indicator"] == indicator]
    if nace is not None:
        frame = frame[frame["nace"] == nace]
    return frame.drop(columns="indicator")


def ratio(numerator: pd.DataFrame, denominator: pd.DataFrame, indicator: str, scale: float,
          keys: list[str]) -> pd.DataFrame:
    """numerator / denominator x scale, joined on `keys`; the nace of the numerator is kept."""
    both = numerator.merge(denominator, on=keys, suffixes=("", "_d"))
    both = both[both["value_d"] != 0]
    out = pd.DataFrame({
        "indicator": indicator,
        "nace": both["nace"],
        "geo": both["geo"],
        "year": both["year"],
        "value": both["value"] / both["value_d"] * scale,
        "flag": union_flags(both["flag"], both["flag_d"]),
        "method": _method(both["method"], both["method_d"]),
    })
    return out[COLUMNS]


def local_units_total(rows: pd.DataFrame) -> pd.DataFrame:
    """SBS local units of the business economy: the 13 NACE codes summed when all are present."""
    units = rows[(rows["indicator"] == "sbs_local_units") & rows["nace"].isin(LOCAL_UNIT_SECTIONS)]
    grouped = units.groupby(["geo", "year"])
    total = grouped.agg(value=("value", "sum"), n=("value", "size"), flag=("flag", "sum"),
                        method=("method", lambda m: "; ".join(sorted(set(m) - {"reported"})) or "reported"))
    total = total[total["n"] == len(LOCAL_UNIT_SECTIONS)].reset_index()
    total["flag"] = union_flags(total["flag"])
    total["nace"] = ""
    return total.drop(columns="n")


def aggregated_inputs(rows: pd.DataFrame, compositions: dict[str, list[str]]) -> pd.DataFrame:
    """Input rows for NUTS 0/1 units that do not report them: sums of all their NUTS 2 parts."""
    frames = []
    for name in INPUTS:
        values = rows[rows["indicator"] == name].drop(columns="indicator")
        combined = combine(values, compositions, BY_ID[name])
        frames.append(combined[combined["method"].str.startswith("sum of ")].assign(indicator=name))
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def derive(rows: pd.DataFrame, compositions: dict[str, list[str]]) -> pd.DataFrame:
    """All derived indicators from the reported rows (and sums of parts for `compositions`)."""
    rows = pd.concat([rows, aggregated_inputs(rows, compositions)], ignore_index=True)
    population = _series(rows, "population")
    return pd.concat([
        ratio(_series(rows, "gdp_mpps"), _series(rows, "employment"), "productivity", 1e3, ["nace", "geo", "year"]),
        ratio(_series(rows, "employment_by_section", "B-E").assign(nace=""),
              _series(rows, "employment_by_section", "TOTAL").assign(nace=""),
              "industry_employment_share", 100.0, ["nace", "geo", "year"]),
        ratio(_series(rows, "sbs_wages_meur"), _series(rows, "sbs_persons_employed"),
              "sbs_wage_per_employee", 1e6, ["nace", "geo", "year"]),
        ratio(local_units_total(rows), population, "local_units_per_1000", 1e3, ["nace", "geo", "year"]),
    ], ignore_index=True)
