"""Where the project's files live. One place, so that no module guesses a path."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
REGIONS_DIR = Path(os.environ.get("WORKBENCH_REGIONS_DIR", PROJECT_DIR / "regions"))
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
TEMPLATES_DIR = PROJECT_DIR / "templates"
REPORTS_DIR = Path(os.environ.get("WORKBENCH_REPORTS_DIR", PROJECT_DIR / "reports"))
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
