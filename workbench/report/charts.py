"""Chart helpers of the assessment report: trend small multiples and a dimension dot chart.

Both return the figure (made with `style.subplots`, shown with `style.show_figure`) with title,
units, labelled axes, the colour-blind-safe house palette and a source line.
"""
from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from workbench.report.style import EU_COLOUR, NATIONAL_COLOUR, PALETTE, REGION_COLOUR, add_source, subplots

MARKERS = ["o", "s", "^", "D", "v", "P", "X"]

# Trend grid geometry in inches, fixed because every panel has the same furniture: a title of
# at most two lines (10 pt) above, a two-line unit label (8.5 pt) and tick labels left, tick
# labels, "Year" and a source note of at most two lines (7 pt) below.
GRID_WIDTH, GRID_AXES_HEIGHT, GRID_ROW_GAP, GRID_COLUMN_GAP = 11.0, 1.85, 1.45, 1.1
GRID_LEFT, GRID_RIGHT, GRID_TOP, GRID_BOTTOM = 0.8, 0.2, 1.0, 0.85
PANEL_SOURCE_OFFSET = 38  # points from the axes' bottom edge down to its source note


BREAK_LABEL = "Series break (Eurostat flag b)"


def break_years(data: pd.DataFrame) -> list[int]:
    """Years whose regional value carries Eurostat's break-in-series flag `b` (column
    `region_flag`, optional)."""
    if "region_flag" not in data:
        return []
    flags = data["region_flag"].fillna("").astype(str)
    return [int(y) for y in data.loc[flags.str.contains("b") & data["region"].notna(), "year"]]


@dataclass(frozen=True)
class Panel:
    """One small multiple: a long table year, region, national, eu with its labels."""

    data: pd.DataFrame
    title: str
    unit: str
    source: str


def trend_grid(panels: list[Panel], region: str, national: str | None, title: str,
               ncols: int = 2) -> Figure:
    """Region, national and EU-27 lines per indicator, one panel each (national omitted if None);
    a dotted vertical line at each year the regional value has a series break (`break_years`)."""
    nrows = math.ceil(len(panels) / ncols)
    height = GRID_TOP + nrows * GRID_AXES_HEIGHT + (nrows - 1) * GRID_ROW_GAP + GRID_BOTTOM
    fig, axes = subplots(nrows, ncols, figsize=(GRID_WIDTH, height), squeeze=False)
    axes_width = (GRID_WIDTH - GRID_LEFT - GRID_RIGHT - (ncols - 1) * GRID_COLUMN_GAP) / ncols
    fig.subplots_adjust(left=GRID_LEFT / GRID_WIDTH, right=1 - GRID_RIGHT / GRID_WIDTH,
                        bottom=GRID_BOTTOM / height, top=1 - GRID_TOP / height,
                        wspace=GRID_COLUMN_GAP / axes_width, hspace=GRID_ROW_GAP / GRID_AXES_HEIGHT)
    series = [("region", region, REGION_COLOUR, "-", "o"), ("eu", "EU-27", EU_COLOUR, ":", "^")]
    if national:
        series.insert(1, ("national", national, NATIONAL_COLOUR, "--", "s"))
    for ax, panel in zip(axes.flat, panels):
        for column, label, colour, style, marker in series:
            ax.plot(panel.data["year"], panel.data[column], color=colour, linestyle=style,
                    marker=marker, markersize=3.5 if column == "region" else 2.5,
                    linewidth=2 if column == "region" else 1.6,
                    label=label)
        for year in break_years(panel.data):
            ax.axvline(year, color="#777777", linewidth=0.9, linestyle=(0, (1, 2)), label=BREAK_LABEL)
        ax.set_title("\n".join(textwrap.wrap(panel.title, 55)), fontsize=10, loc="left")
        ax.set_ylabel("\n".join(textwrap.wrap(panel.unit, 22)), fontsize=8.5)
        ax.set_xlabel("Year", fontsize=8.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        ax.tick_params(labelsize=8)
        ax.annotate("\n".join(textwrap.wrap(f"Source: {panel.source}", 80)), (0, 0),
                    xycoords="axes fraction", xytext=(0, -PANEL_SOURCE_OFFSET), textcoords="offset points",
                    va="top", fontsize=7, color="#444444")
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    legend = {label: handle for ax in axes.flat for handle, label in zip(*ax.get_legend_handles_labels())}
    fig.legend(list(legend.values()), list(legend), loc="lower center", ncol=len(legend), fontsize=9,
               bbox_to_anchor=(0.5, 1 - (GRID_TOP - 0.45) / height))
    fig.suptitle(title, y=1 - (GRID_TOP - 0.8) / height, va="bottom", fontweight="bold")
    return fig


def dimension_dots(scores: pd.DataFrame, names: dict[str, str], dimension_labels: dict[str, str],
                   title: str, source: str, missing_text: str) -> Figure:
    """Dimensions (rows) × units (columns of `scores`, first = the region) as dots on 0-1.

    A missing score is not drawn; a dimension without any score shows `missing_text`.
    """
    dims = list(scores.index)
    fig, ax = subplots(figsize=(9, 0.75 * len(dims) + 1.6))
    y = np.arange(len(dims))[::-1]
    offsets = np.linspace(0.22, -0.22, len(scores.columns)) if len(scores.columns) > 1 else [0.0]
    for i, (geo, offset) in enumerate(zip(scores.columns, offsets)):
        first = i == 0
        ax.scatter(scores[geo], y + offset, s=110 if first else 45, zorder=3 if first else 2,
                   color=REGION_COLOUR if first else PALETTE[1:][(i - 1) % (len(PALETTE) - 1)],
                   marker=MARKERS[i % len(MARKERS)], edgecolor="white", linewidth=0.6,
                   label=names.get(geo, geo))
    for row, dim in zip(y, dims):
        if scores.loc[dim].isna().all():
            ax.text(0.5, row, missing_text, ha="center", va="center", fontsize=9, color="#555555",
                    style="italic")
    ax.set_yticks(y, ["\n".join(textwrap.wrap(dimension_labels[d], 22)) for d in dims])
    ax.set_xlim(-0.03, 1.03)
    ax.set_ylim(-0.6, len(dims) - 0.4)
    ax.set_xlabel("Normalised score (0 = lowest, 1 = highest EU-27 NUTS 2 region)")
    ax.set_title(title, loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5, title="Region",
              title_fontsize=9)
    add_source(fig, source)
    return fig
