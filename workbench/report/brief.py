"""The one-screen brief that opens every assessment: what a reviewer reads first.

Five key numbers against the EU reference and the peer regions (value, year, rank among EU-27
NUTS 2 regions), the three strongest traded clusters (headline rating), the verdict on each
joint challenge with its confidence beside the published EOCIC view, the three priority
measures (linked to the proposals page) and what the data cannot show. Everything is read
from the computed assessment payload and proposal plan; this module only arranges and words it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import pandas as pd

from workbench.analysis.proposal_evidence import sentence, unrated_text
from workbench.analysis.since import rank_among
from workbench.concepts import VERDICT_WORDS
from workbench.data.protocol import Snapshot
from workbench.report.dashboard import headline_stars, strongest_traded
from workbench.report.style import escape, fmt_number

SHORT_LABELS = {  # indicator id -> short label with unit, for the brief's table
    "gdp_pps_per_head_index": "GDP per head, PPS (EU-27 = 100)",
    "productivity": "GDP per person employed, PPS",
    "unemployment_rate": "Unemployment rate, %",
    "employment_rate_pct": "Employment rate 15-64, %",
    "rd_expenditure_pct_gdp": "R&D expenditure, % of GDP",
    "tertiary_attainment_pct": "Tertiary attainment 25-64, %",
}
BRIEF_INDICATORS = tuple(SHORT_LABELS)
N_NUMBERS, N_CLUSTERS, N_MEASURES = 5, 3, 3
CANNOT_SHOW = ("the quality of governance and of cooperation between firms, research and "
               "government, trust between actors, access to finance, and the capacity of cluster "
               "organisations: these come from interviews, the workshop and the consultant's judgement")


@dataclass(frozen=True)
class KeyNumber:
    label: str
    unit: str
    value: float
    year: int
    eu: float | None
    eu_kind: str
    rank: int | None
    n_ranked: int | None
    peer_median: float | None
    n_peers: int


def _digits(value: float) -> int:
    size = abs(value)
    return 0 if size >= 100 else 1 if size >= 10 else 2


def key_numbers(payload: Mapping[str, Any], snap: Snapshot, peers: Sequence[str]) -> list[KeyNumber]:
    """Up to five headline indicators with a value, their EU reference of the same year, the
    region's rank among EU-27 NUTS 2 regions that year and the median of its peers that year."""
    rows = {r["id"]: r for r in payload.get("indicators", []) if r.get("value") is not None}
    own = [payload["region"]["code"], *payload["region"]["parts"]]
    out = []
    for indicator_id in [i for i in BRIEF_INDICATORS if i in rows][:N_NUMBERS]:
        row = rows[indicator_id]
        others = snap.distribution(indicator_id, row["year"])
        rank = n = None
        if len(others) and row.get("direction") in ("higher_better", "lower_better"):
            rank, n = rank_among(row["value"], others.drop(index=own, errors="ignore"), row["direction"])
        peer_values = peer_values_of(snap, indicator_id, row["year"], peers)
        out.append(KeyNumber(SHORT_LABELS[indicator_id], row.get("unit") or "", row["value"], row["year"], row.get("eu"),
                             row.get("eu_kind") or "EU-27", rank, n,
                             float(peer_values.median()) if len(peer_values) else None, len(peer_values)))
    return out


def peer_values_of(snap: Snapshot, indicator_id: str, year: int, peers: Sequence[str]) -> pd.Series:
    """The peers' values of one year (peers of any NUTS level: composed from their NUTS 2
    parts where Eurostat reports no value for the unit itself)."""
    if not peers:
        return pd.Series(dtype=float)
    rows = snap.compose(indicator_id, {geo: snap.nuts2_parts(geo) for geo in peers})
    return rows[rows["year"] == year].set_index("geo")["value"].dropna()


