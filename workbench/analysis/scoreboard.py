"""Regional ecosystem scoreboard on one EU-wide scale, a composite index, structural peers.

Methods (docs/methods-assessment.md §2):

* Each indicator is normalised **once** over the EU-27 NUTS 2 regions of its common reference
  year (`eu_reference.reference_year`), RIS/EIS practice: values beyond mean ± 3 s.d. are left
  out when min and max are determined and capped at 0 or 1; unbounded indicators (levels per
  head, not percentages) whose skewness exceeds 1 are square-root transformed; min-max to
  [0, 1]; `lower_better` indicators are inverted. Every region (EU NUTS 2 unit or pilot
  aggregate) is scored on that same scale with its value of the reference year, or, when it
  has none, of the latest of the `FALLBACK_YEARS` years before (the year is shown).
* A dimension score is the unweighted mean of its indicators' scores, given when at least
  half of the dimension's indicators have one. The composite index is the unweighted mean of
  the dimension scores, given when every dimension with data has a score. Both are ranked
  among all EU-27 NUTS 2 regions (1 = highest); a NUTS 1 or national pilot is placed among
  them (an aggregate compared with NUTS 2 regions).
* A dimension without any indicator in the snapshot has no score and is named as missing.
* Peers: the profile's `peers` when given, otherwise the nearest EU-27 regions of the same
  NUTS level by the Euclidean distance of z-scored structural variables, each in its common
  reference year, over the variables the region has that year and among the candidates that
  have all of them (nothing imputed).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd

from workbench.analysis import eu_reference as ref
from workbench.analysis.region_units import readable_name
from workbench.data.protocol import Snapshot
from workbench.regions import RegionProfile


@dataclass(frozen=True)
class Dimension:
    id: str
    label: str
    indicators: tuple[str, ...]


# Ids the snapshot lacks are skipped, so ids the data layer adds later are picked up here.
DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("knowledge_skills", "Knowledge and skills",
              ("tertiary_attainment_pct", "lifelong_learning_pct", "hrst_pct_population",
               "rd_personnel_pct_employment", "rd_expenditure_pct_gdp", "patents_per_million")),
    Dimension("access_to_finance", "Access to finance", ()),
    Dimension("collaboration_internationalisation", "Collaboration and internationalisation", ()),
    Dimension("demand_conditions", "Demand conditions",
              ("gdp_pps_per_head", "disposable_income_pps_per_head", "employment_rate_pct",
               "unemployment_rate")),
    Dimension("entrepreneurial_conditions", "Entrepreneurial conditions",
              ("broadband_households_pct", "daily_internet_users_pct", "local_units_per_1000",
               "rd_business_pct_gdp", "kis_employment_pct", "hightech_manufacturing_pct")),
    Dimension("quality_of_governance", "Quality of governance", ()),
)

STRUCTURAL_VARIABLES: tuple[str, ...] = (
    "gdp_pps_per_head", "industry_employment_share", "population", "rd_expenditure_pct_gdp",
)
STRUCTURAL_NAMES = {"gdp_pps_per_head": "GDP per head (PPS)",
                    "industry_employment_share": "industry share of employment",
                    "population": "population (log)", "rd_expenditure_pct_gdp": "GERD % of GDP"}
LOG_VARIABLES = frozenset({"population"})
MIN_STRUCTURAL_VARIABLES = 3
UNBOUNDED_KINDS = frozenset({"per_head", "count", "money", "ratio", "index"})
OUTLIER_SD = 3.0
SKEWNESS_LIMIT = 1.0
FALLBACK_YEARS = 3


@dataclass(frozen=True)
class Scale:
    """A fitted min-max scale; call it on values to get scores in [0, 1]."""

    low: float
    high: float
    sqrt: bool
    invert: bool

    def __call__(self, values: pd.Series) -> pd.Series:
        x = np.sqrt(values.clip(lower=0)) if self.sqrt else values.astype(float)
        span = self.high - self.low
        score = (x - self.low) / span if span > 0 else x * np.nan
        score = score.clip(0.0, 1.0)
        return 1.0 - score if self.invert else score


def fit_scale(reference: pd.Series, unbounded: bool, invert: bool = False) -> Scale:
    """Fit the RIS normalisation on a reference distribution (EU-27 NUTS 2 values).

    Outliers (beyond mean ± 3 s.d. of the raw values) are left out of min and max; the square
    root is used when the indicator is unbounded, non-negative and its skewness exceeds 1.
    """
    values = reference.dropna().astype(float)
    mean, sd = values.mean(), values.std()
    inliers = values[(values - mean).abs() <= OUTLIER_SD * sd] if sd > 0 else values
    use_sqrt = bool(unbounded and len(values) > 2 and values.min() >= 0 and values.skew() > SKEWNESS_LIMIT)
    x = np.sqrt(inliers) if use_sqrt else inliers
    return Scale(low=float(x.min()), high=float(x.max()), sqrt=use_sqrt, invert=invert)


@dataclass(frozen=True)
class IndicatorScale:
    """One indicator's EU-wide scale: its dimension, label, reference year and fitted scale."""

    dimension: str
    indicator: str
    label: str
    year: int
    scale: Scale


