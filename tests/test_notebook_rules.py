"""Every notebook template follows the notebook rules (docs/design.md, Notebooks): a parameters
cell of literals that papermill can override, thin code cells, no committed outputs, and no
data-like numbers typed into markdown (numbers in prose come from package functions); the four
report notebooks load one report object and call one of its methods per cell, writing only in
the last cell."""
from __future__ import annotations

import ast
import importlib
import inspect
import re
import typing

import nbformat
import pytest

from workbench import paths

PARAMETERS = {
    "assessment": {"region_id": "saxony", "reports_dir": "", "baseline_year": 2018},
    "proposals": {"region_id": "saxony", "reports_dir": ""},
    "summary": None,  # region_ids: the ten pilot ids, checked below
    "overview": {"region_ids": ["de11"], "reports_dir": ""},  # run with every EU NUTS 2 id by --all-nuts2
    "explorer": None,
    "workshop": None,
    "facilitator": None,
}
DATA_LIKE_NUMBER = re.compile(r"\d+[.,]\d+|\d+\s*%")
SECTION_NUMBER = re.compile(r"^#+\s+\d+\.\s", re.MULTILINE)


def _notebook(name: str) -> nbformat.NotebookNode:
    return nbformat.read(paths.NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)


def _literal_parameters(cell: nbformat.NotebookNode) -> dict[str, object]:
    assigned = {}
    for statement in ast.parse(cell.source).body:
        assert isinstance(statement, ast.Assign), f"not a literal assignment: {ast.unparse(statement)}"
        assigned[statement.targets[0].id] = ast.literal_eval(statement.value)  # raises unless literal
    return assigned


@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_notebook_is_a_thin_template(name):
    notebook = _notebook(name)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in notebook.cells if c.cell_type == "code"]
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert tagged == [code[0]], "exactly one parameters cell, the first code cell"
    parameters = _literal_parameters(code[0])
    if PARAMETERS[name] is not None:
        assert parameters == PARAMETERS[name]
    assert all(not c.outputs and c.execution_count is None for c in code), "outputs committed"
    assert all(len(c.source.splitlines()) <= 12 for c in code), "a code cell longer than 12 lines"
    for cell in (c for c in notebook.cells if c.cell_type == "markdown"):
        prose = SECTION_NUMBER.sub("", cell.source).replace("EU-27", "")
        assert not DATA_LIKE_NUMBER.search(prose), f"a number typed into markdown: {cell.source[:80]}"


def test_summary_defaults_to_the_ten_pilot_regions():
    from workbench.regions import region_ids

    first_code = next(c for c in _notebook("summary").cells if c.cell_type == "code")
    parameters = _literal_parameters(first_code)
    assert parameters["region_ids"] == region_ids() and parameters["reports_dir"] == ""


@pytest.mark.parametrize("name", ["assessment", "proposals", "summary", "overview"])
def test_report_notebooks_have_headings_for_the_contents(name):
    headings = [c.source for c in _notebook(name).cells if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert len(headings) >= 3


# --- the report notebooks: one report object, one method per cell, the write cell last ---------

REPORTS = ("assessment", "proposals", "summary", "overview")
METHOD_CELL = re.compile(r"report\.(\w+)\(\)")


def _report_class(name: str) -> type:
    module = importlib.import_module(f"workbench.report.{name}")
    return typing.get_type_hints(module.load)["return"]


def _cell_methods(cls: type) -> set[str]:
    """The report's public methods a cell can call: no argument besides self without a default."""
    return {n for n, f in vars(cls).items() if inspect.isfunction(f) and not n.startswith("_")
            and all(p.default is not p.empty for p in list(inspect.signature(f).parameters.values())[1:])}


@pytest.mark.parametrize("name", REPORTS)
def test_report_notebook_is_load_then_one_method_per_cell_then_write(name):
    from workbench.report.base import Report

    cells = [c for c in _notebook(name).cells if c.cell_type == "code"]
    code = [c.source.strip() for c in cells]
    parameters = list(_literal_parameters(cells[0]))
    assert code[1] == (f"from workbench.report import {name}\n\n"
                       f"report = {name}.load({', '.join(parameters)})"), "the cell after the parameters loads"
    cls = _report_class(name)
    assert issubclass(cls, Report)
    calls = []
    for source in code[2:]:
        match = METHOD_CELL.fullmatch(source)
        assert match, f"not one report method call: {source!r}"
        calls.append(match.group(1))
    assert calls[-1] == "write_result" and calls.count("write_result") == 1, "write_result is the last cell, once"
    methods = _cell_methods(cls)
    assert set(calls) <= methods, f"no such method: {set(calls) - methods}"
    assert methods <= set(calls), f"methods no cell shows: {methods - set(calls)}"
