"""EU-27 (2020 composition) aggregates and the position of a region among EU-27 NUTS 2 units.

EU-27 rule (per indicator, NACE code and year):
* sums (counts, money): the sum of the 27 national values, each the reported national value
  or else the sum of all the country's NUTS 2 units; computed only when all 27 countries
  have a value.
* weighted means (rates, shares, ratios, per-head values): the mean weighted by the
  indicator's weight over "building blocks": a country's reported national value, or else
  each of its NUTS 2 units that has a value (sources that publish NUTS 2 only, e.g. tgs00010).
  Computed when the blocks (with a weight) hold at least `EU_COVERAGE` of the EU-27
  population that year. `countries_missing` lists countries with no block, `units_missing`
  the NUTS 2 units missing in countries represented by their units (e.g. FI20, FRY5).
No EU aggregate published by Eurostat is used: the raw files hold none for the EU-27 (2020)
composition (the i40 panel's EU27/EU28 rows are of unstated composition).

National value (for a region's benchmarks): the reported national value, else the aggregate
of all the country's NUTS 2 units (same rule as regions); for weighted means only, when some
units lack a value, the mean of those that have one if they hold at least
`NATIONAL_COVERAGE` of the country's population (NUTS-2-only sources lack e.g. Aland FI20 or
Mayotte FRY5). The benchmarks' `national_method` column says which.

Percentile: the share (0-100) of EU-27 NUTS 2 units with a value that year whose value is
strictly lower than the region's; NaN for counts and money (they scale with the unit's size).
"""
from __future__ import annotations

import pandas as pd

from workbench.data.catalogue import EXTENSIVE_KINDS, Indicator
from workbench.data.nuts import EU27_2020

EU_COVERAGE = 0.90
"""Share of the EU-27 population the building blocks must hold for a weighted mean."""

NATIONAL_COVERAGE = 0.98
"""Share of a country's population its NUTS 2 units with a value must hold for a partial mean."""

EU_COLUMNS = ["indicator", "nace", "year", "value", "n_countries", "countries_missing", "units_missing",
              "coverage_pct", "kind"]

MEDIAN_COVERAGE = 1 / 3
"""Share of the EU-27 NUTS 2 units that must report for a NUTS 2 median reference."""

KIND_TEXT = {"eu27": "EU-27", "distribution": "EU-27 NUTS 2 median"}
"""Reader text of the reference kinds (catalogue `reference`)."""


def building_blocks(values: pd.DataFrame, country_parts: dict[str, list[str]]) -> pd.DataFrame:
    """National rows of EU-27 countries, plus the NUTS 2 rows of each country for the (nace,
    year) without a national row; a `country` column says whose block it is."""
    national = values[values["geo"].isin(EU27_2020)].assign(country=lambda f: f["geo"])
    country_of = {part: country for country, parts in country_parts.items() for part in parts}
    units = values[values["geo"].isin(list(country_of))]
    units = units.assign(country=units["geo"].map(country_of))
    covered = set(zip(national["nace"], national["country"], national["year"]))
    keep = [key not in covered for key in zip(units["nace"], units["country"], units["year"])]
    return pd.concat([national, units[keep]], ignore_index=True)


