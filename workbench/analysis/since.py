"""How a region moved since the EOCIC assessment: baseline year against the latest year.

EOCIC assessed the ten pilot regions in 2018-2019. For each key indicator this module sets the
value at the baseline (the baseline year, or the nearest earlier year with a value, at most
`BASELINE_WINDOW` years earlier) beside the latest value after the baseline, and measures:

* the **change** of the value (in the indicator's unit);
* the **gap to the EU reference** of each year, as a percentage of the reference
  (`100 * (value - reference) / reference`), signed so that a positive gap is better than the EU
  (inverted for lower-is-better indicators); the gap **closed** when the region was behind and
  the signed gap rose, **widened** when it was behind and the gap fell; a region ahead of the EU
  has a lead that **grew** or **shrank**; changes under `STABLE_PP` points are **stable**;
* the region's **rank among EU-27 NUTS 2 regions** in each year (1 = best in the indicator's
  direction), over the regions with a value that year; a NUTS 0/1 region is an aggregate placed
  among NUTS 2 regions, and the table says so.

Indicators without a value near the baseline or after it are listed as not comparable, never
filled. Counts and money (population, GDP in euro) have no gap or rank: their size depends on the
size of the unit. Verdicts then and now come from the same challenge rules applied to the data
as they stood at the baseline (`Facts.as_of`) and to all the data.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from workbench.analysis.diagnosis import Verdict
from workbench.analysis.indicators import KEY_INDICATORS, benchmarks, has_indicator
from workbench.data.protocol import Snapshot
from workbench.regions import RegionProfile

BASELINE_YEAR = 2018
BASELINE_WINDOW = 3
STABLE_PP = 0.5
EXTENSIVE_KINDS = ("count", "money")

CLOSED, WIDENED, LEAD_GREW, LEAD_SHRANK, STABLE = (
    "gap closed", "gap widened", "lead grew", "lead shrank", "stable")
MOVEMENT_COLUMNS = [
    "id", "label", "unit", "direction", "comparable", "note", "baseline_year", "baseline_value",
    "baseline_eu", "latest_year", "latest_value", "latest_eu", "change", "gap_then", "gap_now",
    "gap_change", "movement", "rank_then", "n_then", "rank_now", "n_now", "source"]
INTEGER_COLUMNS = ["baseline_year", "latest_year", "rank_then", "n_then", "rank_now", "n_now"]


def signed_gap(value: float | None, reference: float | None, direction: str) -> float | None:
    """Gap to the reference in % of it, positive when the region does better than the EU."""
    if value is None or reference is None or reference == 0 or direction == "neutral":
        return None
    gap = 100.0 * (value - reference) / abs(reference)
    return -gap if direction == "lower_better" else gap


def movement(gap_then: float | None, gap_now: float | None) -> str | None:
    """Closed, widened, lead grew, lead shrank or stable (None without both gaps)."""
    if gap_then is None or gap_now is None:
        return None
    change = gap_now - gap_then
    if abs(change) < STABLE_PP:
        return STABLE
    if gap_then < 0:
        return CLOSED if change > 0 else WIDENED
    return LEAD_GREW if change > 0 else LEAD_SHRANK


def rank_among(value: float, others: pd.Series, direction: str) -> tuple[int, int]:
    """Rank of `value` among `others` (1 = best in `direction`) and the number ranked."""
    others = others.dropna()
    better = others < value if direction == "lower_better" else others > value
    return int(better.sum()) + 1, len(others) + 1


def baseline_row(frame: pd.DataFrame, baseline: int) -> pd.Series | None:
    """The row of the baseline year, or of the nearest earlier year within the window."""
    present = frame[frame["region"].notna() & frame["year"].between(baseline - BASELINE_WINDOW, baseline)]
    return None if present.empty else present.iloc[-1]


def latest_after(frame: pd.DataFrame, baseline: int) -> pd.Series | None:
    present = frame[frame["region"].notna() & (frame["year"] > baseline)]
    return None if present.empty else present.iloc[-1]


def _float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _plain(value: Any) -> Any:
    """JSON-ready scalars: None for missing, int for integers, float for numbers."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def indicator_movement(snap: Snapshot, indicator_id: str, profile: RegionProfile,
                       baseline: int = BASELINE_YEAR) -> dict[str, Any]:
    """One row of the movement table (see `MOVEMENT_COLUMNS`)."""
    row: dict[str, Any] = dict.fromkeys(MOVEMENT_COLUMNS)
    meta = snap.catalogue.loc[indicator_id]
    row.update(id=indicator_id, label=meta["label"], unit=meta["unit"], direction=meta["direction"],
               comparable=False, source=snap.source(indicator_id))
    frame = benchmarks(snap, indicator_id, profile)
    then, now = baseline_row(frame, baseline), latest_after(frame, baseline)
    if then is None:
        row["note"] = f"no value for {baseline - BASELINE_WINDOW}-{baseline}"
    elif now is None:
        row["note"] = f"no value after {baseline}"
    if then is None or now is None:
        return row
    value_then, value_now = float(then["region"]), float(now["region"])
    row.update(comparable=True, note="", baseline_year=int(then["year"]), latest_year=int(now["year"]),
               baseline_value=value_then, latest_value=value_now, change=value_now - value_then,
               baseline_eu=_float(then["eu"]), latest_eu=_float(now["eu"]),
               source=f"{snap.source(indicator_id)}, {int(then['year'])} and {int(now['year'])}")
    direction = str(meta["direction"])
    if meta["kind"] in EXTENSIVE_KINDS or direction == "neutral":
        return row
    row["gap_then"] = signed_gap(value_then, row["baseline_eu"], direction)
    row["gap_now"] = signed_gap(value_now, row["latest_eu"], direction)
    if row["gap_then"] is not None and row["gap_now"] is not None:
        row["gap_change"] = row["gap_now"] - row["gap_then"]
    row["movement"] = movement(row["gap_then"], row["gap_now"])
    own = [profile.nuts.code, *profile.nuts.parts]
    for key, year, value in (("then", row["baseline_year"], value_then), ("now", row["latest_year"], value_now)):
        others = snap.distribution(indicator_id, year)
        if not others.empty:
            row[f"rank_{key}"], row[f"n_{key}"] = rank_among(value, others.drop(index=own, errors="ignore"),
                                                             direction)
    return row


