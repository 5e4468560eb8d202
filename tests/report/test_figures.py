"""show_figure: the PNG a report shows for a chart, with its source lines and alt text."""
from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from workbench.report import style

LONG_SOURCE = "; ".join(f"Eurostat dataset_{i} (unit=PC, sex=T, age=Y25-64), 2019" for i in range(8))


@pytest.fixture
def shown(monkeypatch):
    """The (data, metadata) of every display call made by show_figure."""
    calls = []
    monkeypatch.setattr(style, "display", lambda data, metadata=None, raw=False: calls.append((data, metadata)))
    return calls


def _chart():
    fig, ax = style.subplots(figsize=(6, 3))
    ax.barh(["Saxony", "Wallonia"], [3, 4])
    ax.set_xlabel("persons employed, thousands")
    ax.set_title("Largest sectors, 2014")
    return fig, ax


def test_the_png_is_the_only_output_and_its_alt_text_gives_title_and_source(shown):
    fig, _ = _chart()
    style.show_figure(fig, "Eurostat sbs_r_nuts06_r2 (SBS), 2014")
    [(data, metadata)] = shown
    assert list(data) == ["image/png"]
    assert metadata == {"image/png": {"alt": "Chart: Largest sectors, 2014. Source: Eurostat sbs_r_nuts06_r2 (SBS), 2014"}}
    image = Image.open(io.BytesIO(base64.b64decode(data["image/png"])))
    assert image.format == "PNG"


def test_source_lines_sit_under_the_content_wrapped_to_its_width(shown):
    fig, ax = _chart()
    style.add_source(fig, LONG_SOURCE)
    box = style._place_sources(fig)
    renderer = fig.canvas.get_renderer()
    inches = fig.dpi_scale_trans.inverted()
    [source] = [t for t in fig.texts if t.get_gid() == style.SOURCE_GID]
    text_box = source.get_window_extent(renderer).transformed(inches)
    content = ax.get_tightbbox(renderer).transformed(inches)  # axes, tick labels, x label, title
    assert text_box.y1 < content.y0  # below the x label, not over it
    assert text_box.width <= max(content.width, fig.get_figwidth()) + 0.01
    assert source.get_text().count("\n") >= 1  # the long line was wrapped
    assert box.contains(text_box.x0, text_box.y0) and box.contains(text_box.x1, text_box.y1)


def test_the_png_shows_the_source_line_below_the_chart(shown):
    fig, _ = _chart()
    style.show_figure(fig, "Eurostat sbs_r_nuts06_r2 (SBS), 2014")
    pixels = np.asarray(Image.open(io.BytesIO(base64.b64decode(shown[0][0]["image/png"]))).convert("L"))
    inked_rows = np.flatnonzero((pixels < 200).any(axis=1))
    gaps = np.diff(inked_rows)
    assert gaps.max() > 3  # a blank band separates the source line from the chart above it
    assert inked_rows[-1] > pixels.shape[0] - 20  # and the source line is the last thing drawn


@pytest.mark.parametrize("text, size, weight", [("Saxony", 10, "normal"), ("GDP per inhabitant (PPS), 2019", 8, "bold"),
                                                ("Île-de-France ≠ 1 234,5 %", 12, "normal")])
def test_cached_text_metrics_are_matplotlibs(text, size, weight):
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    from workbench.report.fast_agg import CachingRenderer
    prop = FontProperties(size=size, weight=weight)
    expected = RendererAgg(100, 100, 96).get_text_width_height_descent(text, prop, False)
    assert CachingRenderer(100, 100, 96).get_text_width_height_descent(text, prop, False) == pytest.approx(expected)


def test_content_box_is_matplotlibs_tight_box_for_charts_with_things_outside_the_axes():
    fig, (left, right) = style.subplots(1, 2, figsize=(8, 3))
    bars = left.barh(["Saxony", "North Middle Sweden"], [3, 40])
    left.bar_label(bars, labels=["3 (1.0%)", "40 (12.5%)"], padding=3)  # offset annotations
    left.annotate("Source: Eurostat, 2019", (0, 0), xycoords="axes fraction", xytext=(0, -30),
                  textcoords="offset points", va="top")
    left.annotate("peak", (40, 1), xytext=(-30, 20), textcoords="offset points", arrowprops={"arrowstyle": "-"})
    right.plot([2010, 2019], [1, 2], label="region")
    right.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
    right.set_xticks([2010, 2019], ["2010", "2019"], rotation=40)
    fig.suptitle("Two panels", y=1.05)
    style.add_source(fig, LONG_SOURCE)  # not content (not in the layout): placed under it later
    renderer = fig.canvas.get_renderer()
    expected = fig.get_tightbbox(renderer)
    assert style.content_box(fig, renderer).extents == pytest.approx(expected.extents, abs=1e-6)


def test_portfolio_chart_labels_strongest_traded_divisions_without_overlaps_or_crossings(categories):
    from workbench.analysis import clusters
    from workbench.data import load_snapshot
    from workbench.report import clusters as cluster_report
    from matplotlib.text import Text
    snap = load_snapshot()
    sectors = clusters.region_sectors(snap, "DED", ("DED2", "DED4", "DED5"), categories=categories)
    fig = cluster_report.portfolio_chart(sectors, "Saxony", n_labels=8)
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.texts if hasattr(t, "xyann")]
    names = [t.get_text() for t in labels]
    traded = clusters.rated(sectors).set_index("nace")
    assert names and all(name[-4:-1] in traded.index for name in names)  # "Motor vehicles (C29)"
    assert "Motor vehicles (C29)" in names  # 3 headline stars: labelled first
    boxes = [Text.get_window_extent(t, renderer) for t in labels]  # the text, not its leader line
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    leaders = [(ax.transData.transform(t.xy), box) for t, box in zip(labels, boxes)]
    segments = [(p, np.array([b.x0 if b.x0 > p[0] else b.x1, (b.y0 + b.y1) / 2])) for p, b in leaders]
    assert not any(cluster_report._crosses(a, b) for i, a in enumerate(segments) for b in segments[i + 1:])