def eu_aggregate(indicator: Indicator, blocks: pd.DataFrame, weights: pd.DataFrame | None,
                 population: pd.DataFrame, country_parts: dict[str, list[str]]) -> pd.DataFrame:
    """EU-27 rows of one indicator (see the module rule).

    `blocks`: country values (sums) or building blocks (weighted means) with a `country`
    column; `weights`: the weight indicator at the same units; `population`: population of
    countries and NUTS 2 units (geo, year, value).
    """
    eu_population = population[population["geo"].isin(EU27_2020)].groupby("year")["value"].agg(["sum", "size"])
    frame = blocks
    if indicator.aggregation == "weighted_mean":
        keys = ["nace", "geo", "year"] if weights["nace"].ne("").any() else ["geo", "year"]
        frame = frame.merge(weights[[*keys, "value"]].rename(columns={"value": "weight"}), on=keys)
        frame = frame[frame["weight"] > 0]
    else:
        frame = frame.assign(weight=1.0)
    frame = frame.merge(population[["geo", "year", "value"]].rename(columns={"value": "people"}),
                        on=["geo", "year"], how="left")
    frame["weighted"] = frame["value"] * frame["weight"]
    grouped = frame.groupby(["nace", "year"], sort=True)
    out = grouped[["value", "weighted", "weight", "people"]].sum().rename(columns={"value": "total"})
    present = grouped.apply(lambda g: (set(g["country"]), set(g["geo"])), include_groups=False)
    out = out.reset_index()
    out["n_countries"] = [len(countries) for countries, _ in present]
    out["countries_missing"] = [",".join(c for c in EU27_2020 if c not in countries) for countries, _ in present]
    out["units_missing"] = [",".join(u for c in sorted(countries - geos) for u in country_parts[c] if u not in geos)
                            for countries, geos in present]
    complete_population = out["year"].map(eu_population["size"]).eq(len(EU27_2020))
    out["coverage_pct"] = (100 * out["people"] / out["year"].map(eu_population["sum"])).where(
        complete_population).round(2)
    if indicator.aggregation == "sum":
        out["value"] = out["total"].where(out["n_countries"] == len(EU27_2020))
    else:
        out["value"] = (out["weighted"] / out["weight"]).where(out["coverage_pct"] >= 100 * EU_COVERAGE)
    out["indicator"] = indicator.id
    out["year"] = out["year"].astype("int64")
    out["kind"] = KIND_TEXT["eu27"]
    return out[EU_COLUMNS]


def eu_median(indicator: Indicator, values: pd.DataFrame, country_parts: dict[str, list[str]]) -> pd.DataFrame:
    """The NUTS 2 median reference (catalogue `reference: distribution`) per (nace, year): the
    median of the EU-27 NUTS 2 units with a value, when at least `MEDIAN_COVERAGE` of them
    report; `coverage_pct` = % of the EU-27 NUTS 2 units that report."""
    country_of = {part: country for country, parts in country_parts.items() for part in parts}
    units = values[values["geo"].isin(list(country_of))]
    rows = []
    for (nace, year), group in units.groupby(["nace", "year"], sort=True):
        present = set(group["geo"])
        countries = {country_of[g] for g in present}
        share = len(present) / len(country_of)
        median = float(group["value"].median()) if share >= MEDIAN_COVERAGE else float("nan")
        rows.append((indicator.id, nace, int(year), median,
                     len(countries), ",".join(c for c in EU27_2020 if c not in countries),
                     ",".join(sorted(u for u in country_of if u not in present and country_of[u] in countries)),
                     round(100 * share, 2), KIND_TEXT["distribution"]))
    return pd.DataFrame(rows, columns=EU_COLUMNS)


def partial_national(indicator: Indicator, values: pd.DataFrame, weights: pd.DataFrame,
                     population: pd.DataFrame, national_population: pd.Series,
                     parts: list[str]) -> pd.DataFrame:
    """Per year, the weighted mean of the NUTS 2 `parts` that have a value and a weight, when
    they hold at least `NATIONAL_COVERAGE` of `national_population`: year, value, method."""
    keys = ["nace", "geo", "year"] if weights["nace"].ne("").any() else ["geo", "year"]
    frame = values[values["geo"].isin(parts)].merge(
        weights[[*keys, "value"]].rename(columns={"value": "weight"}), on=keys)
    frame = frame[frame["weight"] > 0].merge(
        population[["geo", "year", "value"]].rename(columns={"value": "people"}), on=["geo", "year"])
    rows = []
    for year, group in frame.groupby("year", sort=True):
        share = group["people"].sum() / national_population.get(year, float("nan"))
        if not share >= NATIONAL_COVERAGE:
            continue
        missing = [p for p in parts if p not in set(group["geo"])]
        rows.append((int(year), float((group["value"] * group["weight"]).sum() / group["weight"].sum()),
                     f"mean of {len(group)} of {len(parts)} NUTS 2 units weighted by {indicator.weight} "
                     f"({100 * share:.1f} % of population; missing {', '.join(missing)})"))
    return pd.DataFrame(rows, columns=["year", "value", "method"])


def percentile(value: float, distribution: pd.Series, indicator: Indicator) -> float:
    """Share (0-100) of the distribution strictly below `value`; NaN for counts and money."""
    if indicator.kind in EXTENSIVE_KINDS or distribution.empty or value != value:
        return float("nan")
    return float(100.0 * (distribution.to_numpy() < value).sum() / len(distribution))