def short_sector_label(row: Mapping[str, Any]) -> str:
    """'Manufacture of motor vehicles, trailers and semi-trailers' (C29) -> 'Motor vehicles (C29)';
    'Activities of head offices; management consultancy activities' (M70) -> 'Activities of head offices (M70)'."""
    label = str(row["label"]).removeprefix("Manufacture of ").split("; ")[0].split(", ")[0].split(" and ")[0]
    return f"{label[:1].upper()}{label[1:]} ({row['nace']})"


def brief_html(payload: Mapping[str, Any], numbers: Sequence[KeyNumber], measures: Sequence[Mapping[str, Any]],
               proposals_href: str) -> str:
    """The brief as one HTML block (all text escaped)."""
    region = escape(payload["region"]["name"])
    number_rows = "".join(_number_row(k) for k in numbers) or "<tr><td colspan='5'>No headline indicator has data.</td></tr>"
    clusters = strongest_traded(payload)[:N_CLUSTERS]
    cluster_items = "".join(
        f"<li><strong>{escape(short_sector_label(c))}</strong>: {fmt_number(c.get('employment'), 0)} jobs, "
        f"LQ {fmt_number(c.get('lq'), 1)}, {headline_stars(c)}/3 stars</li>"
        for c in clusters) or f"<li>{_no_clusters(payload)}</li>"
    year = max((c["year"] for c in clusters), default=None)
    challenge_rows = "".join(
        f"<tr><td>{escape(c['label'])}</td><td class='wb-v-{escape(c['verdict'])}'>"
        f"{VERDICT_WORDS.get(c['verdict'], escape(c['verdict']))}</td>"
        f"<td>{escape(c.get('confidence') or '–')}</td><td>{'listed' if c.get('published') else 'not listed'}</td></tr>"
        for c in payload.get("challenges", []))
    measure_items = "".join(f"<li><a href='{escape(proposals_href)}'>{escape(m['title'])}</a></li>"
                            for m in measures[:N_MEASURES]) or "<li>No measure proposed.</li>"
    return (
        f"<section class='wb-brief' aria-label='Brief'>"
        f"<h2>Brief: {region}</h2><div class='wb-brief-grid'><div>"
        f"<table class='wb-brief-numbers'><thead><tr><th>Key number</th><th>{region}</th><th>EU reference</th>"
        f"<th>Peers' median</th><th>Rank in EU</th></tr></thead><tbody>{number_rows}</tbody></table>"
        f"<h3>Priority measures</h3><ol>{measure_items}</ol></div>"
        f"<div><h3>Strongest traded clusters{f' ({year})' if year else ''}</h3><ul>{cluster_items}</ul>"
        f"<small>LQ: location quotient, the sector's share of employment against the EU's (1 = as in the EU).</small>"
        f"</div></div>"
        f"<table class='wb-brief-challenges'><thead><tr><th>Joint challenge</th><th>Data verdict</th>"
        f"<th>Confidence</th><th>EOCIC 2019</th></tr></thead><tbody>{challenge_rows}</tbody></table>"
        f"<p class='wb-brief-limits'><strong>What the data cannot show:</strong> {escape(CANNOT_SHOW)}.</p>"
        f"</section>")


def _no_clusters(payload: Mapping[str, Any]) -> str:
    """Why the brief lists no cluster: no sector data (the payload's `sector_gap` says why), or
    none reaches a star."""
    return escape(sentence(unrated_text(dict(payload), "no traded category reaches a star under the headline rule")))


def _number_row(k: KeyNumber) -> str:
    def num(value: float | None) -> str:
        return "–" if value is None or pd.isna(value) else fmt_number(value, _digits(value))

    eu = "–" if k.eu is None or pd.isna(k.eu) else f"{num(k.eu)} <small>({escape(k.eu_kind)})</small>"
    rank = "–" if k.rank is None else f"{k.rank} of {k.n_ranked}"
    return (f"<tr><td>{escape(k.label)}</td>"
            f"<td>{num(k.value)} <small>({k.year})</small></td><td>{eu}</td>"
            f"<td>{num(k.peer_median)}</td><td>{rank}</td></tr>")
