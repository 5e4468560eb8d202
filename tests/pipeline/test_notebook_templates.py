"""nbval (lax) over the pipeline notebooks with their default parameters.

Runs in a child pytest so that the notebooks write into a temporary folder
(`WORKBENCH_REPORTS_DIR`), never into the user's reports/: that needs the notebooks' default
`reports_dir` to be "", which `workbench.paths.reports_dir` maps to `$WORKBENCH_REPORTS_DIR`.
nbval executes the notebooks in file-name order: assessment, proposals (reads the assessment
result), summary.
"""
from __future__ import annotations

import os
import subprocess
import sys

import papermill as pm

from workbench import paths

TEMPLATES = [paths.NOTEBOOKS_DIR / f"{name}.ipynb" for name in ("assessment", "proposals", "summary")]


def test_pipeline_notebooks_run_with_their_default_parameters(tmp_path):
    defaults = {t.name: pm.inspect_notebook(str(t))["reports_dir"]["default"] for t in TEMPLATES}
    assert defaults == {t.name: '""' for t in TEMPLATES}, (
        "a default reports_dir other than \"\" would make nbval write into the user's reports")
    reports = tmp_path / "reports"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider",
         "-o", "addopts=", "-q", *map(str, TEMPLATES)],
        cwd=paths.PROJECT_DIR, env={**os.environ, "WORKBENCH_REPORTS_DIR": str(reports)},
        capture_output=True, text=True, timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert any(reports.rglob("assessment.json")), "the notebooks ignored WORKBENCH_REPORTS_DIR"
