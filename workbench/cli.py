"""The `workbench` command: run reports, validate, list and draft regions, build the data snapshot.

User mistakes (a bad profile, an unknown region, a missing raw folder, a reports folder that
cannot be written or that another run is using) print a short message and exit with code 2,
never a Python traceback; nothing was run. A run with failed notebooks exits 1, and so does a
run stopped because the reports folder refused a file midway (full disk): the files already in
the folder stay complete.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench import __version__, paths
from workbench.regions import (ProfileError, ProfileErrors, RegionProfile, load_profile, load_profiles,
                               profile_path, region_ids)

if TYPE_CHECKING:
    import pandas as pd

EXIT_USAGE = 2
EU_SUMMARY = "overview"  # the cross-region notebook of an --all-nuts2 run
GENERATED_MARKER = ".nuts2-profiles.json"  # in the generated profiles folder, see _generated_profiles


class UserError(Exception):
    """A problem the user can fix; printed without a traceback."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except (ProfileError, ProfileErrors, UserError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Industrial-transition workbench: build EOCIC-style assessment, proposal "
        "and summary reports for the pilot regions.",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = commands.add_parser(
        "run", help="build the reports of all regions (or some) and the summary",
        description="Run the assessment then the proposals notebook for each region, then the "
        "summary, and render the HTML site into the reports folder.",
    )
    run.add_argument("--region", action="append", metavar="ID", dest="regions",
                     help="a region id (repeat for several); default: every profile in regions/")
    run.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                     help="notebooks run at once in worker processes (default: number of cores)")
    run.add_argument("--reports-dir", type=Path, default=paths.REPORTS_DIR, metavar="DIR",
                     help=f"where to write the reports (default: {paths.REPORTS_DIR})")
    run.add_argument("--no-progress", action="store_true", help="do not show the progress bar")
    run.add_argument("--baseline-year", type=int, default=None, metavar="YEAR",
                     help="year of the EOCIC assessment that each region's movement is measured "
                          "from (default: 2018)")
    run.add_argument("--force", action="store_true",
                     help="re-execute every notebook (default: reuse those whose inputs did not change)")
    run.add_argument("--all-nuts2", action="store_true",
                     help="every EU-27 NUTS 2 region of the data snapshot, from generated profiles, "
                     "with the EU overview instead of the pilot-region summary")
    run.add_argument("--profiles-dir", type=Path, metavar="DIR",
                     help="with --all-nuts2: where the generated profiles are written and read "
                     "(default: REPORTS_DIR/profiles); existing files there are kept as they are")
    run.set_defaults(handler=_run)

    profile_commands = _group(commands, "profile", "draft region profiles",
                              "Draft region profiles from the data snapshot.")
    new = profile_commands.add_parser(
        "new", help="write a draft profile for an EU NUTS 0, 1 or 2 unit",
        description="Write regions/<id>.yaml for any EU-27 NUTS 2016 unit of level 0, 1 or 2 in "
        "the data snapshot: name, country, level and NUTS 2 parts from the data, no published "
        "challenges, automatic peers; the SWOT opportunities and threats and the proposal "
        "context are left for the consultant, marked TO BE COMPLETED. Never overwrites a file.",
    )
    new.add_argument("--nuts", required=True, metavar="CODE", help="NUTS 2016 code, e.g. DE11, DED or LT")
    new.add_argument("--id", dest="region_id", metavar="ID",
                     help="region id and file name (default: from the name, e.g. stuttgart)")
    new.add_argument("--name", metavar="NAME", help="region name (default: the NUTS name in the data)")
    new.add_argument("--regions-dir", type=Path, default=paths.REGIONS_DIR, metavar="DIR",
                     help=f"where to write the profile (default: {paths.REGIONS_DIR})")
    new.set_defaults(handler=_profile_new)

    validate = commands.add_parser(
        "validate", help="check region profiles and report every problem",
        description="Validate region profiles against the schema (and proposal overrides "
        "against the measures catalogue). Exit code 2 when a profile is invalid.",
    )
    validate.add_argument("regions", nargs="*", metavar="ID_OR_FILE",
                          help="region ids or YAML files; default: every profile in regions/")
    validate.set_defaults(handler=_validate)

    listing = commands.add_parser("list", help="list the region profiles",
                                  description="List the region profiles with their NUTS units.")
    listing.set_defaults(handler=_list)

    data_commands = _group(commands, "data", "build or refresh the data snapshot", "Manage the offline data snapshot.")
    build = data_commands.add_parser(
        "build", help="ingest the raw files into the committed snapshot",
        description="Read the raw Eurostat/GISCO files and write the compact snapshot and the "
        "indicator catalogue inside the package.",
    )
    build.add_argument("--raw", type=Path, default=paths.DEFAULT_RAW_DIR, metavar="DIR",
                       help=f"folder of raw files (default: {paths.DEFAULT_RAW_DIR})")
    build.add_argument("--out", type=Path, default=paths.SNAPSHOT_DIR, metavar="DIR",
                       help=f"snapshot folder (default: {paths.SNAPSHOT_DIR})")
    build.set_defaults(handler=_data_build)
    refresh = data_commands.add_parser(
        "refresh", help="download current Eurostat data into a raw folder (needs internet)",
        description="Fetch the same Eurostat datasets with the `eurostat` package into the raw "
        "layout, so that `workbench data build --raw DIR` can move to current data.",
    )
    refresh.add_argument("--raw", type=Path, required=True, metavar="DIR",
                         help="folder to write the downloaded raw files to")
    refresh.set_defaults(handler=_data_refresh)
    return parser


