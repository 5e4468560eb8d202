"""Notebook cells for the industrial structure and cluster portfolio of a region.

Every function takes the `region_sectors` table (workbench.analysis.clusters) and returns one
figure, one styled table with its markdown source line, or one markdown sentence. Figures
carry the SBS source line and the category-mapping version; tables and sentences that use
categories carry the mapping caveat (divisions only approximate 4-digit categories).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator
from pandas.io.formats.style import Styler

from workbench.analysis.clusters import (TOP_BY, category_caveat, division_table, load_categories,
                                         top_sectors)
from workbench.analysis.stars import get_rule
from workbench.report.style import PALETTE, add_source, escape, fmt_number, source_line, subplots

LQ_TICKS = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50]
STAR_COLOURS = ["#BBBBBB", PALETTE[4], PALETTE[0], PALETTE[5]]
TYPE_COLOURS = {"traded": PALETTE[0], "local": PALETTE[1]}


def sector_source(sectors: pd.DataFrame) -> str:
    """'Eurostat sbs_r_nuts06_r2 (SBS), 2014; categories: workbench NACE-division mapping v1'."""
    year = int(sectors["year"].iloc[0])
    return f"Eurostat sbs_r_nuts06_r2 (SBS), {year}; {load_categories().source_line}"


def _with_names(sectors: pd.DataFrame) -> pd.DataFrame:
    names = division_table()[["nace", "short", "category_type"]]
    out = sectors.merge(names, on="nace", how="left")
    out["name"] = out["short"] + " (" + out["nace"] + ")"
    return out


def employment_chart(sectors: pd.DataFrame, region_name: str, n: int = 15) -> Figure:
    """Horizontal bars of the `n` divisions with most persons employed, coloured traded/local."""
    top = _with_names(top_sectors(sectors, "employment", n)).iloc[::-1]
    fig, ax = subplots(figsize=(8, 0.32 * len(top) + 1.4))
    bars = ax.barh(top["name"], top["employment"], color=top["category_type"].map(TYPE_COLOURS))
    ax.bar_label(bars, labels=[f"{v:,.0f}  ({s:.1f}%)" for v, s in zip(top["employment"], top["share"])],
                 padding=3, fontsize=8)
    ax.set_xlim(0, top["employment"].max() * 1.3)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel("persons employed (share of SBS business-economy employment)")
    ax.set_title(f"{region_name}: largest sectors by persons employed, {int(sectors['year'].iloc[0])}")
    ax.legend(handles=[Line2D([], [], color=c, lw=6, label=f"{t} category") for t, c in TYPE_COLOURS.items()],
              loc="lower right")
    ax.grid(axis="y", visible=False)
    add_source(fig, sector_source(sectors))
    return fig


def portfolio_chart(sectors: pd.DataFrame, region_name: str, preset: str = "eocic",
                    n_labels: int = 8) -> Figure:
    """Bubble chart: LQ (log x) against employment growth (y), bubble area = employment,
    colour = stars of `preset`. The `n_labels` largest sectors are labelled without overlaps.
    Sectors without an LQ or a growth rate are left out and counted in the subtitle."""
    rule = get_rule(preset)
    data = _with_names(sectors)
    shown = data.dropna(subset=["lq", "growth_pct", "employment"])
    shown = shown[shown["lq"] > 0]
    fig, ax = subplots(figsize=(9, 5.6))
    sizes = 1500 * shown["employment"] / shown["employment"].max()
    colours = [STAR_COLOURS[min(int(s), 3)] for s in shown[f"stars_{rule.name}"]]
    ax.scatter(shown["lq"], shown["growth_pct"], s=sizes, c=colours, alpha=0.75,
               edgecolors="white", linewidths=0.6)
    ax.set_xscale("log")
    ticks = [t for t in LQ_TICKS if shown["lq"].min() / 1.5 <= t <= shown["lq"].max() * 1.5]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.axvline(1, color="#555555", lw=0.8, ls="--")
    ax.axhline(0, color="#555555", lw=0.8)
    low, high = np.percentile(shown["growth_pct"], [3, 97])
    low, high = min(low, 0.0), max(high, 0.0)
    pad = 0.15 * (high - low or 1.0)
    ax.set_ylim(low - pad, high + pad)
    off_scale = int(((shown["growth_pct"] < low - pad) | (shown["growth_pct"] > high + pad)).sum())
    ax.set_xlabel("location quotient vs EU-27 (log scale; 1 = EU average specialisation)")
    ax.set_ylabel(f"employment growth, % per year (mostly {shown['growth_years'].mode().iloc[0]})")
    left_out = len(data) - len(shown)
    ax.set_title(f"{region_name}: sector portfolio, {int(sectors['year'].iloc[0])}", pad=20)
    ax.text(0, 1.01, f"bubble area = persons employed; colour = stars ({rule.name} preset)"
            + (f"; {left_out} divisions without LQ or growth not shown" if left_out else "")
            + (f"; {off_scale} off the growth scale" if off_scale else ""),
            transform=ax.transAxes, fontsize=8, color="#444444", va="bottom")
    _label_without_overlaps(ax, shown.nlargest(n_labels, "employment"))
    ax.legend(handles=[Line2D([], [], marker="o", ls="", color=STAR_COLOURS[k], markersize=9,
                              label=f"{k} star{'s' if k != 1 else ''}") for k in range(rule.max_stars + 1)],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), title="stars")
    add_source(fig, sector_source(sectors))
    return fig


def _label_without_overlaps(ax: Axes, points: pd.DataFrame) -> None:
    """Annotate points with their names, trying offsets around each point until the label's
    box overlaps no label placed before and stays inside the axes."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    axes_box = ax.get_window_extent(renderer)
    placed = []
    offsets = [(dx * r, dy * r) for r in (8, 18, 30, 45, 65, 90)
               for dx, dy in ((1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1.4), (0, -1.4))]
    for row in points.itertuples():
        for dx, dy in offsets:
            text = ax.annotate(row.name, (row.lq, row.growth_pct), xytext=(dx, dy),
                               textcoords="offset points", fontsize=8,
                               ha="left" if dx >= 0 else "right", va="center",
                               arrowprops=dict(arrowstyle="-", color="#777777", lw=0.5))
            text.update_positions(renderer)
            box = Text.get_window_extent(text, renderer).expanded(1.05, 1.3)  # text only, no arrow
            inside = axes_box.contains(box.x0, box.y0) and axes_box.contains(box.x1, box.y1)
            if inside and not any(box.overlaps(other) for other in placed):
                placed.append(box)
                break
            text.remove()


