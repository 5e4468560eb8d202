"""The figures the interactive tools redraw. Each returns a fresh `Figure` (no pyplot state)."""
from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from workbench.report.style import REGION_COLOUR, add_source
from workbench.widgets.maps import Shapes, draw_choropleth

OTHER_COLOUR = "#9ecae1"


def new_figure(width: float = 8.0, height: float = 4.2, ncols: int = 1,
               ratios: tuple[float, ...] | None = None, wspace: float = 0.75) -> tuple[Figure, list[Axes]]:
    """A figure with `ncols` axes side by side, room on the left of each for bar labels.

    Fixed margins instead of a layout engine: constrained layout doubled the redraw time.
    Labels that reach beyond the figure are kept by `bbox_inches="tight"` when saving.
    """
    fig = Figure(figsize=(width, height))
    axes = fig.subplots(1, ncols, width_ratios=ratios) if ncols > 1 else [fig.subplots()]
    fig.subplots_adjust(left=0.3 / ncols + 0.02, right=0.97, wspace=wspace, top=0.9, bottom=0.14)
    return fig, list(axes)


def barh(ax: Axes, labels: list[str], values: list[float], *, highlight: list[bool] | None = None,
         xlabel: str = "", title: str = "", fmt: str = "{:,.1f}") -> None:
    """Horizontal bars, first item on top, value printed at each bar's end."""
    colours = [REGION_COLOUR if h else OTHER_COLOUR for h in (highlight or [True] * len(values))]
    positions = list(range(len(values)))[::-1]
    ax.barh(positions, values, color=colours)
    ax.set_yticks(positions, [_short(label) for label in labels], fontsize=8)
    for y, value in zip(positions, values):
        if pd.notna(value):
            ax.text(value, y, " " + fmt.format(value), va="center", fontsize=7)
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left")
    ax.margins(x=0.15)


def _short(label: str, width: int = 42) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def ranking_figure(frame: pd.DataFrame, label_col: str, value_col: str, *, title: str, xlabel: str,
                   source: str, highlight_col: str | None = None, fmt: str = "{:,.0f}") -> Figure:
    """One ranking chart: the rows of `frame` in order (already sorted and cut)."""
    fig, (ax,) = new_figure(8.0, max(2.5, 0.28 * len(frame) + 1.2))
    highlight = list(frame[highlight_col]) if highlight_col else None
    barh(ax, list(frame[label_col].astype(str)), list(frame[value_col].astype(float)),
         highlight=highlight, xlabel=xlabel, title=title, fmt=fmt)
    add_source(fig, source)
    return fig


def ranking_map_figure(ranking: pd.DataFrame, values: pd.Series, shapes: Shapes, *, title: str,
                       xlabel: str, source: str, highlight: tuple[str, ...], stars: bool = False,
                       fmt: str = "{:,.0f}") -> Figure:
    """A ranking (left; columns label, value, pilot) and a NUTS 2 choropleth (right)."""
    fig, (left, right) = new_figure(11.0, 6.0, ncols=2, ratios=(1.0, 1.6), wspace=0.05)
    barh(left, list(ranking["label"]), list(ranking["value"].astype(float)),
         highlight=list(ranking["pilot"]), xlabel=xlabel, title=title, fmt=fmt)
    draw_choropleth(right, shapes, values, label=xlabel, highlight=highlight, stars=stars)
    add_source(fig, source)
    return fig


def weights_figure(scores: pd.DataFrame, weights: dict[str, float], composite: pd.Series, *,
                   region: str, labels: dict[str, str], names: dict[str, str], source: str) -> Figure:
    """Dimension scores of the region with their weights (left); weighted composite (right)."""
    fig, (left, right) = new_figure(11.0, 4.2, ncols=2)
    dims = list(scores.index)
    barh(left, [f"{labels.get(d, d)} (w={weights.get(d, 0):g})" for d in dims],
         list(scores[region]), xlabel="dimension score (0-1; no bar = no data)",
         title="Dimension scores and your weights", fmt="{:.2f}")
    barh(right, [names.get(g, g) for g in composite.index], list(composite),
         highlight=[g == region for g in composite.index], xlabel="weighted composite (0-1)",
         title="Composite under these weights", fmt="{:.2f}")
    add_source(fig, source)
    return fig


def results_figure(ratings: pd.DataFrame, votes: pd.DataFrame, n_participants: int) -> Figure:
    """Mean rating per challenge (left) and support votes per measure (right), all participants."""
    fig, (left, right) = new_figure(11.0, max(3.5, 0.3 * len(votes) + 1.5), ncols=2)
    barh(left, list(ratings["label"]), list(ratings["mean"]), xlabel="mean rating (1-5)",
         title=f"Challenges: mean rating ({n_participants} participants)", fmt="{:.1f}")
    left.set_xlim(0, 5.5)
    barh(right, list(votes["label"]), list(votes["total"]), xlabel="participants supporting",
         title="Measures: support votes", fmt="{:.0f}")
    return fig
