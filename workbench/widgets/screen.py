"""The on-screen PNG of a chart: one draw, a renderer kept per figure, rendered strings reused.

Exports (`exports.figure_bytes`) go through the ordinary `savefig`; this module only serves the
image a control change puts on screen, where time matters:

* the figure is drawn once (no tight bounding box: the charts keep everything, the source line
  included, inside the figure), at the figure's dpi;
* the Agg renderer is kept between redraws of the same figure, so matplotlib's text metrics
  cache stays warm;
* a horizontal string is rasterised once as a whole (as matplotlib did up to 3.10) and the
  bitmap is reused while the string, font, size and dpi are the same. Matplotlib 3.11 renders
  each glyph separately from Python (about 6 ms for a 40-character label on this machine),
  which made text most of a redraw. Rotated text and math text take matplotlib's own path.
"""
from __future__ import annotations

import io
import weakref
from collections import OrderedDict
from functools import lru_cache

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from PIL import Image

PNG_COMPRESS_LEVEL = 1  # lossless either way; level 1 encodes about twice as fast as the default 6
_CACHE_SIZE = 4096
_GLYPH_BY_GLYPH = hasattr(RendererAgg, "_draw_text_glyphs_and_boxes")  # matplotlib >= 3.11


class _Bitmap:
    __slots__ = ("image", "xo", "yo", "descent")

    def __init__(self, image: np.ndarray, xo: float, yo: float, descent: float):
        self.image, self.xo, self.yo, self.descent = image, xo, yo, descent


_bitmaps: OrderedDict[tuple, _Bitmap] = OrderedDict()
_metrics: dict[tuple, tuple[float, float, float]] = {}


class CachingRenderer(RendererAgg):
    """`RendererAgg` that rasterises a horizontal string once and reuses the bitmap."""

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):  # noqa: ANN001, D102
        if ismath or angle or not _GLYPH_BY_GLYPH or not s:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        key = (s, hash(prop), prop.get_size_in_points(), self.dpi, bool(gc.get_antialiased()))
        bitmap = _bitmaps.get(key)
        if bitmap is None:
            bitmap = self._rasterise(s, prop, bool(gc.get_antialiased()))
            _bitmaps[key] = bitmap
            if len(_bitmaps) > _CACHE_SIZE:
                _bitmaps.popitem(last=False)
        else:
            _bitmaps.move_to_end(key)
        # The placement of matplotlib <= 3.10 (RendererAgg.draw_text, angle 0).
        self._renderer.draw_text_image(bitmap.image, round(x + bitmap.xo),
                                       round(y + bitmap.yo + bitmap.descent) + 1, 0, gc)
        return None

    def get_text_width_height_descent(self, s, prop, ismath):  # noqa: ANN001, D102
        # matplotlib caches text metrics per renderer; this cache outlives a renderer (a figure
        # whose height changes gets a new one) and is shared by all figures.
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, hash(prop), self.dpi)
        metrics = _metrics.get(key)
        if metrics is None:
            metrics = _metrics[key] = super().get_text_width_height_descent(s, prop, ismath)
            if len(_metrics) > _CACHE_SIZE:
                _metrics.pop(next(iter(_metrics)))
        return metrics

    def _rasterise(self, s: str, prop, antialiased: bool) -> _Bitmap:  # noqa: ANN001
        font = self._prepare_font(prop)
        font.set_text(s, 0, flags=get_hinting_flag())
        font.draw_glyphs_to_bitmap(antialiased=antialiased)
        xo, yo = font.get_bitmap_offset()
        image = np.array(font.get_image(), dtype=np.uint8, copy=True)
        return _Bitmap(image, xo / 64.0, yo / 64.0, font.get_descent() / 64.0)


_renderers: weakref.WeakKeyDictionary[Figure, CachingRenderer] = weakref.WeakKeyDictionary()


def _renderer(fig: Figure) -> CachingRenderer:
    width, height = fig.bbox.size
    renderer = _renderers.get(fig)
    if renderer is None or (renderer.width, renderer.height, renderer.dpi) != (int(width), int(height), fig.dpi):
        renderer = _renderers[fig] = CachingRenderer(width, height, fig.dpi)
    return renderer


def screen_png(fig: Figure) -> bytes:
    """The figure as PNG bytes for the screen: one draw at the figure's dpi, no bbox cropping."""
    renderer = _renderer(fig)
    renderer.clear()
    fig.draw(renderer)
    pixels = np.asarray(renderer.buffer_rgba())
    buffer = io.BytesIO()
    Image.fromarray(pixels[..., :3] if pixels[..., 3].min() == 255 else pixels).save(
        buffer, format="png", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


@lru_cache(maxsize=8192)
def text_width(text: str, size: float, weight: str = "normal", dpi: float = 96.0) -> float:
    """Width in inches of one line of `text` at font `size` (points) in the default font, as drawn at `dpi`."""
    if not text:
        return 0.0
    width, _, _ = _measure(dpi).get_text_width_height_descent(text, FontProperties(size=size, weight=weight), False)
    return width / dpi


@lru_cache(maxsize=8)
def _measure(dpi: float) -> RendererAgg:
    return RendererAgg(1, 1, dpi)
