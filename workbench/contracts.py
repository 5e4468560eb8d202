"""The payload contracts of the result documents as pydantic models (docs/design.md).

`AssessmentPayload` and `ProposalsPayload` describe the `payload` of the `assessment` and
`proposals` result documents field by field, in the order the producing code emits them, so
that `model_dump()` of a validated payload gives back the same JSON. Models are strict: no
coercion (a number as text is an error), no unknown keys. `payload_problems` lists every problem
with the path of the field; `payload_schema` is the JSON schema written to
docs/payload-schema.json (`python -m workbench.contracts` rewrites it).
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainValidator, ValidationError, WithJsonSchema

from workbench.analysis.diagnosis import VerdictValue

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "docs" / "payload-schema.json"


def _number(value: Any) -> int | float | None:
    """A JSON number (integer or finite float) or null, kept as given; bool is not a number."""
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)
                         and math.isfinite(value)):
        return value
    raise ValueError(f"expected a finite number or null, got {type(value).__name__}")


Number = Annotated[int | float | None, PlainValidator(_number),
                   WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "null"}]})]


class Contract(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


# ---- assessment -------------------------------------------------------------------------------

class NutsMapped(Contract):
    """A NUTS 2021 code of the profile and the NUTS 2016 working unit it was analysed as."""
    field: str
    written: list[str]
    working: str
    how: str


class Region(Contract):
    id: str
    name: str
    country: str
    country_name: str
    code: str
    level: int
    parts: list[str]
    composition: str
    nuts_mapped: list[NutsMapped]


class Indicator(Contract):
    id: str
    label: str
    unit: str | None
    direction: str | None
    year: int | None
    value: Number
    national: Number
    eu: Number
    percentile: Number
    n_regions: int | None
    method: str | None
    flag: str | None
    source: str
    reference_kind: str | None
    reference_year: int | None


class Stars(Contract):
    eco: int | None
    eocic: int | None
    us: int | None


class StarReasons(Contract):
    eco: list[str]
    eocic: list[str]
    us: list[str]


class Sector(Contract):
    nace: str
    label: str
    category: str | None
    year: int
    employment: Number
    share: Number
    lq: Number
    wage_per_employee: Number
    local_units: Number
    growth_pct: Number
    growth_years: str | None
    traded: bool
    suspect: str
    headline_stars: int
    stars: Stars
    star_reasons: StarReasons


class DimensionIndicator(Contract):
    id: str
    label: str
    year: int
    value: Number
    score: Number


class Dimension(Contract):
    id: str
    label: str
    score: Number
    n_indicators: int
    rank: int | None
    n_ranked: int
    year: int
    indicators: list[DimensionIndicator]


class Composite(Contract):
    score: Number
    rank: int | None
    n_ranked: int


class Peer(Contract):
    geo: str
    name: str
    reason: str


class Scoreboard(Contract):
    dimensions: list[Dimension]
    composite: Composite
    missing_dimensions: list[str]
    peers: list[Peer]
    peer_scores: dict[str, dict[str, Number]]


class Evidence(Contract):
    indicator: str
    label: str
    value: Number
    year: int | None
    benchmark: str
    benchmark_value: Number
    test: str
    met: bool | None
    source: str


class Challenge(Contract):
    id: str
    label: str
    verdict: VerdictValue
    rule: str
    evidence: list[Evidence]
    published: bool
    agreement: bool | None
    confidence: str
    missing: list[str]


class SwotItem(Contract):
    text: str
    evidence: str


class Swot(Contract):
    strengths: list[SwotItem]
    weaknesses: list[SwotItem]
    opportunities: list[SwotItem]
    threats: list[SwotItem]


class LocalDivision(Contract):
    nace: str
    label: str
    employment: Number
    share: Number
    growth_pct: Number


class ShiftShare(Contract):
    start_year: int | None
    end_year: int | None
    total_change: Number
    national_growth: Number
    industry_mix: Number
    regional_competitive: Number


class Clusters(Contract):
    headline_rule: str
    traded_employment: Number
    traded_starred_employment: Number
    traded_starred_share_pct: Number
    year: int | None
    local_economy: list[LocalDivision]
    shift_share: ShiftShare
    emerging: list[str]
    declining: list[str]


class Movement(Contract):
    id: str
    label: str
    unit: str | None
    direction: str | None
    comparable: bool
    note: str | None
    baseline_year: int | None
    baseline_value: Number
    baseline_eu: Number
    latest_year: int | None
    latest_value: Number
    latest_eu: Number
    change: Number
    gap_then: Number
    gap_now: Number
    gap_change: Number
    movement: str | None
    rank_then: int | None
    n_then: int | None
    rank_now: int | None
    n_now: int | None
    source: str


class VerdictChange(Contract):
    id: str
    label: str
    then: str
    now: str
    published: bool
    changed_by: list[str]


class Since(Contract):
    baseline_year: int
    indicators: list[Movement]
    verdicts: list[VerdictChange]


class SectorGap(Contract):
    """Why the region has no sector rows (docs/methods-clusters.md, "Regions without sector data"):
    `reason` which data are missing (one clause), `text` the paragraph the report shows."""

    reason: str
    text: str
    larger_unit: str | None
    larger_unit_name: str | None


class AssessmentPayload(Contract):
    """The `assessment` payload (schema_version 1)."""

    region: Region
    indicators: list[Indicator]
    sectors: list[Sector]
    sector_source: str
    sector_gap: SectorGap | None = None
    scoreboard: Scoreboard
    challenges: list[Challenge]
    swot: Swot
    clusters: Clusters
    since: Since


# ---- proposals --------------------------------------------------------------------------------

class Horizon(Contract):
    start: int
    end: int
    run_year: int


class Kpi(Contract):
    indicator: str
    label: str
    baseline: Number
    baseline_year: int | None
    source: str
    target: Number
    target_year: int | None
    rule: str


class Output(Contract):
    label: str
    target: Number


class ClusterItem(Contract):
    nace: str
    label: str
    employment: Number
    year: int | None
    lq: Number
    growth_pct: Number
    stars: int | None


class RegionalClusters(Contract):
    text: str
    items: list[ClusterItem]
    organisations: list[str]


class GapItem(Contract):
    indicator: str
    label: str
    value: Number
    year: int | None
    eu: Number
    eu_kind: str
    percentile: Number
    n_regions: int | None


class RegionalGaps(Contract):
    text: str
    items: list[GapItem]


class PeerItem(Contract):
    indicator: str
    geo: str
    name: str
    value: Number
    year: int | None


class RegionalPeers(Contract):
    text: str
    items: list[PeerItem]


class Regional(Contract):
    clusters: RegionalClusters
    gaps: RegionalGaps
    peers: RegionalPeers
    why: str


class Measure(Contract):
    id: str
    title: str
    step: str
    challenges: list[str]
    priority: int
    score: int
    reason: str
    start: int
    end: int
    instruments: list[str]
    history_instruments: list[str]
    kpis: list[Kpi]
    results: list[Kpi]
    outputs: list[Output]
    regional: Regional | None


class ProposalsPayload(Contract):
    """The `proposals` payload (schema_version 1)."""

    region: Region
    horizon: Horizon
    strategy: str
    measures: list[Measure]


PAYLOADS: dict[str, type[Contract]] = {"assessment": AssessmentPayload, "proposals": ProposalsPayload}


def payload_problems(kind: str, payload: Any) -> list[str]:
    """Every problem of a `kind` payload, each naming the field's path (empty when valid)."""
    try:
        PAYLOADS[kind].model_validate(payload)
    except ValidationError as error:
        return [_problem(e) for e in error.errors(include_url=False)]
    return []


def _problem(error: dict[str, Any]) -> str:
    loc = error["loc"]
    if error["type"] == "missing":
        return f"{_path(loc[:-1])}: missing key {loc[-1]!r}"
    if error["type"] == "extra_forbidden":
        return f"{_path(loc[:-1])}: unexpected key {loc[-1]!r}"
    message = error["msg"].removeprefix("Value error, ")
    if "got " not in message:
        message += f", got {type(error['input']).__name__}"
    return f"{_path(loc)}: {message}"


def _path(loc: tuple[int | str, ...]) -> str:
    return "payload" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)


def payload_schema() -> dict[str, Any]:
    """The JSON schema of both payloads, keyed by result kind."""
    return {"$comment": "Generated from workbench/contracts.py by `python -m workbench.contracts`; "
                        "do not edit by hand.",
            "payloads": {kind: model.model_json_schema() for kind, model in PAYLOADS.items()}}


def schema_text() -> str:
    return json.dumps(payload_schema(), indent=1, sort_keys=False) + "\n"


def main() -> None:
    """Write docs/payload-schema.json from the models."""
    SCHEMA_FILE.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE.name}", file=sys.stderr)


if __name__ == "__main__":
    main()
