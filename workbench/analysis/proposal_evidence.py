"""The region's own evidence behind each proposed measure: traded clusters, gaps, peers, context.

Inputs are the region's `assessment` payload (docs/design.md) and, when available, the data
snapshot (peer values and the EU-27 deciles of an indicator). Sector rows are read with the
cluster fields of issue 12 when the payload has them (`traded`, `suspect`, `headline_stars`:
traded, plausible rows ranked by headline stars, then employment) and otherwise with the
current fields (traded = a category that is not a `local_…` one; EOCIC stars). Every text
built here states the numbers it rests on; rules: docs/methods-proposals.md §2a.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from workbench.data.protocol import Snapshot
from workbench.regions import ContextEntry, RegionContext

N_TARGETED = 2          # clusters a measure names
N_STRONGEST = 5         # strongest traded clusters in the strategy
N_EMERGING = 2          # emerging traded clusters in the strategy
N_RESULTS = 2           # result indicators per measure
# Eurostat's high-tech aggregation (NACE Rev. 2): high and medium-high technology manufacturing,
# high-tech knowledge-intensive services; the `technology` focus of a measure.
TECHNOLOGY_DIVISIONS = frozenset({"C20", "C21", "C26", "C27", "C28", "C29", "C30",
                                  "J59", "J60", "J61", "J62", "J63", "M72"})
FOCUSES = ("strongest", "emerging", "technology", "largest")
MIN_EMERGING_LQ = 1.0   # an emerging cluster is already specialised (fallback rule, before issue 12)
MIN_WEAK = 2            # weakest dimensions named even when the region ranks well on them
DECILE = 0.9            # the best EU-27 decile starts at the 90th (or, lower-better, 10th) percentile


def num(value: float | None, *others: float | None) -> str:
    """A number for reader text: 2 decimals below 10, 1 below 1,000, else 0 (by the largest shown)."""
    if value is None:
        return "n/a"
    largest = max(abs(v) for v in (value, *others) if v is not None)
    digits = 2 if largest < 10 else 1 if largest < 1000 else 0
    return f"{value:,.{digits}f}"


# ---- clusters ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cluster:
    nace: str
    label: str
    year: int | None
    employment: float
    share: float | None
    lq: float | None
    growth_pct: float | None
    growth_years: str
    stars: int

    def text(self) -> str:
        """'Manufacture of motor vehicles, … (C29: 39,737 jobs in 2014, …, 3 of 3 stars)'."""
        parts = [f"{self.nace}: {self.employment:,.0f} jobs in {self.year}"]
        if self.lq is not None:
            parts.append(f"location quotient {self.lq:.2f}")
        if self.growth_pct is not None:
            parts.append(f"{self.growth_pct:+.1f} % a year in {self.growth_years}")
        parts.append(f"{self.stars} of 3 stars")
        return f"{_lower_first(self.label)} ({', '.join(parts)})"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _is_traded(row: dict[str, Any]) -> bool:
    if "traded" in row:
        return bool(row["traded"])
    return not str(row.get("category") or "").startswith("local")


def _stars(row: dict[str, Any]) -> int:
    if "headline_stars" in row:
        return int(row["headline_stars"] or 0)
    return int((row.get("stars") or {}).get("eocic") or 0)


def traded_clusters(assessment: dict[str, Any]) -> list[Cluster]:
    """Traded, plausible sectors with employment, by stars (most first) then employment."""
    clusters = [
        Cluster(nace=r["nace"], label=r.get("label") or r["nace"], year=r.get("year"),
                employment=float(r["employment"]), share=r.get("share"), lq=r.get("lq"),
                growth_pct=r.get("growth_pct"), growth_years=r.get("growth_years") or "", stars=_stars(r))
        for r in assessment.get("sectors", [])
        if _is_traded(r) and not r.get("suspect") and r.get("employment")
    ]
    return sorted(clusters, key=lambda c: (-c.stars, -c.employment))


def unrated_text(assessment: dict[str, Any], default: str) -> str:
    """Why no cluster is listed, as a clause: when the region has no sector data, the payload's
    `sector_gap` ("no cluster can be rated: <which data are missing>"), else `default`."""
    gap = assessment.get("sector_gap")
    return f"no cluster can be rated: {gap['reason']}" if gap else default


def sentence(clause: str) -> str:
    """A clause as a sentence: first letter upper case, full stop."""
    return f"{clause[:1].upper()}{clause[1:]}."


def strongest(clusters: list[Cluster], n: int = N_STRONGEST) -> list[Cluster]:
    return [c for c in clusters if c.stars >= 1][:n]


def emerging(assessment: dict[str, Any], clusters: list[Cluster], n: int = N_EMERGING) -> list[Cluster]:
    """The payload's `clusters.emerging` when present; otherwise growing, specialised (location
    quotient at least `MIN_EMERGING_LQ`) traded clusters outside the strongest, fastest growth first."""
    named = (assessment.get("clusters") or {}).get("emerging")
    by_nace = {c.nace: c for c in clusters}
    if named is not None:
        return [by_nace[code] for code in named if code in by_nace][:n]
    top = {c.nace for c in strongest(clusters)}
    growing = [c for c in clusters
               if c.nace not in top and (c.growth_pct or 0) > 0 and (c.lq or 0) >= MIN_EMERGING_LQ]
    return sorted(growing, key=lambda c: -(c.growth_pct or 0))[:n]


def focus_clusters(focus: str, assessment: dict[str, Any], clusters: list[Cluster],
                   n: int = N_TARGETED) -> list[Cluster]:
    """The clusters a measure of this focus targets (the strongest when the focus finds none)."""
    chosen = {
        "strongest": lambda: strongest(clusters),
        "emerging": lambda: emerging(assessment, clusters),
        "technology": lambda: [c for c in clusters if c.nace in TECHNOLOGY_DIVISIONS],
        "largest": lambda: sorted((c for c in strongest(clusters, len(clusters)) if (c.lq or 0) >= 1),
                                  key=lambda c: -c.employment),
    }[focus]()
    return (chosen or strongest(clusters) or clusters)[:n]


def organisations_for(context: RegionContext | None, clusters: Iterable[Cluster]) -> list[ContextEntry]:
    """Cluster organisations (and smart-specialisation domains) of the profile covering these clusters."""
    if context is None:
        return []
    naces = {c.nace for c in clusters}
    entries = [*context.cluster_organisations, *context.s3_domains]
    return [e for e in entries if naces & set(e.nace) or any(n[:1] in e.nace for n in naces)]


# ---- gaps and peers ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PeerValue:
    geo: str
    name: str
    value: float
    year: int


@dataclass(frozen=True)
class Gap:
    """One indicator of the region against the EU-27 reference, its percentile and its peers."""

    indicator: str
    label: str
    unit: str
    direction: str | None
    value: float | None
    year: int | None
    eu: float | None
    eu_kind: str
    percentile: float | None
    n_regions: int | None
    source: str
    peers: tuple[PeerValue, ...] = ()
    decile: float | None = None   # threshold of the best EU-27 decile in `year`

    @property
    def sign(self) -> int:
        return 1 if self.direction == "higher_better" else -1 if self.direction == "lower_better" else 0

    def better(self, a: float, b: float) -> bool:
        """`a` is better than `b` in the indicator's direction."""
        return self.sign * (a - b) > 0

    @property
    def behind_eu(self) -> bool:
        return None not in (self.value, self.eu) and self.sign != 0 and self.better(self.eu, self.value)

    @property
    def relative_gap(self) -> float:
        """Distance to the EU-27 reference as a share of it (positive = behind); 0 when unknown."""
        if None in (self.value, self.eu) or not self.eu or self.sign == 0:
            return 0.0
        return self.sign * (self.eu - self.value) / abs(self.eu)

    @property
    def better_peers(self) -> list[PeerValue]:
        if self.value is None or self.sign == 0:
            return []
        return sorted((p for p in self.peers if self.better(p.value, self.value)), key=lambda p: -self.sign * p.value)

    @property
    def peer_rank(self) -> tuple[int, int] | None:
        """The region's rank among itself and the peers with a value (1 = best)."""
        if self.value is None or self.sign == 0 or not self.peers:
            return None
        return 1 + len(self.better_peers), 1 + len(self.peers)

    def standing(self) -> str:
        """'1.18 % of GDP in 2015 against 0.60 for the EU-27 NUTS 2 median; above 62 % of 182 regions'."""
        text = f"{num(self.value, self.eu)} {self.unit} in {self.year}".replace("  ", " ")
        if self.eu is not None:
            text += f" against {num(self.eu, self.value)} for the {self.eu_kind}"
        if self.percentile is not None and self.n_regions:
            text += f"; higher than {self.percentile:.0f} % of {self.n_regions} EU-27 NUTS 2 regions"
        return text


