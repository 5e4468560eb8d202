"""A regular (non-editable) install works: the wheel carries the notebooks, templates, region
profiles and data snapshot, and the installed package finds them from any folder."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from workbench import paths

CHECKOUT = paths.PACKAGE_DIR.parent
RESOURCES = ("notebooks", "templates", "regions")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(CHECKOUT)],
                   check=True, capture_output=True, cwd=CHECKOUT)
    return next(out.glob("workbench-*.whl"))


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and ".ipynb_checkpoints" not in p.parts and "__pycache__" not in p.parts}


@pytest.mark.timeout(300)
def test_the_wheel_carries_every_resource_and_the_snapshot(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in RESOURCES:
        expected = {f"workbench/resources/{name}/{f}" for f in _files(CHECKOUT / name)}
        assert expected and expected <= names, f"{name}/ missing from the wheel: {sorted(expected - names)[:5]}"
    snapshot = {f"workbench/data/snapshot/{f}" for f in _files(paths.SNAPSHOT_DIR)}
    assert snapshot and snapshot <= names


@pytest.mark.timeout(300)
def test_the_installed_package_finds_its_files_from_another_folder(wheel, tmp_path):
    site, work = tmp_path / "site", tmp_path / "work"
    zipfile.ZipFile(wheel).extractall(site)  # what pip install puts in site-packages
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    for name in ("WORKBENCH_PROJECT_DIR", "WORKBENCH_REGIONS_DIR", "WORKBENCH_REPORTS_DIR"):
        env.pop(name, None)
    where = subprocess.run(
        [sys.executable, "-c", "from workbench import paths\n"
         "print(paths.PACKAGE_DIR, paths.NOTEBOOKS_DIR, paths.TEMPLATES_DIR, paths.REGIONS_DIR, paths.REPORTS_DIR)"],
        cwd=work, env=env, check=True, capture_output=True, text=True).stdout.split()
    resources = site / "workbench" / "resources"
    assert where == [str(site / "workbench"), *(str(resources / n) for n in RESOURCES), str(work / "reports")]
    validate = subprocess.run([sys.executable, "-m", "workbench", "validate"], cwd=work, env=env,
                              capture_output=True, text=True)
    assert validate.returncode == 0, validate.stderr
    assert validate.stdout.strip() == f"{len(list((CHECKOUT / 'regions').glob('*.yaml')))} region profile(s) valid"
