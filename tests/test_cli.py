"""The `workbench` command: user mistakes give a short message and exit code 2, no traceback."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from workbench.cli import main


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=120)


def test_broken_region_file_gives_short_error_naming_file_and_field(tmp_path):
    data = yaml.safe_load(Path("regions/saxony.yaml").read_text(encoding="utf-8"))
    data["nuts"]["level"] = "one"
    (tmp_path / "saxony.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    result = _cli("validate", str(tmp_path / "saxony.yaml"))
    assert result.returncode == 2
    assert "saxony.yaml" in result.stderr and "nuts.level" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) <= 4


def test_run_with_a_broken_profile_exits_2_before_starting_any_kernel(tmp_path):
    (tmp_path / "saxony.yaml").write_text("id: saxony\nname: Saxony\n", encoding="utf-8")
    result = _cli("run", "--region", "saxony", "--reports-dir", str(tmp_path / "out"),
                  WORKBENCH_REGIONS_DIR=str(tmp_path))
    assert result.returncode == 2
    assert "field 'country' is missing" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_unknown_region_is_named_with_the_known_ones(capsys):
    assert main(["run", "--region", "atlantis"]) == 2
    err = capsys.readouterr().err
    assert "unknown region 'atlantis'" in err and "saxony" in err


def test_validate_accepts_the_pilot_profiles(capsys):
    assert main(["validate"]) == 0
    assert "10 region profile(s) valid" in capsys.readouterr().out


def test_list_shows_each_region_with_its_nuts_parts(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "DED2+DED4+DED5" in out and "LT01+LT02" in out
    assert len(out.strip().splitlines()) == 10


def test_every_command_has_help():
    for args in (["--help"], ["run", "--help"], ["validate", "--help"], ["list", "--help"],
                 ["data", "--help"], ["data", "build", "--help"], ["data", "refresh", "--help"]):
        result = _cli(*args)
        assert result.returncode == 0, args
        assert "usage: workbench" in result.stdout


def test_unknown_peer_code_is_refused_before_any_notebook_runs(tmp_path):
    text = Path("regions/saxony.yaml").read_text(encoding="utf-8").replace("peers: []", "peers: [DED3]")
    (tmp_path / "saxony.yaml").write_text(text, encoding="utf-8")
    result = _cli("run", "--region", "saxony", "--reports-dir", str(tmp_path / "out"),
                  WORKBENCH_REGIONS_DIR=str(tmp_path))
    assert result.returncode == 2
    assert "field 'peers': value 'DED3' is not a NUTS 2016 level-2 unit" in result.stderr
    assert "DE11" in result.stderr  # examples of what is allowed
    assert not (tmp_path / "out").exists()


def test_baseline_year_outside_the_data_era_is_refused(capsys):
    assert main(["run", "--region", "saxony", "--baseline-year", "1990"]) == 2
    assert "--baseline-year must be a year from 2000" in capsys.readouterr().err
