"""The on-screen PNG of a chart: one draw, a renderer kept per figure.

Exports (`exports.figure_bytes`) go through `savefig` (tight bounding box); this module only serves the
image a control change puts on screen, where time matters:

* the figure is drawn once (no tight bounding box: the charts keep everything, the source line
  included, inside the figure), at the figure's dpi;
* through the figure's `fast_agg.CachedTextCanvas`, whose renderer (each string rasterised
  once) is kept between redraws of the same figure.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from workbench.report.fast_agg import CachedTextCanvas, png_bytes

PNG_COMPRESS_LEVEL = 1  # lossless either way; level 1 encodes about twice as fast as the default 6


def screen_png(fig: Figure) -> bytes:
    """The figure as PNG bytes for the screen: one draw at the figure's dpi, no bbox cropping."""
    canvas = fig.canvas if isinstance(fig.canvas, CachedTextCanvas) else CachedTextCanvas(fig)
    canvas.draw()  # on the canvas's kept renderer, cleared first
    return png_bytes(np.asarray(canvas.buffer_rgba()), compress_level=PNG_COMPRESS_LEVEL)
