"""What the reviewers' index page shows of a run: map, challenge matrix, one finding per region.

Read from the regions' `assessment` result documents (never recomputed), so the index says
exactly what the reports say. A region without a readable result is listed without findings;
its failure is shown by the run status.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from workbench.concepts import CHALLENGES, SUMMARY_REPORT_SOURCE, VERDICT_WORDS
from workbench.report.svg_map import MapRegion, europe_svg
from workbench.results import ResultError, read_result, result_path, write_atomic

STALE_YEARS = 3
FINDING_INDICATORS = (("gdp_pps_per_head_index", "GDP per head {value:.0f} % of the EU-27 ({year})"),
                      ("unemployment_rate", "unemployment {value:.1f} % ({year})"))


@dataclass(frozen=True)
class MatrixCell:
    verdict: str  # indicated | not_indicated | insufficient_data | missing
    text: str
    published: bool


@dataclass(frozen=True)
class RegionCard:
    region: str
    name: str
    href: str
    finding: str
    cells: list[MatrixCell] = field(default_factory=list)


@dataclass(frozen=True)
class Dashboard:
    cards: list[RegionCard]
    challenges: list[str]
    map_svg: str
    evidence_age: str
    sources: list[str]


def _indicator(payload: Mapping[str, Any], indicator_id: str) -> Mapping[str, Any] | None:
    return next((i for i in payload.get("indicators", []) if i.get("id") == indicator_id
                 and i.get("value") is not None), None)


def headline_stars(row: Mapping[str, Any]) -> int:
    return int(row.get("headline_stars") or 0)


def strongest_traded(payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The traded, plausible sectors with a headline star, strongest first (stars, then
    employment)."""
    rated = [s for s in payload.get("sectors", [])
             if s.get("traded") and not s.get("suspect") and headline_stars(s) > 0]
    return sorted(rated, key=lambda s: (headline_stars(s), s.get("employment") or 0), reverse=True)


def finding_line(payload: Mapping[str, Any]) -> str:
    """One line: headline numbers, the strongest traded cluster, the challenges the data indicate."""
    parts = []
    for indicator_id, template in FINDING_INDICATORS:
        row = _indicator(payload, indicator_id)
        if row is not None:
            parts.append(template.format(value=row["value"], year=row["year"]))
    cluster = next(iter(strongest_traded(payload)), None)
    if cluster is not None:
        lq = cluster.get("lq")
        parts.append(f"strongest traded cluster: {cluster['label']}"
                     + (f" (location quotient {lq:.1f}, {cluster['year']})" if lq else ""))
    challenges = payload.get("challenges", [])
    indicated = sum(c.get("verdict") == "indicated" for c in challenges)
    parts.append(f"{indicated} of {len(challenges)} joint challenges indicated by the data")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def matrix_cells(payload: Mapping[str, Any] | None) -> list[MatrixCell]:
    by_id = {c["id"]: c for c in (payload or {}).get("challenges", [])}
    cells = []
    for concept in CHALLENGES:
        found = by_id.get(concept.id)
        verdict = found["verdict"] if found else "missing"
        cells.append(MatrixCell(verdict, VERDICT_WORDS.get(verdict, "no result"),
                                bool(found and found.get("published"))))
    return cells


def evidence_age(payloads: Sequence[Mapping[str, Any]], today: date) -> str:
    """How old the evidence is: the span of the key indicators' latest years and the sector year."""
    years = [i["year"] for p in payloads for i in p.get("indicators", []) if i.get("year")]
    sectors = [s["year"] for p in payloads for s in p.get("sectors", [])[:1] if s.get("year")]
    if not years:
        return "No result documents to date the evidence."
    text = (f"The latest year of each key indicator ranges from {min(years)} to {max(years)} across "
            f"indicators and regions; run on {today.isoformat()}.")
    if sectors:
        stale = today.year - max(sectors)
        text += (f" Regional sector statistics (employment, wages and local units by industry) end in "
                 f"{max(sectors)}: {stale} years before the run; cluster findings describe the "
                 f"structure of that year." if stale > STALE_YEARS else "")
    return text


Geometries = Callable[[], Mapping[int, Mapping[str, Any]]]
MAP_CACHE = ".dashboard-map.json"  # in the reports folder: the map SVG and what it was drawn from


def dashboard(reports_dir: Path, regions: Sequence[tuple[str, str, str | None]],
              geometries: Geometries, today: date, snapshot_vintage: str) -> Dashboard:
    """The index's content. `regions`: (id, name, assessment HTML path or None) in run order;
    `geometries()`: level -> NUTS polygons (`Snapshot.geometries`), level 0 drawn as background,
    called only when the map of these regions and this snapshot is not cached yet."""
    cards, shapes, payloads = [], [], []
    for region, name, href in regions:
        try:
            payload = read_result(result_path(reports_dir, region, "assessment"), "assessment")["payload"]
        except ResultError:
            payload = None
        if payload is not None:
            payloads.append(payload)
            unit = payload.get("region", {})
            shapes.append((name, href or "#", unit.get("code"), unit.get("level"), list(unit.get("parts", []))))
        cards.append(RegionCard(region, name, href or "", finding_line(payload) if payload else
                                "No assessment result in this run.", matrix_cells(payload)))
    return Dashboard(
        cards=cards, challenges=[c.label for c in CHALLENGES],
        map_svg=cached_map(Path(reports_dir) / MAP_CACHE, shapes, geometries, snapshot_vintage),
        evidence_age=evidence_age(payloads, today),
        sources=["GISCO NUTS 2016 boundaries, 1:60 million (© EuroGeographics for the administrative boundaries)",
                 SUMMARY_REPORT_SOURCE, "the regions' assessment results of this run"])


def cached_map(cache: Path, shapes: list[tuple], geometries: Geometries, snapshot_vintage: str) -> str:
    """The map SVG of these regions: from the cache when it was drawn from the same regions and
    snapshot (reading the boundaries costs most of an unchanged rebuild), else drawn and cached."""
    key = json.dumps([shapes, snapshot_vintage], ensure_ascii=False)
    try:
        cached = json.loads(cache.read_text(encoding="utf-8"))
        if cached.get("key") == key:
            return cached["svg"]
    except (OSError, ValueError, AttributeError):
        pass
    found = geometries()
    regions = []
    for name, href, code, level, parts in shapes:
        polygons = found.get(level, {}).get(code) or [p for part in parts for p in found.get(2, {}).get(part, [])]
        if polygons:
            regions.append(MapRegion(name, href, polygons))
    svg = europe_svg(dict(found.get(0, {})), regions, "Map of the regions in this run")
    write_atomic(cache, json.dumps({"key": key, "svg": svg}, ensure_ascii=False))
    return svg