def star_table(sectors: pd.DataFrame, preset: str = "eocic", only_starred: bool = True,
               n: int | None = None) -> tuple[Styler, str]:
    """Divisions with their stars under `preset`, one reason sentence per star (or per
    condition for the US rule), and the markdown source line with the category caveat."""
    rule = get_rule(preset)
    data = _with_names(sectors)
    if only_starred:
        data = data[data[f"stars_{rule.name}"] > 0]
    data = data.sort_values([f"stars_{rule.name}", "employment"], ascending=False)
    data = data.head(n) if n else data
    table = pd.DataFrame({
        "Sector": data["name"],
        "Category": data["category_label"],
        "Persons employed": data["employment"],
        "LQ": data["lq"],
        "Wage per employee (EUR)": data["wage_per_employee"],
        "Stars": [("★" * int(s)) + ("☆" * (rule.max_stars - int(s))) for s in data[f"stars_{rule.name}"]],
        "Why": ["\n".join(r) for r in data[f"reasons_{rule.name}"]],
    })
    styled = (table.style.hide(axis="index")
              .format({"Persons employed": "{:,.0f}", "LQ": "{:.2f}", "Wage per employee (EUR)": "{:,.0f}"},
                      na_rep="n/a", escape="html")
              .set_properties(subset=["Why"], **{"white-space": "pre-line", "text-align": "left",
                                                 "font-size": "85%"})
              .set_caption(f"{escape(rule.label)}: {escape(rule.provenance)}"))
    return styled, source_line([sector_source(sectors), category_caveat().rstrip(".")])


def structure_sentence(sectors: pd.DataFrame, region_name: str, preset: str = "eocic") -> str:
    """Markdown: the largest, the most specialised and the most productive sector, and the
    number of starred sectors, from computed values."""
    rule = get_rule(preset)
    data = _with_names(sectors)
    year = int(sectors["year"].iloc[0])
    parts = []
    for by, words in TOP_BY.items():
        top = top_sectors(data, by, 1)
        if top.empty:
            continue
        row = top.iloc[0]
        detail = {"employment": f"{fmt_number(row['employment'], 0)} persons employed "
                                f"({fmt_number(row['share'], 1)}% of SBS business-economy employment)",
                  "lq": f"location quotient {fmt_number(row['lq'], 2)}",
                  "wage_per_employee": f"{fmt_number(row['wage_per_employee'], 0)} EUR wages per person employed"}[by]
        parts.append(f"the {words} sector was {escape(row['name'])} with {detail}")
    if not parts:
        return f"No SBS sector data for {escape(region_name)} in {year}."
    starred = int((data[f"stars_{rule.name}"] > 0).sum())
    growth = data.dropna(subset=["growth_pct"])
    return (f"In {year}, in {escape(region_name)}, " + "; ".join(parts) + ". "
            f"{starred} of {len(data)} NACE divisions have at least one star under the "
            f"{escape(rule.label)} rule; {int(data['employment'].isna().sum())} divisions have no "
            f"(or confidential) employment data"
            + (f", and employment growth could be computed for {len(growth)}." if len(growth) else ".")
            + f" {escape(category_caveat())}")
