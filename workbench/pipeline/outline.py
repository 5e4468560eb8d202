"""What a report contains, read from an executed notebook: title, headings and sources.

Headings come from markdown cells and markdown outputs (`display(Markdown(...))`), rendered
with the same markdown filter nbconvert uses, so the ids found here are exactly the anchors in
the report HTML. Headings nbconvert gives no id (raw HTML inside a heading) are left out of
the table of contents.

Sources are collected from two places, in order of appearance, without duplicates:

* any line of a markdown cell, markdown output, plain-text output or stdout stream that starts
  with `Source:` or `Sources:` (emphasis markers allowed, as `workbench.report.style.source_line`
  writes them: `*Source: Eurostat nama_10r_2gdp, 2019; Eurostat demo_r_d2jan, 2020.*`); several
  sources on one line are separated by `;`;
* outputs of MIME type `application/vnd.workbench.sources+json` (a string or a list of strings),
  for sources that are not printed as text, e.g. the caption drawn inside a chart image::

      display({"application/vnd.workbench.sources+json": ["Eurostat sbs_r_nuts06_r2, 2014"]}, raw=True)
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Iterator

from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbformat import NotebookNode

SOURCES_MIME = "application/vnd.workbench.sources+json"
SOURCE_LINE = re.compile(r"^[\s>*_]*Sources?:[*_]*\s*(?P<text>.+?)[\s*_]*$", re.IGNORECASE)
TOC_LEVELS = (2, 3)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Outline:
    title: str | None  # text of the first level-1 heading, if any
    headings: tuple[Heading, ...]  # levels 2 and 3 with an anchor, in document order
    sources: tuple[str, ...]


def outline_of(notebook: NotebookNode) -> Outline:
    """Title, table-of-contents headings and cited sources of an executed notebook."""
    headings = [h for text in _markdown_texts(notebook) for h in _headings(text)]
    title = next((h.text for h in headings if h.level == 1), None)
    toc = tuple(h for h in headings if h.level in TOC_LEVELS and h.anchor)
    return Outline(title=title, headings=toc, sources=tuple(dict.fromkeys(_sources(notebook))))


def _markdown_texts(notebook: NotebookNode) -> Iterator[str]:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            yield cell.source
        for output in cell.get("outputs", []):
            if "text/markdown" in output.get("data", {}):
                yield _text(output["data"]["text/markdown"])


def _text_lines(notebook: NotebookNode) -> Iterator[str]:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            yield from cell.source.splitlines()
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                yield from _text(output["text"]).splitlines()
            elif "text/markdown" in data:
                yield from _text(data["text/markdown"]).splitlines()
            elif "text/plain" in data:
                yield from _text(data["text/plain"]).splitlines()


def _sources(notebook: NotebookNode) -> Iterator[str]:
    for line in _text_lines(notebook):
        match = SOURCE_LINE.match(line)
        if match:
            yield from _split_sources(html.unescape(match["text"]))
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            declared = output.get("data", {}).get(SOURCES_MIME)
            if declared:
                yield from ([declared] if isinstance(declared, str) else declared)


def _split_sources(text: str) -> Iterator[str]:
    for item in text.split(";"):
        item = item.strip().rstrip(".").strip()
        if item:
            yield item


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def _headings(markdown: str) -> list[Heading]:
    parser = _HeadingParser()
    parser.feed(markdown2html_mistune(markdown))
    return parser.headings


class _HeadingParser(HTMLParser):
    """Collects h1-h6 elements: level, visible text (without the ¶ anchor link) and id."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[Heading] = []
        self._open: tuple[int, str] | None = None
        self._text: list[str] = []
        self._in_anchor_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self._open, self._text = (int(tag[1]), attributes.get("id") or ""), []
        elif tag == "a" and "anchor-link" in (attributes.get("class") or ""):
            self._in_anchor_link = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_anchor_link = False
        elif self._open and tag == f"h{self._open[0]}":
            level, anchor = self._open
            text = " ".join("".join(self._text).split())
            self.headings.append(Heading(level=level, text=text, anchor=anchor))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open and not self._in_anchor_link:
            self._text.append(data)
