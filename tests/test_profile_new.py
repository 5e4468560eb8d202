"""`workbench profile new`: a valid draft profile for any EU NUTS 0/1/2 unit, from the data."""
from __future__ import annotations

import pytest

from workbench.cli import main
from workbench.data import load_snapshot
from workbench.profile_new import TO_BE_COMPLETED, draft_profile, eu_units
from workbench.regions import load_profile


@pytest.mark.parametrize("code, region_id, name, level, parts, composition", [
    ("DE11", "stuttgart", "Stuttgart", 2, ("DE11",), "NUTS 2 region Stuttgart (DE11)"),
    ("DED", "sachsen", "Sachsen", 1, ("DED2", "DED4", "DED5"),
     "NUTS 1 region Sachsen (DED) = NUTS 2 Dresden (DED2) + Chemnitz (DED4) + Leipzig (DED5)"),
    ("LT", "lithuania", "Lithuania", 0, ("LT01", "LT02"),
     "Whole country (LT) = NUTS 2 Sostinės regionas (LT01) + Vidurio ir vakarų Lietuvos regionas (LT02)"),
])
def test_generated_profile_is_valid_and_takes_its_units_from_the_data(
        tmp_path, capsys, code, region_id, name, level, parts, composition):
    assert main(["profile", "new", "--nuts", code.lower() if level == 1 else code,
                 "--regions-dir", str(tmp_path)]) == 0

    profile = load_profile(tmp_path / f"{region_id}.yaml")
    assert (profile.name, profile.nuts.code, profile.nuts.level, profile.nuts.parts) == (name, code, level, parts)
    assert profile.nuts.composition == composition
    assert profile.country == code[:2] and profile.country_name in {"Germany", "Lithuania"}
    assert profile.published_challenges == () and profile.peers == ()
    assert profile.opportunities == () and profile.threats == ()
    text = (tmp_path / f"{region_id}.yaml").read_text(encoding="utf-8")
    assert text.count(TO_BE_COMPLETED) == 3  # opportunities, threats, context and overrides
    assert f"{region_id}.yaml" in capsys.readouterr().out


def test_id_and_name_can_be_given(tmp_path):
    assert main(["profile", "new", "--nuts", "DE11", "--id", "region-stuttgart", "--name", "Region Stuttgart",
                 "--regions-dir", str(tmp_path)]) == 0
    profile = load_profile(tmp_path / "region-stuttgart.yaml")
    assert profile.name == "Region Stuttgart" and profile.nuts.composition == "NUTS 2 region Stuttgart (DE11)"


def test_greek_units_keep_the_nuts_country_code():
    fields = draft_profile(load_snapshot(), "EL30")
    assert (fields["country"], fields["country_name"], fields["nuts"]["parts"]) == ("EL", "Greece", ["EL30"])


