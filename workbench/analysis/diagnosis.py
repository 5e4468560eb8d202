"""Which of the five joint challenges the data indicate for a region: one rule per challenge.

Every test places the region in the distribution of the EU-27 NUTS 2 regions in the same year
(docs/methods-assessment.md §4): a test is met when the region is in the **weakest third**,
that is when fewer than a third of the EU NUTS 2 regions with a value that year do worse
(lower for `higher_better`, higher for `lower_better` indicators). The year is the
indicator's common reference year (`workbench.analysis.eu_reference.reference_year`) when
the region has a value then, otherwise the latest year in which the region has a value and
at least `eu_reference.MIN_REGIONS` EU NUTS 2 regions have one too. No test compares with an EU average.

A rule is indicated when at least `k` of its `n` tests are met. Verdict:

* ``insufficient_data`` only when the tests without data could change the outcome
  (met < k <= met + missing); a verdict the tests with data settle is given, and the tests
  without data are listed in `missing`;
* ``indicated`` when at least `k` tests are met; ``not_indicated`` otherwise.

`confidence`: ``high`` when every test has data and the region is a NUTS 2 unit, ``medium``
when the verdict is settled but a test has no data or the region is an aggregate compared
with NUTS 2 regions, ``low`` when the data are insufficient.

The threshold (a third) and the `k` of each rule were chosen from the EU distribution alone:
run on every EU-27 NUTS 2 region (`calibration`) each rule flags between 15 % and 60 % of the
regions with a verdict; they were not compared with, or tuned to, the EOCIC published lists.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Iterable, Literal, Mapping, Protocol

import numpy as np
import pandas as pd

from workbench.analysis import eu_reference as ref
from workbench.analysis.indicators import with_year
from workbench.concepts import challenge
from workbench.data.protocol import Snapshot
from workbench.regions import RegionProfile

if TYPE_CHECKING:
    from workbench.analysis.clusters import CategoryMap

VerdictValue = Literal["indicated", "not_indicated", "insufficient_data"]
Confidence = Literal["high", "medium", "low"]
WEAKEST_SHARE = 1 / 3
GROWTH_YEARS = 5
HEADLINE_MIN_STARS = 2

# Short names for the rule texts (the evidence items carry the catalogue labels).
SHORT_NAMES: dict[str, str] = {
    "rd_expenditure_pct_gdp": "GERD % of GDP",
    "rd_business_pct_gdp": "BERD % of GDP",
    "rd_personnel_pct_employment": "R&D personnel % of employment",
    "patents_per_million": "EPO patent applications per million inhabitants",
    "kis_employment_pct": "employment in knowledge-intensive services %",
    "productivity": "GDP (PPS) per person employed",
    "gdp_pps_per_head": "GDP per head (PPS)",
    "hightech_manufacturing_pct": "employment in high/medium-high-tech manufacturing %",
    "local_units_per_1000": "local units per 1,000 inhabitants",
    "employment": "persons employed",
}
CLUSTER_STATISTICS: dict[str, str] = {
    "strong_traded_divisions": (f"traded NACE divisions with at least {HEADLINE_MIN_STARS} "
                                f"headline stars (EOCIC three factors)"),
    "starred_traded_share": "share of traded SBS employment in divisions with a headline star, %",
}


def _name(indicator_id: str) -> str:
    return SHORT_NAMES.get(indicator_id, indicator_id)


@dataclass(frozen=True)
class Facts:
    """What the rules read, so that they can be tested on constructed data.

    `series`: indicator id -> the region's values by year; `distribution(indicator, year)`:
    the EU-27 NUTS 2 values of that year; `reference_years`: indicator id -> common year;
    `labels`, `sources` (source stems) and `directions` by indicator id; `cluster`: the
    region's cluster statistics (`cluster_statistics`) of `cluster_year`, and
    `cluster_distribution` the same statistics of every EU-27 NUTS 2 region; `aggregate`:
    reader text when the region is larger than a NUTS 2 unit ("" otherwise).
    """

    series: Mapping[str, pd.Series]
    distribution: Callable[[str, int], pd.Series]
    reference_years: Mapping[str, int] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)
    directions: Mapping[str, str] = field(default_factory=dict)
    cluster: Mapping[str, float] = field(default_factory=dict)
    cluster_distribution: Mapping[str, pd.Series] = field(default_factory=dict)
    cluster_year: int | None = None
    sector_source: str = ""
    aggregate: str = ""
    measures: Mapping[Any, pd.Series] = field(default_factory=dict)
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def eu_measure(self, test: "WeakestThird", year: int) -> np.ndarray:
        """The test's measure for the EU NUTS 2 regions of `year` (computed once per facts
        object; the EU-wide run shares one memo between all regions)."""
        key = (test, year)
        if key not in self.memo:
            self.memo[key] = test.eu(self, year).dropna().to_numpy(dtype=float)
        return self.memo[key]

    def values(self, indicator_id: str) -> pd.Series:
        return self.series.get(indicator_id, pd.Series(dtype=float)).dropna().sort_index()

    def label(self, indicator_id: str) -> str:
        return self.labels.get(indicator_id, indicator_id)

    def source(self, indicator_id: str, year: int | None) -> str:
        stem = self.sources.get(indicator_id)
        return with_year(stem, year) if stem else "not in the data snapshot"

    def lower_is_better(self, indicator_id: str) -> bool:
        return self.directions.get(indicator_id) == "lower_better"

    def as_of(self, year: int) -> "Facts":
        """The facts as they stood in `year`: every series cut at that year (a test then uses
        the latest year up to it with enough EU values), and the cluster statistics dropped
        when the sector data are of a later year."""
        later = self.cluster_year is not None and self.cluster_year > year
        return replace(self, series={i: s[s.index <= year] for i, s in self.series.items()},
                       cluster={} if later else self.cluster,
                       cluster_distribution={} if later else self.cluster_distribution,
                       cluster_year=None if later else self.cluster_year)

    @classmethod
    def from_snapshot(cls, snap: Snapshot, profile: RegionProfile, sectors: pd.DataFrame,
                      sector_source: str, categories: CategoryMap) -> "Facts":
        present = [i for i in rule_indicators() if ref.has_indicator(snap, i)]
        code = profile.nuts.code
        year = int(sectors["year"].max()) if not sectors.empty and "year" in sectors else None
        return cls(
            series={i: ref.profile_series(snap, i, profile) for i in present},
            distribution=lambda indicator, y: ref.distribution(snap, indicator, y),
            reference_years={i: y for i in present if (y := ref.reference_year(snap, i)) is not None},
            labels={i: snap.catalogue.loc[i, "label"] for i in present},
            sources={i: snap.source(i) for i in present},
            directions={i: snap.catalogue.loc[i, "direction"] for i in present},
            cluster=cluster_statistics(sectors, categories),
            cluster_distribution=({} if year is None else eu_cluster_statistics(snap, year, categories)),
            cluster_year=year, sector_source=sector_source,
            aggregate=ref.aggregate_note(snap, code),
        )


@dataclass(frozen=True)
class Evidence:
    indicator: str
    label: str
    value: float | None
    year: int | None
    benchmark: str
    benchmark_value: float | None
    test: str
    met: bool | None
    source: str


class Test(Protocol):
    indicators: tuple[str, ...]

    @property
    def text(self) -> str: ...

    def evaluate(self, facts: Facts) -> Evidence: ...


def weakest_third(value: float, distribution: np.ndarray, lower_better: bool = False,
                  share: float = WEAKEST_SHARE) -> tuple[bool, float]:
    """Whether `value` is in the weakest `share` of `distribution` (fewer than `share` of the
    regions do worse), and the boundary value of that weakest share."""
    worse = (distribution > value) if lower_better else (distribution < value)
    boundary = np.quantile(distribution, 1 - share if lower_better else share)
    return bool(worse.mean() < share), float(boundary)


def pick_year(region: pd.Series, distribution: Callable[[int], np.ndarray],
              preferred: int | None) -> int | None:
    """The preferred (common reference) year when the region has a value and the EU enough
    values then; else the latest such year; None when there is none."""
    usable = [int(y) for y in region.index if len(distribution(int(y))) >= ref.MIN_REGIONS]
    if preferred in usable:
        return preferred
    return max(usable) if usable else None


@dataclass(frozen=True)
class WeakestThird:
    """Base of the tests: the region's measure is in the weakest third of EU NUTS 2 regions.

    Subclasses say what the measure is: `compute` turns geo × year tables of the indicators
    into a geo × year table of the measure, so that one formula serves one region and all
    EU regions; `lags` are the earlier years (relative) a year's measure needs."""

    lags: tuple[int, ...] = field(default=(), init=False)

    @property
    def indicators(self) -> tuple[str, ...]:
        raise NotImplementedError

    @property
    def what(self) -> str:
        raise NotImplementedError

    @property
    def text(self) -> str:
        return f"{self.what} in the weakest third of EU-27 NUTS 2 regions"

    def compute(self, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
        raise NotImplementedError

    def measure(self, facts: Facts) -> pd.Series:
        """The region's measure by year."""
        tables = {i: facts.values(i).to_frame("region").T for i in self.indicators}
        return self.compute(tables).iloc[0].dropna()

    def eu(self, facts: Facts, year: int) -> pd.Series:
        """The measure of the EU NUTS 2 regions in `year`."""
        years = [year - lag for lag in self.lags] + [year]
        tables = {i: pd.DataFrame({y: facts.distribution(i, y) for y in years}, dtype=float)
                  for i in self.indicators}
        return self.compute(tables).get(year, pd.Series(dtype=float))

    def preferred_year(self, facts: Facts) -> int | None:
        years = [facts.reference_years.get(i) for i in self.indicators]
        return None if None in years or not years else min(years)

    def lower_better(self, facts: Facts) -> bool:
        return False

    def label(self, facts: Facts) -> str:
        return self.what

    def key(self) -> str:
        return "/".join(self.indicators)

    def source(self, facts: Facts, year: int | None) -> str:
        return "; ".join(facts.source(i, year) for i in self.indicators)

    def evaluate(self, facts: Facts) -> Evidence:
        region = facts.measures[self] if self in facts.measures else self.measure(facts)
        region = region.dropna()
        year = pick_year(region, lambda y: facts.eu_measure(self, y), self.preferred_year(facts))
        value = met = boundary = None
        benchmark = f"weakest third of {ref.EU_NUTS2}: no year with enough values"
        if year is not None:
            value, eu = float(region[year]), facts.eu_measure(self, year)
            met, boundary = weakest_third(value, eu, self.lower_better(facts))
            aggregate = f"; {facts.aggregate}" if facts.aggregate else ""
            benchmark = f"weakest-third boundary of {len(eu)} {ref.EU_NUTS2}{aggregate}"
        elif not region.empty:
            value, year = float(region.iloc[-1]), int(region.index[-1])
        return Evidence(self.key(), self.label(facts), value, year, benchmark, boundary,
                        self.text, met, self.source(facts, year))


@dataclass(frozen=True)
class Level(WeakestThird):
    """The indicator's value."""

    indicator: str

    @property
    def indicators(self) -> tuple[str, ...]:
        return (self.indicator,)

    @property
    def what(self) -> str:
        return _name(self.indicator)

    def label(self, facts: Facts) -> str:
        return facts.label(self.indicator)

    def compute(self, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
        return tables[self.indicator]

    def lower_better(self, facts: Facts) -> bool:
        return facts.lower_is_better(self.indicator)


@dataclass(frozen=True)
class Ratio(WeakestThird):
    """numerator / denominator (× `scale`) of the same year."""

    numerator: str
    denominator: str
    name: str
    scale: float = 1.0

    @property
    def indicators(self) -> tuple[str, ...]:
        return (self.numerator, self.denominator)

    @property
    def what(self) -> str:
        return self.name

    def compute(self, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
        denominator = tables[self.denominator]
        return self.scale * tables[self.numerator] / denominator.where(denominator != 0)


@dataclass(frozen=True)
class Growth(WeakestThird):
    """Growth (%) of the indicator over `years` years to the year of comparison."""

    indicator: str
    years: int = GROWTH_YEARS

    def __post_init__(self) -> None:
        object.__setattr__(self, "lags", (self.years,))

    @property
    def indicators(self) -> tuple[str, ...]:
        return (self.indicator,)

    @property
    def what(self) -> str:
        return f"growth of {_name(self.indicator)} over {self.years} years"

    def label(self, facts: Facts) -> str:
        return f"{facts.label(self.indicator)}: growth over {self.years} years, %"

    def key(self) -> str:
        return f"{self.indicator}_growth_{self.years}y"

    def compute(self, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
        table = tables[self.indicator]
        start = table.rename(columns=lambda y: y + self.years)
        start = start.where(start != 0)
        return 100.0 * (table / start - 1.0)


@dataclass(frozen=True)
class ClusterStatistic(WeakestThird):
    """One of the `CLUSTER_STATISTICS` of the region's traded sectors (SBS year)."""

    statistic: str

    @property
    def indicators(self) -> tuple[str, ...]:
        return ()

    @property
    def what(self) -> str:
        return CLUSTER_STATISTICS[self.statistic]

    def key(self) -> str:
        return self.statistic

    def preferred_year(self, facts: Facts) -> int | None:
        return facts.cluster_year

    def measure(self, facts: Facts) -> pd.Series:
        value = facts.cluster.get(self.statistic)
        if value is None or facts.cluster_year is None or pd.isna(value):
            return pd.Series(dtype=float)
        return pd.Series({facts.cluster_year: float(value)})

    def eu(self, facts: Facts, year: int) -> pd.Series:
        found = facts.cluster_distribution.get(self.statistic)
        return found.dropna() if found is not None and year == facts.cluster_year else pd.Series(dtype=float)

    def source(self, facts: Facts, year: int | None) -> str:
        return facts.sector_source or "no SBS data for the region"


# --- cluster statistics of traded sectors --------------------------------------------------

def traded(sectors: pd.DataFrame, categories: CategoryMap) -> pd.Series:
    """Whether each sector row is traded: the row's `traded` (issue 12's sector rows) when
    present, else the type of its cluster category in the mapping `categories`."""
    if "traded" in sectors.columns:
        return sectors["traded"].fillna(False).astype(bool)
    from workbench.analysis.clusters import division_table

    types = {k: c.type == "traded" for k, c in categories.categories.items()}
    category = sectors["category"] if "category" in sectors.columns else sectors["nace"].map(
        division_table(categories).set_index("nace")["category"])
    return category.map(types).fillna(False).astype(bool)


def headline_stars(sectors: pd.DataFrame) -> pd.Series:
    """Headline stars: the rows' `headline_stars` when present, else EOCIC-preset stars."""
    column = "headline_stars" if "headline_stars" in sectors.columns else "stars_eocic"
    return pd.to_numeric(sectors[column], errors="coerce").fillna(0)


def cluster_statistics(sectors: pd.DataFrame, categories: CategoryMap) -> dict[str, float]:
    """`CLUSTER_STATISTICS` of a sector table (rows: nace, employment, stars; traded only)."""
    if sectors.empty or not {"employment"} <= set(sectors.columns) or not (
            {"headline_stars", "stars_eocic"} & set(sectors.columns)):
        return {}
    rows = sectors[traded(sectors, categories).values]
    stars = headline_stars(rows)
    counted = rows["employment"].notna()
    total = float(rows.loc[counted, "employment"].sum())
    share = 100.0 * float(rows.loc[counted & (stars >= 1), "employment"].sum()) / total if total > 0 else None
    return {"strong_traded_divisions": float((stars >= HEADLINE_MIN_STARS).sum()),
            "starred_traded_share": share}


def eu_cluster_statistics(snap: Snapshot, year: int, categories: CategoryMap) -> dict[str, pd.Series]:
    """`cluster_statistics` of every EU-27 NUTS 2 region in `year`: EOCIC-preset stars of its
    divisions against the same EU NUTS 2 thresholds as the pilots' (`eu_stars`)."""
    from workbench.analysis.clusters import categories_key, division_table, reference_measures

    def compute() -> dict[str, pd.Series]:
        rows = reference_measures(snap, year, categories).merge(
            division_table(categories)[["nace", "category"]], on="nace")
        rows = rows.assign(stars_eocic=eu_stars(snap, rows, year, categories),
                           traded=traded(rows, categories).values)
        rows = rows[rows["traded"]]
        counted = rows[rows["employment"].notna()]
        total = counted.groupby("geo")["employment"].sum()
        starred = counted[counted["stars_eocic"] >= 1].groupby("geo")["employment"].sum()
        strong = (rows["stars_eocic"] >= HEADLINE_MIN_STARS).groupby(rows["geo"]).sum()
        share = (100.0 * starred.reindex(total.index).fillna(0.0) / total.where(total > 0))
        return {"strong_traded_divisions": strong.astype(float),
                "starred_traded_share": share.reindex(strong.index).astype(float)}
    return ref.cached(snap, ("eu_cluster_statistics", year, categories_key(categories)), compute)


def eu_stars(snap: Snapshot, rows: pd.DataFrame, year: int, categories: CategoryMap,
             preset: str = "eocic") -> pd.Series:
    """Stars of many region-division rows at once, by the rule of `stars.rate` (each
    criterion met gives a star; percentiles from `clusters.reference_thresholds`)."""
    from workbench.analysis.clusters import reference_thresholds
    from workbench.analysis.stars import get_rule
    rule = get_rule(preset)
    limits = reference_thresholds(snap, rule, year, categories)
    per_row = rows["nace"].map(lambda n: limits.get(n, limits[None]))
    stars = pd.Series(0, index=rows.index)
    for j, criterion in enumerate(rule.criteria):
        value = pd.to_numeric(rows[criterion.measure], errors="coerce")
        met = value.notna()
        if criterion.percentile is not None:
            limit = per_row.map(lambda t: t[j].value).astype(float)
            enough = per_row.map(lambda t: t[j].n) >= rule.min_reference
            met &= enough & _reaches(value, limit, criterion.strict)
        if criterion.minimum is not None:
            met &= _reaches(value, pd.Series(criterion.minimum, index=rows.index), False)
        stars += met.astype(int)
    return stars


def _reaches(value: pd.Series, limit: pd.Series, strict: bool) -> pd.Series:
    """value >= limit (> when strict) with the tolerance of `stars._reaches`."""
    tolerance = 1e-9 * limit.abs().clip(lower=1.0)
    return (value > limit + tolerance) if strict else (value >= limit - tolerance)


# --- rules ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """A diagnosis rule: indicated when at least `k` of its tests are met."""

    challenge: str
    tests: tuple[Test, ...]
    k: int
    caveat: str = ""

    @property
    def text(self) -> str:
        tests = "; ".join(t.text for t in self.tests)
        text = f"Indicated when at least {self.k} of {len(self.tests)} tests are met ({tests})."
        return f"{text} {self.caveat}".strip()


RULES: tuple[Rule, ...] = (
    Rule("research_innovation_access",
         (Level("rd_expenditure_pct_gdp"), Level("rd_business_pct_gdp"),
          Level("rd_personnel_pct_employment"), Level("patents_per_million")), k=2),
    Rule("ecosystem_collaboration",
         (Ratio("rd_business_pct_gdp", "rd_expenditure_pct_gdp",
                "BERD as % of GERD (business share of R&D)", 100.0),
          Ratio("patents_per_million", "rd_expenditure_pct_gdp",
                "patent applications per million per 1% of GDP spent on R&D"),
          Level("kis_employment_pct")), k=2,
         caveat="Proxies only: the data have no direct measure of collaboration "
                "(co-publications, co-patents, cooperation of innovative firms)."),
    Rule("value_added_productivity",
         (Level("productivity"), Level("gdp_pps_per_head"), Level("hightech_manufacturing_pct")),
         k=2),
    Rule("cluster_management",
         (ClusterStatistic("strong_traded_divisions"), ClusterStatistic("starred_traded_share")),
         k=2,
         caveat="Proxy only: cluster management capacity is not measured in any statistic; "
                "the rule tests the critical mass of strong traded clusters."),
    Rule("entrepreneurial_dynamics",
         (Level("local_units_per_1000"), Growth("employment"), Growth("local_units_per_1000")),
         k=2,
         caveat="Local units are establishments; start-up data are not in the snapshot."),
)


def rule_indicators() -> list[str]:
    """Every indicator id the rules read (sorted)."""
    return sorted({i for rule in RULES for t in rule.tests for i in t.indicators})


def decide(met: Iterable[bool | None], k: int) -> VerdictValue:
    """The verdict from the tests' outcomes (see module docstring)."""
    outcomes = list(met)
    n_met = sum(m is True for m in outcomes)
    n_missing = sum(m is None for m in outcomes)
    if n_met < k <= n_met + n_missing:
        return "insufficient_data"
    return "indicated" if n_met >= k else "not_indicated"


def confidence(verdict: VerdictValue, n_missing: int, aggregate: bool) -> Confidence:
    """How firm a verdict is (module docstring)."""
    if verdict == "insufficient_data":
        return "low"
    return "medium" if n_missing or aggregate else "high"


@dataclass(frozen=True)
class Verdict:
    challenge: str
    label: str
    verdict: VerdictValue
    rule: str
    evidence: tuple[Evidence, ...]
    published: bool
    agreement: bool | None
    confidence: Confidence = "low"
    missing: tuple[str, ...] = ()


def evaluate(rule: Rule, facts: Facts, published: Iterable[str] = ()) -> Verdict:
    """Apply one rule and set it beside the published EOCIC finding."""
    evidence = tuple(t.evaluate(facts) for t in rule.tests)
    verdict = decide((e.met for e in evidence), rule.k)
    missing = tuple(e.test for e in evidence if e.met is None)
    is_published = rule.challenge in set(published)
    agreement = None if verdict == "insufficient_data" else (verdict == "indicated") == is_published
    return Verdict(rule.challenge, challenge(rule.challenge).label, verdict, rule.text, evidence,
                   is_published, agreement, confidence(verdict, len(missing), bool(facts.aggregate)),
                   missing)


def diagnose(facts: Facts, published: Iterable[str]) -> list[Verdict]:
    """All five verdicts, in the order of the joint challenges."""
    published = tuple(published)
    return [evaluate(rule, facts, published) for rule in RULES]


# --- the rules run on every EU NUTS 2 region (calibration) --------------------------------

def eu_verdicts(snap: Snapshot, categories: CategoryMap, sector_year: int | None = None) -> pd.DataFrame:
    """The verdict of every rule for every EU-27 NUTS 2 region: geo × challenge id.

    Each test's measure is computed once for all regions (`compute` on the EU tables)."""
    def compute() -> pd.DataFrame:
        present = [i for i in rule_indicators() if ref.has_indicator(snap, i)]
        tables = {i: ref.eu_values(snap, i) for i in present}
        clusters = {} if sector_year is None else eu_cluster_statistics(snap, sector_year, categories)
        tests = [t for rule in RULES for t in rule.tests
                 if isinstance(t, WeakestThird) and t.indicators and set(t.indicators) <= set(present)]
        measures = {t: t.compute(tables) for t in tests}
        memo = {(t, y): table[y].dropna().to_numpy(dtype=float)
                for t, table in measures.items() for y in table.columns}
        shared = dict(
            distribution=lambda indicator, y: ref.distribution(snap, indicator, y),
            reference_years={i: y for i in present if (y := ref.reference_year(snap, i)) is not None},
            directions={i: snap.catalogue.loc[i, "direction"] for i in present},
            cluster_distribution=clusters, cluster_year=sector_year, memo=memo)
        empty = pd.Series(dtype=float)
        rows = {}
        for geo in ref.eu_units(snap, present):
            facts = Facts(
                series={}, measures={t: (m.loc[geo] if geo in m.index else empty) for t, m in measures.items()},
                cluster={s: v[geo] for s, v in clusters.items() if geo in v.index}, **shared)
            rows[geo] = {r.challenge: evaluate(r, facts).verdict for r in RULES}
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("geo")
    from workbench.analysis.clusters import categories_key
    return ref.cached(snap, ("eu_verdicts", sector_year, categories_key(categories)), compute)


def calibration(verdicts: pd.DataFrame) -> pd.DataFrame:
    """Per rule: k of n, regions, regions with a verdict, indicated, % of those with a verdict."""
    rows = []
    for rule in RULES:
        column = verdicts[rule.challenge]
        decided = int((column != "insufficient_data").sum())
        indicated = int((column == "indicated").sum())
        rows.append({"challenge": rule.challenge, "label": challenge(rule.challenge).label,
                     "k": rule.k, "n": len(rule.tests), "regions": len(column),
                     "with_verdict": decided, "indicated": indicated,
                     "indicated_pct": 100.0 * indicated / decided if decided else float("nan")})
    return pd.DataFrame(rows)


def default_sector_year(snap: Snapshot) -> int | None:
    """The SBS year of the pilots' sector tables (latest complete EU-27 year), if any."""
    from workbench.analysis.clusters import eu_complete_years
    years = eu_complete_years(snap)
    return max(years) if years else None
