"""The dependencies' private internals the fast path uses (`workbench._compat`) still exist and
still do what it relies on; `WORKBENCH_FAST=0` uses none of the speed-only ones.

A failure here after an upgrade names the attribute that changed: adapt `_compat` or keep the
old version (requirements/constraints.txt); meanwhile `WORKBENCH_FAST=0` builds without it."""
from __future__ import annotations

import asyncio
import contextvars
import re
from importlib import import_module

import nbformat
import numpy as np
import pytest
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.font_manager import FontProperties

from workbench import _compat
from workbench.pipeline.kernel import IPCKernelManager
from workbench.pipeline.render import ReviewerExporter, report_problems
from workbench.report.fast_agg import CachingRenderer


def _owner(dotted: str):
    module, _, name = dotted.partition(":")
    found = import_module(module)
    return getattr(found, name) if name else found


@pytest.mark.parametrize("use", sorted(_compat.PRIVATE_ATTRIBUTES))
def test_every_private_attribute_exists(use):
    where, attribute = _compat.PRIVATE_ATTRIBUTES[use]
    owner = _owner(where)
    if where.endswith(":Exporter"):  # an instance attribute, set in __init__
        owner = owner()
    assert hasattr(owner, attribute), f"{use}: {where} has no attribute {attribute!r} any more"


def test_the_text_cache_is_on_with_the_pinned_matplotlib(monkeypatch):
    monkeypatch.delenv(_compat.FAST_SWITCH, raising=False)
    assert _compat.agg_text_cache_usable()
    monkeypatch.setenv(_compat.FAST_SWITCH, "0")
    assert not _compat.agg_text_cache_usable()


def test_agg_font_is_set_to_the_properties_and_blitting_inks_the_canvas():
    renderer = RendererAgg(60, 20, 72)
    font = _compat.agg_font(renderer, FontProperties(size=12))
    font.set_text("Hi", 0.0)
    font.draw_glyphs_to_bitmap(antialiased=True)
    image = np.asarray(font.get_image())
    assert image.max() > 0  # the glyphs were rasterised at that size
    gc = renderer.new_gc()
    gc.set_foreground("black")
    _compat.agg_blit_text(renderer, image, 5, 5, gc)
    pixels = np.asarray(renderer.buffer_rgba())
    assert (pixels[..., :3] < 128).any()  # the bitmap reached the canvas


def test_cached_text_draws_the_same_string_without_the_fast_path(monkeypatch):
    def ink(fast: str) -> int:
        monkeypatch.setenv(_compat.FAST_SWITCH, fast)
        renderer = CachingRenderer(200, 40, 96)
        gc = renderer.new_gc()
        gc.set_foreground("black")
        renderer.draw_text(gc, 10, 30, "Saxony 2019", FontProperties(size=12), 0)
        return int((np.asarray(renderer.buffer_rgba())[..., :3] < 128).any(axis=2).sum())
    fast, plain = ink("1"), ink("0")
    assert plain > 0 and abs(fast - plain) <= 0.1 * plain  # the same text, within sub-pixel placement


def test_kernel_info_reply_is_accepted_and_the_prompt_client_gets_ready():
    manager = IPCKernelManager(kernel_name="python3")

    async def ready() -> dict:
        await manager.start_kernel()
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            reply = await client.kernel_info(reply=True, timeout=10)
            _compat.accept_kernel_info(client, reply)
            return reply
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)
    reply = asyncio.run(ready())
    assert reply["content"]["status"] == "ok"
    assert not manager.has_kernel


def test_reviewer_html_resources_and_widget_metadata_are_nbconverts():
    exporter = ReviewerExporter()
    resources = _compat.html_resources(exporter, None)
    assert callable(resources["include_css"])  # what the lab template calls
    assert isinstance(_compat.widget_notebook_metadata(exporter), dict)


@pytest.mark.parametrize("fast", ["1", "0"])
def test_reviewer_exporter_renders_outputs_focusable_either_way(monkeypatch, fast):
    monkeypatch.setenv(_compat.FAST_SWITCH, fast)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "x", outputs=[nbformat.v4.new_output("display_data", {"text/plain": "forty-two"})])])
    page, _ = ReviewerExporter(exclude_input=True).from_notebook_node(notebook)
    assert "forty-two" in page
    assert re.search(r'class="[^"]*jp-OutputArea-output[^"]*"[^>]*tabindex="0"', page)
    assert report_problems(page) == []


def test_a_forked_process_gets_an_event_loop_of_its_own():
    from jupyter_core.utils import ensure_event_loop

    def replace_loop() -> tuple[asyncio.AbstractEventLoop, asyncio.AbstractEventLoop]:
        inherited = ensure_event_loop()
        _compat.forget_inherited_event_loop()
        fresh = ensure_event_loop()
        fresh.close()
        return inherited, fresh
    inherited, fresh = contextvars.copy_context().run(replace_loop)  # this test's loop stays
    assert fresh is not inherited
