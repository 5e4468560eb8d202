"""Fixtures of the pipeline tests: stand-in notebook templates and one shared run of them."""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from workbench.pipeline.runner import RunOutcome, run_reports

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class FixtureRun:
    outcome: RunOutcome
    reports: Path

    def manifest(self) -> dict:
        return json.loads((self.reports / "run.json").read_text(encoding="utf-8"))


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def fixture_run(tmp_path_factory: pytest.TempPathFactory) -> FixtureRun:
    """The fixture templates run for saxony, cantabria (its assessment raises in cell 3) and
    wallonia on two workers."""
    reports = tmp_path_factory.mktemp("reports")
    outcome = run_reports(["saxony", "cantabria", "wallonia"], reports_dir=reports, jobs=2,
                          progress=False, notebooks_dir=FIXTURES)
    return FixtureRun(outcome, reports)


@pytest.fixture
def templates_with_assessment_cell(tmp_path: Path):
    """Factory: a copy of the fixture templates whose assessment cell 3 is replaced by `source`."""
    def make(source: str) -> Path:
        folder = shutil.copytree(FIXTURES, tmp_path / "templates")
        notebook = nbformat.read(folder / "assessment.ipynb", as_version=4)
        notebook.cells[3].source = source
        nbformat.write(notebook, folder / "assessment.ipynb")
        return folder
    return make
