"""Regional ecosystem scoreboard: six dimensions, RIS-style normalisation, structural peers.

Methods (docs/methods-assessment.md §2):

* Normalisation per indicator over the EU-27 NUTS 2 regions of the reference year (the latest
  year with a value for the assessed region): values beyond mean ± 3 s.d. are excluded when
  min and max are determined; unbounded indicators (levels per head, not percentages) whose
  skewness exceeds 1 are square-root transformed; min-max to [0, 1], clipped; `lower_better`
  indicators are inverted.
* A dimension score is the unweighted mean of the normalised indicators with a value. A
  dimension without indicators in the snapshot has no score ("no data"), never zero.
* Peers: the profile's `peers` when given, otherwise the nearest EU-27 NUTS 2 regions by the
  Euclidean distance of z-scored structural variables.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench.analysis.indicators import benchmarks, has_indicator, latest_row
from workbench.regions import RegionProfile


@dataclass(frozen=True)
class Dimension:
    id: str
    label: str
    indicators: tuple[str, ...]


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("knowledge_skills", "Knowledge and skills",
              ("tertiary_attainment_pct", "lifelong_learning_pct", "hrst_pct_population",
               "rd_personnel_pct_employment")),
    Dimension("access_to_finance", "Access to finance", ()),
    Dimension("collaboration_internationalisation", "Collaboration and internationalisation", ()),
    Dimension("demand_conditions", "Demand conditions",
              ("gdp_pps_per_head", "disposable_income_pps_per_head")),
    Dimension("entrepreneurial_conditions", "Entrepreneurial conditions",
              ("broadband_households_pct", "daily_internet_users_pct", "local_units_per_1000")),
    Dimension("quality_of_governance", "Quality of governance", ()),
)

STRUCTURAL_VARIABLES: tuple[str, ...] = (
    "gdp_pps_per_head", "industry_employment_share", "population", "rd_expenditure_pct_gdp",
)
LOG_VARIABLES = frozenset({"population"})
MIN_STRUCTURAL_VARIABLES = 3
UNBOUNDED_KINDS = frozenset({"per_head", "count", "money", "ratio", "index"})
OUTLIER_SD = 3.0
SKEWNESS_LIMIT = 1.0


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
    ref = reference.dropna().astype(float)
    mean, sd = ref.mean(), ref.std()
    inliers = ref[(ref - mean).abs() <= OUTLIER_SD * sd] if sd > 0 else ref
    use_sqrt = bool(unbounded and len(ref) > 2 and ref.min() >= 0 and ref.skew() > SKEWNESS_LIMIT)
    x = np.sqrt(inliers) if use_sqrt else inliers
    return Scale(low=float(x.min()), high=float(x.max()), sqrt=use_sqrt, invert=invert)


def unit_values(snap: Any, indicator_id: str, year: int, geos: list[str]) -> pd.Series:
    """Values of an indicator in one year for NUTS units of any level (NaN when missing)."""
    distribution = snap.distribution(indicator_id, year)
    values = {}
    for geo in geos:
        if geo in distribution.index:
            values[geo] = distribution[geo]
            continue
        series = snap.region_series(indicator_id, geo, snap.nuts2_parts(geo))
        at_year = series.loc[series["year"] == year, "value"]
        values[geo] = at_year.iloc[0] if not at_year.empty else np.nan
    return pd.Series(values, dtype=float)


def indicator_scores(snap: Any, profile: RegionProfile, peers: list[str]) -> pd.DataFrame:
    """Long table: dimension, indicator, label, year, geo, value, score for the region and peers.

    The region's key is its NUTS code; each indicator's reference year is the latest year with
    a value for the region (indicators without any are left out).
    """
    rows = []
    region = profile.nuts.code
    for dimension in DIMENSIONS:
        for indicator_id in dimension.indicators:
            if not has_indicator(snap, indicator_id):
                continue
            latest = latest_row(benchmarks(snap, indicator_id, profile))
            if latest is None:
                continue
            year = int(latest["year"])
            meta = snap.catalogue.loc[indicator_id]
            scale = fit_scale(snap.distribution(indicator_id, year),
                              unbounded=meta["kind"] in UNBOUNDED_KINDS,
                              invert=meta["direction"] == "lower_better")
            values = pd.concat([pd.Series({region: float(latest["region"])}),
                                unit_values(snap, indicator_id, year, peers)])
            scores = scale(values)
            for geo, value in values.items():
                rows.append({"dimension": dimension.id, "indicator": indicator_id,
                             "label": meta["label"], "year": year, "geo": geo,
                             "value": value, "score": scores[geo]})
    return pd.DataFrame(rows, columns=["dimension", "indicator", "label", "year", "geo",
                                       "value", "score"])


def dimension_scores(scores: pd.DataFrame, geos: list[str]) -> pd.DataFrame:
    """Dimensions (rows, in `DIMENSIONS` order) × geos: unweighted mean of available scores."""
    index = [d.id for d in DIMENSIONS]
    if scores["score"].notna().sum() == 0:
        return pd.DataFrame(np.nan, index=index, columns=geos)
    table = scores.pivot_table(index="dimension", columns="geo", values="score", aggfunc="mean")
    return table.reindex(index=index, columns=geos)


def nearest(target: pd.Series, candidates: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The `n` candidates nearest to `target` in z-scored Euclidean distance.

    `candidates` has one row per geo and one column per structural variable; z-scores use the
    candidates' mean and s.d. A candidate needs `MIN_STRUCTURAL_VARIABLES` variables in common
    with the target; the distance over k variables is scaled by sqrt(K / k).
    Returns geo, distance, n_variables (nearest first).
    """
    columns = [c for c in candidates.columns if pd.notna(target.get(c))]
    mean, sd = candidates[columns].mean(), candidates[columns].std().replace(0, np.nan)
    z = (candidates[columns] - mean) / sd
    z_target = (target[columns].astype(float) - mean) / sd
    squared = (z - z_target) ** 2
    k = squared.notna().sum(axis=1)
    distance = np.sqrt(squared.sum(axis=1) * len(candidates.columns) / k.replace(0, np.nan))
    result = pd.DataFrame({"geo": candidates.index, "distance": distance.values,
                           "n_variables": k.values})
    result = result[result["n_variables"] >= MIN_STRUCTURAL_VARIABLES]
    return result.sort_values(["distance", "geo"]).head(n).reset_index(drop=True)