def gap(entry: dict[str, Any], peers: list[dict[str, Any]], snapshot: Snapshot | None) -> Gap:
    """A `Gap` from an assessment indicator entry, with the peers' values from the snapshot."""
    value = _finite(entry.get("value"))
    year = int(entry["year"]) if value is not None and entry.get("year") is not None else None
    peer_values, decile = (), None
    if snapshot is not None and year is not None:
        peer_values = tuple(_peer_values(snapshot, entry["id"], year, peers))
        decile = _decile(snapshot, entry["id"], year, entry.get("direction"))
    return Gap(indicator=entry["id"], label=entry.get("label") or entry["id"], unit=entry.get("unit") or "",
               direction=entry.get("direction"), value=value, year=year, eu=_finite(entry.get("eu")),
               eu_kind=entry.get("eu_kind") or "EU-27", percentile=_finite(entry.get("percentile")),
               n_regions=entry.get("n_regions"), source=entry.get("source") or "", peers=peer_values,
               decile=decile)


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if value == value and abs(value) != float("inf") else None


def _peer_values(snapshot: Snapshot, indicator_id: str, year: int, peers: list[dict[str, Any]]) -> Iterable[PeerValue]:
    """Each peer's value in `year`, or in its latest earlier year with a value. Reads the
    indicator's whole table (cached by the snapshot for the process) and picks the peers' rows."""
    if not peers:
        return
    try:
        rows = snapshot.indicator_rows(indicator_id, nace="")
    except LookupError:
        return
    geo, years, values = rows["geo"].to_numpy(), rows["year"].to_numpy(), rows["value"].to_numpy()
    latest: dict[str, tuple[int, float]] = {}
    for i in np.flatnonzero(np.isin(geo, [p["geo"] for p in peers]) & (years <= year)):
        if geo[i] not in latest or years[i] > latest[geo[i]][0]:
            latest[geo[i]] = (int(years[i]), float(values[i]))
    for peer in peers:
        if peer["geo"] in latest:
            found_year, value = latest[peer["geo"]]
            yield PeerValue(peer["geo"], peer.get("name") or peer["geo"], value, found_year)


