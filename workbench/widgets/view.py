"""One interactive view: controls, a chart (PNG image), a table, a message line and export."""
from __future__ import annotations

from html import escape  # widget HTML is not markdown: entities are enough
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w
import pandas as pd
from matplotlib.figure import Figure

from workbench import paths
from workbench.widgets.exports import ExportBar
from workbench.widgets.screen import screen_png

DEFAULT_EXPORT_DIR = paths.PROJECT_DIR / "workshops" / "exports"
TABLE_ROWS = 30


def html_table(frame: pd.DataFrame, rows: int = TABLE_ROWS) -> str:
    """An HTML table of the first rows (escaped), with a note when rows were left out.

    Columns of whole numbers (counts) show no decimals; other numbers show two."""
    note = f"<p><i>First {rows} of {len(frame)} rows; the export has all.</i></p>" if len(frame) > rows else ""
    shown = frame.head(rows)
    formatters = {column: _number_format(shown[column]) for column in shown.columns
                  if pd.api.types.is_float_dtype(shown[column])}
    return shown.to_html(index=False, formatters=formatters, na_rep="–") + note


def _number_format(column: pd.Series) -> Callable[[float], str]:
    values = column.dropna()
    digits = 0 if len(values) and (values == values.round()).all() else 2
    return lambda x: "–" if pd.isna(x) else f"{x:,.{digits}f}"


class View:
    """Base of the explorer's modules: subclasses set `title`, `controls` and `render`.

    `render` returns the view's figure (a chart kept between redraws and updated in place)
    and its table.
    """

    title = ""

    def __init__(self, controls: list[w.ValueWidget], export_dir: Path | str | None = None):
        self.controls = controls
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.table = w.HTML()
        self.message = w.HTML()
        self.fig: Figure | None = None
        self.frame = pd.DataFrame()
        self.exporter = ExportBar(self, export_dir or DEFAULT_EXPORT_DIR)
        for control in controls:
            control.observe(lambda _: self.redraw(), names="value")
        self.widget = w.VBox([w.HBox(controls, layout=w.Layout(flex_flow="row wrap")), self.message,
                              self.image, self.exporter.widget, self.table])

    def render(self) -> tuple[Figure, pd.DataFrame]:  # pragma: no cover - overridden
        raise NotImplementedError

    def stem(self) -> str:
        """File-name stem for exports: the title and the control values."""
        return "-".join([self.title, *(str(c.value) for c in self.controls)])

    def redraw(self) -> None:
        """Recompute the view; a failure shows as a message instead of vanishing in a callback."""
        try:
            fig, frame = self.render()
        except Exception as error:  # noqa: BLE001 - a UI boundary: show every failure to the user
            self.message.value = f"<b>⚠ cannot draw this view:</b> {type(error).__name__}: {escape(str(error))}"
            self.fig = None  # the chart may be half-updated: no export until a redraw succeeds
            return
        self.fig, self.frame = fig, frame
        self.image.value = screen_png(fig)
        self.table.value = html_table(frame)
        self.message.value = ""

    def current(self) -> tuple[Figure, pd.DataFrame, str]:
        """What the export bar writes."""
        if self.fig is None:
            raise ValueError("nothing drawn yet" if not self.message.value else "this view could not be drawn")
        return self.fig, self.frame, self.stem()
