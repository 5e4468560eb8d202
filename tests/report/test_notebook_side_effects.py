"""The report notebooks write only in their last cell (docs/design.md, Notebooks): every other
cell shows something and leaves the reports folder and the working folder as they were.

The four notebooks run in-process on the real snapshot, one region, in the pipeline's order
(assessment, proposals, summary, overview), each with its own parameters cell overridden."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from workbench import paths

REGION = "saxony"
SUMMARY_TABLES = {f"summary_{n}.csv" for n in ("run_status", "characteristics", "challenge_matrix",
                                               "published_lists", "agreement", "calibration", "disagreements",
                                               "peer_pairs", "similarity_groups", "measures_by_step", "steps",
                                               "themes")}
RUNS = [  # notebook, parameters, the files its last cell writes
    ("assessment", {"region_id": REGION}, {f"{REGION}/assessment.json"}),
    ("proposals", {"region_id": REGION}, {f"{REGION}/proposals.json"}),
    ("summary", {"region_ids": [REGION]}, SUMMARY_TABLES),
    ("overview", {"region_ids": [REGION]}, {"overview_regions.csv"}),
]


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> list[tuple[str, dict, dict, dict]]:
    """Per notebook: the folder states before the code cells, after all but the last, after the last."""
    reports, cwd = tmp_path_factory.mktemp("reports"), tmp_path_factory.mktemp("cwd")
    states = []
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        for name, parameters, _ in RUNS:
            code = [c.source for c in nbformat.read(paths.NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4).cells
                    if c.cell_type == "code"]
            namespace: dict = {}
            exec(code[0], namespace)  # noqa: S102 - the project's own notebook templates
            namespace.update(parameters, reports_dir=str(reports))
            before = folder_state(reports)
            for source in code[1:-1]:
                exec(source, namespace)  # noqa: S102
            middle = folder_state(reports)
            assert not any(cwd.iterdir()), f"{name}: a cell wrote into the working folder"
            exec(code[-1], namespace)  # noqa: S102
            states.append((name, before, middle, folder_state(reports)))
    return states


@pytest.mark.parametrize("index", range(len(RUNS)), ids=[r[0] for r in RUNS])
def test_only_the_last_cell_writes_and_it_writes_the_result(runs, index):
    name, before, middle, after = runs[index]
    assert middle == before, f"{name}: a cell before the last changed {set(middle.items()) ^ set(before.items())}"
    assert set(after) - set(before) == RUNS[index][2]
    assert all(after[p] == before[p] for p in before), f"{name}: the last cell rewrote an earlier file"
