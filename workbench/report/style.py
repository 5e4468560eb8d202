"""One visual style for every report: colour-blind-safe palette, figure defaults, source lines.

Every chart carries a source line naming dataset and year (`add_source`); every table shown in
a report is followed by one (`source_line`). Narrative text goes through `markdown`, which
escapes user-provided text so that it cannot inject HTML.
"""
from __future__ import annotations

import html
from typing import Iterable

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from IPython.display import HTML, Markdown, display

# Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
REGION_COLOUR, NATIONAL_COLOUR, EU_COLOUR = PALETTE[0], PALETTE[1], "#555555"
SEQUENTIAL = "cividis"
DIVERGING = "PuOr"


def apply_style() -> None:
    """Set the house style for matplotlib/seaborn (idempotent)."""
    sns.set_theme(style="whitegrid", palette=PALETTE, font_scale=0.95)
    plt.rcParams.update({
        "figure.dpi": 96,
        "savefig.dpi": 96,
        "figure.figsize": (8, 4.2),
        "axes.titleweight": "bold",
        "axes.titlesize": 12,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
    })


def add_source(fig: plt.Figure, source: str) -> None:
    """Write 'Source: …' under the figure, left-aligned."""
    fig.text(0.01, -0.02, f"Source: {source}", ha="left", va="top", fontsize=8, color="#444444",
             wrap=True)


def source_line(sources: str | Iterable[str]) -> str:
    """A markdown source line for a table: 'Source: a; b.'"""
    items = [sources] if isinstance(sources, str) else list(dict.fromkeys(sources))
    return "*Source: " + "; ".join(escape(s) for s in items if s) + ".*"


def show_table(frame: pd.DataFrame, sources: str | Iterable[str], na_rep: str = "–") -> None:
    """Display a table (cells HTML-escaped, missing values as `na_rep`) and its source line."""
    display(HTML(frame.to_html(index=False, escape=True, na_rep=na_rep, border=0, classes="wb-table")))
    display(Markdown(source_line(sources)))


def escape(text: object) -> str:
    """Escape text for safe inclusion in markdown/HTML output."""
    return html.escape(str(text), quote=True)


def fmt_number(value: float | None, digits: int = 1, unit: str = "") -> str:
    """A number for prose: thousands separators, fixed digits, 'n/a' when missing."""
    if value is None or value != value:  # NaN check without numpy
        return "n/a"
    text = f"{value:,.{digits}f}"
    return f"{text} {unit}".strip() if unit else text


apply_style()
