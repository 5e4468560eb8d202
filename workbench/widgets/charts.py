"""The charts the interactive tools redraw, each kept alive between control changes.

A chart owns one `Figure` (no pyplot state) built once; `update(...)` replaces only what a
control change changes (bars, labels, title, map colours, colour scale) and returns the figure.
The layout is computed in inches from the label widths, without a layout engine or a tight
bounding box: title, labelled axes and the source line all lie inside the figure, so the
on-screen image needs one draw (`screen.screen_png`). Exports still use `savefig`.
"""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle

from workbench.report.fast_agg import new_figure, text_width, wrap
from workbench.report.style import REGION_COLOUR
from workbench.widgets.maps import Choropleth, Shapes

OTHER_COLOUR = "#9ecae1"
MISSING_TEXT_COLOUR = "#666666"
LABEL_SIZE, VALUE_SIZE, SOURCE_SIZE = 8.0, 7.0, 8.0
LABEL_CHARS = 42
PAD = 0.12  # inches
LINE = 1.25  # line height as a multiple of the font size
BAR_HEIGHT = 0.8


def _points(key: str) -> float:
    return FontProperties(size=mpl.rcParams[key]).get_size_in_points()


def _title_props() -> tuple[float, str]:
    return _points("axes.titlesize"), str(mpl.rcParams["axes.titleweight"])


def _axis_band() -> float:
    """Inches under an axes for its tick labels and axis label."""
    tick = mpl.rcParams["xtick.major.pad"] + mpl.rcParams["xtick.major.size"] + LINE * _points("xtick.labelsize")
    return (tick + mpl.rcParams["axes.labelpad"] + LINE * _points("axes.labelsize")) / 72 + 0.08


def short(label: str, width: int = LABEL_CHARS) -> str:
    """A bar label cut to `width` characters (an ellipsis marks the cut)."""
    return label if len(label) <= width else label[: width - 1] + "…"


class Chart:
    """A figure with a source line at the bottom; subclasses place their axes."""

    def __init__(self, width: float, height: float):
        self.fig = new_figure(figsize=(width, height))
        self.source = self.fig.text(PAD / width, PAD / height, "", ha="left", va="bottom",
                                    fontsize=SOURCE_SIZE, color="#444444")

    @property
    def width(self) -> float:
        return float(self.fig.get_figwidth())

    def set_source(self, source: str) -> float:
        """Write 'Source: …' (wrapped to the figure's width); return the inches it takes."""
        if not source:
            self.source.set_text("")
            return PAD
        lines = wrap(f"Source: {source}", self.width - 2 * PAD, SOURCE_SIZE, dpi=self.fig.dpi)
        self.source.set_text("\n".join(lines))
        return len(lines) * LINE * SOURCE_SIZE / 72 + 2 * PAD

    def set_height(self, height: float) -> None:
        if abs(self.fig.get_figheight() - height) > 1e-6:
            self.fig.set_figheight(height)
        self.source.set_position((PAD / self.width, PAD / height))

    def place(self, ax: Axes, left: float, bottom: float, width: float, height: float) -> None:
        """Put `ax` at a rectangle given in inches from the bottom-left corner."""
        fw, fh = self.width, float(self.fig.get_figheight())
        ax.set_position([left / fw, bottom / fh, max(width, 0.1) / fw, max(height, 0.1) / fh])


