"""The `workbench` command: run reports, validate and list regions, build the data snapshot.

User mistakes (a bad profile, an unknown region, a missing raw folder) print a short message
and exit with code 2, never a Python traceback. A run with failed notebooks exits 1.
"""
from __future__ import annotations

import argparse
import os
import sys
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
    from workbench.pipeline.start import prestart_workers
    try:
        prestart_workers()  # the workers' server imports the pipeline while the profiles are checked
    except ValueError as error:
        raise UserError(str(error)) from None
    profiles = _selected_profiles(args.regions)
    from workbench.pipeline.runner import TemplateError, run_reports  # after validation

    try:
        outcome = run_reports([p.id for p in profiles], reports_dir=args.reports_dir,
                              jobs=args.jobs, progress=not args.no_progress)
    except TemplateError as error:
        raise UserError(str(error)) from None
    print(outcome.describe())
    return 0 if outcome.ok else 1


def _validate(args: argparse.Namespace) -> int:
    targets = args.regions or region_ids()
    problems: list[str] = []
    for target in targets:
        path = Path(target) if target.endswith((".yaml", ".yml")) else profile_path(target)
        try:
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
    return problems + override_problems(profile, path)


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