def _group(commands: argparse._SubParsersAction, name: str, help_: str,
           description: str) -> argparse._SubParsersAction:
    """A command with subcommands (`workbench data build`); alone it prints its help, exit 2."""
    group = commands.add_parser(name, help=help_, description=description)
    group.set_defaults(handler=lambda _args: (group.print_help(), EXIT_USAGE)[1])
    return group.add_subparsers(title=f"{name} commands", metavar="COMMAND")


def _selected_profiles(ids: list[str] | None, regions_dir: Path | None = None) -> list[RegionProfile]:
    """The requested profiles, checked against the schema (`_check_references` checks them
    against the data and the catalogue)."""
    known = region_ids(regions_dir)
    for region_id in ids or []:
        if region_id not in known:
            raise UserError(f"unknown region {region_id!r}; known regions: {', '.join(known)}")
    return load_profiles(ids, regions_dir)


def _check_references(ids: list[str], regions_dir: Path | None = None) -> None:
    """`UserError` listing every reference problem of these profiles."""
    problems = [p for region_id in ids
                for p in _reference_problems(load_profile(region_id, regions_dir), profile_path(region_id, regions_dir))]
    if problems:
        raise UserError("\n".join(problems))


def _run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise UserError(f"--jobs must be at least 1, got {args.jobs}")
    if args.baseline_year is not None and not 2000 <= args.baseline_year <= date.today().year:
        raise UserError(f"--baseline-year must be a year from 2000 to {date.today().year}, "
                        f"got {args.baseline_year}")
    if args.all_nuts2 and args.regions:
        raise UserError("--all-nuts2 runs every EU NUTS 2 region; it cannot be combined with --region")
    if args.profiles_dir and not args.all_nuts2:
        raise UserError("--profiles-dir is only used with --all-nuts2")
    regions_dir = _generated_profiles(args) if args.all_nuts2 else None
    profiles = _selected_profiles(args.regions or (region_ids(regions_dir) if regions_dir else None), regions_dir)
    from workbench.pipeline.start import start_method
    try:
        start_method()  # a bad $WORKBENCH_START_METHOD is refused before anything runs
    except ValueError as error:
        raise UserError(str(error)) from None
    from workbench.pipeline.lock import ReportsBusy, ReportsDirError
    from workbench.pipeline.runner import TemplateError, run_reports  # after validation
    from workbench.results import WriteError

    try:  # the data and catalogue checks only for the profiles whose notebooks will run
        outcome = run_reports([p.id for p in profiles], reports_dir=args.reports_dir, jobs=args.jobs,
                              progress=not args.no_progress, force=args.force, regions_dir=regions_dir,
                              baseline_year=args.baseline_year,
                              summary_notebook=EU_SUMMARY if args.all_nuts2 else "summary",
                              preflight=lambda ids: _check_references(ids, regions_dir))
    except (TemplateError, ReportsBusy, ReportsDirError) as error:  # nothing ran
        raise UserError(str(error)) from None
    except WriteError as error:  # the run started, then the folder refused a file
        print(f"error: the run stopped: {error}", file=sys.stderr)
        return 1
    print(outcome.describe())
    return 0 if outcome.ok else 1


def _generated_profiles(args: argparse.Namespace) -> Path:
    """The folder of the generated EU NUTS 2 profiles, with one for every unit lacking one. A
    marker in the folder names the snapshot they were checked against and the ids: while both
    hold, the snapshot is not even loaded (a no-change rebuild stays well under a second)."""
    folder = Path(args.profiles_dir or Path(args.reports_dir) / "profiles")
    marker = folder / GENERATED_MARKER
    snapshot = hashlib.sha256((paths.SNAPSHOT_DIR / "manifest.json").read_bytes()).hexdigest()
    try:
        known = json.loads(marker.read_text(encoding="utf-8"))
        if known["snapshot"] == snapshot and all((folder / f"{i}.yaml").is_file() for i in known["ids"]):
            return folder
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no marker yet, or not one we wrote: check against the snapshot
    from workbench.data import load_snapshot
    from workbench.profile_new import ensure_nuts2_profiles, eu_units
    from workbench.results import write_atomic

    snap = load_snapshot()
    ensure_nuts2_profiles(snap, folder)
    ids = [code.lower() for code in eu_units(snap.geo, level=2)]
    write_atomic(marker, json.dumps({"snapshot": snapshot, "ids": ids}))
    return folder


