"""The "Since the EOCIC assessment" section: movement table, gap chart, verdicts then and now.

Every function takes the computed `workbench.analysis.since.Since` (or its payload rows) and
returns reader text, a table or a figure; numbers come from the computation, never from here.
"""
from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from workbench.analysis.since import CLOSED, LEAD_GREW, LEAD_SHRANK, WIDENED, Since
from workbench.concepts import VERDICT_WORDS
from workbench.report.style import EU_COLOUR, PALETTE, REGION_COLOUR, escape, fmt_value, subplots

BETTER = {CLOSED, LEAD_GREW}
WORSE = {WIDENED, LEAD_SHRANK}


def _rank(rank: Any, n: Any) -> str:
    return "–" if rank is None or pd.isna(rank) else f"{int(rank)} of {int(n)}"


def _gap(value: Any) -> str:
    return "–" if value is None or pd.isna(value) else f"{float(value):+.1f}"


def movement_table(since: Since) -> pd.DataFrame:
    """Reader table: one row per comparable indicator, values then and now, gap and rank."""
    t = since.table[since.table["comparable"]]
    return pd.DataFrame({
        "Indicator": t["label"], "Unit": t["unit"].fillna(""),
        "Baseline (year)": [f"{fmt_value(v)} ({y})" for v, y in zip(t["baseline_value"], t["baseline_year"])],
        "Latest (year)": [f"{fmt_value(v)} ({y})" for v, y in zip(t["latest_value"], t["latest_year"])],
        "Change": [fmt_value(c) if abs(c) >= 1 or abs(v) < 10 else f"{c:+.1f}".lstrip("+")
                   for c, v in zip(t["change"], t["latest_value"])],
        "Gap to EU then, %": t["gap_then"].map(_gap),
        "Gap to EU now, %": t["gap_now"].map(_gap),
        "Movement": t["movement"].fillna("–"),
        "EU NUTS 2 rank then": [_rank(r, n) for r, n in zip(t["rank_then"], t["n_then"])],
        "EU NUTS 2 rank now": [_rank(r, n) for r, n in zip(t["rank_now"], t["n_now"])],
    })


def not_comparable_sentence(since: Since) -> str:
    """The indicators without a value near the baseline or after it, each with the reason."""
    t = since.table[~since.table["comparable"]]
    if t.empty:
        return "Every key indicator has a value at the baseline and a later one."
    items = "; ".join(f"{escape(label)} ({escape(note)})" for label, note in zip(t["label"], t["note"]))
    return f"Not comparable, so not shown: {items}."


def movement_sentence(since: Since, region: str, aggregate: bool) -> str:
    """What moved: counts of closed and widened gaps, the largest of each, comparability."""
    t = since.table
    comparable = t[t["comparable"]]
    judged = comparable[comparable["movement"].notna()]
    better = judged[judged["movement"].isin(BETTER)].sort_values("gap_change", ascending=False)
    worse = judged[judged["movement"].isin(WORSE)].sort_values("gap_change")
    parts = [f"Of {len(t)} key indicators, {len(comparable)} have a value at the baseline "
             f"({since.baseline} or up to {since.baseline - 3}) and a later one; "
             f"{len(t) - len(comparable)} are not comparable and are listed as such, not filled."]
    if not judged.empty:
        parts.append(f"Against the EU reference of each year, {escape(region)} improved its position "
                     f"on {len(better)} of {len(judged)} indicators and lost ground on {len(worse)}.")
    for frame, verb in ((better, "improved most"), (worse, "lost most")):
        if not frame.empty:
            row = frame.iloc[0]
            parts.append(f"It {verb} on {escape(row['label'].lower())}: {_gap(row['gap_then'])} % "
                         f"of the EU value in {row['baseline_year']}, {_gap(row['gap_now'])} % in "
                         f"{row['latest_year']}.")
    parts.append("Gap: the region's value minus the EU reference of the same year, in % of the "
                 "reference, positive when better than the EU (sign turned for lower-is-better "
                 "indicators). Rank 1 = best EU-27 NUTS 2 region in that year"
                 + ("; the region is an aggregate placed among NUTS 2 regions." if aggregate else "."))
    return " ".join(parts)


def gap_chart(since: Since, region: str) -> Figure | None:
    """Dumbbell chart: gap to the EU at the baseline (hollow) and now (filled) per indicator."""
    t = since.table[since.table["gap_then"].notna() & since.table["gap_now"].notna()]
    if len(t) == 0:
        return None
    t = t.iloc[::-1]
    fig, ax = subplots(figsize=(9, 0.36 * len(t) + 1.5))
    y = np.arange(len(t))
    colour = [PALETTE[2] if m in BETTER else PALETTE[5] if m in WORSE else EU_COLOUR for m in t["movement"]]
    ax.hlines(y, t["gap_then"], t["gap_now"], color=colour, linewidth=2.2, zorder=2)
    ax.scatter(t["gap_then"], y, s=55, facecolor="white", edgecolor=EU_COLOUR, linewidth=1.4, zorder=3,
               label=f"baseline ({since.baseline} or nearest earlier year)")
    ax.scatter(t["gap_now"], y, s=65, color=REGION_COLOUR, zorder=4, label="latest year")
    ax.axvline(0, color="#333333", linewidth=1, linestyle=":")
    ax.annotate("EU reference", (0, 1), xycoords=("data", "axes fraction"), xytext=(3, 2),
                textcoords="offset points", fontsize=8.5, color="#333333", va="bottom")
    ax.set_yticks(y, ["\n".join(textwrap.wrap(f"{lbl} ({a}→{b})", 40))
                      for lbl, a, b in zip(t["label"], t["baseline_year"], t["latest_year"])], fontsize=9)
    ax.tick_params(axis="x", labelsize=9)
    ax.set_xlabel("Gap to the EU reference of the same year, % of the reference (right = better)",
                  fontsize=9.5)
    ax.set_title(f"{region}: gap to the EU then and now", loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.16 - 0.3 / len(t)), ncol=2, fontsize=9)
    return fig


def verdict_table(since: Since) -> pd.DataFrame:
    return pd.DataFrame([{
        "Joint challenge": v.label,
        f"Data verdict at {since.baseline}": VERDICT_WORDS[v.then],
        "Data verdict now": VERDICT_WORDS[v.now],
        "Listed by EOCIC (2018-2019)": "yes" if v.published else "no",
        "What changed the verdict": "; ".join(v.changed_by) if v.changed else "unchanged",
    } for v in since.verdicts])


def verdict_sentence(since: Since) -> str:
    changed = [v for v in since.verdicts if v.changed]
    if not changed:
        return (f"The rules give the same verdict on the data as they stood in {since.baseline} "
                f"and on the latest data for all {len(since.verdicts)} joint challenges.")
    names = "; ".join(f"{escape(v.label)} ({VERDICT_WORDS[v.then]} → {VERDICT_WORDS[v.now]})"
                      for v in changed)
    return (f"{len(changed)} of {len(since.verdicts)} verdicts changed between the data as they "
            f"stood in {since.baseline} and the latest data: {names}.")
