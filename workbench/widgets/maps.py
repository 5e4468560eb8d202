"""NUTS choropleth maps drawn with plain matplotlib from GISCO GeoJSON boundaries.

Shapes are the exterior rings of each unit's polygons, projected once to the Lambert
azimuthal equal-area projection centred on Europe (the projection of EPSG:3035, spherical
form), and drawn largest first so that enclaves (e.g. Berlin in Brandenburg) stay visible.
The map is cropped to continental Europe; outermost regions are not drawn.
"""
from __future__ import annotations

from collections.abc import Mapping

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import BoundaryNorm, ListedColormap, Normalize
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from workbench.report.style import SEQUENTIAL
from workbench.report.svg_map import project

Shapes = dict[str, list[np.ndarray]]
CROP_LON, CROP_LAT = (-25.0, 45.0), (34.0, 72.0)
MISSING_COLOUR, EDGE_COLOUR, HIGHLIGHT_COLOUR = "#e6e6e6", "white", "black"
STAR_COLOURS = ["#deebf7", "#fdd49e", "#fc8d59", "#b30000"]


def project_shapes(geometries: Mapping[str, list[list[np.ndarray]]]) -> Shapes:
    """Projected exterior rings by NUTS id, cropped to continental Europe.

    `geometries` is what `Snapshot.geometries(level)` returns: geo -> polygons, each a list of
    rings (exterior first), each ring an (n, 2) array of lon/lat degrees.
    """
    shapes: Shapes = {}
    for geo, polygons in geometries.items():
        kept = [project(np.asarray(p[0], dtype=float)) for p in polygons if _in_crop(np.asarray(p[0]))]
        if kept:
            shapes[geo] = kept
    return shapes


def _in_crop(ring: np.ndarray) -> bool:
    lon, lat = ring[:, 0].mean(), ring[:, 1].mean()
    return CROP_LON[0] <= lon <= CROP_LON[1] and CROP_LAT[0] <= lat <= CROP_LAT[1]


class Choropleth:
    """A NUTS choropleth built once per set of shapes; `update` recolours it.

    Each unit is coloured by its value (indexed by NUTS id), grey when missing. `stars=True`
    draws 0-3 stars with four discrete colours and a legend; otherwise a continuous colour
    scale (`colour_ax` holds its colour bar). Units in `highlight` get a black outline.
    """

    def __init__(self, ax: Axes, shapes: Shapes, *, highlight: tuple[str, ...] = (), stars: bool = False,
                 colour_ax: Axes | None = None):
        self.ax, self.stars, self.colour_ax = ax, stars, colour_ax
        order = sorted(shapes, key=lambda geo: -_extent(shapes[geo]))
        self.geos = pd.Index([geo for geo in order for _ in shapes[geo]])
        if stars:
            cmap, norm = ListedColormap(STAR_COLOURS), BoundaryNorm([-0.5, 0.5, 1.5, 2.5, 3.5], 4)
        else:
            cmap, norm = mpl.colormaps[SEQUENTIAL], Normalize(0.0, 1.0)
        self.polygons = PolyCollection([ring for geo in order for ring in shapes[geo]],
                                       cmap=cmap.with_extremes(bad=MISSING_COLOUR), norm=norm,
                                       edgecolors=EDGE_COLOUR, linewidths=0.3)
        self.polygons.set_array(np.ma.masked_all(len(self.geos)))
        ax.add_collection(self.polygons)
        marked = [ring for geo in highlight for ring in shapes.get(geo, [])]
        if marked:
            ax.add_collection(PolyCollection(marked, facecolors="none", edgecolors=HIGHLIGHT_COLOUR, linewidths=1.2))
        _frame(ax, shapes)
        self.colour_bar = None
        if stars:
            handles = [Patch(color=c, label=f"{i} star{'s' * (i != 1)}") for i, c in enumerate(STAR_COLOURS)]
            ax.legend(handles=handles + [Patch(color=MISSING_COLOUR, label="no data")], loc="upper left", fontsize=8)
        elif colour_ax is not None:
            self.colour_bar = ax.figure.colorbar(self.polygons, cax=colour_ax)
        else:
            self.colour_bar = ax.figure.colorbar(self.polygons, ax=ax, shrink=0.7)

    def update(self, values: pd.Series, *, label: str = "", fmt: str | None = None) -> None:
        """Colour the units by `values`; rescale the colour bar to the values' range."""
        numbers = pd.to_numeric(values[~values.index.duplicated()], errors="coerce").astype(float)
        self.polygons.set_array(np.ma.masked_invalid(numbers.reindex(self.geos).to_numpy()))
        if self.colour_bar is None:
            return
        finite = numbers[np.isfinite(numbers)]
        low, high = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
        self.polygons.set_clim(low, high if high > low else low + 1)
        if fmt:
            self.colour_bar.formatter = FuncFormatter(lambda v, _: fmt.format(v))
        self.colour_bar.update_normal(self.polygons)
        self.colour_bar.set_label(label)


def _extent(rings: list[np.ndarray]) -> float:
    points = np.vstack(rings)
    return float(np.ptp(points[:, 0]) * np.ptp(points[:, 1]))


def _frame(ax: Axes, shapes: Shapes) -> None:
    points = np.vstack([ring for rings in shapes.values() for ring in rings])
    ax.set_xlim(points[:, 0].min(), points[:, 0].max())
    ax.set_ylim(points[:, 1].min(), points[:, 1].max())
    ax.set_aspect("equal")
    ax.set_axis_off()
