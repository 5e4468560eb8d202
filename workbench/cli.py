"""The `workbench` command: run reports, validate and list regions, build the data snapshot.

User mistakes (a bad profile, an unknown region, a missing raw folder, a reports folder that
cannot be written or that another run is using) print a short message and exit with code 2,
never a Python traceback; nothing was run. A run with failed notebooks exits 1, and so does a
run stopped because the reports folder refused a file midway (full disk): the files already in
the folder stay complete.
"""
from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from workbench import __version__, paths
from workbench.regions import (ProfileError, ProfileErrors, RegionProfile, load_profile, load_profiles,
                               profile_path, region_ids)

if TYPE_CHECKING:
    import pandas as pd

EXIT_USAGE = 2


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
    run.set_defaults(handler=_run)

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

    data = commands.add_parser("data", help="build or refresh the data snapshot",
                               description="Manage the offline data snapshot.")
    data_commands = data.add_subparsers(title="data commands", metavar="COMMAND")
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
    data.set_defaults(handler=lambda _args: (data.print_help(), EXIT_USAGE)[1])
    return parser


def _selected_profiles(ids: list[str] | None) -> list[RegionProfile]:
    """The requested profiles, checked against the schema, the data and the catalogue."""
    known = region_ids()
    for region_id in ids or []:
        if region_id not in known:
            raise UserError(f"unknown region {region_id!r}; known regions: {', '.join(known)}")
    profiles = load_profiles(ids)
    problems = [p for profile in profiles for p in _reference_problems(profile, profile_path(profile.id))]
    if problems:
        raise UserError("\n".join(problems))
    return profiles


def _run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise UserError(f"--jobs must be at least 1, got {args.jobs}")
    if args.baseline_year is not None and not 2000 <= args.baseline_year <= date.today().year:
        raise UserError(f"--baseline-year must be a year from 2000 to {date.today().year}, "
                        f"got {args.baseline_year}")
    from workbench.pipeline.start import prestart_workers
    try:
        prestart_workers()  # the workers' server imports the pipeline while the profiles are checked
    except ValueError as error:
        raise UserError(str(error)) from None
    profiles = _selected_profiles(args.regions)
    from workbench.pipeline.lock import ReportsBusy, ReportsDirError
    from workbench.pipeline.runner import TemplateError, run_reports  # after validation
    from workbench.results import WriteError

    try:
        outcome = run_reports([p.id for p in profiles], reports_dir=args.reports_dir,
                              jobs=args.jobs, progress=not args.no_progress,
                              baseline_year=args.baseline_year)
    except (TemplateError, ReportsBusy, ReportsDirError) as error:  # nothing ran
        raise UserError(str(error)) from None
    except WriteError as error:  # the run started, then the folder refused a file
        print(f"error: the run stopped: {error}", file=sys.stderr)
        return 1
    print(outcome.describe())
    return 0 if outcome.ok else 1


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
    from workbench.analysis.proposals import override_problems
    from workbench.data import load_snapshot

    geo = load_snapshot().geo.set_index("geo")["level"]
    problems = []
    for field, codes, level in (("nuts.code", (profile.nuts.code,), profile.nuts.level),
                                ("nuts.parts", profile.nuts.parts, 2), ("peers", profile.peers, 2)):
        problems += [f"{path}: field {field!r}: value {code!r} is not a NUTS 2016 level-{level} "
                     f"unit in the data snapshot; allowed: codes such as "
                     f"{', '.join(_examples(geo, level, profile.country))}"
                     for code in codes if geo.get(code) != level]
    return problems + _hierarchy_problems(profile, path, geo) + override_problems(profile, path)


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
