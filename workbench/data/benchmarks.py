"""EU-27 (2020 composition) aggregates and the position of a region among EU-27 NUTS 2 units.

EU-27 rule (per indicator, NACE code and year):
* each member state's value is its reported national value, or else the aggregate of all its
  NUTS 2 units (`aggregate.combine`, same rule as for pilot regions);
* sums (counts, money) are computed only when all 27 countries have a value;
* weighted means are computed when the countries with a value (and a weight) hold at least
  `EU_COVERAGE` of the EU-27 population that year, as the mean of those countries weighted
  by the indicator's weight; the others are listed in `countries_missing`.
No EU aggregate published by Eurostat is used: the raw files hold none for the EU-27 (2020)
composition (the i40 panel's EU27/EU28 rows are of unstated composition).

Percentile: the share (0-100) of EU-27 NUTS 2 units with a value that year whose value is
strictly lower than the region's; NaN for counts and money (they scale with the unit's size).
"""
from __future__ import annotations

import pandas as pd

from workbench.data.catalogue import EXTENSIVE_KINDS, Indicator
from workbench.data.nuts import EU27_2020

EU_COVERAGE = 0.90
"""Share of the EU-27 population the reporting countries must cover for a weighted mean."""

EU_COLUMNS = ["indicator", "nace", "year", "value", "n_countries", "countries_missing", "coverage_pct"]


def eu_aggregate(indicator: Indicator, countries: pd.DataFrame, country_weights: pd.DataFrame | None,
                 population: pd.DataFrame) -> pd.DataFrame:
    """EU-27 rows for one indicator from its country values (see the module rule)."""
    eu_population = population[population["geo"].isin(EU27_2020)].groupby("year")["value"].agg(["sum", "size"])
    frame = countries[countries["geo"].isin(EU27_2020)]
    if indicator.aggregation == "weighted_mean":
        keys = ["nace", "geo", "year"] if country_weights["nace"].ne("").any() else ["geo", "year"]
        frame = frame.merge(country_weights[[*keys, "value"]].rename(columns={"value": "weight"}), on=keys)
        frame = frame[frame["weight"] > 0]
    else:
        frame = frame.assign(weight=1.0)
    frame = frame.merge(population[["geo", "year", "value"]].rename(columns={"value": "people"}),
                        on=["geo", "year"], how="left")
    frame["weighted"] = frame["value"] * frame["weight"]
    grouped = frame.groupby(["nace", "year"], sort=True)
    out = grouped.agg(total=("value", "sum"), weighted=("weighted", "sum"), weight=("weight", "sum"),
                      people=("people", "sum"), n_countries=("geo", "size"),
                      present=("geo", lambda g: set(g))).reset_index()
    complete_population = out["year"].map(eu_population["size"]).eq(len(EU27_2020))
    out["coverage_pct"] = (100 * out["people"] / out["year"].map(eu_population["sum"])).where(
        complete_population).round(2)
    if indicator.aggregation == "sum":
        out["value"] = out["total"].where(out["n_countries"] == len(EU27_2020))
    else:
        out["value"] = (out["weighted"] / out["weight"]).where(out["coverage_pct"] >= 100 * EU_COVERAGE)
    out["countries_missing"] = out["present"].map(lambda present: ",".join(c for c in EU27_2020 if c not in present))
    out["indicator"] = indicator.id
    out["year"] = out["year"].astype("int64")
    return out[EU_COLUMNS]


def percentile(value: float, distribution: pd.Series, indicator: Indicator) -> float:
    """Share (0-100) of the distribution strictly below `value`; NaN for counts and money."""
    if indicator.kind in EXTENSIVE_KINDS or distribution.empty or value != value:
        return float("nan")
    return float(100.0 * (distribution.to_numpy() < value).sum() / len(distribution))