class Bars:
    """Horizontal bars on one axes, first item on top, the value printed at each bar's end.

    A missing value gets no bar and the words "no data" in grey.
    """

    def __init__(self, ax: Axes):
        self.ax = ax
        self.artists: list[Artist] = []
        self.labels: list[str] = []
        self.title_lines = 1

    def update(self, labels: Sequence[str], values: Sequence[float], *, highlight: Sequence[bool] | None = None,
               xlabel: str = "", fmt: str = "{:,.1f}") -> None:
        """Replace bars, bar labels, value labels and the axis label."""
        ax = self.ax
        for artist in self.artists:
            artist.remove()
        self.artists = []
        values = [float(v) if pd.notna(v) else np.nan for v in values]
        colours = [REGION_COLOUR if h else OTHER_COLOUR for h in (highlight or [True] * len(values))]
        positions = list(range(len(values)))[::-1]
        for y, value, colour in zip(positions, values, colours):
            if np.isnan(value):
                text = ax.text(0, y, " no data", va="center", fontsize=VALUE_SIZE, color=MISSING_TEXT_COLOUR)
            else:
                # Rectangles added as plain artists: the x limits are set below, not by autoscaling.
                self.artists.append(ax.add_artist(Rectangle((0.0, y - BAR_HEIGHT / 2), value, BAR_HEIGHT,
                                                            facecolor=colour, edgecolor="none")))
                text = ax.text(value, y, " " + fmt.format(value), va="center", fontsize=VALUE_SIZE)
            self.artists.append(text)
        self.labels = [short(str(label)) for label in labels]
        ax.set_yticks(positions, self.labels, fontsize=LABEL_SIZE)
        ax.set_ylim(-0.6, len(values) - 0.4)
        ax.set_xlim(*_value_range(values))
        ax.set_xlabel(xlabel)

    def set_title(self, title: str, width: float) -> None:
        """The panel title, left-aligned, wrapped to `width` inches; a fixed position (no auto-placement)."""
        size, weight = _title_props()
        lines = wrap(title, width, size, weight, self.ax.figure.dpi)
        self.title_lines = len(lines)
        self.ax.set_title("\n".join(lines), loc="left", y=1.0, pad=mpl.rcParams["axes.titlepad"])

    def label_width(self) -> float:
        """Inches the bar labels need left of the axes."""
        dpi = self.ax.figure.dpi
        longest = max((text_width(label, LABEL_SIZE, dpi=dpi) for label in self.labels), default=0.0)
        return longest + (mpl.rcParams["ytick.major.pad"] + mpl.rcParams["ytick.major.size"]) / 72 + 0.05

    def title_height(self) -> float:
        return self.title_lines * LINE * _title_props()[0] / 72 + mpl.rcParams["axes.titlepad"] / 72 + PAD


def _value_range(values: Sequence[float], margin: float = 0.15) -> tuple[float, float]:
    """x limits for bars from zero: the values' range and zero, widened by `margin` away from zero."""
    finite = [v for v in values if np.isfinite(v)]
    low, high = min(finite + [0.0]), max(finite + [0.0])
    span = (high - low) or 1.0
    return (low - margin * span if low < 0 else 0.0), (high + margin * span if high > 0 or low == 0 else 0.0)


def _row_height(n: int, per_row: float = 0.28) -> float:
    return max(1.3, per_row * n)


class RankingChart(Chart):
    """One ranking: the rows in the order given (already sorted and cut)."""

    WIDTH = 8.0

    def __init__(self) -> None:
        super().__init__(self.WIDTH, 4.0)
        self.bars = Bars(self.fig.add_subplot())

    def update(self, labels: Sequence[str], values: Sequence[float], *, title: str, xlabel: str, source: str,
               highlight: Sequence[bool] | None = None, fmt: str = "{:,.0f}") -> Figure:
        self.bars.update(labels, values, highlight=highlight, xlabel=xlabel, fmt=fmt)
        left = min(max(self.bars.label_width(), 0.8), 0.5 * self.width)
        self.bars.set_title(title, self.width - left - PAD)
        bottom = self.set_source(source) + _axis_band()
        top = self.bars.title_height()
        rows = _row_height(len(labels))
        self.set_height(bottom + rows + top)
        self.place(self.bars.ax, left, bottom, self.width - left - 0.35, rows)
        return self.fig


class RankingMapChart(Chart):
    """A ranking (left) and a NUTS 2 choropleth (right) of the same values."""

    WIDTH, MAP_HEIGHT, ROW = 11.0, 4.6, 0.19

    def __init__(self, shapes: Shapes, *, highlight: tuple[str, ...], stars: bool):
        super().__init__(self.WIDTH, 6.0)
        self.bars = Bars(self.fig.add_axes((0.1, 0.1, 0.3, 0.8)))
        map_ax = self.fig.add_axes((0.5, 0.1, 0.4, 0.8))
        colour_ax = None if stars else self.fig.add_axes((0.93, 0.2, 0.015, 0.5))
        self.map = Choropleth(map_ax, shapes, highlight=highlight, stars=stars, colour_ax=colour_ax)

    def update(self, ranking: pd.DataFrame, values: pd.Series, *, title: str, xlabel: str, source: str,
               fmt: str = "{:,.0f}") -> Figure:
        """`ranking` has columns label, value, pilot; `values` is indexed by NUTS id."""
        labels, numbers, pilots = list(ranking["label"]), list(ranking["value"]), list(ranking["pilot"])
        self.bars.update(labels, numbers, highlight=pilots, xlabel=xlabel, fmt=fmt)
        left = min(max(self.bars.label_width(), 0.8), 0.3 * self.width)
        self.bars.set_title(title, self.width - left - PAD)
        self.map.update(values, label=xlabel, fmt=fmt)
        bottom = self.set_source(source) + _axis_band()
        top = self.bars.title_height()
        rows = max(_row_height(len(labels), self.ROW), self.MAP_HEIGHT)
        self.set_height(bottom + rows + top)
        bar_width = 2.6
        self.place(self.bars.ax, left, bottom, bar_width, rows)
        map_left = left + bar_width + 0.5
        colour_band = 0 if self.map.colour_ax is None else 1.2
        self.place(self.map.ax, map_left, bottom, self.width - map_left - colour_band - PAD, rows)
        if self.map.colour_ax is not None:
            self.place(self.map.colour_ax, self.width - colour_band + 0.1, bottom + 0.15 * rows, 0.16, 0.7 * rows)
        return self.fig


