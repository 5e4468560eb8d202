"""The redrawn charts: everything inside the figure, missing data shown as missing, fast text unchanged."""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.colors import to_rgba
from PIL import Image

from workbench.widgets.charts import RankingChart, RankingMapChart
from workbench.widgets.maps import MISSING_COLOUR
from workbench.widgets.screen import screen_png

SQUARES = {f"XX0{i}": [np.array([[i, 0], [i + 1, 0], [i + 1, 1], [i, 1]], dtype=float) / 10] for i in range(4)}


def _ranking() -> RankingChart:
    chart = RankingChart()
    chart.update(["A very long sector name that goes on and on beyond forty-two characters", "Short", "Missing"],
                 [1200.0, 300.0, float("nan")], xlabel="persons employed", source="constructed test data, 2014",
                 title="A long title that has to wrap because it is much wider than the figure it belongs to, "
                       "so it is broken into lines")
    return chart


def test_title_labels_and_source_lie_inside_the_figure() -> None:
    chart = _ranking()
    png = screen_png(chart.fig)
    box = chart.fig.bbox
    renderer = RendererAgg(box.width, box.height, chart.fig.dpi)
    ax = chart.bars.ax
    texts = [ax.title, ax._left_title, ax.xaxis.label, chart.source, *ax.get_yticklabels(), *ax.get_xticklabels()]
    for text in texts:
        if text.get_text() and text.get_visible():
            extent = text.get_window_extent(renderer)
            assert box.x0 - 1 <= extent.x0 and extent.x1 <= box.x1 + 1, text.get_text()
            assert box.y0 - 1 <= extent.y0 and extent.y1 <= box.y1 + 1, text.get_text()
    assert "Source: constructed test data, 2014" in chart.source.get_text()
    assert "\n" in ax._left_title.get_text()  # wrapped
    assert Image.open(io.BytesIO(png)).size == (int(box.width), int(box.height))


def test_missing_values_say_no_data() -> None:
    chart = _ranking()
    assert "no data" in [t.get_text().strip() for t in chart.bars.ax.texts]
    assert len(chart.bars.ax.patches) == 2  # no bar for the missing value


def test_screen_png_text_matches_matplotlib() -> None:
    """The cached whole-string text rendering differs from matplotlib's only by sub-pixel placement.

    Each pixel of the fast image lies within the range of the matplotlib image's 3×3 neighbourhood.
    """
    chart = _ranking()
    fast = np.asarray(Image.open(io.BytesIO(screen_png(chart.fig))).convert("RGB"), dtype=int)
    buffer = io.BytesIO()
    FigureCanvasAgg(chart.fig).print_png(buffer)  # matplotlib's own text rendering (the figure's canvas caches)
    plain = np.asarray(Image.open(buffer).convert("RGB"), dtype=int)
    assert fast.shape == plain.shape
    padded = np.pad(plain, ((1, 1), (1, 1), (0, 0)), mode="edge")
    shifts = np.stack([padded[1 + dy: 1 + dy + plain.shape[0], 1 + dx: 1 + dx + plain.shape[1]]
                       for dy in (-1, 0, 1) for dx in (-1, 0, 1)])
    outside = (fast < shifts.min(axis=0) - 40) | (fast > shifts.max(axis=0) + 40)
    assert outside.any(axis=2).mean() < 0.002


def test_map_recolours_and_shows_missing_as_grey() -> None:
    chart = RankingMapChart(SQUARES, highlight=("XX00",), stars=False)
    ranking = pd.DataFrame({"label": ["a", "b"], "value": [2.0, 1.0], "pilot": [True, False]})
    chart.update(ranking, pd.Series({"XX00": 2.0, "XX01": 1.0, "XX02": np.nan}), title="t", xlabel="lq",
                 source="constructed")
    screen_png(chart.fig)
    faces = dict(zip(chart.map.geos, map(tuple, chart.map.polygons.get_facecolors())))
    assert faces["XX02"] == faces["XX03"] == to_rgba(MISSING_COLOUR)
    assert faces["XX00"] != faces["XX01"]
    assert chart.map.colour_bar.norm.vmax == 2.0 and chart.map.colour_bar.ax.get_ylabel() == "lq"
    chart.update(ranking, pd.Series({"XX00": 5.0, "XX03": 4.0}), title="t", xlabel="employment", source="c")
    screen_png(chart.fig)
    faces = dict(zip(chart.map.geos, map(tuple, chart.map.polygons.get_facecolors())))
    assert faces["XX01"] == to_rgba(MISSING_COLOUR) and faces["XX03"] != to_rgba(MISSING_COLOUR)
    assert chart.map.colour_bar.norm.vmin == 4.0 and chart.map.colour_bar.ax.get_ylabel() == "employment"
