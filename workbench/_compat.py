"""Every use of a dependency's private internals, in one place.

The build is fast partly because it reaches past the public APIs of matplotlib (text drawn
from cached bitmaps, `report.fast_agg`), jupyter_client (a kernel client ready on the
kernel's idle status, `pipeline.kernel`) and nbconvert (the HTML exporter without its
BeautifulSoup pass, `pipeline.render`). Each such access is a function or class here, so that
the attribute is spelled once; `PRIVATE_ATTRIBUTES` lists them and `tests/test_compat.py`
checks each against the installed versions, naming the attribute that disappeared.
pyproject.toml bounds those libraries' versions (docs/design.md, Dependencies).

`WORKBENCH_FAST=0` switches the speed-only accesses off (`fast()`): the build then uses the
libraries' public APIs (matplotlib's own text drawing, jupyter_client's `wait_for_ready`,
nbconvert's whole `HTMLExporter`) and writes the same result documents, a few seconds slower.
The one access that is a fix rather than a speed-up (`forget_inherited_event_loop`, needed
only by fork-started workers) stays on.
"""
from __future__ import annotations

import os
from functools import cache
from typing import Any

FAST_SWITCH = "WORKBENCH_FAST"

# what is used -> ("module:object" or "module", attribute), checked by tests/test_compat.py
PRIVATE_ATTRIBUTES: dict[str, tuple[str, str]] = {
    "matplotlib's per-glyph text drawing (3.11+; its absence means whole-string drawing)":
        ("matplotlib.backends.backend_agg:RendererAgg", "_draw_text_glyphs_and_boxes"),
    "matplotlib's font preparation": ("matplotlib.backends.backend_agg:RendererAgg", "_prepare_font"),
    "matplotlib's bitmap blitting": ("matplotlib.backends._backend_agg:RendererAgg", "draw_text_image"),
    "jupyter_client's kernel_info handling": ("jupyter_client.client:KernelClient", "_handle_kernel_info_reply"),
    "jupyter_client's interrupt before shutdown": ("jupyter_client.manager:KernelManager", "_async_interrupt_kernel"),
    "nbconvert's HTML resources": ("nbconvert.exporters.html:HTMLExporter", "_init_resources"),
    "nbconvert's notebook metadata for widgets": ("nbconvert.exporters.exporter:Exporter", "_nb_metadata"),
    "jupyter_core's per-context event loop": ("jupyter_core.utils", "_loop"),
}


def fast() -> bool:
    """Whether the speed-only private accesses are used (`WORKBENCH_FAST` is not "0")."""
    return os.environ.get(FAST_SWITCH, "1") != "0"


# --- matplotlib: report.fast_agg ---------------------------------------------------------

@cache
def _agg_text_cache_available() -> bool:
    from matplotlib.backends import _backend_agg
    from matplotlib.backends.backend_agg import RendererAgg
    return (hasattr(RendererAgg, "_draw_text_glyphs_and_boxes") and hasattr(RendererAgg, "_prepare_font")
            and hasattr(_backend_agg.RendererAgg, "draw_text_image"))


def agg_text_cache_usable() -> bool:
    """Whether strings may be drawn from cached bitmaps: fast mode, and a matplotlib that
    draws glyph by glyph (3.11+) and has the internals `fast_agg` uses."""
    return fast() and _agg_text_cache_available()


def agg_font(renderer: Any, prop: Any) -> Any:
    """The renderer's FT2Font set to `prop`'s face and size, cleared (`RendererAgg._prepare_font`)."""
    return renderer._prepare_font(prop)


def agg_blit_text(renderer: Any, image: Any, x: int, y: int, gc: Any) -> None:
    """Blend a grey-level text bitmap into the canvas at (x, y) with `gc`'s colour, unrotated."""
    renderer._renderer.draw_text_image(image, x, y, 0, gc)


# --- jupyter_client: pipeline.kernel ------------------------------------------------------

def accept_kernel_info(client: Any, reply: dict[str, Any]) -> None:
    """What jupyter_client's `wait_for_ready` does with the kernel_info reply (adapts the
    session to the kernel's protocol version)."""
    client._handle_kernel_info_reply(reply)


class NoInterruptOnShutdown:
    """Kernel-manager mixin: skip the SIGINT jupyter_client sends before every shutdown.

    The notebook is done by then; the interrupt only makes the kernel log "KeyboardInterrupt
    caught in kernel". Cosmetic, so it stays on without `fast()` too."""

    shutting_down: bool

    async def _async_interrupt_kernel(self) -> None:
        if not self.shutting_down:
            await super()._async_interrupt_kernel()  # type: ignore[misc]


# --- nbconvert: pipeline.render -----------------------------------------------------------

def html_resources(exporter: Any, resources: dict[str, Any] | None) -> dict[str, Any]:
    """The resources `HTMLExporter.from_notebook_node` prepares for its template."""
    return exporter._init_resources(resources)


def widget_notebook_metadata(exporter: Any) -> dict[str, Any]:
    """The notebook metadata (by notebook name) nbconvert's widget filter reads."""
    return exporter._nb_metadata


# --- jupyter_core: pipeline.pool (fork start method only) ---------------------------------

def forget_inherited_event_loop() -> None:
    """Give a forked process an event loop of its own.

    papermill and nbclient run their coroutines on the loop jupyter_core keeps per context
    (`utils._loop`). A process forked from one that ran a notebook inherits that loop, whose
    epoll descriptor it shares with its parent: each sees the other's events and the child
    spins at full CPU. The inherited loop is left alone (closing it would unregister the
    parent's descriptors) and replaced. Workers started by forkserver or spawn never need this.
    """
    import asyncio

    from jupyter_core import utils

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    utils._loop.set(loop)