class PairChart(Chart):
    """Two bar panels: side by side (the left one takes `share` of the width) or, `stacked`, one above
    the other (for a narrow screen)."""

    def __init__(self, width: float = 11.0, share: float = 0.5, stacked: bool = False):
        super().__init__(width, 4.2)
        self.share, self.stacked = share, stacked
        self.left = Bars(self.fig.add_axes((0.1, 0.1, 0.3, 0.8)))
        self.right = Bars(self.fig.add_axes((0.6, 0.1, 0.3, 0.8)))

    def arrange(self, titles: tuple[str, str], source: str, rows: tuple[int, int], min_height: float = 2.6) -> Figure:
        """Title and lay out both panels after their `update`; `rows` are the panels' bar counts."""
        if self.stacked:
            return self._arrange_stacked(titles, source, rows)
        left_labels, right_labels = self.left.label_width(), self.right.label_width()
        free = self.width - left_labels - right_labels - 2 * PAD - 0.85
        left_width = max(free * self.share, 1.0)
        right_left = left_labels + PAD + left_width + 0.5 + right_labels
        self.left.set_title(titles[0], right_left - right_labels - left_labels - PAD - 0.2)
        self.right.set_title(titles[1], self.width - right_left - PAD)
        bottom = self.set_source(source) + _axis_band()
        top = max(self.left.title_height(), self.right.title_height())
        height = max(_row_height(max(rows)), min_height)
        self.set_height(bottom + height + top)
        self.place(self.left.ax, left_labels + PAD, bottom, left_width, height)
        self.place(self.right.ax, right_left, bottom, self.width - right_left - 0.35, height)
        return self.fig

    def _arrange_stacked(self, titles: tuple[str, str], source: str, rows: tuple[int, int]) -> Figure:
        labels = min(max(self.left.label_width(), self.right.label_width(), 0.8), 0.5 * self.width)
        width = self.width - labels - PAD - 0.4
        self.left.set_title(titles[0], self.width - labels - PAD)
        self.right.set_title(titles[1], self.width - labels - PAD)
        bottom = self.set_source(source) + _axis_band()
        lower, upper = _row_height(rows[1]), _row_height(rows[0])
        upper_bottom = bottom + lower + self.right.title_height() + _axis_band()
        self.set_height(upper_bottom + upper + self.left.title_height())
        self.place(self.right.ax, labels + PAD, bottom, width, lower)
        self.place(self.left.ax, labels + PAD, upper_bottom, width, upper)
        return self.fig


class WeightsChart(PairChart):
    """Dimension scores of the region with their weights (left or top); weighted composite (right or below)."""

    def update(self, scores: pd.DataFrame, weights: dict[str, float], composite: pd.Series, *, region: str,
               labels: dict[str, str], names: dict[str, str], source: str) -> Figure:
        dims = list(scores.index)
        self.left.update([f"{labels.get(d, d)} (weight {weights.get(d, 0):g})" for d in dims],
                         list(scores[region]), xlabel="dimension score (0-1)", fmt="{:.2f}")
        self.right.update([names.get(g, g) for g in composite.index], list(composite),
                          highlight=[g == region for g in composite.index], xlabel="weighted composite (0-1)",
                          fmt="{:.2f}")
        return self.arrange(("Dimension scores and your weights", "Composite under your weights"), source,
                            (len(dims), len(composite)))
