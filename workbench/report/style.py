"""One visual style for every report: colour-blind-safe palette, figure defaults, source lines.

Every chart carries a source line naming dataset and year (`add_source`); every table shown in
a report is followed by one (`source_line`). Report figures are made with `subplots` (outside
pyplot, drawn through `fast_agg.CachedTextCanvas`) and shown with `show_figure`, the one place
that turns a figure into the report's PNG: it measures the figure's content once, puts the
source lines under it, and draws the PNG cropped to content and sources. No figure needs a
layout engine for that (`tight_layout` measured 40 % of a multi-panel chart's time). Text from
region profiles and catalogues goes into markdown and HTML through `escape`, so that it shows as
text (never markup, a link, an image or formatting); chart text never reads `$` as mathtext.
"""
from __future__ import annotations

import base64
import html
import io
import re
from typing import Any, Iterable

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox
import seaborn as sns
from IPython.display import HTML, Markdown, display

from workbench.report.fast_agg import new_figure, wrap

# Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
REGION_COLOUR, NATIONAL_COLOUR, EU_COLOUR = PALETTE[0], PALETTE[1], "#555555"
SEQUENTIAL = "cividis"
SOURCE_SIZE = 8  # points
SOURCE_GID = "workbench-source"
SOURCE_GAP = 0.1  # inches between a figure's content and its source lines
PAD = 0.1  # inches of margin around the cropped PNG
DIVERGING = "PuOr"


def apply_style() -> None:
    """Set the house style for matplotlib/seaborn (idempotent)."""
    sns.set_theme(style="whitegrid", palette=PALETTE, font_scale=0.95)
    mpl.rcParams.update({
        "figure.dpi": 96,
        "savefig.dpi": 96,
        "figure.figsize": (8, 4.2),
        "axes.titleweight": "bold",
        "axes.titlesize": 12,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        "text.parse_math": False,  # "$" in a region name is a dollar sign, never mathtext
    })


def subplots(nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float], **kwargs: Any) -> tuple[Figure, Any]:
    """`plt.subplots` for report figures: the same axes, no pyplot state, text drawn once per string."""
    fig = new_figure(figsize=figsize)
    return fig, fig.subplots(nrows, ncols, **kwargs)


def add_source(fig: Figure, source: str) -> None:
    """Give the figure a 'Source: …' line; `show_figure` places it under the content, left-aligned."""
    text = fig.text(0, 0, f"Source: {source}", ha="left", va="top", fontsize=SOURCE_SIZE,
                    color="#444444", gid=SOURCE_GID)
    text.set_in_layout(False)


def show_figure(fig: Figure, source: str | None = None) -> None:
    """Display the figure (with its source line, if given) as a PNG cropped to its content and
    source lines; the PNG is the cell's only output (no text representation). Its alt text
    (output metadata, used by the reviewer template) is the chart's title and sources."""
    if source:
        add_source(fig, source)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches=_place_sources(fig).padded(PAD))
    display({"image/png": base64.b64encode(buffer.getvalue()).decode("ascii")},
            metadata={"image/png": {"alt": alt_text(fig)}}, raw=True)


def alt_text(fig: Figure) -> str:
    """'Chart: <figure or first axes title>. <source lines>'"""
    titles = [fig.get_suptitle()]
    titles += [ax.get_title(loc) for ax in fig.axes for loc in ("center", "left") if ax.get_visible()]
    title = next((t for t in titles if t), "untitled")
    sources = [t.get_text().replace("\n", " ") for t in fig.texts if t.get_gid() == SOURCE_GID]
    return " ".join([f"Chart: {' '.join(title.split())}.", *sources])


def _place_sources(fig: Figure) -> Bbox:
    """Put the source lines under the content, wrapped to its width; the box (inches) of both."""
    renderer = fig.canvas.get_renderer()
    box = content_box(fig, renderer)
    top = box.y0 - SOURCE_GAP
    for text in [t for t in fig.texts if t.get_gid() == SOURCE_GID]:
        width = max(box.width, fig.get_figwidth())
        text.set_text("\n".join(wrap(text.get_text(), width, SOURCE_SIZE, dpi=fig.dpi)))
        text.set_position((box.x0 / fig.get_figwidth(), top / fig.get_figheight()))  # figure fraction
        extent = text.get_window_extent(renderer).transformed(fig.dpi_scale_trans.inverted())
        box, top = Bbox.union([box, extent]), extent.y0 - 0.02
    return box


