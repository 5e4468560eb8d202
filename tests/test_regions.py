"""Region profiles: the 10 pilot profiles load, and bad profiles give errors a consultant can act on."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from workbench.concepts import CHALLENGE_IDS
from workbench.cli import main
from workbench.regions import ProfileError, load_profile, load_profiles, region_ids

PILOTS = {
    "cantabria": ("ES13", 2, ("ES13",)),
    "centre-val-de-loire": ("FRB0", 2, ("FRB0",)),
    "east-north-finland": ("FI1D", 2, ("FI1D",)),
    "hauts-de-france": ("FRE", 1, ("FRE1", "FRE2")),
    "lithuania": ("LT", 0, ("LT01", "LT02")),
    "north-middle-sweden": ("SE31", 2, ("SE31",)),
    "piemonte": ("ITC1", 2, ("ITC1",)),
    "saxony": ("DED", 1, ("DED2", "DED4", "DED5")),
    "slovenia": ("SI", 0, ("SI03", "SI04")),
    "wallonia": ("BE3", 1, ("BE31", "BE32", "BE33", "BE34", "BE35")),
}


def test_the_ten_pilot_regions_have_the_agreed_nuts_composition():
    profiles = {p.id: p for p in load_profiles()}
    assert set(profiles) == set(PILOTS)
    for region_id, (code, level, parts) in PILOTS.items():
        nuts = profiles[region_id].nuts
        assert (nuts.code, nuts.level, nuts.parts) == (code, level, parts), region_id


def test_every_published_finding_names_a_known_challenge_and_its_source():
    for profile in load_profiles():
        for finding in profile.published_challenges:
            assert finding.challenge in CHALLENGE_IDS
            assert "Summary Report" in finding.source
            # the quote is the newsletter sentence that lists the region
            assert finding.quote.split(":")[0]


def _write(tmp_path: Path, region_id: str, change) -> Path:
    data = yaml.safe_load(Path("regions/saxony.yaml").read_text(encoding="utf-8"))
    data["id"] = region_id
    change(data)
    path = tmp_path / f"{region_id}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    return str(caught.value)


def test_a_profile_read_again_after_an_edit_has_the_new_content(tmp_path):
    """Profiles are kept once read (a run reads each twice); an edit, even to the same size, or
    an edit that breaks the file, is seen by the next read."""
    path = _write(tmp_path, "saxony-copy", lambda d: d.update(name="Sachsen A"))
    assert load_profile(path).name == "Sachsen A"
    assert load_profile(path) is load_profile(path)
    path.write_text(path.read_text(encoding="utf-8").replace("Sachsen A", "Sachsen B"), encoding="utf-8")
    assert load_profile(path).name == "Sachsen B"
    path.write_text(path.read_text(encoding="utf-8").replace("name: Sachsen B", "name: [unclosed"),
                    encoding="utf-8")
    assert "name" in _error(path) or "line" in _error(path)


def test_unknown_key_is_rejected_with_the_allowed_keys(tmp_path):
    path = _write(tmp_path, "saxony", lambda d: d.update(colour="green"))
    message = _error(path)
    assert str(path) in message
    assert "'colour'" in message and "not a known field" in message
    assert "published_challenges" in message  # what is allowed


def test_bad_nuts_level_names_field_value_and_what_is_allowed(tmp_path):
    path = _write(tmp_path, "saxony", lambda d: d["nuts"].update(level=7))
    message = _error(path)
    assert "'nuts.level'" in message and "7" in message and "0, 1 or 2" in message


def test_unknown_challenge_lists_the_allowed_ids(tmp_path):
    path = _write(tmp_path, "saxony",
                  lambda d: d["published_challenges"][0].update(challenge="bad_weather"))
    message = _error(path)
    assert "published_challenges.0.challenge" in message and "bad_weather" in message
    assert "research_innovation_access" in message


def test_nested_unknown_key_lists_the_keys_allowed_there(tmp_path):
    path = _write(tmp_path, "saxony", lambda d: d["nuts"].update(nuts_code="DED"))
    message = _error(path)
    assert "'nuts.nuts_code'" in message and "composition, level, parts" in message


def test_id_must_match_file_name(tmp_path):
    path = _write(tmp_path, "saxony", lambda d: d.update(id="sachsen"))
    assert "must equal the file name" in _error(path)


def test_parts_must_be_nuts2_codes_of_the_region_country(tmp_path):
    path = _write(tmp_path, "saxony", lambda d: d["nuts"].update(parts=["DED2", "FRE1"]))
    assert "not in the country" in _error(path)


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "saxony.yaml"
    path.write_text("id: saxony\nname: [unclosed\n", encoding="utf-8")
    message = _error(path)
    assert "not valid YAML" in message and "line" in message


def test_priority_out_of_range_says_what_is_allowed(tmp_path):
    path = _write(tmp_path, "saxony", lambda d: d.update(proposals={"priority": {"m1": 9}}))
    assert "allowed: 1 (highest) to 5 (lowest)" in _error(path)


def test_region_ids_lists_profiles_in_a_folder(tmp_path):
    _write(tmp_path, "saxony", lambda d: None)
    assert region_ids(tmp_path) == ["saxony"]


# ---- malformed profiles: tests/profiles_corpus/ -------------------------------------------------

CORPUS = Path(__file__).parent / "profiles_corpus"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
MAX_PROBLEM_CHARS = 400  # "a few hundred characters per problem"


def _validate(capsys, *targets: str) -> tuple[int, str]:
    code = main(["validate", *targets])
    captured = capsys.readouterr()
    return code, captured.err + captured.out


def _assert_clear(message: str, shown_path: str) -> None:
    """Names the file; every problem short; no traceback."""
    assert shown_path in message
    assert "Traceback" not in message
    for line in message.splitlines():
        assert len(line) <= MAX_PROBLEM_CHARS, line[:200]


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_malformed_profile_of_the_corpus_gets_exit_2_and_a_short_clear_error(case, capsys):
    path = CORPUS / f"{case}.yaml"
    code, message = _validate(capsys, str(path))
    assert code == 2
    _assert_clear(message, str(path))
    assert CASES[case]["expect"] in message, message[:600]


def test_the_corpus_index_and_the_corpus_files_agree():
    assert {p.stem for p in CORPUS.glob("*.yaml")} - {"cases"} == set(CASES)
    assert len(CASES) >= 40


def test_a_billion_laughs_is_refused_before_anything_expands_it(capsys):
    path = CORPUS / "billion-laughs-name.yaml"
    _code, message = _validate(capsys, str(path))
    assert "line" in message and len(message) < 1000  # the alias is named, never the 9**9 expansion


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, capsys):
    path = tmp_path / "saxony.yaml"
    path.write_text("id: saxony\nname: " + "S" * 5_000_000 + "\n", encoding="utf-8")
    code, message = _validate(capsys, str(path))
    assert code == 2 and "larger than 64 kB" in message and len(message) < 500


@pytest.mark.parametrize("errno_, cause", [(13, "Permission denied"), (5, "Input/output error")])
def test_an_unreadable_file_or_a_read_error_is_named_with_its_cause(tmp_path, capsys, monkeypatch, errno_, cause):
    """Root can read any file, so the failure is injected where the loader opens the file."""
    path = _write(tmp_path, "saxony", lambda d: None)
    real_open = Path.open

    def failing_open(self, *args, **kwargs):
        if self == path:
            raise OSError(errno_, os.strerror(errno_), str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", failing_open)
    code, message = _validate(capsys, str(path))
    assert code == 2 and f"cannot read the file: {cause}" in message and str(path) in message


@pytest.mark.parametrize("target", ["../regions/saxony", "../../etc/passwd", "saxony/../saxony", "a" * 5000,
                                    "Saxony", "saxony\n"])
def test_an_id_cannot_name_a_file_outside_the_regions_folder(target, capsys):
    code, message = _validate(capsys, target)
    assert code == 2 and "is not a region id" in message
    _assert_clear(message, "regions")
    with pytest.raises(ProfileError):
        load_profile(target)


def test_a_profile_linking_out_of_the_regions_folder_is_refused(tmp_path):
    regions, outside = tmp_path / "regions", tmp_path / "elsewhere"
    regions.mkdir()
    outside.mkdir()
    _write(outside, "saxony", lambda d: None)
    (regions / "saxony.yaml").symlink_to(outside / "saxony.yaml")
    with pytest.raises(ProfileError, match="outside the regions folder"):
        load_profile("saxony", regions)


def test_parts_must_be_the_nuts2_units_of_the_code_in_the_snapshot(tmp_path, capsys):
    """DEA with Saxony's parts fails the schema; a missing part fails against the snapshot."""
    path = _write(tmp_path, "saxony", lambda d: d["nuts"].update(parts=["DED2", "DED4"]))
    code, message = _validate(capsys, str(path))
    assert code == 2 and "'nuts.parts'" in message and "missing: DED5" in message


def test_a_byte_order_mark_and_windows_line_endings_are_accepted(tmp_path):
    path = tmp_path / "saxony.yaml"
    text = Path("regions/saxony.yaml").read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_profile(path).name == "Saxony"


def test_a_date_stays_text_and_tags_of_plain_values_are_accepted(tmp_path):
    path = _write(tmp_path, "saxony", lambda d: None)
    path.write_text(path.read_text(encoding="utf-8").replace("name: Saxony", "name: !!str 2019-04-04"), encoding="utf-8")
    assert load_profile(path).name == "2019-04-04"
