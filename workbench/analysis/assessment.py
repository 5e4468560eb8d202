"""The assessment of one region, computed once, and its `assessment` result payload.

`assess` runs the indicator table, the sector table (`workbench.analysis.clusters`), the
scoreboard, the diagnosis and the SWOT; `Assessment.payload()` returns the payload of the
`assessment` result document exactly as docs/design.md specifies; `validate_payload` checks a
payload against the `workbench.contracts` model and lists every problem.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from workbench import contracts
from workbench.analysis import clusters, shift_share
from workbench.analysis.diagnosis import Facts, Verdict, diagnose
from workbench.analysis.indicators import key_indicators, sourced
from workbench.analysis.region_units import Mapping, working_profile
from workbench.analysis.scoreboard import Scoreboard, scoreboard
from workbench.analysis.sector_gap import SectorGap, empty_sectors, sector_gap
from workbench.analysis.since import BASELINE_YEAR, Since, movements, verdict_changes
from workbench.analysis.swot import Swot, swot
from workbench.data.protocol import Snapshot
from workbench.regions import RegionProfile

PRESETS = ("eco", "eocic", "us")
SECTOR_INDICATOR = "sbs_persons_employed"


@dataclass(frozen=True)
class Assessment:
    profile: RegionProfile
    indicators: pd.DataFrame
    sectors: pd.DataFrame
    sector_source: str
    scoreboard: Scoreboard
    challenges: list[Verdict]
    swot: Swot
    since: Since
    shift: shift_share.ShiftShare | None = None
    nuts_mapped: tuple[Mapping, ...] = ()
    """NUTS 2021 codes of the profile mapped to the NUTS 2016 units analysed (`region_units`)."""
    sector_gap: SectorGap | None = None
    """Why `sectors` is empty (no regional SBS employment to rate); None when it is not."""

    def payload_clusters(self) -> dict[str, Any]:
        """The `clusters` object of the payload (K2)."""
        return clusters_payload(self.sectors, self.shift)

    def payload(self) -> dict[str, Any]:
        """The `assessment` payload (docs/design.md), in plain Python types."""
        return {
            "region": {**region_payload(self.profile), "nuts_mapped": [m.payload() for m in self.nuts_mapped]},
            "indicators": [indicator_payload(row) for row in self.indicators.to_dict("records")],
            "sectors": [sector_payload(row) for row in self.sectors.to_dict("records")],
            "sector_source": self.sector_source,
            "sector_gap": self.sector_gap.payload() if self.sector_gap else None,
            "scoreboard": self.scoreboard.payload(),
            "challenges": [challenge_payload(v) for v in self.challenges],
            "swot": self.swot.payload(),
            "clusters": self.payload_clusters(),
            "since": self.since.payload(),
        }


def assess(snap: Snapshot, profile: RegionProfile, n_peers: int = 5,
           exclude_same_country: bool = False, baseline_year: int = BASELINE_YEAR, *,
           categories: clusters.CategoryMap) -> Assessment:
    """Compute every part of a region's assessment from the snapshot and the cluster category
    mapping `categories` (`workbench.templates.load_categories`); `baseline_year` is the
    year of the EOCIC assessment against which the region's movement is measured. A profile
    naming NUTS 2021 codes is analysed with its NUTS 2016 units (`Assessment.profile`). A
    region without SBS employment to rate gets an empty sector table and `sector_gap` says why;
    every other part is computed as usual."""
    profile, nuts_mapped = working_profile(snap, profile)
    indicators = key_indicators(snap, profile)
    gap = sector_gap(snap, profile.nuts.code, profile.nuts.parts, profile.name)
    sectors = (clusters.region_sectors(snap, profile.nuts.code, profile.nuts.parts, categories=categories)
               if gap is None else empty_sectors())
    year = int(sectors["year"].max()) if not sectors.empty else None
    sector_source = sourced(snap, SECTOR_INDICATOR, year)
    facts = Facts.from_snapshot(snap, profile, sectors, sector_source, categories)
    shift = (shift_share.region_shift_share(snap, profile.nuts.code, profile.nuts.parts, sectors)
             if not sectors.empty else None)
    challenges = diagnose(facts, profile.published_challenge_ids)
    then = diagnose(facts.as_of(baseline_year), profile.published_challenge_ids)
    return Assessment(
        profile=profile, indicators=indicators, sectors=sectors, sector_source=sector_source,
        scoreboard=scoreboard(snap, profile, n_peers, exclude_same_country),
        challenges=challenges,
        swot=swot(indicators, sectors, sector_source, profile),
        since=Since(baseline_year, movements(snap, profile, baseline_year), verdict_changes(then, challenges)),
        shift=shift, nuts_mapped=nuts_mapped, sector_gap=gap,
    )


def region_payload(profile: RegionProfile) -> dict[str, Any]:
    return {"id": profile.id, "name": profile.name, "country": profile.country,
            "country_name": profile.country_name, "code": profile.nuts.code,
            "level": profile.nuts.level, "parts": list(profile.nuts.parts),
            "composition": profile.nuts.composition}


def indicator_payload(row: dict[str, Any]) -> dict[str, Any]:
    """One key-indicator row of the payload (years and counts as integers)."""
    out = {k: _plain(v) for k, v in row.items()}
    for key in ("year", "n_regions", "reference_year"):
        out[key] = None if out[key] is None else int(out[key])
    return out


def sector_payload(row: dict[str, Any]) -> dict[str, Any]:
    """One sector row of the payload from a `region_sectors` row."""
    keys = ("nace", "label", "category", "year", "employment", "share", "lq",
            "wage_per_employee", "local_units", "growth_pct", "growth_years")
    out = {k: _plain(row.get(k)) for k in keys}
    out["year"] = int(out["year"])
    out["traded"] = bool(row.get("traded", True))
    out["suspect"] = str(row.get("suspect") or "")
    out["headline_stars"] = int(_plain(row.get("headline_stars")) or 0)
    out["stars"] = {p: _plain(row.get(f"stars_{p}")) for p in PRESETS}
    out["star_reasons"] = {p: _reasons(row.get(f"reasons_{p}")) for p in PRESETS}
    return out


def clusters_payload(sectors: pd.DataFrame, shift: shift_share.ShiftShare | None) -> dict[str, Any]:
    """The `clusters` object (contract K2): traded and starred employment, shift-share,
    emerging and declining traded divisions, the local economy."""
    if sectors.empty or "traded" not in sectors:
        return {**EMPTY_CLUSTERS, "shift_share": dict(EMPTY_SHIFT)}
    out = {k: _plain(v) for k, v in clusters.traded_summary(sectors).items()}
    out["local_economy"] = [{k: _plain(v) for k, v in r.items()} for r in out["local_economy"]]
    out["shift_share"] = shift.payload() if shift else dict(EMPTY_SHIFT)
    out["emerging"] = shift_share.emerging(shift, sectors) if shift else []
    out["declining"] = shift_share.declining(shift, sectors) if shift else []
    return out


def challenge_payload(verdict: Verdict) -> dict[str, Any]:
    return {"id": verdict.challenge, "label": verdict.label, "verdict": verdict.verdict,
            "rule": verdict.rule,
            "evidence": [{k: _plain(v) for k, v in asdict(e).items()} for e in verdict.evidence],
            "published": verdict.published, "agreement": verdict.agreement,
            "confidence": verdict.confidence, "missing": list(verdict.missing)}


def _reasons(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value]


def _plain(value: Any) -> Any:
    """Python scalars from numpy/pandas ones; NaN and NA become None."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA:
        return None
    return value


EMPTY_SHIFT: dict[str, None] = {k: None for k in contracts.ShiftShare.model_fields}
EMPTY_CLUSTERS = {"headline_rule": "EOCIC three factors", "traded_employment": None,
                  "traded_starred_employment": None, "traded_starred_share_pct": None, "year": None,
                  "local_economy": [], "emerging": [], "declining": []}


def validate_payload(payload: Any) -> list[str]:
    """Problems of a payload against `contracts.AssessmentPayload`, each naming the field's
    path (empty when valid)."""
    return contracts.payload_problems("assessment", payload)