def content_box(fig: Figure, renderer: Any) -> Bbox:
    """The box (inches) of what the figure shows, source lines left out.

    `Figure.get_tightbbox` asks every artist for its extent, every bar and line included, which
    took longer than drawing the figure. Data artists are clipped to their axes, so here each
    visible axes counts with its frame, ticks, labels and titles, plus what may stand outside
    it: its texts (an annotation with its text only: the charts point it at data inside the
    axes) and its legend; then the figure's own texts and legends.
    """
    boxes = []
    for ax in (ax for ax in fig.axes if ax.get_visible()):
        boxes.append(ax.get_tightbbox(renderer, bbox_extra_artists=[]))
        boxes += [_text_extent(t, renderer) for t in ax.texts if t.get_visible() and t.get_text()]
        if ax.legend_ is not None and ax.legend_.get_visible():
            boxes.append(ax.legend_.get_window_extent(renderer))
    boxes += [t.get_window_extent(renderer) for t in fig.texts
              if t.get_visible() and t.get_in_layout() and t.get_text()]
    boxes += [legend.get_window_extent(renderer) for legend in fig.legends if legend.get_visible()]
    return Bbox.union([b for b in boxes if b is not None]).transformed(fig.dpi_scale_trans.inverted())


def _text_extent(text: Text, renderer: Any) -> Bbox:
    """A text's box; an annotation's without its arrow (placed first, as its own extent does)."""
    if isinstance(text, Annotation):
        text.update_positions(renderer)
        return Text.get_window_extent(text, renderer)
    return text.get_window_extent(renderer)


def source_line(sources: str | Iterable[str]) -> str:
    """A markdown source line for a table: 'Source: a; b.'"""
    items = [sources] if isinstance(sources, str) else list(dict.fromkeys(sources))
    return "*Source: " + "; ".join(escape(s) for s in items if s) + ".*"


def show_table(frame: pd.DataFrame, sources: str | Iterable[str], na_rep: str = "–") -> None:
    """Display a table (cells HTML-escaped, missing values as `na_rep`) and its source line."""
    display(HTML(frame.to_html(index=False, escape=True, na_rep=na_rep, border=0, classes="wb-table")))
    display(Markdown(source_line(sources)))


# Characters that start markdown (or math) syntax anywhere in a line, and at the start of a line.
_INLINE_SYNTAX = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*[]!$~|{}"})
_EMPHASIS_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")  # snake_case stays as it is
_LINE_START = re.compile(r"^[ \t]*(?:([#+=-])|(\d+)([.)]))", re.MULTILINE)


def escape(text: object) -> str:
    """Text that shows as itself in markdown and in HTML: never a link, an image, emphasis, code,
    a heading, a list, a table, math or markup, whatever it contains (region profiles are typed
    by hand and may come from elsewhere).

    HTML special characters become entities; characters that start markdown syntax become
    numeric character references (`[` -> `&#91;`), which markdown shows as the character and never
    reads as syntax (an underscore inside a word starts nothing and stays); so do block markers at the start of a line (`#`, `-`, `+`, `=`, `1.`), whose
    indentation (an indented code block) is dropped, and the `:` of a bare URL (autolinked)."""
    escaped = html.escape(str(text), quote=True).translate(_INLINE_SYNTAX).replace("://", "&#58;//")
    escaped = _EMPHASIS_UNDERSCORE.sub("&#95;", escaped)
    return _LINE_START.sub(_line_start, escaped)


def escape_html(text: object) -> str:
    """Text for an HTML output (`display(HTML(...))`, never read as markdown): entities only."""
    return html.escape(str(text), quote=True)


def _line_start(match: re.Match[str]) -> str:
    marker, number, dot = match.groups()
    return f"&#{ord(marker)};" if marker else f"{number}&#{ord(dot)};"


def fmt_value(value: Any, missing: str = "–") -> str:
    """A value for a table: digits by magnitude (none from 1,000, one from 10, else two),
    `missing` when there is none."""
    if value is None or pd.isna(value):
        return missing
    size = abs(float(value))
    return fmt_number(float(value), 0 if size >= 1000 else 1 if size >= 10 else 2)


def fmt_number(value: float | None, digits: int = 1, unit: str = "") -> str:
    """A number for prose: thousands separators, fixed digits, 'n/a' when missing."""
    if value is None or value != value:  # NaN check without numpy
        return "n/a"
    text = f"{value:,.{digits}f}"
    return f"{text} {unit}".strip() if unit else text


apply_style()
