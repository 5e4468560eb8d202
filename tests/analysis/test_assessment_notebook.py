"""The assessment notebook follows the notebook rules (docs/design.md, Notebooks)."""
from __future__ import annotations

import ast
import re

import nbformat

from workbench import paths

NOTEBOOK = paths.NOTEBOOKS_DIR / "assessment.ipynb"


def test_assessment_notebook_follows_the_notebook_rules():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in notebook.cells if c.cell_type == "code"]
    parameters = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert parameters == [code[0]]
    assigned = {}
    for statement in ast.parse(parameters[0].source).body:  # literals only: papermill overrides them
        assert isinstance(statement, ast.Assign), ast.dump(statement)
        assigned[statement.targets[0].id] = ast.literal_eval(statement.value)
    assert assigned == {"region_id": "saxony", "reports_dir": ""}
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert all(len(c.source.splitlines()) <= 12 for c in code)
    markdown = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    assert all(m.startswith("#") for m in markdown)
    assert not any(re.search(r"\d", m.replace("EU-27", "")) for m in markdown)  # numbers: package
    assert sum(m.startswith("## ") for m in markdown) >= 6
