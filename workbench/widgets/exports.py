"""Export a view: its chart as PNG and SVG, its table as CSV, each file written atomically."""
from __future__ import annotations

from html import escape  # widget HTML is not markdown: entities are enough
import io
import re
from pathlib import Path
from typing import Protocol

import ipywidgets as w
import pandas as pd
from matplotlib.figure import Figure

from workbench import paths
from workbench.results import write_atomic


def figure_bytes(fig: Figure, fmt: str = "png") -> bytes:
    """The figure rendered to PNG or SVG bytes (tight bounding box, source line included)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, bbox_inches="tight")
    return buffer.getvalue()


def slug(text: str) -> str:
    """A file-name stem: lower-case letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "view"


def shown_folder(folder: Path | str) -> str:
    """A folder as a reader sees it: relative to the project when inside it."""
    path = Path(folder).expanduser()
    try:
        return str(path.resolve().relative_to(paths.PROJECT_DIR))
    except ValueError:
        return str(path)


def export_folder(text: str) -> Path:
    """The folder a reader typed: relative paths are taken from the project folder."""
    return paths.PROJECT_DIR / Path(text.strip()).expanduser()


def wrote(written: list[Path]) -> str:
    """'✓ wrote a.png, a.csv in workshops/exports': file names and the folder as a reader sees it."""
    names = ", ".join(escape(p.name) for p in written)
    return f"✓ wrote {names} in {escape(shown_folder(written[0].parent))}"


def export_view(folder: Path | str, stem: str, fig: Figure, table: pd.DataFrame) -> list[Path]:
    """Write `<stem>.png`, `<stem>.svg` and `<stem>.csv` into `folder`; return the paths."""
    folder = Path(folder).expanduser()
    stem = slug(stem)
    return [
        write_atomic(folder / f"{stem}.png", figure_bytes(fig, "png")),
        write_atomic(folder / f"{stem}.svg", figure_bytes(fig, "svg")),
        write_atomic(folder / f"{stem}.csv", table.to_csv(index=False)),
    ]


class ExportBar:
    """Folder box, Export button and a status label for one view."""

    def __init__(self, view: "Exportable", folder: Path | str):
        self.view = view
        self.folder = w.Text(value=shown_folder(folder), description="Export to", layout=w.Layout(width="60%"))
        self.button = w.Button(description="Export chart + table", icon="download", layout=w.Layout(width="auto"))
        self.status = w.HTML()
        self.button.on_click(lambda _: self.export())
        self.widget = w.VBox([w.HBox([self.folder, self.button]), self.status])

    def export(self) -> list[Path]:
        """Export the view's current chart and table; the status says what was written."""
        if not self.folder.value.strip():
            self.status.value = "⚠ enter a folder to export to"
            return []
        try:
            fig, table, stem = self.view.current()
            written = export_view(export_folder(self.folder.value), stem, fig, table)
        except (OSError, ValueError) as error:
            self.status.value = f"⚠ nothing written: {escape(str(error))}"
            return []
        self.status.value = wrote(written)
        return written


class Exportable(Protocol):
    """What an ExportBar needs from a view: its current figure, table and a file stem."""

    def current(self) -> tuple[Figure, pd.DataFrame, str]: ...
