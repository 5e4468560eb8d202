"""Reviewer HTML of an executed notebook: outputs only, header, contents, sources."""
from __future__ import annotations

import re

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from workbench import __version__
from workbench.pipeline.render import RenderError, ReportContext, report_html, report_problems

CONTEXT = ReportContext(region_name="Saxony", run_date="2026-11-21 09:00 UTC",
                        data_vintage="snapshot 2026-11-21 (sha256 abc)")


def _markdown_output(text: str):
    return new_output("display_data", data={"text/markdown": text, "text/plain": "<Markdown>"})


def _executed_notebook(*extra_cells):
    code = new_code_cell("secret_code_line = compute(region_id)", outputs=[
        _markdown_output("## Economic profile\n\nGDP grew.\n\n*Source: Eurostat nama_10r_2gdp, 2019; "
                         "Eurostat demo_r_d2jan, 2020.*"),
        new_output("stream", name="stdout", text="Source: Eurostat sbs_r_nuts06_r2, 2014\n"),
        new_output("stream", name="stderr", text="FutureWarning: something deprecated\n"),
        new_output("display_data", data={"application/vnd.workbench.sources+json": ["GISCO NUTS 2016"],
                                         "text/plain": "GISCO NUTS 2016"}),
    ], execution_count=1)
    return new_notebook(cells=[
        new_markdown_cell("# Regional assessment"),
        code,
        new_markdown_cell("### Sectors & <em>specialisation</em>\n\n*Source: Eurostat nama_10r_2gdp, 2019.*"),
        *extra_cells,
    ])


@pytest.fixture(scope="module")
def page() -> str:
    return report_html(_executed_notebook(), CONTEXT, fallback_title="Assessment")


def test_report_shows_outputs_but_no_code_prompts_or_stderr(page):
    assert "GDP grew." in page
    assert "secret_code_line" not in page
    assert report_problems(page) == []
    assert 'class="jp-OutputPrompt' not in page
    assert "FutureWarning" not in page


def test_title_names_the_report_and_region(page):
    assert re.search(r"<title>Regional assessment — Saxony</title>", page)


def test_header_shows_region_run_date_version_and_vintage(page):
    header = re.search(r'<header class="wb-header">(.*?)</header>', page, re.DOTALL).group(1)
    for fact in ("Saxony", "2026-11-21 09:00 UTC", __version__, "snapshot 2026-11-21 (sha256 abc)"):
        assert fact in header


def test_contents_link_to_the_sections_that_exist(page):
    """One line of contents: the sections (level-2 headings) and the sources, not subsections."""
    toc = re.search(r'<nav[^>]*class="wb-toc"[^>]*>(.*?)</nav>', page, re.DOTALL).group(1)
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc)
    assert [text for _, text in links] == ["Economic profile", "Sources"]
    body = page[page.index("</nav>"):]
    for anchor, _ in links:
        assert f'id="{anchor}"' in body


def test_footer_lists_each_cited_source_once_in_order(page):
    footer = re.search(r'<footer[^>]*class="wb-sources"[^>]*>(.*?)</footer>', page, re.DOTALL).group(1)
    assert re.findall(r"<li>([^<]+)</li>", footer) == [
        "Eurostat nama_10r_2gdp, 2019", "Eurostat demo_r_d2jan, 2020",
        "Eurostat sbs_r_nuts06_r2, 2014", "GISCO NUTS 2016",
    ]


def test_page_loads_nothing_from_a_cdn(page):
    assert "<script" not in page


def test_user_text_is_escaped():
    context = ReportContext(region_name="<script>alert(1)</script>", run_date="today",
                            data_vintage='"><img src=x>')
    notebook = _executed_notebook(new_markdown_cell("*Source: <b>bold</b> & co.*"))
    page = report_html(notebook, context, fallback_title="Assessment")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '"><img src=x>' not in page
    assert "<li>&lt;b&gt;bold&lt;/b&gt; &amp; co</li>" in page


def test_title_falls_back_when_the_notebook_has_no_heading():
    notebook = new_notebook(cells=[new_markdown_cell("Just text.")])
    page = report_html(notebook, CONTEXT, fallback_title="Proposals")
    assert "<title>Proposals — Saxony</title>" in page
    assert "<h1>Proposals</h1>" in page


def test_an_error_output_fails_the_render():
    error = new_output("error", ename="ValueError", evalue="boom", traceback=["ValueError: boom"])
    notebook = _executed_notebook(new_code_cell("x", outputs=[error], execution_count=2))
    with pytest.raises(RenderError, match="an error or stderr output"):
        report_html(notebook, CONTEXT, fallback_title="Assessment")


def test_widgets_are_left_out():
    widget = new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": {"model_id": "model-w1d93t", "version_major": 2, "version_minor": 0},
        "text/plain": "IntSlider(value=3)"})
    notebook = _executed_notebook(new_code_cell("x", outputs=[widget], execution_count=2))
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    page = report_html(notebook, CONTEXT, fallback_title="Assessment")
    assert "application/vnd.jupyter.widget" not in page
    assert "model-w1d93t" not in page


def test_a_chart_keeps_its_alt_text_escaped_and_outputs_are_focusable():
    chart = new_output("display_data", data={"image/png": "iVBORw0KGgo="},
                       metadata={"image/png": {"alt": 'Chart: "Saxony" <GDP>. Source: Eurostat'}})
    notebook = _executed_notebook(new_code_cell("x", outputs=[chart], execution_count=2))
    page = report_html(notebook, CONTEXT, fallback_title="Assessment")
    assert re.search(r'<img src="data:image/png;base64,iVBORw0KGgo=" '
                     r'alt="Chart: &#34;Saxony&#34; &lt;GDP&gt;. Source: Eurostat">', page)
    outputs = re.findall(r'<div class="[^"]*jp-OutputArea-output[^"]*"([^>]*)>', page)
    assert outputs and all('tabindex="0"' in attributes for attributes in outputs)
