"""Which of the five joint challenges the data indicate for a region: one rule per challenge.

The rules and their thresholds were set from economic reasoning relative to EU benchmarks
before they were compared with the EOCIC Summary Report's lists (docs/methods-assessment.md
§4); they are not fitted to the published findings. The EU-27 benchmark is the EU-27 aggregate
of the same year; where the snapshot has none (too few countries report), the median of the
EU-27 NUTS 2 regions of that year, when at least `MIN_REGIONS_FOR_MEDIAN` have a value; the
evidence item names which. Each rule is a list of tests; a test turns
the data into one evidence item whose `met` is True, False or None (no data). Verdict:

* ``insufficient_data`` when fewer than `min_evidence` tests have data, or when the missing
  tests could change the outcome (met < k <= met + missing): the rule never guesses;
* ``indicated`` when at least `k` tests are met; ``not_indicated`` otherwise.

Thresholds:

* research_innovation_access: at least 2 of GERD % GDP, BERD % GDP, R&D personnel % of
  employment and EPO patents per million below 75 % of the EU-27 benchmark (3 with data needed);
* ecosystem_collaboration (proxies; no direct collaboration indicator exists): at least 2 of
  BERD share of GERD below the EU's, patents per million per 1 % of GDP in R&D below the EU's,
  knowledge-intensive-services employment % below the EU's (all 3 with data needed);
* value_added_productivity: at least 2 of productivity (GDP PPS per person employed), GDP per
  head (PPS) and high/medium-high-tech manufacturing employment % below the EU-27 benchmark;
* cluster_management: fewer than 3 NACE divisions with >= 2 EOCIC-preset stars and less than
  20 % of SBS employment in divisions with >= 1 EOCIC-preset star (both);
* entrepreneurial_dynamics: at least 2 of local units per 1,000 inhabitants below the EU's,
  5-year employment growth below the EU's, 5-year growth of local units per 1,000 below the EU's.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Literal, Mapping, Protocol

import numpy as np
import pandas as pd

from workbench.analysis.indicators import benchmarks, has_indicator, latest_row, with_year
from workbench.concepts import challenge
from workbench.regions import RegionProfile

VerdictValue = Literal["indicated", "not_indicated", "insufficient_data"]
EU = "EU-27"
MIN_REGIONS_FOR_MEDIAN = 100

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


def _name(indicator_id: str) -> str:
    return SHORT_NAMES.get(indicator_id, indicator_id)


@dataclass(frozen=True)
class Facts:
    """What the rules read, so that they can be tested on constructed data.

    `series`: indicator id -> DataFrame[year, region, eu]; `labels` and `sources` (source
    stems) by indicator id; `distribution(indicator, year)`: the EU-27 NUTS 2 values (for the
    fallback benchmark); `sectors`: the region's sector table from
    `workbench.analysis.clusters.region_sectors` (may be empty).
    """

    series: Mapping[str, pd.DataFrame]
    labels: Mapping[str, str]
    sources: Mapping[str, str]
    distribution: Callable[[str, int], pd.Series] = lambda indicator, year: pd.Series(dtype=float)
    sectors: pd.DataFrame = field(default_factory=pd.DataFrame)
    sector_source: str = ""

    def table(self, indicator_id: str) -> pd.DataFrame:
        frame = self.series.get(indicator_id)
        if frame is None:
            return pd.DataFrame(columns=["year", "region", "eu"])
        return frame.sort_values("year")

    def label(self, indicator_id: str) -> str:
        return self.labels.get(indicator_id, indicator_id)

    def source(self, indicator_id: str, year: int | None) -> str:
        stem = self.sources.get(indicator_id)
        return with_year(stem, year) if stem else "not in the data snapshot"

    def as_of(self, year: int) -> "Facts":
        """The facts as they stood in `year`: every series cut at that year, and the sector
        table dropped when it is of a later year."""
        later = not self.sectors.empty and int(self.sectors["year"].max()) > year
        return replace(self, series={i: f[f["year"] <= year] for i, f in self.series.items()},
                       sectors=self.sectors.iloc[0:0] if later else self.sectors)

    @classmethod
    def from_snapshot(cls, snap: Any, profile: RegionProfile, sectors: pd.DataFrame,
                      sector_source: str) -> "Facts":
        ids = sorted({i for rule in RULES for t in rule.tests for i in t.indicators})
        present = [i for i in ids if has_indicator(snap, i)]
        return cls(
            series={i: benchmarks(snap, i, profile) for i in present},
            labels={i: snap.catalogue.loc[i, "label"] for i in present},
            sources={i: snap.source(i) for i in present},
            distribution=lambda indicator, year: snap.distribution(indicator, year),
            sectors=sectors, sector_source=sector_source,
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


def _below(value: float | None, threshold: float | None) -> bool | None:
    if value is None or threshold is None:
        return None
    return bool(value < threshold)


def benchmark(eu: float | None, regional: pd.Series) -> tuple[str, float | None]:
    """The EU-27 value when the snapshot has it, otherwise the median of the EU-27 NUTS 2
    regions' values when at least `MIN_REGIONS_FOR_MEDIAN` have one, otherwise none."""
    if eu is not None:
        return EU, eu
    values = regional.replace([np.inf, -np.inf], np.nan).dropna()
    if len(values) >= MIN_REGIONS_FOR_MEDIAN:
        return f"EU-27 NUTS 2 median ({len(values)} regions)", float(values.median())
    return EU, None