def structural_years(snap: Any, profile: RegionProfile) -> dict[str, int]:
    """Per structural variable with data, the latest year with a value for the region."""
    years = {}
    for variable in STRUCTURAL_VARIABLES:
        if has_indicator(snap, variable):
            latest = latest_row(benchmarks(snap, variable, profile))
            if latest is not None:
                years[variable] = int(latest["year"])
    return years


def structural_features(snap: Any, profile: RegionProfile) -> tuple[pd.Series, pd.DataFrame]:
    """The region's structural variables and those of all EU-27 NUTS 2 regions (same years)."""
    target, columns = {}, {}
    for variable, year in structural_years(snap, profile).items():
        transform = np.log if variable in LOG_VARIABLES else (lambda x: x)
        region = snap.region_series(variable, profile.nuts.code, profile.nuts.parts)
        target[variable] = float(transform(region.loc[region["year"] == year, "value"].iloc[0]))
        columns[variable] = transform(snap.distribution(variable, year).astype(float))
    return pd.Series(target, dtype=float), pd.DataFrame(columns)


def select_peers(snap: Any, profile: RegionProfile, n: int = 5,
                 exclude_same_country: bool = True) -> pd.DataFrame:
    """Peer regions: geo, name, reason, distance (the profile's `peers` override the selection)."""
    names = snap.geo.set_index("geo")["name"]
    if profile.peers:
        return pd.DataFrame({"geo": list(profile.peers),
                             "name": [names.get(g, g) for g in profile.peers],
                             "reason": "set in the region profile", "distance": np.nan})
    target, candidates = structural_features(snap, profile)
    if len(target) < MIN_STRUCTURAL_VARIABLES:
        return pd.DataFrame(columns=["geo", "name", "reason", "distance"])
    country = snap.geo.set_index("geo")["country"]
    keep = [g for g in candidates.index if g not in profile.nuts.parts
            and not (exclude_same_country and country.get(g) == profile.country)]
    found = nearest(target, candidates.loc[keep], n)
    variables = ", ".join(target.index)
    found["name"] = [names.get(g, g) for g in found["geo"]]
    found["reason"] = [f"structural distance {d:.2f} (z-scored {variables}; {k} of "
                       f"{len(STRUCTURAL_VARIABLES)} variables)"
                       for d, k in zip(found["distance"], found["n_variables"])]
    return found[["geo", "name", "reason", "distance"]]


@dataclass(frozen=True)
class Scoreboard:
    """The scoreboard of a region and its peers."""

    region: str
    peers: pd.DataFrame
    indicators: pd.DataFrame
    dimensions: pd.DataFrame
    structural_years: dict[str, int]

    def payload(self) -> dict[str, Any]:
        """The `scoreboard` part of the assessment payload (docs/design.md)."""
        dims = []
        for dimension in DIMENSIONS:
            rows = self.indicators[(self.indicators["dimension"] == dimension.id)
                                   & (self.indicators["geo"] == self.region)]
            score = self.dimensions.loc[dimension.id, self.region]
            dims.append({
                "id": dimension.id, "label": dimension.label,
                "score": None if pd.isna(score) else float(score),
                "n_indicators": int(len(rows)),
                "indicators": [{"id": r.indicator, "label": r.label, "year": int(r.year),
                                "value": _clean(r.value), "score": _clean(r.score)}
                               for r in rows.itertuples()],
            })
        peer_scores = {geo: {d: _clean(self.dimensions.loc[d, geo]) for d in self.dimensions.index}
                       for geo in self.peers["geo"]}
        return {"dimensions": dims,
                "peers": [{"geo": p.geo, "name": p.name, "reason": p.reason}
                          for p in self.peers.itertuples()],
                "peer_scores": peer_scores}


def scoreboard(snap: Any, profile: RegionProfile, n_peers: int = 5,
               exclude_same_country: bool = True) -> Scoreboard:
    """Compute the scoreboard of the region and its peers."""
    peers = select_peers(snap, profile, n_peers, exclude_same_country)
    geos = [profile.nuts.code, *peers["geo"]]
    scores = indicator_scores(snap, profile, list(peers["geo"]))
    return Scoreboard(profile.nuts.code, peers, scores, dimension_scores(scores, geos),
                      structural_years(snap, profile))


def _clean(value: Any) -> float | None:
    return None if value is None or pd.isna(value) or not math.isfinite(float(value)) else float(value)