def _decile(snapshot: Snapshot, indicator_id: str, year: int, direction: str | None) -> float | None:
    if direction not in ("higher_better", "lower_better"):
        return None
    try:
        values = snapshot.distribution(indicator_id, year).dropna()
    except LookupError:
        return None
    if len(values) < 10:
        return None
    return float(values.quantile(DECILE if direction == "higher_better" else 1 - DECILE))


def result_gaps(gaps: Iterable[Gap], n: int = N_RESULTS) -> list[Gap]:
    """The measure's indicators it can move most: with a value and a direction, furthest behind
    the EU-27 reference first, then the lowest percentile."""
    usable = [g for g in gaps if g.value is not None and g.sign != 0]
    return sorted(usable, key=lambda g: (-g.relative_gap, g.percentile if g.percentile is not None else 50.0))[:n]


# ---- reader texts -----------------------------------------------------------------------------

def clusters_text(region: str, clusters: list[Cluster], organisations: list[ContextEntry],
                  context: RegionContext | None, assessment: dict[str, Any] | None = None) -> str:
    if not clusters:
        return sentence(unrated_text(assessment or {}, f"the data show no traded cluster of {region} with "
                                                       f"employment figures for this measure to target"))
    text = f"Targets {region}'s " + " and ".join(c.text() for c in clusters) + "."
    labels = " and ".join(_lower_first(c.label) for c in clusters)
    if organisations:
        text += " Named in the profile for these sectors: " + "; ".join(entry_text(e) for e in organisations) + "."
    elif context is not None and context.cluster_organisations:
        text += f" None of the cluster organisations in {region}'s profile covers {labels}; the consultant should name one."
    else:
        text += f" {region}'s profile names no cluster organisation for {labels} yet."
    return text


