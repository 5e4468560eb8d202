"""Profiles naming NUTS 2021 codes: validated, mapped to the snapshot's NUTS 2016 units, reported."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from workbench.analysis.assessment import assess, validate_payload
from workbench.analysis.region_units import working_units
from workbench.cli import main
from workbench.data import load_snapshot
from workbench.regions import load_profile

CROATIA_2021 = {
    "id": "croatia", "name": "Croatia", "country": "HR", "country_name": "Croatia",
    "nuts": {"version": 2021, "code": "HR0", "level": 1, "parts": ["HR02", "HR03", "HR05", "HR06"],
             "composition": "NUTS 1 region Hrvatska (HR0) = NUTS 2021 HR02 + HR03 + HR05 + HR06"},
    "peers": [],
}


def _write(tmp_path: Path, data: dict, name: str = "croatia") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({**data, "id": name}, sort_keys=False), encoding="utf-8")
    return path


def _with(**changes) -> dict:
    data = yaml.safe_load(yaml.safe_dump(CROATIA_2021))
    for key, value in changes.items():
        if key.startswith("nuts_"):
            data["nuts"][key[5:]] = value
        else:
            data[key] = value
    return data


def test_a_nuts_2021_profile_validates_and_is_assessed_as_its_nuts_2016_units(tmp_path, capsys, categories):
    path = _write(tmp_path, CROATIA_2021)
    assert main(["validate", str(path)]) == 0
    assert "1 region profile(s) valid" in capsys.readouterr().out
    snap = load_snapshot()
    written = load_profile(path)
    assert written.nuts.parts == ("HR02", "HR03", "HR05", "HR06")  # the profile keeps what was written
    result = assess(snap, written, categories=categories)
    payload = result.payload()
    assert validate_payload(payload) == []
    assert sorted(payload["region"]["parts"]) == ["HR03", "HR04"]
    assert payload["region"]["nuts_mapped"] == [
        {"field": "nuts.parts", "written": ["HR02", "HR05", "HR06"], "working": "HR04", "how": "merge"}]
    # the same figures as a profile written in NUTS 2016
    old = _with(nuts_version=2016, nuts_parts=["HR03", "HR04"])
    same = assess(snap, load_profile(_write(tmp_path, old, "croatia-2016")),
                  categories=categories).indicators.set_index("id")
    gdp = result.indicators.set_index("id").loc["gdp_pps_per_head"]
    assert gdp["year"] == same.loc["gdp_pps_per_head", "year"] >= 2023
    assert gdp["value"] == same.loc["gdp_pps_per_head", "value"]


def test_nuts_2021_codes_identical_to_nuts_2016_ones_keep_working(tmp_path, capsys):
    data = yaml.safe_load(Path("regions/saxony.yaml").read_text(encoding="utf-8"))
    data["nuts"]["version"] = 2021
    data["peers"] = ["DE11", "CZ05"]
    path = tmp_path / "saxony.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    mapped = working_units(load_snapshot(), load_profile(path))
    assert mapped.problems == () and mapped.mappings == ()
    assert mapped.profile.nuts.parts == ("DED2", "DED4", "DED5") and mapped.profile.peers == ("DE11", "CZ05")


@pytest.mark.parametrize(("changes", "expected"), [
    ({"nuts_parts": ["HR02", "HR03", "HR05"]},  # HR06 left out: HR04 incomplete
     ["field 'nuts.parts': value 'HR02' (NUTS 2021) is only part of NUTS 2016 HR04",
      "allowed: all of HR02, HR05, HR06 in nuts.parts, or the NUTS 2016 code HR04"]),
    ({"nuts_parts": ["HR02", "HR03", "HR05", "HR06", "HR09"]},  # neither NUTS 2016 nor 2021
     ["field 'nuts.parts': value 'HR09' is not a NUTS 2016 level-2 unit in the data snapshot nor a "
      "NUTS 2021 code of the JRC NUTS converters", "HR03, HR04"]),
    ({"peers": ["NO08"]},  # split between three NUTS 2016 units
     ["field 'peers': value 'NO08' (NUTS 2021) lies in several NUTS 2016 units", "NO01 (68.5 %",
      "allowed: the NUTS 2016 code(s) NO01, NO02, NO03"]),
    ({"nuts_version": 2016},  # NUTS 2021 codes in a NUTS 2016 profile
     ["field 'nuts.parts': value 'HR05' is not a NUTS 2016 level-2 unit",
      "HR05 is a NUTS 2021 code: with nuts.version: 2021 it is mapped"]),
])
def test_codes_that_cannot_be_mapped_are_refused_naming_file_field_and_value(tmp_path, capsys, changes, expected):
    path = _write(tmp_path, _with(**changes))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err
    for text in expected:
        assert text in err


def test_the_analysis_refuses_a_profile_naming_part_of_a_nuts_2016_unit(tmp_path, categories):
    path = _write(tmp_path, _with(nuts_parts=["HR02", "HR03", "HR05"]))
    with pytest.raises(ValueError, match="'nuts.parts': value 'HR02' .NUTS 2021. is only part of NUTS 2016 HR04"):
        assess(load_snapshot(), load_profile(path), categories=categories)
