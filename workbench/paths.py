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