def movements(snap: Snapshot, profile: RegionProfile, baseline: int = BASELINE_YEAR,
              ids: Iterable[str] = KEY_INDICATORS) -> pd.DataFrame:
    """The movement table: one row per key indicator the snapshot has."""
    rows = [indicator_movement(snap, i, profile, baseline) for i in ids if has_indicator(snap, i)]
    return pd.DataFrame(rows, columns=MOVEMENT_COLUMNS).astype({c: "Int64" for c in INTEGER_COLUMNS})


@dataclass(frozen=True)
class VerdictChange:
    """A challenge's verdict at the baseline and now, and the tests that changed it."""

    challenge: str
    label: str
    then: str
    now: str
    published: bool
    changed_by: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.then != self.now


def verdict_changes(then: Sequence[Verdict], now: Sequence[Verdict]) -> list[VerdictChange]:
    """Pair the verdicts of the same rules; name the evidence whose outcome differs."""
    out = []
    for old, new in zip(then, now):
        changed_by = tuple(n.label for o, n in zip(old.evidence, new.evidence) if o.met != n.met)
        out.append(VerdictChange(new.challenge, new.label, old.verdict, new.verdict, new.published,
                                 changed_by if old.verdict != new.verdict else ()))
    return out


@dataclass(frozen=True)
class Since:
    """A region's movement since the baseline and its verdicts then and now."""

    baseline: int
    table: pd.DataFrame
    verdicts: list[VerdictChange]

    def payload(self) -> dict[str, Any]:
        rows = [{k: _plain(v) for k, v in row.items()} for row in self.table.to_dict("records")]
        return {"baseline_year": self.baseline, "indicators": rows,
                "verdicts": [{"id": v.challenge, "label": v.label, "then": v.then, "now": v.now,
                              "published": v.published, "changed_by": list(v.changed_by)}
                             for v in self.verdicts]}


# --- across regions (summary) ----------------------------------------------------------------

def convergence(assessments: Mapping[str, dict[str, Any]], names: Mapping[str, str]) -> pd.DataFrame:
    """Regions ranked by convergence since the baseline: indicators whose position against the EU
    improved (gap closed or lead grew) and worsened, and the mean change of EU NUTS 2 rank
    (positive = moved up), from each assessment payload's `since` part."""
    rows = []
    for region, payload in assessments.items():
        since = payload.get("since") or {}
        table = pd.DataFrame(since.get("indicators") or [], columns=MOVEMENT_COLUMNS)
        judged = table[table["movement"].notna()]
        ranked = table[table["rank_then"].notna() & table["rank_now"].notna()]
        rows.append({
            "region": region, "name": names.get(region, region), "baseline_year": since.get("baseline_year"),
            "n_compared": len(judged),
            "n_improved": int(judged["movement"].isin([CLOSED, LEAD_GREW]).sum()),
            "n_worsened": int(judged["movement"].isin([WIDENED, LEAD_SHRANK]).sum()),
            "mean_rank_change": (float((ranked["rank_then"] - ranked["rank_now"]).mean())
                                 if len(ranked) else None),
        })
    frame = pd.DataFrame(rows, columns=["region", "name", "baseline_year", "n_compared", "n_improved",
                                        "n_worsened", "mean_rank_change"])
    frame["net"] = frame["n_improved"] - frame["n_worsened"]
    return frame.sort_values(["net", "mean_rank_change"], ascending=False, na_position="last",
                             ignore_index=True)


def persistence(assessments: Mapping[str, dict[str, Any]], labels: Mapping[str, str]) -> pd.DataFrame:
    """Per joint challenge: regions indicated at the baseline, now, in both (persisted), and the
    verdicts that changed, across the regions of the run."""
    rows = []
    for cid, label in labels.items():
        verdicts = [v for p in assessments.values() for v in (p.get("since") or {}).get("verdicts", [])
                    if v["id"] == cid]
        rows.append({"challenge": cid, "label": label, "n_regions": len(verdicts),
                     "indicated_then": sum(v["then"] == "indicated" for v in verdicts),
                     "indicated_now": sum(v["now"] == "indicated" for v in verdicts),
                     "persisted": sum(v["then"] == v["now"] == "indicated" for v in verdicts),
                     "changed": sum(v["then"] != v["now"] for v in verdicts),
                     "listed_by_eocic": sum(bool(v["published"]) for v in verdicts)})
    return pd.DataFrame(rows)
