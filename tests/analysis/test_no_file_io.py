"""Analysis modules do no file I/O (docs/design.md, Layers): they compute on the objects they are
given (snapshot, profiles, result payloads, the templates loaded by `workbench.templates`); the
data layer, `workbench.regions`, `workbench.templates` and the report layer read and write files.
An analysis module neither imports `workbench.templates` nor calls its loaders: the callers load
the templates and pass them in."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import workbench.analysis

ANALYSIS_DIR = Path(workbench.analysis.__file__).parent
IO_MODULES = {"builtins", "glob", "io", "json", "os", "pickle", "shutil", "tempfile", "yaml", "pyarrow",
              "workbench.results", "workbench.data.store", "workbench.templates"}
IO_SUBMODULES = {"results", "templates"}  # of `workbench`
IO_NAMES = {"open", "load_snapshot", "load_profile", "load_profiles", "read_result", "write_result",
            "write_atomic", "read_manifest", "load_categories", "load_catalogue"}
IO_METHODS = {"open", "read_text", "write_text", "read_bytes", "write_bytes", "exists", "is_file", "is_dir",
              "glob", "rglob", "iterdir", "mkdir", "touch", "unlink", "rmdir", "stat", "savefig",
              "to_csv", "to_parquet", "to_excel", "to_json", "to_pickle", "read_csv", "read_parquet",
              "read_excel", "read_json", "safe_load", "safe_dump"}


def io_uses(source: str) -> list[str]:
    """The file I/O a module's source does: I/O modules imported, loaders or `open` called, and
    file methods (`read_text`, `exists`, `to_csv`, `yaml.load`, ...) called, with line numbers."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names
                      if a.name in IO_MODULES or a.name.split(".")[0] in IO_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = {a.name for a in node.names}
            if node.module in IO_MODULES or node.module.split(".")[0] in IO_MODULES - {"workbench"}:
                found.append(f"{node.lineno}: from {node.module} import {', '.join(sorted(names))}")
            elif node.module == "workbench" and names & IO_SUBMODULES:
                found.append(f"{node.lineno}: from workbench import {', '.join(sorted(names & IO_SUBMODULES))}")
            found += [f"{node.lineno}: imports {n}" for n in sorted(names & IO_NAMES)]
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in IO_NAMES:
                found.append(f"{node.lineno}: calls {func.id}()")
            elif isinstance(func, ast.Attribute) and (func.attr in IO_METHODS or func.attr in IO_NAMES):
                found.append(f"{node.lineno}: calls .{func.attr}()")
            elif (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                  and func.value.id in {"yaml", "json", "os", "shutil", "pickle"}):
                found.append(f"{node.lineno}: calls {func.value.id}.{func.attr}()")
    return found


@pytest.mark.parametrize("module", sorted(p.name for p in ANALYSIS_DIR.glob("*.py")))
def test_analysis_module_does_no_file_io(module):
    assert io_uses((ANALYSIS_DIR / module).read_text(encoding="utf-8")) == []


def test_the_scan_finds_what_the_analysis_used_to_read():
    """The loading code that lived in `analysis/clusters.py`, `analysis/proposals.py`,
    `analysis/diagnosis.py` and `analysis/compare.py` before it moved to `workbench.templates`
    and the report layer, and the template loaders the analysis defaulted to."""
    before = '''
import yaml
from workbench import results
from workbench.data import SnapshotError, load_snapshot
from workbench.regions import load_profiles
from workbench import paths, templates
from workbench.templates import load_categories
def division_table(mapping=None):
    return mapping or templates.load_categories()
def plan(catalogue=None):
    return catalogue or templates.load_catalogue()
def load(path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
def facts(profiles=None):
    return profiles or load_profiles()
def exported(table, folder):
    if not (folder / "x.csv").exists():
        table.to_csv(folder / "x.csv")
    with open(folder / "y.txt") as handle:
        return handle.read()
'''
    found = io_uses(before)
    for expected in ("import yaml", "from workbench import results", "imports load_snapshot",
                     "imports load_profiles", "calls yaml.load()", "calls .read_text()", "calls load_profiles()",
                     "calls .exists()", "calls .to_csv()", "calls open()", "from workbench import templates",
                     "from workbench.templates import load_categories", "imports load_categories",
                     "calls .load_categories()", "calls .load_catalogue()"):
        assert any(f.endswith(expected) for f in found), (expected, found)