def entry_text(entry: ContextEntry) -> str:
    return f"{entry.name} ({entry.note})" if entry.note else entry.name


def gaps_text(region: str, gaps: list[Gap]) -> str:
    behind = [g for g in gaps if g.behind_eu]
    if behind:
        return (f"Answers {region}'s gaps in " + "; and in ".join(f"{_lower_first(g.label)}: {g.standing()}" for g in behind)
                + ".")
    if gaps:
        return (f"{region} is at or above the reference on the indicators this measure moves; it aims to keep "
                f"the lead in " + "; and in ".join(f"{_lower_first(g.label)}: {g.standing()}" for g in gaps) + ".")
    return f"No indicator this measure moves has a value for {region} in the data."


def peers_text(region: str, gaps: list[Gap]) -> str:
    sentences = []
    for g in gaps:
        rank = g.peer_rank
        if rank is None:
            continue
        better = g.better_peers
        standing = f"{region} ranks {rank[0]} of {rank[1]} with its structural peers on {_lower_first(g.label)}"
        if better:
            named = ", ".join(f"{p.name} {num(p.value, g.value)} ({p.year})" for p in better[:3])
            more = f" and {len(better) - 3} more" if len(better) > 3 else ""
            sentences.append(f"{standing}; doing better: {named}{more}.")
        else:
            sentences.append(f"{standing} ({num(g.value)}): no peer does better.")
    return " ".join(sentences) or f"No peer values are available for {region} on these indicators."


# ---- scoreboard dimensions --------------------------------------------------------------------

@dataclass(frozen=True)
class DimensionStanding:
    id: str
    label: str
    score: float
    rank: int            # among the region and its peers with a score (1 = best), or the payload's rank
    n_ranked: int
    peer_scores: tuple[float, ...]
    indicators: tuple[str, ...]   # indicator ids (or labels) behind the score
    among: str = "with its peers"  # what the rank is among

    def text(self) -> str:
        """'entrepreneurial conditions (score 0.37 on the 0-1 scale, rank 6 of 6 with its peers; peers 0.53-0.66)'."""
        text = (f"{_lower_first(self.label)} (score {self.score:.2f} on the 0-1 scale, "
                f"rank {self.rank} of {self.n_ranked} {self.among}".rstrip())
        if self.peer_scores:
            text += f"; peers {min(self.peer_scores):.2f}-{max(self.peer_scores):.2f}"
        return text + ")"


def weakest_dimensions(assessment: dict[str, Any], n: int = 3) -> list[DimensionStanding]:
    """The region's lowest-scoring scoreboard dimensions that rank in the lower half (at least
    `MIN_WEAK` of the lowest even if they do not), weakest first.
    The payload's `rank`/`n_ranked` (issue 13) are used when present; otherwise the rank among
    the region and its peers."""
    board = assessment.get("scoreboard") or {}
    peer_scores = board.get("peer_scores") or {}
    standings = []
    for d in board.get("dimensions", []):
        if d.get("score") is None:
            continue
        peers = tuple(s[d["id"]] for s in peer_scores.values() if s.get(d["id"]) is not None)
        rank, n_ranked, among = d.get("rank"), d.get("n_ranked"), ""
        if rank is None or n_ranked is None:
            rank, n_ranked, among = 1 + sum(p > d["score"] for p in peers), 1 + len(peers), "with its peers"
        standings.append(DimensionStanding(d["id"], d["label"], float(d["score"]), int(rank), int(n_ranked), peers,
                                           tuple(i["id"] if isinstance(i, dict) else i for i in d.get("indicators", [])),
                                           among))
    ordered = sorted(standings, key=lambda s: s.score)
    weak = [s for s in ordered if s.rank > s.n_ranked / 2]          # in the lower half
    return (weak if len(weak) >= MIN_WEAK else ordered[:MIN_WEAK])[:n]