@pytest.mark.parametrize("arguments, message", [
    (["--nuts", "DE1X"], "'DE1X' is not an EU-27 NUTS 2016 unit"),
    (["--nuts", "UKC1"], "'UKC1' is not an EU-27 NUTS 2016 unit"),  # in the snapshot, but not EU-27
    (["--nuts", "DE111"], "'DE111' is not an EU-27 NUTS 2016 unit of level 0, 1 or 2"),
    (["--nuts", "DE11", "--id", "Stuttgart Region"], "--id 'Stuttgart Region' is not allowed"),
    (["--nuts", "DE11", "--name", "x"], "--name 'x' is not allowed"),
])
def test_bad_code_or_id_exits_2_with_a_clear_message_and_writes_nothing(tmp_path, capsys, arguments, message):
    assert main(["profile", "new", *arguments, "--regions-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_unknown_code_suggests_close_codes(capsys):
    assert main(["profile", "new", "--nuts", "DED9"]) == 2
    assert "did you mean" in capsys.readouterr().err


def test_existing_file_is_never_overwritten(tmp_path, capsys):
    existing = tmp_path / "stuttgart.yaml"
    existing.write_text("# completed by hand\n", encoding="utf-8")
    assert main(["profile", "new", "--nuts", "DE11", "--regions-dir", str(tmp_path)]) == 2
    assert "stuttgart.yaml already exists" in capsys.readouterr().err
    assert existing.read_text(encoding="utf-8") == "# completed by hand\n"


def test_every_eu_nuts2_unit_gets_a_valid_profile(tmp_path):
    """What `workbench run --all-nuts2` generates: one valid profile per EU-27 NUTS 2 unit."""
    snap = load_snapshot()
    codes = eu_units(snap.geo, level=2)
    assert len(codes) == 240 and not any(code.startswith(("UK", "CH", "NO")) for code in codes)
    from workbench.profile_new import write_profile

    for code in codes:
        write_profile(draft_profile(snap, code, region_id=code.lower()), tmp_path)
    profiles = [load_profile(path) for path in sorted(tmp_path.glob("*.yaml"))]
    assert {p.nuts.code for p in profiles} == set(codes)
    assert all(p.nuts.parts == (p.nuts.code,) and p.nuts.level == 2 for p in profiles)


def test_run_all_nuts2_generates_missing_profiles_keeps_edited_ones_and_ends_with_the_overview(
        tmp_path, monkeypatch, capsys):
    from workbench.pipeline import runner

    calls = []

    def fake_run_reports(ids, **options):
        calls.append((ids, options))
        return runner.RunOutcome(options["reports_dir"], (), 0.0)

    monkeypatch.setattr(runner, "run_reports", fake_run_reports)
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    edited = draft_profile(load_snapshot(), "DE11", region_id="de11", name="Region Stuttgart")
    from workbench.profile_new import write_profile

    write_profile(edited, profiles)

    assert main(["run", "--all-nuts2", "--reports-dir", str(tmp_path), "--no-progress"]) == 0

    (ids, options), = calls
    assert len(ids) == 240 and "de11" in ids and "ded2" in ids
    assert options["regions_dir"] == profiles and options["summary_notebook"] == "overview"
    assert load_profile(profiles / "de11.yaml").name == "Region Stuttgart"  # kept as edited
    assert main(["run", "--all-nuts2", "--region", "saxony"]) == 2
    assert "cannot be combined with --region" in capsys.readouterr().err


def test_a_second_all_nuts2_run_checks_the_generated_profiles_without_loading_the_data(tmp_path, monkeypatch):
    """The marker names the snapshot and the generated ids: while they hold, the snapshot is not
    loaded (a no-change EU-wide rebuild stays fast); a deleted profile is generated again."""
    import workbench.data
    from workbench.pipeline import runner

    calls = []
    monkeypatch.setattr(runner, "run_reports", lambda ids, **options: calls.append(ids) or
                        runner.RunOutcome(options["reports_dir"], (), 0.0))
    assert main(["run", "--all-nuts2", "--reports-dir", str(tmp_path), "--no-progress"]) == 0
    profiles = tmp_path / "profiles"

    def no_data(*args, **kwargs):
        raise AssertionError("the snapshot was loaded")

    monkeypatch.setattr(workbench.data, "load_snapshot", no_data)
    assert main(["run", "--all-nuts2", "--reports-dir", str(tmp_path), "--no-progress"]) == 0
    assert calls[1] == calls[0] and len(calls[0]) == 240

    monkeypatch.undo()
    monkeypatch.setattr(runner, "run_reports", lambda ids, **options: calls.append(ids) or
                        runner.RunOutcome(options["reports_dir"], (), 0.0))
    (profiles / "fr10.yaml").unlink()
    assert main(["run", "--all-nuts2", "--reports-dir", str(tmp_path), "--no-progress"]) == 0
    assert load_profile(profiles / "fr10.yaml").nuts.code == "FR10"
