"""Industrial structure and cluster portfolio of a region from SBS data by NACE division.

Methods (details, provenance and caveats: docs/methods-clusters.md):

* Categories: every NACE Rev. 2 division of the SBS file maps to one cluster category
  (`templates/cluster_categories.yaml`, versioned, read by `workbench.templates`; the functions
  here take the loaded `CategoryMap` as `categories`). Divisions only approximate categories,
  which are defined on 4-digit industries.
* Regional total E(r) = SBS business-economy employment: for each section (B-N without K, and
  S95) the section's reported value, or, when it is missing, the sum of its reported divisions;
  summed over sections. The EU-27 values are `snap.eu` (all 27 countries report) or else the
  sum of the reporting countries' national values (a lower bound; reasons name the coverage);
  the EU-27 total is computed from them with the same section rule.
* Location quotient LQ(r,s) = (E(r,s) / E(r)) / (E(EU,s) / E(EU)); share = 100 E(r,s) / E(r).
* Reference distribution for stars: the EU-27 NUTS 2 units with employment > 0 in the division
  and year (the units of `snap.distribution`). A pilot that is a NUTS 1 region or a country is rated against
  NUTS 2 units, which overstates its size; the size reasons say so.
* A confidential or missing cell stays missing (NaN): no share, LQ or star, and the reason
  says the data are missing. A missing division makes E(r) an undercount only when its section
  total is also missing.
* Employment growth: compound annual %, over the latest run of consecutive, comparable years
  (no `b` break flag, no `d` or `i` flag, same aggregation method) of at least two years up to
  the analysis year: the longest span with data.
* Traded vs local (Delgado, Porter & Stern 2016): only traded divisions are rated; local ones
  and `suspect` ones (implausible wage per person employed, head-office attribution) get 0
  stars under every rule. `headline_stars` = the EOCIC three-factor stars (`HEADLINE_RULE`).
* Location quotients use matched coverage: where the EU-27 value of a division is a partial
  sum of reporting countries, the EU-27 total in the denominator covers the same countries.
* Default year: the latest year with SBS employment for the region in which the EU-27
  aggregate covers all 27 countries.
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Literal, Mapping

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from workbench.data.aggregate import combine
from workbench.data.nuts import EU27_2020
from workbench.analysis.stars import (MEASURES, PRESETS, StarRule, Threshold, brief, get_rule, rate,
                                      thresholds)
from workbench.data.protocol import Snapshot

EMPLOYMENT, LOCAL_UNITS, WAGE = "sbs_persons_employed", "sbs_local_units", "sbs_wage_per_employee"
MEASURE_OF = {EMPLOYMENT: "employment", LOCAL_UNITS: "local_units", WAGE: "wage_per_employee"}
EU_COUNTRIES = 27
INCOMPARABLE_FLAGS = {"d", "i"}
GROWTH_SPAN: int | None = None  # years back from the analysis year; None: the longest run with data
MIN_EMPLOYMENT_FOR_RANKING = 1_000
N_TRADED = 51
REFERENCE = "EU-27 NUTS 2"

SECTOR_COLUMNS = ["nace", "label", "category", "category_label", "traded", "year", "employment",
                  "share", "lq", "wage_per_employee", "local_units", "growth_pct", "growth_years",
                  "suspect"]
HEADLINE_RULE = "eocic"
MIN_WAGE_RATIO = 0.4       # wage per person employed below 40 % of the national value: suspect
HEAD_OFFICE_LQ = 2.0       # a local division this concentrated while its neighbours are not ...
NEIGHBOUR_LQ = 1.0         # ... (pooled LQ of the neighbouring NUTS 2 units below 1): suspect
LOCAL_REASON = "Local (non-traded) category: not rated; stars are for traded categories only."
ACROSS_COLUMNS = ["geo", "name", "country", "employment", "share", "lq", "wage_per_employee",
                  "local_units", "stars", "reasons"]
TOP_BY = {"employment": "most employing", "lq": "most specialised",
          "wage_per_employee": "most productive"}


# --- category mapping --------------------------------------------------------------------

class CategoryError(ValueError):
    """A category mapping file that cannot be used; names the file and the problems."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path, self.problems = Path(path), problems
        super().__init__(f"{self.path}: " + "; ".join(problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Category(_Strict):
    """A cluster category; `traded` follows Delgado, Porter & Stern (2016): traded industries
    sell across regions, local ones serve the local market (only traded ones are rated)."""

    us: str
    eu: str = Field(min_length=2)
    traded: bool

    @property
    def type(self) -> Literal["traded", "local"]:
        return "traded" if self.traded else "local"

    @model_validator(mode="after")
    def _us_label_for_traded(self) -> "Category":
        if self.traded != bool(self.us):
            raise ValueError("traded categories need a US label; local categories have none ('')")
        return self


class Division(_Strict):
    label: str = Field(min_length=3)
    short: str = Field(min_length=2, max_length=40)
    category: str
    rationale: str = Field(min_length=10)


class CategoryMap(_Strict):
    """The versioned NACE division -> cluster category mapping."""

    version: int = Field(ge=1)
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    provenance: str = Field(min_length=20)
    caveat: str = Field(min_length=20)
    source_line: str = Field(min_length=5)
    categories: dict[str, Category]
    divisions: dict[str, Division]

    @model_validator(mode="after")
    def _consistent(self) -> "CategoryMap":
        traded = sum(c.traded for c in self.categories.values())
        if traded != N_TRADED:
            raise ValueError(f"{traded} traded categories; the scheme has {N_TRADED}")
        bad_ids = [k for k in self.categories if not re.fullmatch(r"[a-z][a-z0-9_]*", k)]
        bad_codes = [k for k in self.divisions if not re.fullmatch(r"[B-S]\d\d", k)]
        unknown = [f"{k} -> {d.category}" for k, d in self.divisions.items() if d.category not in self.categories]
        for problem, items in (("category ids must be lower-case slugs", bad_ids),
                               ("not NACE division codes", bad_codes),
                               ("unknown categories", unknown)):
            if items:
                raise ValueError(f"{problem}: {', '.join(items)}")
        return self


def division_table(mapping: CategoryMap) -> pd.DataFrame:
    """Divisions with labels and categories: nace, label, short, category, category_label,
    category_type, section."""
    rows = [(code, d.label, d.short, d.category, mapping.categories[d.category].eu,
             mapping.categories[d.category].type, code if code == "S95" else code[0])
            for code, d in sorted(mapping.divisions.items())]
    return pd.DataFrame(rows, columns=["nace", "label", "short", "category", "category_label",
                                       "category_type", "section"])


def is_traded(nace: str, mapping: CategoryMap) -> bool:
    """Whether the NACE division's category is traded (`ValueError` for an unknown division)."""
    try:
        return mapping.categories[mapping.divisions[nace].category].traded
    except KeyError:
        raise ValueError(f"{nace!r} is not a NACE division of the cluster category mapping "
                         f"v{mapping.version}; allowed: {', '.join(sorted(mapping.divisions))}") from None


def category_caveat(mapping: CategoryMap) -> str:
    """The sentence every report using the mapping must show."""
    return f"Cluster categories (mapping v{mapping.version}, {mapping.date}): {mapping.caveat}"


# --- pure computations ---------------------------------------------------------------------

def location_quotient(e_rs: Any, e_r: Any, e_eu_s: Any, e_eu: Any) -> Any:
    """LQ = (E(r,s)/E(r)) / (E(EU,s)/E(EU)), elementwise; NaN when a term is missing or zero."""
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = (np.asarray(e_rs, dtype=float) / np.asarray(e_r, dtype=float)) / (
            np.asarray(e_eu_s, dtype=float) / np.asarray(e_eu, dtype=float))
    lq = np.where(np.isfinite(lq), lq, np.nan)
    return lq if lq.ndim else float(lq)


def business_economy_total(wide: pd.DataFrame, divisions: pd.DataFrame) -> pd.Series:
    """SBS business-economy employment per row of `wide` (columns = NACE codes; `divisions`
    is the `division_table`).

    Per section: the section column when reported, else the sum of its reported divisions;
    then summed over sections. NaN when nothing is reported.
    """
    parts = []
    for section, codes in divisions.groupby("section")["nace"]:
        summed = wide.reindex(columns=list(codes)).sum(axis=1, min_count=1)
        own = wide[section] if section in wide.columns and section not in codes.values else None
        parts.append(summed if own is None else own.fillna(summed))
    return pd.concat(parts, axis=1).sum(axis=1, min_count=1)


def measure_table(cells: pd.DataFrame, eu_values: pd.Series, eu_totals: pd.Series | None = None, *,
                  divisions: pd.DataFrame) -> pd.DataFrame:
    """Division measures per unit from `cells` (geo, nace, employment, local_units,
    wage_per_employee; sections and divisions) and EU-27 employment by NACE code, for the
    divisions of `divisions` (the `division_table`).

    `eu_totals` (by NACE code) is the EU-27 business-economy total over the same countries as
    the division's EU value (`eu_employment`); without it, one total from `eu_values`.
    Returns one row per (geo, division): geo, nace, employment, local_units,
    wage_per_employee, total, share, lq. Divisions absent from `cells` come back with NaN.
    """
    wide = cells.pivot_table(index="geo", columns="nace", values="employment", aggfunc="first")
    totals = business_economy_total(wide, divisions)
    eu_total = (business_economy_total(eu_values.to_frame().T, divisions).iloc[0] if eu_totals is None
                else divisions["nace"].map(eu_totals).set_axis(divisions["nace"]))
    grid = pd.MultiIndex.from_product([totals.index, divisions["nace"]], names=["geo", "nace"])
    out = (cells.set_index(["geo", "nace"])
           .reindex(grid)[["employment", "local_units", "wage_per_employee"]].reset_index())
    out["total"] = out["geo"].map(totals)
    out["share"] = 100 * out["employment"] / out["total"]
    out["lq"] = location_quotient(out["employment"], out["total"], out["nace"].map(eu_values),
                                  eu_total if eu_totals is None else out["nace"].map(eu_total))
    return out


def comparable_run(series: pd.DataFrame, year: int, span: int | None = GROWTH_SPAN) -> list[dict]:
    """The latest run of consecutive, comparable years of `series` (year, value, flag and
    optionally method) up to `year` (and not before `year - span` when `span` is given): no `b`
    flag after its first year, no `d` (definition differs) or `i` (see metadata; Germany 2008
    covers part of the units) flag, one method; two years or more. [] when none."""
    earliest = -math.inf if span is None else year - span
    columns = [c for c in ("year", "value", "flag", "method") if c in series.columns]
    rows = sorted((r for r in series[columns].to_dict("records")
                   if earliest <= r["year"] <= year and r["value"] == r["value"]
                   and not set(r["flag"] or "") & INCOMPARABLE_FLAGS), key=lambda r: r["year"])
    end = len(rows) - 1
    while end > 0:
        start = end
        while start > 0 and _continues(rows[start - 1], rows[start]):
            start -= 1
        if start < end:
            return rows[start:end + 1]
        end = start - 1
    return []


def employment_growth(series: pd.DataFrame, year: int, span: int | None = GROWTH_SPAN) -> tuple[float, str]:
    """Compound annual employment growth (%) and its years, e.g. (1.8, "2009-2014"), over
    `comparable_run` (by default the longest run with data). (nan, "") when there is none."""
    run = comparable_run(series, year, span)
    if not run or run[0]["value"] <= 0:
        return math.nan, ""
    first, last = run[0], run[-1]
    n = last["year"] - first["year"]
    return 100 * ((last["value"] / first["value"]) ** (1 / n) - 1), f"{first['year']}-{last['year']}"


def _continues(previous: Mapping, current: Mapping) -> bool:
    return (current["year"] == previous["year"] + 1 and "b" not in (current["flag"] or "")
            and current.get("method") == previous.get("method"))


def rate_against(rule: StarRule, rows: pd.DataFrame, reference: pd.DataFrame, context: str,
                 note: str = "") -> pd.DataFrame:
    """Stars and reasons for each row of `rows` against one reference set (same sector, year).

    `reference` holds the reference units' measures; units with employment <= 0 or missing
    are left out of the percentiles.
    """
    limits = thresholds(rule, reference[reference["employment"] > 0])
    rated = [rate(rule, _measures(row), limits, context, note) for row in rows.to_dict("records")]
    return pd.DataFrame(rated, columns=["stars", "reasons"], index=rows.index)


def _measures(row: Mapping[str, Any]) -> dict[str, float | None]:
    return {m: _number(row.get(m)) for m in MEASURES}


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def top_sectors(sectors: pd.DataFrame, by: str, n: int = 10,
                min_employment: float = MIN_EMPLOYMENT_FOR_RANKING) -> pd.DataFrame:
    """The `n` sectors with the highest `by` (employment, lq or wage_per_employee).

    For lq and wage_per_employee only sectors with at least `min_employment` persons employed
    are ranked: in tiny sectors a few hundred jobs give large, meaningless LQs and wages.
    """
    if by not in TOP_BY:
        raise ValueError(f"cannot rank by {by!r}; allowed: {', '.join(TOP_BY)}")
    ranked = sectors.dropna(subset=[by])
    if by != "employment":
        ranked = ranked[ranked["employment"] >= min_employment]
    return ranked.nlargest(n, by)


# --- snapshot wrappers -----------------------------------------------------------------------

def categories_key(categories: CategoryMap) -> str:
    """The cache key part of a category mapping (its content)."""
    return categories.model_dump_json()


_EU_CACHE: dict[tuple[str, int, str], pd.DataFrame] = {}


def eu_employment(snap: Snapshot, year: int, categories: CategoryMap) -> pd.DataFrame:
    """EU-27 SBS employment by NACE code in `year`: value, n_countries, total (indexed by nace);
    the same for every region, so cached per snapshot, year and mapping (do not modify the frame).

    `value`: `snap.eu` when it has a value (all 27 countries report); otherwise the sum over
    the EU-27 countries whose national (NUTS 0) value is in `snap.values` - a lower bound,
    since the missing countries' cells are confidential or not reported.
    `total`: the EU-27 business-economy employment over the same countries as `value` (matched
    coverage), i.e. the EU-27 total times the reporting countries' share of the summed national
    business-economy totals; the full EU-27 total where all countries report.
    """
    key = (snap.vintage, year, categories_key(categories))
    if key not in _EU_CACHE:
        _EU_CACHE[key] = _eu_employment(snap, year, division_table(categories))
    return _EU_CACHE[key]


_NATIONAL_CACHE: dict[str, pd.DataFrame] = {}


def national_employment(snap: Snapshot) -> pd.DataFrame:
    """SBS employment of the EU-27 countries (NUTS 0), all NACE codes and years: nace, geo,
    year, value, flag, method (cached per snapshot)."""
    if snap.vintage not in _NATIONAL_CACHE:
        v = snap.values
        rows = v[(v["indicator"] == EMPLOYMENT) & v["geo"].isin(EU27_2020)].drop(columns="indicator")
        _NATIONAL_CACHE[snap.vintage] = plain_rows(rows).reset_index(drop=True)
    return _NATIONAL_CACHE[snap.vintage]


def _eu_employment(snap: Snapshot, year: int, divisions: pd.DataFrame) -> pd.DataFrame:
    eu = plain_rows(snap.eu[(snap.eu["indicator"] == EMPLOYMENT) & (snap.eu["year"] == year)]).set_index("nace")
    national = national_employment(snap)
    national = national[national["year"] == year]
    partial = national.groupby("nace").agg(value=("value", "sum"), n_countries=("geo", "nunique"))
    complete = eu.loc[eu["value"].notna(), ["value", "n_countries"]]
    out = pd.concat([complete, partial.drop(index=complete.index, errors="ignore")]).astype(float)
    full_total = business_economy_total(out["value"].to_frame().T, divisions).iloc[0]
    out["total"] = full_total
    country_totals = business_economy_total(
        national.pivot_table(index="geo", columns="nace", values="value", aggfunc="first"), divisions)
    all_countries = country_totals.sum()
    for nace in out.index[out["n_countries"] < EU_COUNTRIES]:
        reporting = national.loc[national["nace"] == nace, "geo"].unique()
        if all_countries > 0:
            out.loc[nace, "total"] = full_total * country_totals.reindex(reporting).sum() / all_countries
    return out


def _eu_note(eu: pd.DataFrame, nace: str) -> str:
    n = eu["n_countries"].get(nace, 0.0)
    return "" if n >= EU_COUNTRIES else f"EU-27 value of {nace} from {int(n)} of {EU_COUNTRIES} countries"


def eu_complete_years(snap: Snapshot) -> list[int]:
    """Years in which the EU-27 SBS employment aggregate covers all 27 countries (for at
    least one section)."""
    eu = snap.eu[snap.eu["indicator"] == EMPLOYMENT]
    coverage = eu.groupby("year")["n_countries"].max()
    return sorted(int(y) for y in coverage[coverage >= EU_COUNTRIES].index)


_REFERENCE_CACHE: dict[tuple[str, int, str], pd.DataFrame] = {}


def reference_measures(snap: Snapshot, year: int, categories: CategoryMap) -> pd.DataFrame:
    """`measure_table` of all EU-27 NUTS 2 units in `year` (cached per snapshot, year and mapping).

    Units and values as `snap.distribution` gives them (EU-27 NUTS 2016 level-2 units, values
    as reported), read for all divisions at once.
    """
    key = (snap.vintage, year, categories_key(categories))
    if key not in _REFERENCE_CACHE:
        geo = snap.geo
        units = geo.loc[(geo["level"] == 2) & geo["country"].isin(EU27_2020), "geo"].astype(str)
        v = snap.values
        rows = v[v["indicator"].isin(list(MEASURE_OF)) & (v["year"] == year) & v["geo"].isin(units)]
        cells = (plain_rows(rows).assign(measure=lambda f: f["indicator"].map(MEASURE_OF))
                 .pivot_table(index=["geo", "nace"], columns="measure", values="value", aggfunc="first")
                 .reindex(columns=list(MEASURE_OF.values())).reset_index())
        eu = eu_employment(snap, year, categories)
        _REFERENCE_CACHE[key] = measure_table(cells, eu["value"], eu["total"],
                                              divisions=division_table(categories))
    return _REFERENCE_CACHE[key]


_THRESHOLD_CACHE: dict[tuple[str, StarRule, int, str], dict[str | None, list[Threshold]]] = {}


def reference_thresholds(snap: Snapshot, rule: StarRule, year: int,
                         categories: CategoryMap) -> dict[str | None, list[Threshold]]:
    """The rule's thresholds per division over the EU-27 NUTS 2 units employing people in it
    (key None: no unit does); the same for every region, so cached per snapshot, rule, year
    and mapping."""
    key = (snap.vintage, rule, year, categories_key(categories))
    if key not in _THRESHOLD_CACHE:
        reference = reference_measures(snap, year, categories)
        reference = reference[reference["employment"] > 0]
        by_nace: dict[str | None, list[Threshold]] = {
            nace: thresholds(rule, rows) for nace, rows in reference.groupby("nace")}
        by_nace[None] = thresholds(rule, reference.iloc[0:0])
        _THRESHOLD_CACHE[key] = by_nace
    return _THRESHOLD_CACHE[key]


def plain_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Snapshot rows with categorical columns turned into plain strings."""
    text = [c for c in ("indicator", "nace", "geo", "flag", "method") if c in rows.columns]
    return rows.astype({c: str for c in text})


def region_employment(snap: Snapshot, code: str, parts: tuple[str, ...]) -> pd.DataFrame:
    """The region's SBS employment by NACE code: nace, year, value, flag, method."""
    long = _region_long(snap, code, tuple(parts))
    return long.loc[long["indicator"] == EMPLOYMENT, ["nace", "year", "value", "flag", "method"]]


_REGION_CACHE: dict[tuple[str, str, tuple[str, ...]], pd.DataFrame] = {}


def _region_long(snap: Snapshot, code: str, parts: tuple[str, ...]) -> pd.DataFrame:
    """`_compose_region_long`, cached per snapshot and region (the sector table and the
    shift-share both read it)."""
    key = (snap.vintage, code, parts)
    if key not in _REGION_CACHE:
        _REGION_CACHE.clear()  # one region at a time: a build runs regions one after another
        _REGION_CACHE[key] = _compose_region_long(snap, code, parts)
    return _REGION_CACHE[key]


def _compose_region_long(snap: Snapshot, code: str, parts: tuple[str, ...]) -> pd.DataFrame:
    """All SBS series of the region (indicator, nace, year, value, flag, method), by the rule
    of `snap.region_series` (`workbench.data.aggregate.combine`) applied to all NACE codes at
    once: the code's reported value, else the sum (or weighted mean) of its parts."""
    v = snap.values
    indicators = {i: snap.indicator(i) for i in MEASURE_OF}
    needed = set(indicators) | {spec.weight for spec in indicators.values() if spec.weight}
    mine = plain_rows(v[v["indicator"].isin(list(needed)) & v["geo"].isin([code, *parts])])
    frames = []
    for indicator, spec in indicators.items():
        rows = mine[mine["indicator"] == indicator].drop(columns="indicator")
        weights = mine[mine["indicator"] == spec.weight].drop(columns="indicator") if spec.weight else None
        out = combine(rows, {code: list(parts)}, spec, weights)
        frames.append(out[out["geo"] == code].assign(indicator=indicator))
    return pd.concat(frames, ignore_index=True)


def _size_note(snap: Snapshot, code: str) -> str:
    level = snap.geo.loc[snap.geo["geo"] == code, "level"]
    if level.empty or int(level.iloc[0]) == 2:
        return ""
    return f"{code} is a NUTS {int(level.iloc[0])} unit compared with NUTS 2 regions, which overstates its size"


def _context(nace: str, year: int, eu: pd.DataFrame) -> str:
    return ", ".join(filter(None, [nace, str(year), f"{REFERENCE} reference", _eu_note(eu, nace)]))


def default_year(snap: Snapshot, region_long: pd.DataFrame) -> int:
    """Latest year with region SBS employment in which the EU-27 aggregate is complete."""
    has = set(region_long.loc[(region_long["indicator"] == EMPLOYMENT) & region_long["value"].notna(), "year"])
    years = sorted(has & set(eu_complete_years(snap)))
    if not years:
        raise ValueError("no year with both regional SBS employment and a complete EU-27 aggregate")
    return int(years[-1])


def region_sectors(snap: Snapshot, code: str, parts: tuple[str, ...], year: int | None = None, *,
                   categories: CategoryMap, rules: Mapping[str, StarRule] = PRESETS) -> pd.DataFrame:
    """One row per NACE division of `categories` for the region, with measures, growth and
    stars per rule.

    Columns: nace, label, category, category_label, year, employment, share (% of regional
    SBS business-economy employment), lq, wage_per_employee (EUR), local_units, growth_pct
    (compound annual %, longest comparable span), growth_years, traded (bool), suspect ("" or
    the reason), then stars_<rule> (int) and reasons_<rule> (list[str]) for each rule (default:
    the presets eco, eocic, us; the headline rule `HEADLINE_RULE` is always rated), then
    headline_stars and headline_brief (one short line per factor). Local and suspect rows
    get 0 stars under every rule. Region values follow `snap.region_series` (reported for
    `code`, else the sum of `parts`).
    """
    long = _region_long(snap, code, tuple(parts))
    year = default_year(snap, long) if year is None else int(year)
    now = long[long["year"] == year]
    cells = (now.assign(measure=now["indicator"].map(MEASURE_OF))
             .pivot_table(index="nace", columns="measure", values="value", aggfunc="first")
             .reindex(columns=list(MEASURE_OF.values())).reset_index().assign(geo=code))
    eu = eu_employment(snap, year, categories)
    divisions = division_table(categories)
    table = measure_table(cells, eu["value"], eu["total"], divisions=divisions)
    out = divisions[["nace", "label", "category", "category_label"]].merge(
        table.drop(columns=["geo", "total"]), on="nace", how="left")
    out["year"] = year
    series = dict(tuple(long[long["indicator"] == EMPLOYMENT].groupby("nace")))
    no_series = long.iloc[0:0]
    growth = [employment_growth(series.get(n, no_series), year) for n in out["nace"]]
    out["growth_pct"] = [g for g, _ in growth]
    out["growth_years"] = [y for _, y in growth]
    traded = {n: is_traded(n, categories) for n in out["nace"]}
    out["traded"] = out["nace"].map(traded).astype(bool)
    out["suspect"] = suspect_reasons(snap, code, tuple(parts), out, year, categories)
    out = out[SECTOR_COLUMNS]
    note = _size_note(snap, code)
    records = out.to_dict("records")
    rules = {HEADLINE_RULE: PRESETS[HEADLINE_RULE], **rules}
    for name, rule in rules.items():
        limits = reference_thresholds(snap, rule, year, categories)
        rated = [_unrated(r) or rate(rule, _measures(r), limits.get(r["nace"], limits[None]),
                                     _context(r["nace"], year, eu), note)
                 for r in records]
        out[f"stars_{name}"] = [stars for stars, _ in rated]
        out[f"reasons_{name}"] = [reasons for _, reasons in rated]
    headline = rules[HEADLINE_RULE]
    limits = reference_thresholds(snap, headline, year, categories)
    out["headline_stars"] = out[f"stars_{HEADLINE_RULE}"]
    out["headline_brief"] = [[] if _unrated(r) else brief(headline, _measures(r), limits.get(r["nace"], limits[None]))
                             for r in records]
    return out


def rated(sectors: pd.DataFrame) -> pd.DataFrame:
    """The rows of a `region_sectors` table that can have stars: traded and plausible."""
    return sectors[sectors["traded"] & (sectors["suspect"] == "")]


def _unrated(row: Mapping[str, Any]) -> tuple[int, list[str]] | None:
    """No stars, and why, for a local or a suspect division; None when it is rated."""
    if not row["traded"]:
        return 0, [LOCAL_REASON]
    if row["suspect"]:
        return 0, [f"Implausible data ({row['suspect']}): not rated."]
    return None


# --- plausibility ------------------------------------------------------------------------------

def suspect_reasons(snap: Snapshot, code: str, parts: tuple[str, ...], sectors: pd.DataFrame,
                    year: int, categories: CategoryMap) -> list[str]:
    """Per row of `sectors` (nace, traded, lq, wage_per_employee): "" when plausible, else why
    (reader text). Two tests:

    * wage per person employed below `MIN_WAGE_RATIO` of the same division's national value
      (staff counted in the region, wages booked elsewhere, or the reverse);
    * a local division with LQ above `HEAD_OFFICE_LQ` while the neighbouring NUTS 2 units of
      the same country (sharing a border with the region) have a pooled LQ below `NEIGHBOUR_LQ`:
      a local activity cannot be that concentrated, so employment is probably attributed to a
      head office (e.g. postal services).
    """
    country = _country(snap, code)
    national = _national_wages(snap, country, year) if country and country != code else {}
    neighbour_lq = _neighbour_lq(snap, country, (code, *parts), year, categories) if country else {}
    out = []
    for row in sectors.to_dict("records"):
        reasons = []
        wage, reference = row["wage_per_employee"], national.get(row["nace"])
        if pd.notna(wage) and reference and wage < MIN_WAGE_RATIO * reference:
            reasons.append(f"wage per person employed {wage:,.0f} EUR is {100 * wage / reference:.0f}% "
                           f"of the national {reference:,.0f} EUR")
        around = neighbour_lq.get(row["nace"])
        if (not row["traded"] and pd.notna(row["lq"]) and row["lq"] > HEAD_OFFICE_LQ
                and around is not None and around < NEIGHBOUR_LQ):
            reasons.append(f"location quotient {row['lq']:.2f} for a local activity while the "
                           f"neighbouring regions have {around:.2f} (head-office attribution?)")
        out.append("; ".join(reasons))
    return out


def _country(snap: Snapshot, code: str) -> str:
    rows = snap.geo.loc[snap.geo["geo"] == code, "country"]
    return "" if rows.empty else str(rows.iloc[0])


def _national_wages(snap: Snapshot, country: str, year: int) -> dict[str, float]:
    v = snap.values
    rows = v[(v["indicator"] == WAGE) & (v["geo"] == country) & (v["year"] == year)]
    return {str(n): float(x) for n, x in zip(rows["nace"], rows["value"]) if x > 0}


def _neighbour_lq(snap: Snapshot, country: str, own: tuple[str, ...], year: int,
                  categories: CategoryMap) -> dict[str, float]:
    """Pooled LQ per division of the NUTS 2 units of `country` that border the region `own`
    (its code and parts); {} when it has none (islands, whole countries)."""
    units = neighbours(snap, country, own)
    if not units:
        return {}
    reference = reference_measures(snap, year, categories)
    rows = reference[reference["geo"].isin(units)]
    total = rows.drop_duplicates("geo")["total"].sum()
    pooled = rows.groupby("nace")["employment"].sum(min_count=1)
    eu = eu_employment(snap, year, categories)
    lq = location_quotient(pooled, total, eu["value"].reindex(pooled.index), eu["total"].reindex(pooled.index))
    return {n: float(x) for n, x in zip(pooled.index, lq) if x == x}


_NEIGHBOUR_CACHE: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}


def neighbours(snap: Snapshot, country: str, own: tuple[str, ...]) -> list[str]:
    """NUTS 2 units of `country`, outside `own`, that share a boundary point with a unit of
    `own` (GISCO 1:60 million outlines); units of `own` at level 0-1 stand for their parts.
    Without outlines in the snapshot: every other NUTS 2 unit of the country."""
    key = (snap.vintage, country, own)
    if key not in _NEIGHBOUR_CACHE:
        geo = snap.geo
        candidates = [str(g) for g in geo.loc[(geo["level"] == 2) & (geo["country"] == country), "geo"]
                      if not str(g).startswith(own)]
        mine = [str(g) for g in geo.loc[geo["level"] == 2, "geo"] if str(g).startswith(own)]
        geometries = getattr(snap, "geometries", None)
        if geometries is None or not mine:
            found = candidates
        else:
            shapes = geometries(2)
            points = {tuple(p) for g in mine for polygon in shapes.get(g, []) for ring in polygon
                      for p in np.round(np.asarray(ring), 4)}
            found = [g for g in candidates if any(tuple(p) in points for polygon in shapes.get(g, [])
                                                  for ring in polygon for p in np.round(np.asarray(ring), 4))]
        _NEIGHBOUR_CACHE[key] = found
    return _NEIGHBOUR_CACHE[key]


def sector_across_regions(snap: Snapshot, nace: str, preset: str | StarRule = "eocic",
                          year: int | None = None, *, categories: CategoryMap) -> pd.DataFrame:
    """One division across all EU-27 NUTS 2 units: geo, name, country, employment, share, lq,
    wage_per_employee, local_units, stars, reasons (sorted by stars, then employment)."""
    rule = get_rule(preset)
    year = max(eu_complete_years(snap)) if year is None else int(year)
    reference = reference_measures(snap, year, categories)
    rows = reference[(reference["nace"] == nace) & reference["employment"].notna()]
    if rows.empty:
        raise ValueError(f"no {REFERENCE} unit reports SBS employment in {nace} in {year}")
    rated = rate_against(rule, rows, rows, _context(nace, year, eu_employment(snap, year, categories)))
    out = rows.join(rated).merge(snap.geo[["geo", "name", "country"]], on="geo", how="left")
    return out[ACROSS_COLUMNS].sort_values(["stars", "employment"], ascending=False, ignore_index=True)


# --- portfolio summary -----------------------------------------------------------------------

def traded_summary(sectors: pd.DataFrame) -> dict[str, Any]:
    """Traded employment and the part of it in divisions with a headline star (suspect
    divisions count as traded employment, never as starred), and the local-economy rows."""
    traded = sectors[sectors["traded"]]
    employed = float(traded["employment"].sum())
    starred = float(traded.loc[traded["headline_stars"] > 0, "employment"].sum())
    local = sectors[~sectors["traded"]].sort_values("employment", ascending=False, na_position="last")
    return {
        "headline_rule": PRESETS[HEADLINE_RULE].label.split(" (")[0],
        "traded_employment": employed,
        "traded_starred_employment": starred,
        "traded_starred_share_pct": round(100 * starred / employed, 1) if employed else None,
        "year": int(sectors["year"].iloc[0]) if len(sectors) else None,
        "local_economy": [{"nace": r["nace"], "label": r["label"], "employment": _number(r["employment"]),
                           "share": _number(r["share"]), "growth_pct": _number(r["growth_pct"])}
                          for r in local.to_dict("records")],
    }