def indicator_scales(snap: Snapshot) -> list[IndicatorScale]:
    """The EU-wide scale of every scoreboard indicator the snapshot has (cached per snapshot)."""
    def compute() -> list[IndicatorScale]:
        scales = []
        for dimension in DIMENSIONS:
            for indicator_id in dimension.indicators:
                year = ref.reference_year(snap, indicator_id) if ref.has_indicator(snap, indicator_id) else None
                if year is None:
                    continue
                meta = snap.catalogue.loc[indicator_id]
                scale = fit_scale(ref.distribution(snap, indicator_id, year),
                                  unbounded=meta["kind"] in UNBOUNDED_KINDS,
                                  invert=meta["direction"] == "lower_better")
                scales.append(IndicatorScale(dimension.id, indicator_id, meta["label"], year, scale))
        return scales
    return ref.cached(snap, ("indicator_scales",), compute)


def value_in_year(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per row of a geo × year table: the value of `year`, else of the latest of the
    `FALLBACK_YEARS` years before; columns value, year (NaN when none)."""
    years = [y for y in range(year - FALLBACK_YEARS, year + 1) if y in table.columns]
    if not years:
        return pd.DataFrame({"value": np.nan, "year": np.nan}, index=table.index)
    window = table[years].astype(float)
    found = pd.DataFrame(np.where(window.notna(), years, np.nan), index=table.index)
    return pd.DataFrame({"value": window.ffill(axis=1).iloc[:, -1], "year": found.max(axis=1)})


def score_units(scales: Sequence[IndicatorScale], tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Long table dimension, indicator, label, year, geo, value, score for the units (rows)
    of the geo × year `tables`, each indicator on its EU-wide scale."""
    frames = []
    for s in scales:
        table = tables.get(s.indicator)
        if table is None or table.empty:
            continue
        found = value_in_year(table, s.year)
        found = found[found["value"].notna()]
        frames.append(pd.DataFrame({
            "dimension": s.dimension, "indicator": s.indicator, "label": s.label,
            "year": found["year"].astype(int), "geo": found.index.astype(str),
            "value": found["value"].astype(float), "score": s.scale(found["value"].astype(float))}))
    columns = ["dimension", "indicator", "label", "year", "geo", "value", "score"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def dimension_scores(scores: pd.DataFrame, scales: Sequence[IndicatorScale],
                     geos: Sequence[str]) -> pd.DataFrame:
    """Dimensions with data (rows, in `DIMENSIONS` order) × geos: the mean of the indicator
    scores when at least half of the dimension's indicators have one, else NaN."""
    per_dimension = pd.Series([s.dimension for s in scales]).value_counts()
    index = [d.id for d in DIMENSIONS if d.id in per_dimension.index]
    if scores.empty:
        return pd.DataFrame(np.nan, index=index, columns=list(geos))
    grouped = scores.groupby(["dimension", "geo"])["score"]
    means, counts = grouped.mean().unstack(), grouped.count().unstack()
    needed = per_dimension.reindex(means.index) / 2
    table = means.where(counts.ge(needed, axis=0))
    return table.reindex(index=index, columns=list(geos)).astype(float)


def composite_scores(dimensions: pd.DataFrame) -> pd.Series:
    """Per geo: the mean of the dimension scores when every dimension with data has one."""
    return dimensions.mean().where(dimensions.notna().all())


@dataclass(frozen=True)
class EuBoard:
    """The scoreboard of every EU-27 NUTS 2 region (the ranking reference)."""

    scales: list[IndicatorScale]
    indicators: pd.DataFrame
    dimensions: pd.DataFrame
    composite: pd.Series


def eu_board(snap: Snapshot) -> EuBoard:
    """Scores of all EU-27 NUTS 2 regions (cached per snapshot)."""
    def compute() -> EuBoard:
        scales = indicator_scales(snap)
        tables = {s.indicator: ref.eu_values(snap, s.indicator) for s in scales}
        geos = ref.eu_units(snap, [s.indicator for s in scales])
        scores = score_units(scales, tables)
        dims = dimension_scores(scores, scales, geos)
        return EuBoard(scales, scores, dims, composite_scores(dims))
    return ref.cached(snap, ("eu_board",), compute)


def rank(value: float | None, reference: pd.Series) -> tuple[int | None, int]:
    """Rank of `value` among the reference scores (1 = highest) and their number."""
    reference = reference.dropna()
    if value is None or pd.isna(value):
        return None, len(reference)
    return int((reference > value).sum()) + 1, len(reference)


def unit_tables(snap: Snapshot, scales: Sequence[IndicatorScale],
                compositions: dict[str, list[str]]) -> dict[str, pd.DataFrame]:
    """geo × year tables of the regions (code -> NUTS 2 parts) for the scored indicators."""
    return {s.indicator: ref.units_table(snap, s.indicator, compositions) for s in scales}


# --- peers ----------------------------------------------------------------------------------

def level_values(snap: Snapshot, variable: str, year: int, level: int) -> pd.Series:
    """Values of the EU-27 units of a NUTS level in `year` (`eu_reference.level_table`)."""
    table = ref.level_table(snap, variable, level)
    return table[year].dropna() if year in table.columns else pd.Series(dtype=float)


def structural_years(snap: Snapshot, profile: RegionProfile) -> dict[str, int]:
    """Structural variables the region has in their common reference year -> that year."""
    years = {}
    for variable in STRUCTURAL_VARIABLES:
        year = ref.reference_year(snap, variable) if ref.has_indicator(snap, variable) else None
        series = ref.profile_series(snap, variable, profile)
        if year is not None and year in series.index:
            years[variable] = year
    return years


def structural_features(snap: Snapshot, profile: RegionProfile) -> tuple[pd.Series, pd.DataFrame]:
    """The region's structural variables and those of every candidate of its NUTS level
    that has all of them in the same years (population as log)."""
    target, columns = {}, {}
    level = profile.nuts.level
    for variable, year in structural_years(snap, profile).items():
        transform = np.log if variable in LOG_VARIABLES else (lambda x: x)
        series = ref.profile_series(snap, variable, profile)
        target[variable] = float(transform(series[year]))
        columns[variable] = transform(level_values(snap, variable, year, level).astype(float))
    return pd.Series(target, dtype=float), pd.DataFrame(columns).dropna()


def nearest(target: pd.Series, candidates: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The `n` candidates nearest to `target` in z-scored Euclidean distance.

    `candidates` has one row per geo and one column per variable, with no missing value;
    z-scores use the candidates' mean and s.d. Returns geo, distance (nearest first).
    """
    sd = candidates.std().replace(0, np.nan)
    columns = [c for c in candidates.columns if pd.notna(sd[c])]
    mean = candidates[columns].mean()
    z = (candidates[columns] - mean) / sd[columns]
    z_target = (target[columns].astype(float) - mean) / sd[columns]
    distance = np.sqrt(((z - z_target) ** 2).sum(axis=1))
    result = pd.DataFrame({"geo": candidates.index, "distance": distance.values})
    return result.sort_values(["distance", "geo"]).head(n).reset_index(drop=True)


PEER_COLUMNS = ["geo", "name", "reason", "distance"]


def select_peers(snap: Snapshot, profile: RegionProfile, n: int = 5,
                 exclude_same_country: bool = False) -> pd.DataFrame:
    """Peer regions: geo, name, reason, distance (the profile's `peers` override the selection)."""
    names = snap.geo.set_index("geo")["name"].map(lambda n: readable_name(str(n)))
    if profile.peers:
        return pd.DataFrame({"geo": list(profile.peers),
                             "name": [names.get(g, g) for g in profile.peers],
                             "reason": "set in the region profile", "distance": np.nan})
    target, candidates = structural_features(snap, profile)
    if len(target) < MIN_STRUCTURAL_VARIABLES:
        return pd.DataFrame(columns=PEER_COLUMNS)
    country = snap.geo.set_index("geo")["country"]
    own = {profile.nuts.code, *profile.nuts.parts}
    keep = [g for g in candidates.index if g not in own
            and not (exclude_same_country and country.get(g) == profile.country)]
    found = nearest(target, candidates.loc[keep], n)
    years = structural_years(snap, profile)
    variables = ", ".join(f"{STRUCTURAL_NAMES.get(v, v)} {years[v]}" for v in target.index)
    found["name"] = [names.get(g, g) for g in found["geo"]]
    found["reason"] = [f"structural distance {d:.2f} over {variables} (z-scored among the "
                       f"{len(candidates)} EU-27 NUTS {profile.nuts.level} regions with all of them)"
                       for d in found["distance"]]
    return found[PEER_COLUMNS]


# --- the scoreboard of one region -------------------------------------------------------

@dataclass(frozen=True)
class Scoreboard:
    """The scoreboard of a region and its peers, on the EU-wide scale."""

    region: str
    peers: pd.DataFrame
    indicators: pd.DataFrame
    dimensions: pd.DataFrame
    structural_years: dict[str, int]
    composite: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    ranks: dict[str, tuple[int | None, int]] = field(default_factory=dict)
    scales: list[IndicatorScale] = field(default_factory=list)
    aggregate: str = ""

    @property
    def missing_dimensions(self) -> list[str]:
        """Labels of the dimensions without any indicator in the snapshot."""
        return [d.label for d in DIMENSIONS if d.id not in self.dimensions.index]

    def dimension_indicators(self, dimension_id: str) -> list[IndicatorScale]:
        return [s for s in self.scales if s.dimension == dimension_id]

    def payload(self) -> dict[str, Any]:
        """The `scoreboard` part of the assessment payload (docs/design.md)."""
        mine = self.indicators[self.indicators["geo"] == self.region].set_index("indicator")
        dims = []
        for dimension in DIMENSIONS:
            if dimension.id not in self.dimensions.index:
                continue
            scales = self.dimension_indicators(dimension.id)
            found = mine[mine["dimension"] == dimension.id]
            position, n_ranked = self.ranks.get(dimension.id, (None, 0))
            dims.append({
                "id": dimension.id, "label": dimension.label,
                "score": _clean(self.dimensions.loc[dimension.id, self.region]),
                "n_indicators": int(len(found)), "rank": position, "n_ranked": n_ranked,
                "year": max(s.year for s in scales),
                "indicators": [{"id": s.indicator, "label": s.label,
                                "year": int(found.at[s.indicator, "year"]) if s.indicator in found.index else s.year,
                                "value": _clean(found["value"].get(s.indicator)),
                                "score": _clean(found["score"].get(s.indicator))} for s in scales],
            })
        position, n_ranked = self.ranks.get("composite", (None, 0))
        peer_scores = {geo: {d: _clean(self.dimensions.loc[d, geo]) for d in self.dimensions.index}
                       for geo in self.peers["geo"] if geo in self.dimensions.columns}
        return {"dimensions": dims,
                "composite": {"score": _clean(self.composite.get(self.region)), "rank": position,
                              "n_ranked": n_ranked},
                "missing_dimensions": self.missing_dimensions,
                "peers": [{"geo": p.geo, "name": p.name, "reason": p.reason}
                          for p in self.peers.itertuples()],
                "peer_scores": peer_scores}


def scoreboard(snap: Snapshot, profile: RegionProfile, n_peers: int = 5,
               exclude_same_country: bool = False) -> Scoreboard:
    """Compute the scoreboard of the region and its peers on the EU-wide scale."""
    board = eu_board(snap)
    code = profile.nuts.code
    peers = select_peers(snap, profile, n_peers, exclude_same_country)
    tables = unit_tables(snap, board.scales, {g: snap.nuts2_parts(g) for g in peers["geo"] if g != code})
    for s in board.scales:
        own = ref.profile_series(snap, s.indicator, profile).to_frame(code).T
        tables[s.indicator] = pd.concat([own, tables[s.indicator]])
    geos = [code, *[g for g in peers["geo"] if g != code]]
    scores = score_units(board.scales, tables)
    dims = dimension_scores(scores, board.scales, geos)
    composite = composite_scores(dims)
    ranks = {d: rank(dims.at[d, code], board.dimensions.loc[d]) for d in dims.index}
    ranks["composite"] = rank(composite.get(code), board.composite)
    return Scoreboard(code, peers, scores, dims, structural_years(snap, profile), composite, ranks,
                      board.scales, ref.aggregate_note(snap, code))


def _clean(value: Any) -> float | None:
    return None if value is None or pd.isna(value) or not math.isfinite(float(value)) else float(value)
