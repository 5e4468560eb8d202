"""Cluster star ratings: rule objects, the three presets and the rating of one region-sector.

A `StarRule` is a tuple of `Criterion`s. Each criterion compares one measure of the region
(employment, location quotient, share of regional employment, wage per employee, local units)
with a percentile of the same measure across a reference set of regions, with a fixed value,
or with both. With ``combine="each"`` every criterion met gives one star (ECO, EOCIC); with
``combine="all"`` one star is given when all criteria are met (US "strong cluster").

Percentiles use linear interpolation between order statistics (numpy's default, the same
as d3.quantile used by US Cluster Mapping and Excel PERCENTILE.INC). The reference set is
the caller's (the workbench uses EU-27 NUTS 2 regions with employment > 0 in the sector and
year, see `workbench.analysis.clusters`); each measure's percentile is taken over the
reference regions that have a value for it. A missing value of the rated region never wins a
star and its reason says that the data are missing; neither does a reference set smaller than
`min_reference`. Every rating returns one sentence per criterion (``each``) or one sentence
for the single star (``all``), with the numbers.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Mapping

import numpy as np
import pandas as pd

# measure -> (wording, number format, extensive: grows with the size of the region)
MEASURES: dict[str, tuple[str, str, bool]] = {
    "employment": ("persons employed", "{:,.0f}", True),
    "lq": ("location quotient", "{:.2f}", False),
    "share": ("of regional employment", "{:.2f}%", False),
    "wage_per_employee": ("EUR wages and salaries per person employed", "{:,.0f}", False),
    "local_units": ("local units", "{:,.0f}", True),
}


@dataclass(frozen=True)
class Criterion:
    """One test: `measure` must reach the `percentile` of the reference and/or `minimum`.

    `strict` makes the percentile test '>' instead of '>=' (US floors: "above the bottom
    quartile"). The fixed `minimum` is always '>='.
    """

    factor: str
    measure: str
    percentile: float | None = None
    minimum: float | None = None
    strict: bool = False

    def __post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise ValueError(f"unknown measure {self.measure!r}; allowed: {', '.join(MEASURES)}")
        if self.percentile is None and self.minimum is None:
            raise ValueError(f"criterion {self.factor!r} needs a percentile, a minimum or both")
        if self.percentile is not None and not 0 < self.percentile < 100:
            raise ValueError(f"percentile of {self.factor!r} must be between 0 and 100")


@dataclass(frozen=True)
class StarRule:
    """A named set of criteria; `provenance` says where each threshold comes from."""

    name: str
    label: str
    criteria: tuple[Criterion, ...]
    combine: Literal["each", "all"] = "each"
    provenance: str = ""
    min_reference: int = 10

    def __post_init__(self) -> None:
        if not self.criteria:
            raise ValueError(f"star rule {self.name!r} has no criteria")
        if self.combine not in ("each", "all"):
            raise ValueError(f"combine must be 'each' or 'all', not {self.combine!r}")

    @property
    def max_stars(self) -> int:
        return len(self.criteria) if self.combine == "each" else 1


PRESETS: dict[str, StarRule] = {
    "eco": StarRule(
        name="eco", label="European Cluster Observatory (three stars)",
        criteria=(Criterion("Size", "employment", percentile=90),
                  Criterion("Specialisation", "lq", minimum=2.0),
                  Criterion("Focus", "share", percentile=90)),
        provenance=("Published ECO method (clusterobservatory.eu): size = employment in the top 10% "
                    "of European regions, focus = share of regional employment in the top 10%; "
                    "LQ >= 2 is the commonly cited ECO threshold (the source sentence could not "
                    "be read in full). Reference here: EU-27 NUTS 2, not ECO's 32 countries."),
    ),
    "eocic": StarRule(
        name="eocic", label="EOCIC three factors (workbench thresholds)",
        criteria=(Criterion("Size", "employment", percentile=90),
                  Criterion("Specialisation", "lq", minimum=1.5),
                  Criterion("Productivity", "wage_per_employee", percentile=75)),
        provenance=("Factors published by EOCIC (size, specialisation, productivity as wage per "
                    "person employed); thresholds NOT published - these are the workbench's own: "
                    "employment in the top 10%, LQ >= 1.5, wage per employee in the top 25% of "
                    "regions in the sector."),
    ),
    "us": StarRule(
        name="us", label="US Cluster Mapping strong cluster", combine="all",
        criteria=(Criterion("Specialisation", "lq", percentile=75, minimum=1.0),
                  Criterion("Employment", "employment", percentile=25, strict=True),
                  Criterion("Establishments", "local_units", percentile=25, strict=True)),
        provenance=("Published US rule (clustermapping/cmp, cluster_calcs_reducer.js): LQ >= 75th "
                    "percentile and LQ >= 1, employment and establishments above the 25th "
                    "percentile; SBS local units stand in for establishments."),
    ),
}


def get_rule(name: str | StarRule) -> StarRule:
    """The preset called `name` (a `StarRule` is returned as is)."""
    if isinstance(name, StarRule):
        return name
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown star preset {name!r}; allowed: {', '.join(PRESETS)}") from None


@dataclass(frozen=True)
class Threshold:
    """A criterion's percentile value in a reference set and the number of regions behind it."""

    value: float | None
    n: int


def thresholds(rule: StarRule, reference: pd.DataFrame) -> list[Threshold]:
    """Percentile thresholds of each criterion over the reference rows that have the measure."""
    out = []
    for criterion in rule.criteria:
        values = pd.to_numeric(reference[criterion.measure], errors="coerce").dropna().to_numpy()
        value = (float(np.percentile(values, criterion.percentile))
                 if criterion.percentile is not None and len(values) else None)
        out.append(Threshold(value, len(values)))
    return out


def _fmt(measure: str, value: float) -> str:
    return MEASURES[measure][1].format(value)


def _percentile_words(criterion: Criterion, value: str, n: int) -> str:
    p = criterion.percentile
    if p >= 50:
        return f"the top-{100 - p:g}% threshold {value} ({p:g}th percentile of {n} regions)"
    return f"the {p:g}th percentile {value} of {n} regions"


def _reaches(value: float, limit: float, strict: bool) -> bool:
    """value >= limit (or > when strict), with a 1e-9 relative tolerance for float rounding
    (an LQ of 0.15 / 0.1 must reach 1.5)."""
    tolerance = 1e-9 * max(1.0, abs(limit))
    return value > limit + tolerance if strict else value >= limit - tolerance


def _judge(criterion: Criterion, value: float | None, threshold: Threshold,
           min_reference: int) -> tuple[bool, str]:
    """Whether the criterion is met and the clause that says why, with the numbers."""
    words = MEASURES[criterion.measure][0]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False, f"no data for {words} (confidential or not reported)"
    tests, parts = [], []
    if criterion.percentile is not None:
        if threshold.n < min_reference:
            return False, (f"only {threshold.n} reference regions have {words} "
                           f"(at least {min_reference} needed)")
        tests.append(_reaches(value, threshold.value, criterion.strict))
        parts.append(_percentile_words(criterion, _fmt(criterion.measure, threshold.value), threshold.n))
    if criterion.minimum is not None:
        tests.append(_reaches(value, criterion.minimum, strict=False))
        parts.append(f"the minimum {_fmt(criterion.measure, criterion.minimum)}")
    met = all(tests)
    verb = {(True, False): "reaches", (False, False): "misses", (True, True): "is above",
            (False, True): "is not above"}[(met, criterion.strict)]
    return met, f"{_fmt(criterion.measure, value)} {words} {verb} " + " and ".join(parts)


def rate(rule: StarRule, values: Mapping[str, float | None], reference_thresholds: list[Threshold],
         context: str = "", note: str = "") -> tuple[int, list[str]]:
    """Stars and reason sentences of one region-sector.

    `values` maps measure -> the region's value (None/NaN = missing); `reference_thresholds`
    comes from `thresholds`; `context` (e.g. "C29, 2014") and `note` (a caveat for extensive
    measures, e.g. a NUTS 1 region rated against NUTS 2 regions) are added to the sentences.
    """
    suffix = f" [{context}]" if context else ""
    judged = []
    for criterion, threshold in zip(rule.criteria, reference_thresholds):
        met, clause = _judge(criterion, values.get(criterion.measure), threshold, rule.min_reference)
        if note and MEASURES[criterion.measure][2]:
            clause += f" ({note})"
        judged.append((criterion, met, clause))
    if rule.combine == "each":
        reasons = [f"{c.factor}: {clause}: {'star' if met else 'no star'}{suffix}."
                   for c, met, clause in judged]
        return sum(met for _, met, _ in judged), reasons
    met_all = all(met for _, met, _ in judged)
    clauses = "; ".join(f"{c.factor.lower()} {clause}" for c, _, clause in judged)
    return int(met_all), [f"{rule.label}: {'yes' if met_all else 'no'} - {clauses}{suffix}."]


BRIEF_WORDS = {"employment": "{} employed", "lq": "LQ {}", "share": "{} of regional employment",
               "wage_per_employee": "{} EUR wage per person", "local_units": "{} local units"}


def brief(rule: StarRule, values: Mapping[str, float | None],
          reference_thresholds: list[Threshold]) -> list[str]:
    """One short line per criterion for the page, e.g. "Size ★ 39,737 employed (top 10% from
    25,310)"; the full sentences (`rate`) go to the JSON and CSV."""
    lines = []
    for criterion, threshold in zip(rule.criteria, reference_thresholds):
        value = values.get(criterion.measure)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            lines.append(f"{criterion.factor} – no data")
            continue
        met, limits = True, []
        if criterion.percentile is not None:
            if threshold.value is None or threshold.n < rule.min_reference:
                met = False
                limits.append(f"only {threshold.n} reference regions")
            else:
                met = _reaches(value, threshold.value, criterion.strict)
                top = 100 - criterion.percentile
                where = f"top {top:g}%" if criterion.percentile >= 50 else f"above bottom {criterion.percentile:g}%"
                limits.append(f"{where} from {_fmt(criterion.measure, threshold.value)}")
        if criterion.minimum is not None:
            met = met and _reaches(value, criterion.minimum, strict=False)
            limits.append(f"at least {_fmt(criterion.measure, criterion.minimum)}")
        mark = "★" if met else "–"
        shown = BRIEF_WORDS[criterion.measure].format(_fmt(criterion.measure, value))
        lines.append(f"{criterion.factor} {mark} {shown} ({', '.join(limits)})")
    return lines
