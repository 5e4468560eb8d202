"""SWOT of a region: strengths and weaknesses from the data, opportunities and threats from the profile.

* Strengths: key indicators with a percentile among EU-27 NUTS 2 regions of at least
  `HIGH_PERCENTILE` (at most `LOW_PERCENTILE` for `lower_better` indicators), and traded,
  plausible NACE divisions with at least `STRONG_STARS` headline stars (EOCIC three factors;
  largest employment first, at most `MAX_SECTORS`). Local and `suspect` divisions never count.
* Weaknesses: key indicators at the other end of the distribution. Indicators with direction
  `neutral` or without a percentile (counts, money) are not classified.
* Opportunities and threats: the sourced statements of the region profile.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbench.analysis import clusters
from workbench.regions import RegionProfile

HIGH_PERCENTILE = 75.0
LOW_PERCENTILE = 25.0
STRONG_STARS = 2
STAR_LABEL = "EOCIC three factors"
MAX_SECTORS = 5


@dataclass(frozen=True)
class SwotItem:
    text: str
    evidence: str


@dataclass(frozen=True)
class Swot:
    strengths: tuple[SwotItem, ...]
    weaknesses: tuple[SwotItem, ...]
    opportunities: tuple[SwotItem, ...]
    threats: tuple[SwotItem, ...]

    def payload(self) -> dict[str, list[dict[str, str]]]:
        return {name: [{"text": i.text, "evidence": i.evidence} for i in getattr(self, name)]
                for name in ("strengths", "weaknesses", "opportunities", "threats")}


def _number(value: float) -> str:
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{value:,.{digits}f}"


def _indicator_item(row: pd.Series) -> SwotItem:
    eu = "n/a" if pd.isna(row["eu"]) else _number(row["eu"])
    text = (f"{row['label']}: {_number(row['value'])} {row['unit']} in {int(row['year'])}, "
            f"higher than in {row['percentile']:.0f}% of EU-27 NUTS 2 regions (EU-27: {eu})")
    return SwotItem(text, row["source"])


def classify_indicators(indicators: pd.DataFrame) -> tuple[list[SwotItem], list[SwotItem]]:
    """Strengths and weaknesses from the key-indicator table (columns as in `indicators`)."""
    strengths, weaknesses = [], []
    rated = indicators[indicators["percentile"].notna() & indicators["value"].notna()
                       & indicators["direction"].isin(["higher_better", "lower_better"])]
    for _, row in rated.sort_values("percentile", ascending=False).iterrows():
        high = row["percentile"] >= HIGH_PERCENTILE
        low = row["percentile"] <= LOW_PERCENTILE
        good = high if row["direction"] == "higher_better" else low
        bad = low if row["direction"] == "higher_better" else high
        if good:
            strengths.append(_indicator_item(row))
        elif bad:
            weaknesses.append(_indicator_item(row))
    return strengths, weaknesses


def strong_sectors(sectors: pd.DataFrame, sector_source: str) -> list[SwotItem]:
    """Traded, plausible divisions with at least `STRONG_STARS` headline stars, largest first."""
    column = "headline_stars"
    if sectors.empty or column not in sectors:
        return []
    rated = clusters.rated(sectors)
    strong = rated[rated[column] >= STRONG_STARS].sort_values("employment", ascending=False)
    items = []
    for row in strong.head(MAX_SECTORS).itertuples():
        lq = "n/a" if pd.isna(row.lq) else f"{row.lq:.2f}"
        employment = "n/a" if pd.isna(row.employment) else f"{row.employment:,.0f}"
        text = (f"Strong traded cluster in NACE {row.nace} {row.label}: {int(getattr(row, column))} "
                f"of 3 stars ({STAR_LABEL}), location quotient {lq}, {employment} persons "
                f"employed ({int(row.year)})")
        items.append(SwotItem(text, sector_source))
    return items


def swot(indicators: pd.DataFrame, sectors: pd.DataFrame, sector_source: str,
         profile: RegionProfile) -> Swot:
    """The SWOT of a region."""
    strengths, weaknesses = classify_indicators(indicators)
    strengths += strong_sectors(sectors, sector_source)
    return Swot(
        strengths=tuple(strengths), weaknesses=tuple(weaknesses),
        opportunities=tuple(SwotItem(o.text, o.source) for o in profile.opportunities),
        threats=tuple(SwotItem(t.text, t.source) for t in profile.threats),
    )
