"""Agg rendering that rasterises a horizontal string once and reuses the bitmap.

Matplotlib 3.11 renders each glyph separately from Python (about 6 ms for a 40-character
label on this machine), which made text most of the time of every chart: a report figure is
laid out three times (`tight_layout`, the tight bounding box, the draw) and the same tick
labels, region names and titles recur across figures and notebooks. This module keeps

* the bitmap of each string (key: string, font, size, dpi, antialiasing), drawn at the place
  matplotlib <= 3.10 drew whole strings, and
* the text metrics, shared by all renderers of the process (matplotlib caches them per
  renderer, and `bbox_inches="tight"` and a size change make new renderers).

A string is laid out by FreeType once (`FT2Font.set_text`, about 1 ms) for both: measuring it
also rasterises it, with the metrics computed as `RendererAgg.get_text_width_height_descent`
does (a test compares them).

Rotated text and math text take matplotlib's own path. The caches are bounded (oldest dropped).
`CachedTextCanvas` is the canvas of every report and widget figure: `new_figure` makes one.
Its PNG is RGB when the figure is opaque, at zlib level 3 (`png_bytes`): a tenth smaller and
twice as fast to encode as matplotlib's RGBA at PIL's default level 6.
It relies on `RendererAgg` internals (`_prepare_font`, `_renderer.draw_text_image`, reached
through `workbench._compat`); where they are missing (another matplotlib) or `WORKBENCH_FAST=0`,
text takes matplotlib's own path, and a pixel-comparison test (tests/widgets/test_charts.py)
guards the result.
"""
from __future__ import annotations

import io
from functools import lru_cache
from typing import IO, Any

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from PIL import Image

from workbench import _compat

PNG_COMPRESS_LEVEL = 3  # zlib level: lossless either way
_CACHE_SIZE = 4096


class _Bitmap:
    __slots__ = ("image", "xo", "yo", "descent")

    def __init__(self, image: np.ndarray, xo: float, yo: float, descent: float):
        self.image, self.xo, self.yo, self.descent = image, xo, yo, descent


_bitmaps: dict[tuple, _Bitmap] = {}
_metrics: dict[tuple, tuple[float, float, float]] = {}


class CachingRenderer(RendererAgg):
    """`RendererAgg` that rasterises a horizontal string once and reuses the bitmap."""

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):  # noqa: ANN001, D102
        if ismath or angle or not s or not _compat.agg_text_cache_usable():
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        antialiased = bool(gc.get_antialiased())
        bitmap = _bitmaps.get(self._bitmap_key(s, prop, antialiased))
        if bitmap is None:
            bitmap = self._lay_out(s, prop, antialiased)
        # The placement of matplotlib <= 3.10 (RendererAgg.draw_text, angle 0).
        _compat.agg_blit_text(self, bitmap.image, round(x + bitmap.xo),
                              round(y + bitmap.yo + bitmap.descent) + 1, gc)
        return None

    def get_text_width_height_descent(self, s, prop, ismath):  # noqa: ANN001, D102
        if ismath or not _compat.agg_text_cache_usable():
            return super().get_text_width_height_descent(s, prop, ismath)
        metrics = _metrics.get((s, hash(prop), self.dpi))
        if metrics is None:
            self._lay_out(s, prop, bool(mpl.rcParams["text.antialiased"]))
            metrics = _metrics[(s, hash(prop), self.dpi)]
        return metrics

    def _bitmap_key(self, s: str, prop, antialiased: bool) -> tuple:  # noqa: ANN001
        return (s, hash(prop), prop.get_size_in_points(), self.dpi, antialiased)

    def _lay_out(self, s: str, prop, antialiased: bool) -> _Bitmap:  # noqa: ANN001
        """Lay the string out once: cache its metrics and its bitmap (oldest entries dropped)."""
        font = _compat.agg_font(self, prop)
        font.set_text(s, 0.0, flags=get_hinting_flag())
        width, height = font.get_width_height()
        descent = font.get_descent() / 64.0
        _metrics[(s, hash(prop), self.dpi)] = (width / 64.0, height / 64.0, descent)
        font.draw_glyphs_to_bitmap(antialiased=antialiased)
        xo, yo = font.get_bitmap_offset()
        bitmap = _Bitmap(np.array(font.get_image(), dtype=np.uint8, copy=True), xo / 64.0, yo / 64.0, descent)
        _bitmaps[self._bitmap_key(s, prop, antialiased)] = bitmap
        for cache in (_metrics, _bitmaps):
            if len(cache) > _CACHE_SIZE:
                cache.pop(next(iter(cache)))
        return bitmap


class CachedTextCanvas(FigureCanvasAgg):
    """The Agg canvas with a `CachingRenderer` (kept while the figure's size and dpi stay)."""

    def get_renderer(self) -> CachingRenderer:  # noqa: D102
        width, height = self.figure.bbox.size
        key = (width, height, self.figure.dpi)
        if getattr(self, "_cached_key", None) != key:
            self.renderer = CachingRenderer(width, height, self.figure.dpi)
            self._cached_key = key
        return self.renderer

    def print_png(self, filename_or_obj: str | IO[bytes], *, metadata: dict | None = None,
                  pil_kwargs: dict | None = None, **figure_settings: Any) -> None:
        """The figure as PNG (see `png_bytes`); matplotlib's PNG metadata is left out.

        `savefig` hands a third-party canvas its settings (dpi, facecolor, ...) too; it has
        already applied them to the figure for this call, so they are not needed here."""
        FigureCanvasAgg.draw(self)
        data = png_bytes(np.asarray(self.buffer_rgba()), **(pil_kwargs or {}))
        if isinstance(filename_or_obj, str):
            with open(filename_or_obj, "wb") as handle:
                handle.write(data)
        else:
            filename_or_obj.write(data)


def png_bytes(rgba: np.ndarray, compress_level: int = PNG_COMPRESS_LEVEL) -> bytes:
    """PNG of an RGBA pixel array: RGB when every pixel is opaque, else RGBA."""
    buffer = io.BytesIO()
    Image.fromarray(rgba[..., :3] if rgba[..., 3].min() == 255 else rgba).save(
        buffer, format="png", compress_level=compress_level)
    return buffer.getvalue()


def new_figure(**kwargs: Any) -> Figure:
    """A figure (`Figure(**kwargs)`) drawn through `CachedTextCanvas`, outside pyplot's state."""
    fig = Figure(**kwargs)
    CachedTextCanvas(fig)
    return fig


@lru_cache(maxsize=8192)
def text_width(text: str, size: float, weight: str = "normal", dpi: float = 96.0) -> float:
    """Width in inches of one line of `text` at font `size` (points) in the default font, as drawn at `dpi`."""
    if not text:
        return 0.0
    width, _, _ = _measure(dpi).get_text_width_height_descent(text, FontProperties(size=size, weight=weight), False)
    return width / dpi


def wrap(text: str, width: float, size: float, weight: str = "normal", dpi: float = 96.0) -> list[str]:
    """`text` broken into lines no wider than `width` inches at font `size` (words kept whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, weight, dpi) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


@lru_cache(maxsize=8)
def _measure(dpi: float) -> RendererAgg:
    return RendererAgg(1, 1, dpi)
