"""Cross-region comparison for the summary report: pure computations on the regions' results.

Inputs are the region profiles and the `payload` of each region's `assessment` and
`proposals` result documents (docs/design.md), passed in as ``{region_id: payload}``
mappings. Nothing here reads result files, plots or writes; `workbench.report.summary` does.
The methods (pairing rule, similarity groups, "involves clusters") are described in
docs/methods-summary.md and next to the code below.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbench.concepts import CHALLENGE_IDS, STEP_IDS, challenge, step
from workbench.regions import RegionProfile

Payload = Mapping[str, Any]

# Key characteristics of the pilot regions (Summary Report chapter 2), in display order.
CHARACTERISTICS: tuple[str, ...] = (
    "population", "gdp_pps_per_head", "gdp_pps_per_head_index", "productivity",
    "industry_employment_share", "rd_expenditure_pct_gdp",
)
# Structural features for similarity (population enters as log10: size spans two decades).
STRUCTURE: tuple[str, ...] = (
    "population", "gdp_pps_per_head_index", "productivity", "industry_employment_share",
    "rd_expenditure_pct_gdp", "tertiary_attainment_pct", "unemployment_rate",
)
LOG_SCALED: frozenset[str] = frozenset({"population"})
# World Café themes of the Joint Peer Review (Turin, 4 April 2019) and snapshot indicators on them.
# The snapshot holds no circular-economy indicator, so that theme has none.
THEMES: dict[str, tuple[str, ...]] = {
    "skills": ("tertiary_attainment_pct", "lifelong_learning_pct", "hrst_pct_population"),
    "circular economy": (),
    "digitalisation": ("broadband_households_pct", "daily_internet_users_pct"),
}
VERDICTS: tuple[str, ...] = ("indicated", "not_indicated", "insufficient_data")
MISSING, NOT_IN_RUN = "missing", "not_in_run"
STRONG_MIN_STARS = 1            # a "strong" cluster has at least one star (EOCIC Panorama 2020)
STRUGGLES_BELOW = 50.0          # percentile under which a region struggles on an indicator group
PERFORMS_FROM = 50.0            # percentile from which a region performs well
MIN_GAP = 20.0                  # percentile points between mentor and learner


# --- profiles: who the regions are and what the Summary Report published -----------------

def region_facts(profiles: Sequence[RegionProfile]) -> pd.DataFrame:
    """One row per profile (index: region id): name, country, NUTS code, level, parts, composition."""
    rows = [{"region": p.id, "name": p.name, "country": p.country_name, "code": p.nuts.code,
             "level": p.nuts.level, "parts": "+".join(p.nuts.parts), "composition": p.nuts.composition}
            for p in profiles]
    return pd.DataFrame(rows).set_index("region")


def published_findings(profiles: Sequence[RegionProfile]) -> pd.DataFrame:
    """The Summary Report's region-challenge listings as stated in the profiles (long form)."""
    rows = [{"region": p.id, "name": p.name, "challenge": c.challenge, "quote": c.quote,
             "source": c.source}
            for p in profiles
            for c in p.published_challenges]
    return pd.DataFrame(rows, columns=["region", "name", "challenge", "quote", "source"])


def published_lists(published: pd.DataFrame) -> dict[str, list[str]]:
    """For each joint challenge, the region ids the Summary Report lists under it (sorted by name)."""
    return {cid: published[published["challenge"] == cid].sort_values("name")["region"].tolist()
            for cid in CHALLENGE_IDS}


# --- indicators of the assessments ------------------------------------------------------