def _value(row: pd.Series | None, column: str) -> float | None:
    if row is None or pd.isna(row[column]):
        return None
    return float(row[column])


@dataclass(frozen=True)
class BelowEU:
    """The region's latest value is below `share` × the EU-27 value of the same year."""

    indicator: str
    share: float = 1.0

    @property
    def indicators(self) -> tuple[str, ...]:
        return (self.indicator,)

    @property
    def text(self) -> str:
        level = "the EU-27 benchmark" if self.share == 1 else f"{self.share:.0%} of the EU-27 benchmark"
        return f"{_name(self.indicator)} below {level}"

    def evaluate(self, facts: Facts) -> Evidence:
        row = latest_row(facts.table(self.indicator))
        value = _value(row, "region")
        year = None if row is None else int(row["year"])
        name, reference = EU, None
        if year is not None:
            name, reference = benchmark(_value(row, "eu"), facts.distribution(self.indicator, year))
        threshold = None if reference is None else self.share * reference
        return Evidence(self.indicator, facts.label(self.indicator), value, year, name, reference,
                        self.text, _below(value, threshold), facts.source(self.indicator, year))


@dataclass(frozen=True)
class RatioBelowEU:
    """numerator / denominator (× `scale`) in the latest common year is below the EU's ratio."""

    numerator: str
    denominator: str
    label: str
    scale: float = 1.0

    @property
    def indicators(self) -> tuple[str, ...]:
        return (self.numerator, self.denominator)

    @property
    def text(self) -> str:
        return f"{self.label} below the EU-27 benchmark"

    def evaluate(self, facts: Facts) -> Evidence:
        num, den = facts.table(self.numerator), facts.table(self.denominator)
        both = num.merge(den, on="year", suffixes=("_n", "_d"))
        both = both[both["region_n"].notna() & both["region_d"].notna() & (both["region_d"] != 0)]
        row = None if both.empty else both.iloc[-1]
        year = None if row is None else int(row["year"])
        value = None if row is None else self.scale * float(row["region_n"]) / float(row["region_d"])
        name, reference = EU, None
        if row is not None:
            eu = None
            if pd.notna(row["eu_n"]) and pd.notna(row["eu_d"]) and row["eu_d"] != 0:
                eu = self.scale * float(row["eu_n"]) / float(row["eu_d"])
            regional = self.scale * (facts.distribution(self.numerator, year)
                                     / facts.distribution(self.denominator, year))
            name, reference = benchmark(eu, regional)
        source = "; ".join(facts.source(i, year) for i in self.indicators)
        return Evidence(f"{self.numerator}/{self.denominator}", self.label, value, year, name,
                        reference, self.text, _below(value, reference), source)


@dataclass(frozen=True)
class GrowthBelowEU:
    """Growth (%) over `years` years to the region's latest year is below the EU's growth."""

    indicator: str
    years: int = 5

    @property
    def indicators(self) -> tuple[str, ...]:
        return (self.indicator,)

    @property
    def text(self) -> str:
        return (f"growth of {_name(self.indicator)} over {self.years} years below the EU-27 "
                f"benchmark")

    def evaluate(self, facts: Facts) -> Evidence:
        table = facts.table(self.indicator).set_index("year")
        end = latest_row(facts.table(self.indicator))
        year = None if end is None else int(end["year"])
        value, name, reference = None, EU, None
        if year is not None and year - self.years in table.index:
            start = table.loc[year - self.years]
            value = _growth(start["region"], end["region"])
            regional = 100.0 * (facts.distribution(self.indicator, year)
                                / facts.distribution(self.indicator, year - self.years) - 1.0)
            name, reference = benchmark(_growth(start["eu"], end["eu"]), regional)
        label = f"{facts.label(self.indicator)}: growth over {self.years} years, %"
        return Evidence(self.indicator, label, value, year, name, reference, self.text,
                        _below(value, reference), facts.source(self.indicator, year))


def _growth(start: Any, end: Any) -> float | None:
    if start is None or end is None or pd.isna(start) or pd.isna(end) or float(start) == 0:
        return None
    return 100.0 * (float(end) / float(start) - 1.0)


@dataclass(frozen=True)
class FewStrongDivisions:
    """Fewer than `threshold` NACE divisions with at least `min_stars` stars under `preset`."""

    min_stars: int = 2
    preset: str = "eocic"
    threshold: int = 3
    indicators: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return (f"fewer than {self.threshold} NACE divisions with at least {self.min_stars} "
                f"stars ({self.preset} preset)")

    def evaluate(self, facts: Facts) -> Evidence:
        sectors, column = facts.sectors, f"stars_{self.preset}"
        value = year = None
        if not sectors.empty and column in sectors:
            value = float((sectors[column] >= self.min_stars).sum())
            year = int(sectors["year"].max())
        return Evidence(f"divisions_{self.min_stars}plus_stars_{self.preset}",
                        f"NACE divisions with ≥ {self.min_stars} stars ({self.preset} preset)",
                        value, year, "fixed threshold", float(self.threshold), self.text,
                        _below(value, self.threshold), facts.sector_source)