def _profile_new(args: argparse.Namespace) -> int:
    from workbench.data import load_snapshot
    from workbench.profile_new import UnknownUnitError, draft_profile, write_profile

    try:
        fields = draft_profile(load_snapshot(), args.nuts, region_id=args.region_id, name=args.name)
        path = write_profile(fields, args.regions_dir)
    except (UnknownUnitError, FileExistsError, ValueError) as error:  # ValueError: a bad --id or --name
        raise UserError(str(error)) from None
    folder = "" if args.regions_dir == paths.REGIONS_DIR else f"WORKBENCH_REGIONS_DIR={args.regions_dir} "
    print(f"wrote {path} ({fields['name']}, NUTS {fields['nuts']['level']} {fields['nuts']['code']}); "
          f"complete the parts marked TO BE COMPLETED, then: {folder}workbench run --region {fields['id']}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    targets = args.regions or region_ids()
    problems: list[str] = []
    for target in targets:
        try:
            path = Path(target) if target.endswith((".yaml", ".yml")) else profile_path(target)
            problems += _reference_problems(load_profile(path), path)
        except ProfileError as error:
            problems.append(str(error))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return EXIT_USAGE
    print(f"{len(targets)} region profile(s) valid")
    return 0


def _reference_problems(profile: RegionProfile, path: Path) -> list[str]:
    """What the schema cannot see: NUTS codes unknown to the data snapshot (NUTS 2016, GISCO
    boundaries) and proposal overrides unknown to the measures catalogue."""
    from workbench import templates
    from workbench.analysis.proposals import override_problems
    from workbench.analysis.region_units import working_units
    from workbench.data import load_snapshot

    snap = load_snapshot()
    geo = snap.geo.set_index("geo")["level"]
    working = working_units(snap, profile)
    problems = [f"{path}: {problem}" for problem in working.problems]
    also = "" if profile.nuts.version == 2016 else " nor a NUTS 2021 code of the JRC NUTS converters"
    for field, codes, level in (("nuts.code", (working.profile.nuts.code,), profile.nuts.level),
                                ("nuts.parts", working.profile.nuts.parts, 2), ("peers", working.profile.peers, 2)):
        problems += [f"{path}: field {field!r}: value {code!r} is not a NUTS 2016 level-{level} "
                     f"unit in the data snapshot{also}; allowed: codes such as "
                     f"{', '.join(_examples(geo, level, profile.country))}{_version_hint(snap, profile, code)}"
                     for code in codes if geo.get(code) != level and not _refused(code, working.problems)]
    return problems + _hierarchy_problems(working.profile, path, geo) + override_problems(
        profile, path, catalogue=templates.load_catalogue())


def _version_hint(snap: Any, profile: RegionProfile, code: str) -> str:
    """For a NUTS 2016 profile naming a NUTS 2021 code: how to have it mapped."""
    if profile.nuts.version == 2016 and snap.aliases.get(code, {}).get("version") == "2021":
        return f" ({code} is a NUTS 2021 code: with nuts.version: 2021 it is mapped to NUTS 2016)"
    return ""


def _refused(code: str, problems: tuple[str, ...]) -> bool:
    """A code the NUTS 2021 mapping already refused (reported once, with its reason)."""
    return any(f"value {code!r}" in problem for problem in problems)


def _hierarchy_problems(profile: RegionProfile, path: Path, geo: pd.Series) -> list[str]:
    """A NUTS 0/1 region's parts are exactly its NUTS 2 units in the snapshot's hierarchy."""
    from workbench.data import load_snapshot

    nuts = profile.nuts
    if nuts.level == 2 or geo.get(nuts.code) != nuts.level:
        return []  # a NUTS 2 region is its own part; an unknown code is reported above
    inside = load_snapshot().nuts2_parts(nuts.code)
    outside = [part for part in nuts.parts if part not in inside]
    missing = [part for part in inside if part not in nuts.parts]
    if not outside and not missing:
        return []
    problem = "; ".join(text for text in (f"not inside {nuts.code}: {', '.join(outside)}" if outside else "",
                                          f"missing: {', '.join(missing)}" if missing else "") if text)
    return [f"{path}: field 'nuts.parts': {problem}; allowed: the NUTS 2 units of {nuts.code} in the "
            f"data snapshot, {', '.join(inside)}"]


def _examples(geo: pd.Series, level: int, country: str) -> list[str]:
    codes = [code for code in geo[geo == level].index if code.startswith(country)]
    return codes[:3] or list(geo[geo == level].index[:3])


def _list(_args: argparse.Namespace) -> int:
    for profile in load_profiles():
        parts = "+".join(profile.nuts.parts)
        print(f"{profile.id:22} {profile.name:22} {profile.nuts.code:5} NUTS {profile.nuts.level}  {parts}")
    return 0


def _data_build(args: argparse.Namespace) -> int:
    from workbench.data.build import RawDataError, build_snapshot

    if not args.raw.is_dir():
        raise UserError(f"raw data folder {args.raw} does not exist; pass --raw DIR")
    try:
        report = build_snapshot(args.raw, args.out)
    except RawDataError as error:
        raise UserError(str(error)) from None
    print(report)
    return 0


def _data_refresh(args: argparse.Namespace) -> int:
    from workbench.data.refresh import RefreshError, refresh_raw

    try:
        print(refresh_raw(args.raw))
    except RefreshError as error:
        raise UserError(str(error)) from None
    return 0