def indicator_frame(assessments: Mapping[str, Payload]) -> pd.DataFrame:
    """All headline indicators of all assessments, long form (one row per region and indicator)."""
    columns = ["region", "id", "label", "unit", "direction", "year", "value", "eu", "percentile",
               "source"]
    rows = [{"region": region, **{k: item.get(k) for k in columns[1:]}}
            for region, payload in assessments.items() for item in payload.get("indicators", [])]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("value", "eu", "percentile", "year"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return frame


def indicator_wide(indicators: pd.DataFrame, ids: Sequence[str], field: str = "value",
                   regions: Sequence[str] | None = None) -> pd.DataFrame:
    """Region x indicator table of one field (value, year, eu, percentile) for the given ids."""
    subset = indicators[indicators["id"].isin(ids)]
    wide = subset.pivot_table(index="region", columns="id", values=field, aggfunc="first")
    rows = list(dict.fromkeys(indicators["region"])) if regions is None else list(regions)
    return wide.reindex(index=rows, columns=list(ids)).astype(float).rename_axis("region")


def strong_clusters(assessments: Mapping[str, Payload], min_stars: int = STRONG_MIN_STARS) -> pd.DataFrame:
    """Number of sectors with at least `min_stars` stars, per region (rows) and star preset (columns);
    missing (NaN), not 0, for a region without sector data (its payload's `sector_gap`)."""
    counts: dict[str, dict[str, int]] = {}
    for region, payload in assessments.items():
        row = counts.setdefault(region, {})
        for sector in payload.get("sectors", []):
            for preset, stars in (sector.get("stars") or {}).items():
                row[preset] = row.get(preset, 0) + int((stars or 0) >= min_stars)
    frame = pd.DataFrame.from_dict(counts, orient="index").reindex(list(assessments)).fillna(0).astype(int)
    unrated = frame.index.isin([region for region, payload in assessments.items() if payload.get("sector_gap")])
    if unrated.any():  # whole numbers stay whole when every region has sector data
        frame = frame.astype(float)
        frame.loc[unrated] = math.nan
    return frame.rename_axis("region")


def key_characteristics(assessments: Mapping[str, Payload], facts: pd.DataFrame) -> pd.DataFrame:
    """Per region: name, NUTS level and composition, the key indicators with their years, strong clusters."""
    indicators = indicator_frame(assessments)
    values = indicator_wide(indicators, CHARACTERISTICS, regions=list(assessments))
    years = indicator_wide(indicators, CHARACTERISTICS, "year", list(assessments)).add_suffix("_year")
    clusters = strong_clusters(assessments).add_prefix("strong_clusters_")
    table = facts.loc[list(assessments), ["name", "code", "level", "parts", "composition"]]
    return pd.concat([table, values, years, clusters], axis=1).rename_axis("region")


# --- joint challenges: published findings against data-driven verdicts --------------------

def challenge_matrix(facts: pd.DataFrame, published: pd.DataFrame, requested: Sequence[str],
                     assessments: Mapping[str, Payload]) -> pd.DataFrame:
    """Every profile's region x joint challenge: published listing, data-driven verdict, agreement.

    `verdict` is the assessment's verdict, `missing` for a requested region without an
    assessment, `not_in_run` for a region not requested. `agreement` compares "listed by
    EOCIC" with "indicated by the data" and is empty when the verdict is not a yes or no.
    """
    listed = set(zip(published["region"], published["challenge"]))
    rows = []
    for region in facts.index:
        verdicts = {c.get("id"): c.get("verdict") for c in assessments.get(region, {}).get("challenges", [])}
        for cid in CHALLENGE_IDS:
            verdict = (verdicts.get(cid) or "insufficient_data") if region in assessments else (
                MISSING if region in requested else NOT_IN_RUN)
            is_listed = (region, cid) in listed
            agreement = ((verdict == "indicated") == is_listed) if verdict in VERDICTS[:2] else None
            rows.append({"region": region, "name": facts.at[region, "name"], "challenge": cid,
                         "challenge_label": challenge(cid).label, "in_run": region in requested,
                         "published": is_listed, "verdict": verdict, "agreement": agreement})
    return pd.DataFrame(rows)


def agreement_counts(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per challenge: regions listed, regions indicated, agreements, disagreements, no verdict, not assessed."""
    assessed = matrix[~matrix["verdict"].isin([MISSING, NOT_IN_RUN])]
    grouped = assessed.groupby("challenge", sort=False)
    counts = pd.DataFrame({
        "listed_by_eocic": matrix.groupby("challenge", sort=False)["published"].sum(),
        "assessed": grouped.size(),
        "indicated_by_data": grouped["verdict"].apply(lambda v: int((v == "indicated").sum())),
        "agree": grouped["agreement"].apply(lambda a: int((a == True).sum())),  # noqa: E712
        "disagree": grouped["agreement"].apply(lambda a: int((a == False).sum())),  # noqa: E712
        "insufficient_data": grouped["verdict"].apply(lambda v: int((v == "insufficient_data").sum())),
    }).reindex(list(CHALLENGE_IDS)).fillna(0).astype(int)
    counts.insert(0, "label", [challenge(c).label for c in counts.index])
    return counts.rename_axis("challenge")


KAPPA_WORDS: tuple[tuple[float, str], ...] = (  # Landis and Koch (1977), and what it means here
    (0.0, "no agreement beyond chance: the verdicts match the published listings no more often "
          "than chance would"),
    (0.2, "slight agreement: the verdicts match the published listings little more often than "
          "chance would"),
    (0.4, "fair agreement: the verdicts match the published listings somewhat more often than "
          "chance would"),
    (0.6, "moderate agreement: the verdicts match the published listings clearly more often than "
          "chance would"),
    (0.8, "substantial agreement with the published listings"),
    (float("inf"), "almost perfect agreement with the published listings"))


def agreement_statistics(matrix: pd.DataFrame) -> dict[str, float]:
    """Agreement of the yes/no verdicts with the published listings, and Cohen's kappa.

    Over the region-challenge pairs with a yes/no verdict: `pairs`, `agree`, `observed`
    (share agreeing), `expected` (share agreeing by chance, from how often each side says
    yes: p_listed × p_indicated + (1 - p_listed)(1 - p_indicated)) and `kappa` =
    (observed - expected) / (1 - expected); NaN without pairs or when chance explains all.
    """
    decided = matrix[matrix["agreement"].notna()]
    n = len(decided)
    if not n:
        return {"pairs": 0, "agree": 0, "observed": math.nan, "expected": math.nan, "kappa": math.nan}
    listed = decided["published"].astype(bool).mean()
    indicated = (decided["verdict"] == "indicated").mean()
    observed = float((decided["agreement"] == True).mean())  # noqa: E712
    expected = float(listed * indicated + (1 - listed) * (1 - indicated))
    kappa = (observed - expected) / (1 - expected) if expected < 1 else math.nan
    return {"pairs": n, "agree": int((decided["agreement"] == True).sum()),  # noqa: E712
            "observed": observed, "expected": expected, "kappa": kappa}


def kappa_words(kappa: float) -> str:
    """Landis and Koch's reading of a kappa value."""
    if math.isnan(kappa):
        return "not measurable"
    return next(words for limit, words in KAPPA_WORDS if kappa <= limit)


def rule_calibration(eu: pd.DataFrame, matrix: pd.DataFrame) -> pd.DataFrame:
    """The rules' calibration on all EU NUTS 2 regions (`diagnosis.calibration`) beside how
    many regions of the run each rule indicates."""
    assessed = matrix[~matrix["verdict"].isin([MISSING, NOT_IN_RUN])]
    grouped = assessed.groupby("challenge")["verdict"]
    run = pd.DataFrame({"run_indicated": grouped.apply(lambda v: int((v == "indicated").sum())),
                        "run_with_verdict": grouped.apply(lambda v: int(v.isin(VERDICTS[:2]).sum())),
                        "run_listed": assessed.groupby("challenge")["published"].sum().astype(int)})
    return eu.merge(run, left_on="challenge", right_index=True, how="left").fillna(
        {"run_indicated": 0, "run_with_verdict": 0, "run_listed": 0})


def disagreement_evidence(matrix: pd.DataFrame, assessments: Mapping[str, Payload]) -> pd.DataFrame:
    """For every disagreement, the evidence items behind the data-driven verdict (one row each)."""
    columns = ["region", "name", "challenge", "published", "verdict", "rule", "indicator", "label",
               "value", "year", "benchmark", "benchmark_value", "test", "met", "source"]
    rows = []
    for item in matrix[matrix["agreement"] == False].itertuples():  # noqa: E712
        found = next(c for c in assessments[item.region]["challenges"] if c.get("id") == item.challenge)
        head = {"region": item.region, "name": item.name, "challenge": item.challenge,
                "published": item.published, "verdict": item.verdict, "rule": found.get("rule")}
        rows += [{**head, **{k: e.get(k) for k in columns[6:]}} for e in found.get("evidence", [])] or [head]
    return pd.DataFrame(rows, columns=columns)


# --- peer learning ------------------------------------------------------------------------

def related_indicators(assessments: Mapping[str, Payload]) -> dict[str, list[str]]:
    """For each challenge, the indicators its verdict rule looks at (union over the assessments)."""
    related: dict[str, dict[str, None]] = {cid: {} for cid in CHALLENGE_IDS}
    for payload in assessments.values():
        for item in payload.get("challenges", []):
            for evidence in item.get("evidence", []):
                if item.get("id") in related and evidence.get("indicator"):
                    related[item["id"]][evidence["indicator"]] = None
    return {cid: list(ids) for cid, ids in related.items()}


def challenge_performance(assessments: Mapping[str, Payload]) -> pd.DataFrame:
    """Region x challenge: mean EU percentile on the challenge's related indicators.

    Percentiles of `lower_better` indicators are turned round (100 - p) so that higher is
    always better; `neutral` indicators and those without a percentile are left out.
    NaN when a region has none of the related indicators with a percentile.
    """
    indicators = indicator_frame(assessments)
    scored = indicators[indicators["direction"].isin(["higher_better", "lower_better"])].copy()
    scored["score"] = scored["percentile"].where(scored["direction"] == "higher_better",
                                                 100 - scored["percentile"])
    table = pd.DataFrame(index=pd.Index(list(assessments), name="region"), columns=list(CHALLENGE_IDS),
                         dtype=float)
    for cid, ids in related_indicators(assessments).items():
        means = scored[scored["id"].isin(ids)].groupby("region")["score"].mean()
        table[cid] = means.reindex(table.index)
    return table


def structural_features(indicators: pd.DataFrame, regions: Sequence[str]) -> list[str]:
    """The `STRUCTURE` features every region compared has, for one and the same year."""
    values = indicator_wide(indicators, STRUCTURE, regions=regions)
    if "year" not in indicators.columns:
        return [c for c in values.columns if values[c].notna().all()]
    years = indicator_wide(indicators, STRUCTURE, "year", regions)
    return [c for c in values.columns if values[c].notna().all() and years[c].nunique() <= 1]


def structural_distances(indicators: pd.DataFrame, regions: Sequence[str]) -> pd.DataFrame:
    """Region x region distance on z-scored structural features (`structural_features`).

    Only features that every region compared has for the same year are used (nothing is
    imputed); each is z-scored across the regions (population as log10); a feature without
    spread is dropped. The distance is the root mean square of the z-score differences, so
    1 means one standard deviation apart on average.
    """
    values = indicator_wide(indicators, STRUCTURE, regions=regions)
    values = values[structural_features(indicators, regions)]
    for column in LOG_SCALED & set(values.columns):
        values[column] = np.log10(values[column].where(values[column] > 0))
    spread = values.std(ddof=0)
    z = ((values - values.mean()) / spread).loc[:, spread > 0]
    points = z.to_numpy(dtype=float)
    n_features = max(points.shape[1], 1)
    diff = points[:, None, :] - points[None, :, :]
    distances = np.sqrt((diff ** 2).sum(axis=2) / n_features)
    return pd.DataFrame(distances, index=values.index, columns=values.index)


def similarity_groups(distances: pd.DataFrame, n_groups: int | None = None) -> pd.DataFrame:
    """Groups of structurally similar regions and each region's nearest neighbour.

    Average-linkage agglomerative clustering: start with one group per region and merge the
    two groups with the smallest mean pairwise distance until `n_groups` remain (default:
    one group per three regions, rounded, at least one). Groups are numbered 1.. in the order
    of their first region.
    """
    regions = list(distances.index)
    matrix = distances.loc[regions, regions].to_numpy()
    k = n_groups or max(1, round(len(regions) / 3))
    groups: list[list[int]] = [[r] for r in range(len(regions))]  # positions in `regions`
    while len(groups) > k:
        pairs = [(matrix[np.ix_(a, b)].mean(), i, j)
                 for i, a in enumerate(groups) for j, b in enumerate(groups) if i < j]
        _, i, j = min(pairs)
        groups[i] = groups[i] + groups.pop(j)
    number = {regions[r]: n for n, members in enumerate(groups, start=1) for r in members}
    rows = []
    for region in regions:
        others = distances.loc[region].drop(region)
        nearest = others.idxmin() if len(others) else None
        rows.append({"region": region, "group": number[region], "nearest": nearest,
                     "distance": others.min() if len(others) else math.nan})
    return pd.DataFrame(rows)


def peer_pairs(matrix: pd.DataFrame, performance: pd.DataFrame, distances: pd.DataFrame,
               indicator_labels: Mapping[str, str], related: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Proposed joint peer review pairings per challenge, each with its reason.

    Rule, per challenge, for each assessed region the challenge concerns (listed by EOCIC or
    indicated by the data), in region order:
    1. learn from: if the region struggles on the related indicators (mean EU percentile
       < 50), pair it with the assessed region that performs best on them, provided that one
       performs well (>= 50) and is at least 20 points ahead (ties: structurally nearest);
    2. otherwise shared challenge: pair it with the structurally nearest other region the
       challenge concerns;
    3. otherwise no pairing. A pair already proposed for the challenge is not repeated.
    """
    assessed = matrix[matrix["region"].isin(performance.index)]
    names = dict(zip(matrix["region"], matrix["name"]))
    rows: list[dict[str, Any]] = []
    for cid in CHALLENGE_IDS:
        here = assessed[assessed["challenge"] == cid]
        concerned = here[here["published"] | (here["verdict"] == "indicated")]["region"].tolist()
        scores = performance[cid]
        what = ", ".join(indicator_labels.get(i, i) for i in related.get(cid, [])) or "no indicator"
        seen: set[frozenset[str]] = set()
        for region in concerned:
            row = _mentor(region, scores, distances) or _shared(region, concerned, distances)
            if row is None or frozenset(row[:2]) in seen:
                continue
            seen.add(frozenset(row[:2]))
            learner, partner, kind = row
            rows.append({"challenge": cid, "challenge_label": challenge(cid).label, "kind": kind,
                         "region": learner, "partner": partner,
                         "region_score": scores.get(learner), "partner_score": scores.get(partner),
                         "distance": distances.loc[learner, partner],
                         "reason": _reason(kind, names[learner], names[partner], scores.get(learner),
                                           scores.get(partner), distances.loc[learner, partner], what,
                                           challenge(cid).label)})
    return pd.DataFrame(rows, columns=["challenge", "challenge_label", "kind", "region", "partner",
                                       "region_score", "partner_score", "distance", "reason"])


def _mentor(region: str, scores: pd.Series, distances: pd.DataFrame) -> tuple[str, str, str] | None:
    own = scores.get(region)
    if own is None or not own < STRUGGLES_BELOW:  # NaN fails the test too
        return None
    others = scores.drop(region).dropna()
    able = others[(others >= PERFORMS_FROM) & (others - own >= MIN_GAP)]
    if able.empty:
        return None
    best = able[able == able.max()].index
    return region, min(best, key=lambda r: distances.loc[region, r]), "learn from"


def _shared(region: str, concerned: list[str], distances: pd.DataFrame) -> tuple[str, str, str] | None:
    others = [r for r in concerned if r != region]
    if not others:
        return None
    return region, min(others, key=lambda r: distances.loc[region, r]), "shared challenge"


def _reason(kind: str, learner: str, partner: str, own: float, other: float, distance: float,
            what: str, label: str) -> str:
    if kind == "learn from":
        return (f"{learner} faces '{label}' and stands at EU percentile {own:.0f} on {what}, "
                f"where {partner} stands at {other:.0f}: {learner} can learn from {partner}.")
    return (f"Both face '{label}' and {partner} is the structurally nearest region facing it "
            f"(distance {distance:.2f}): {learner} and {partner} can compare approaches.")


# --- lessons along the five steps ---------------------------------------------------------

def measures_by_step(proposals: Mapping[str, Payload], names: Mapping[str, str]) -> pd.DataFrame:
    """Each distinct proposed measure (by id) with its step, how many regions propose it, and which."""
    rows = [{"step": m.get("step"), "measure": m.get("id"), "title": m.get("title"),
             "priority": m.get("priority"), "region": names.get(region, region),
             "clusters": involves_clusters(m)}
            for region, payload in proposals.items() for m in payload.get("measures", [])]
    frame = pd.DataFrame(rows, columns=["step", "measure", "title", "priority", "region", "clusters"])
    table = frame.groupby(["step", "measure"], sort=False).agg(
        title=("title", "first"), n_regions=("region", "nunique"),
        regions=("region", lambda r: ", ".join(sorted(set(r)))),
        mean_priority=("priority", "mean"), clusters=("clusters", "first")).reset_index()
    table["step_order"] = table["step"].map({s: i for i, s in enumerate(STEP_IDS)})
    table = table.sort_values(["step_order", "n_regions", "mean_priority"],
                              ascending=[True, False, True]).drop(columns="step_order")
    table.insert(1, "step_label", [_step_label(s) for s in table["step"]])
    return table.reset_index(drop=True)


def steps_overview(measures: pd.DataFrame, proposals: Mapping[str, Payload]) -> pd.DataFrame:
    """Per step: proposed measures (region-measure pairs), distinct measures, and how many involve clusters."""
    counts = {s: {"proposed": 0, "with_clusters": 0} for s in STEP_IDS}
    for payload in proposals.values():
        for m in payload.get("measures", []):
            row = counts.setdefault(m.get("step"), {"proposed": 0, "with_clusters": 0})
            row["proposed"] += 1
            row["with_clusters"] += int(involves_clusters(m))
    table = pd.DataFrame.from_dict(counts, orient="index").rename_axis("step")
    table["distinct_measures"] = measures.groupby("step").size().reindex(table.index).fillna(0).astype(int)
    table.insert(0, "label", [_step_label(s) for s in table.index])
    return table


def involves_clusters(measure: Payload) -> bool:
    """A measure works through clusters when its title or one of its instruments mentions clusters."""
    text = " ".join([str(measure.get("title") or ""), *map(str, measure.get("instruments") or [])])
    return "cluster" in text.lower()


def _step_label(step_id: str) -> str:
    return step(step_id).label if step_id in STEP_IDS else str(step_id)


# --- World Café themes --------------------------------------------------------------------

def theme_indicators(indicators: pd.DataFrame) -> pd.DataFrame:
    """The indicators of each World Café theme, per region (long form; themes without one are absent)."""
    parts = [indicators[indicators["id"] == ind].assign(theme=theme)
             for theme, ids in THEMES.items() for ind in ids]
    columns = ["theme", "region", "id", "label", "unit", "year", "value", "eu", "percentile", "source"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
