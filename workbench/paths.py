"""Where the project's files live. One place, so that no module guesses a path.

Run from a checkout (`make`, `pip install -e .`), everything is in the repository. Installed
from a wheel (`pip install .`), the package carries copies of `notebooks/`, `templates/` and
`regions/` in `workbench/resources/`, and the working folder (where `reports/` and
`workshops/` go) is the current directory. Settings, each overriding the default:

* `WORKBENCH_PROJECT_DIR`: the working folder; its `notebooks/`, `templates/`, `regions/`
  are used where it has them;
* `WORKBENCH_REGIONS_DIR`: the region profiles; `WORKBENCH_REPORTS_DIR`: the reports.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR / "resources"  # in an installed wheel (setup.py copies them)


def _checkout() -> Path | None:
    """The repository the package runs from, if it does (an editable install or a source tree)."""
    folder = PACKAGE_DIR.parent
    return folder if (folder / "pyproject.toml").is_file() and (folder / "notebooks").is_dir() else None


def _resource(project: Path, name: str) -> Path:
    """The project's folder `name` if it has one, else the copy the package carries."""
    return project / name if (project / name).is_dir() or not (RESOURCES_DIR / name).is_dir() else RESOURCES_DIR / name


PROJECT_DIR = Path(os.environ.get("WORKBENCH_PROJECT_DIR") or _checkout() or Path.cwd()).resolve()
REGIONS_DIR = Path(os.environ.get("WORKBENCH_REGIONS_DIR") or _resource(PROJECT_DIR, "regions"))
NOTEBOOKS_DIR = _resource(PROJECT_DIR, "notebooks")
TEMPLATES_DIR = _resource(PROJECT_DIR, "templates")
REPORTS_DIR = Path(os.environ.get("WORKBENCH_REPORTS_DIR") or PROJECT_DIR / "reports")
SNAPSHOT_DIR = PACKAGE_DIR / "data" / "snapshot"
DEFAULT_RAW_DIR = PROJECT_DIR.parent / "shared" / "data"


def reports_dir(value: str | Path = "") -> Path:
    """The reports folder a notebook parameter names.

    Empty means the project's `reports/` (or `$WORKBENCH_REPORTS_DIR`), so that a notebook
    opened in JupyterLab, run by nbval or run by the pipeline writes where the site is;
    a relative path is taken from the project folder, not from the notebook's folder.
    """
    if not str(value):
        return REPORTS_DIR
    path = Path(value)
    return path if path.is_absolute() else PROJECT_DIR / path
