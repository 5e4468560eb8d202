"""Executed notebook -> reviewer HTML, in-process with nbconvert and `templates/reviewer/`.

The report shows outputs only (no code, no prompts, no stderr streams, no widgets), under a
header with the region, run date, workbench version and data vintage, a table of contents of
the level-2/3 headings, and a footer listing the sources the report cites (see `outline`).
The exporter is created once per process: its set-up costs about a second. It is nbconvert's
`HTMLExporter` without the BeautifulSoup pass that exporter ends with (half of a report's
render time), which gives images a generic alt text and output areas a tabindex: the template
writes each chart's own alt text, and `ReviewerExporter` adds the tabindex with a pattern.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import cache

from typing import Any

from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbformat import NotebookNode

from workbench import __version__, _compat, paths
from workbench.pipeline.outline import SOURCES_MIME, outline_of

TEMPLATE = "reviewer"
HIDDEN_MIMES = ("application/vnd.jupyter.widget-view+json", "application/vnd.jupyter.widget-state+json",
                SOURCES_MIME)
# Markup of what must never reach a reviewer (matched in attributes, not in the page's CSS).
FORBIDDEN_MARKUP = {
    re.compile(r'class="[^"]*\bjp-(?:InputArea-editor|InputPrompt)\b'): "a code cell's input",
    re.compile(r'data-mime-type="application/vnd\.jupyter\.stderr"'): "an error or stderr output",
    re.compile(r'application/vnd\.jupyter\.widget'): "a widget",
}


OUTPUT_AREA = re.compile(r'(<div class="[^"]*\bjp-OutputArea-output\b[^"]*")')


class ReviewerExporter(HTMLExporter):
    """`HTMLExporter.from_notebook_node` up to the page, without its BeautifulSoup pass
    (nbconvert internals, see `workbench._compat`); with `WORKBENCH_FAST=0`, the whole of it."""

    def from_notebook_node(self, nb: NotebookNode, resources: dict[str, Any] | None = None,
                           **kw: Any) -> tuple[str, dict[str, Any]]:
        if not _compat.fast():
            return super().from_notebook_node(nb, resources, **kw)
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name"))
        self.register_filter("highlight_code", self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = _compat.html_resources(self, resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=_compat.widget_notebook_metadata(self), parent=self, resources=resources))
        page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return OUTPUT_AREA.sub(r'\1 tabindex="0"', page), resources


class RenderError(RuntimeError):
    """The rendered report would show something reviewers must not see."""


@dataclass(frozen=True)
class ReportContext:
    """Run facts shown in every report's header."""

    region_name: str
    run_date: str
    data_vintage: str
    version: str = __version__


def report_html(notebook: NotebookNode, context: ReportContext, fallback_title: str) -> str:
    """The reviewer HTML page of an executed notebook; `RenderError` if it would show code or errors."""
    outline = outline_of(notebook)
    notebook = _for_reviewers(notebook)
    title = notebook.metadata.get("title") or outline.title or fallback_title
    notebook.metadata["title"] = title if context.region_name in title else f"{title} — {context.region_name}"
    resources = {"reviewer": {
        "title": title,
        "show_title": outline.title is None,
        "region_name": context.region_name,
        "run_date": context.run_date,
        "version": context.version,
        "data_vintage": context.data_vintage,
        "toc": outline.headings,
        "sources": outline.sources,
    }}
    body, _ = _exporter().from_notebook_node(notebook, resources=resources)
    problems = report_problems(body)
    if problems:
        raise RenderError(f"the report of {title!r} would show " + ", ".join(problems))
    return body


def report_problems(page: str) -> list[str]:
    """What a report page shows that it must not: code input, error output, widgets."""
    return [what for pattern, what in FORBIDDEN_MARKUP.items() if pattern.search(page)]


def _for_reviewers(notebook: NotebookNode) -> NotebookNode:
    """A copy without stderr streams, widgets and source declarations (the .ipynb keeps them)."""
    notebook = copy.deepcopy(notebook)
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs if _keep_for_reviewers(o)]
    return notebook


def _keep_for_reviewers(output: NotebookNode) -> bool:
    """Drop stderr streams and hidden MIME types; False when nothing visible is left."""
    if output.get("output_type") == "stream":
        return output.get("name") != "stderr"
    data = output.get("data")
    if data is None:
        return True
    for mime in HIDDEN_MIMES:
        data.pop(mime, None)
    return bool(data)


@cache
def _exporter() -> ReviewerExporter:
    return ReviewerExporter(
        template_name=TEMPLATE,
        extra_template_basedirs=[str(paths.TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        optimistic_validation=True,  # validate once after all preprocessors, not after each of 13
    )