@dataclass(frozen=True)
class SmallStarredShare:
    """Less than `threshold` % of employment (divisions with data) in divisions with stars."""

    min_stars: int = 1
    preset: str = "eocic"
    threshold: float = 20.0
    indicators: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return (f"less than {self.threshold:g}% of SBS employment in divisions with at least "
                f"{self.min_stars} star ({self.preset} preset)")

    def evaluate(self, facts: Facts) -> Evidence:
        sectors, column = facts.sectors, f"stars_{self.preset}"
        value = year = None
        if not sectors.empty and column in sectors:
            counted = sectors[sectors["employment"].notna()]
            total = counted["employment"].sum()
            if total > 0:
                starred = counted.loc[counted[column] >= self.min_stars, "employment"].sum()
                value = 100.0 * float(starred) / float(total)
                year = int(counted["year"].max())
        return Evidence(f"employment_share_starred_{self.preset}",
                        f"Share of SBS employment in divisions with ≥ {self.min_stars} star "
                        f"({self.preset} preset), %", value, year, "fixed threshold",
                        self.threshold, self.text, _below(value, self.threshold),
                        facts.sector_source)


@dataclass(frozen=True)
class Rule:
    """A diagnosis rule: indicated when at least `k` tests are met."""

    challenge: str
    tests: tuple[Test, ...]
    k: int
    min_evidence: int
    caveat: str = ""

    @property
    def text(self) -> str:
        tests = "; ".join(t.text for t in self.tests)
        text = (f"Indicated when at least {self.k} of {len(self.tests)} tests are met ({tests}); "
                f"at least {self.min_evidence} tests need data.")
        return f"{text} {self.caveat}".strip()


RULES: tuple[Rule, ...] = (
    Rule("research_innovation_access",
         (BelowEU("rd_expenditure_pct_gdp", 0.75), BelowEU("rd_business_pct_gdp", 0.75),
          BelowEU("rd_personnel_pct_employment", 0.75), BelowEU("patents_per_million", 0.75)),
         k=2, min_evidence=3),
    Rule("ecosystem_collaboration",
         (RatioBelowEU("rd_business_pct_gdp", "rd_expenditure_pct_gdp",
                       "BERD as % of GERD (business share of R&D)", 100.0),
          RatioBelowEU("patents_per_million", "rd_expenditure_pct_gdp",
                       "Patent applications per million per 1% of GDP spent on R&D"),
          BelowEU("kis_employment_pct")),
         k=2, min_evidence=3,
         caveat="Proxies only: the data have no direct measure of collaboration "
                "(co-publications, co-patents, cooperation of innovative firms)."),
    Rule("value_added_productivity",
         (BelowEU("productivity"), BelowEU("gdp_pps_per_head"),
          BelowEU("hightech_manufacturing_pct")),
         k=2, min_evidence=2),
    Rule("cluster_management",
         (FewStrongDivisions(), SmallStarredShare()),
         k=2, min_evidence=2,
         caveat="Proxy only: cluster management capacity is not measured in any statistic; "
                "the rule tests the critical mass of strong clusters."),
    Rule("entrepreneurial_dynamics",
         (BelowEU("local_units_per_1000"), GrowthBelowEU("employment"),
          GrowthBelowEU("local_units_per_1000")),
         k=2, min_evidence=2,
         caveat="Local units are establishments; start-up data are not in the snapshot."),
)


def decide(met: Iterable[bool | None], k: int, min_evidence: int) -> VerdictValue:
    """The verdict from the tests' outcomes (see module docstring)."""
    outcomes = list(met)
    n_met = sum(m is True for m in outcomes)
    n_missing = sum(m is None for m in outcomes)
    if len(outcomes) - n_missing < min_evidence or n_met < k <= n_met + n_missing:
        return "insufficient_data"
    return "indicated" if n_met >= k else "not_indicated"


@dataclass(frozen=True)
class Verdict:
    challenge: str
    label: str
    verdict: VerdictValue
    rule: str
    evidence: tuple[Evidence, ...]
    published: bool
    agreement: bool | None


def evaluate(rule: Rule, facts: Facts, published: Iterable[str]) -> Verdict:
    """Apply one rule and set it beside the published EOCIC finding."""
    evidence = tuple(t.evaluate(facts) for t in rule.tests)
    verdict = decide((e.met for e in evidence), rule.k, rule.min_evidence)
    is_published = rule.challenge in set(published)
    agreement = None if verdict == "insufficient_data" else (verdict == "indicated") == is_published
    return Verdict(rule.challenge, challenge(rule.challenge).label, verdict, rule.text, evidence,
                   is_published, agreement)


def diagnose(facts: Facts, published: Iterable[str]) -> list[Verdict]:
    """All five verdicts, in the order of the joint challenges."""
    published = tuple(published)
    return [evaluate(rule, facts, published) for rule in RULES]
