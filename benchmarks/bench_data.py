"""Time the data layer: building the snapshot from all raw files, and loading one region.

Targets: build < 20 s; load + everything one region's notebook needs < 0.5 s.
Wall-clock and CPU seconds are both printed: on a shared machine the CPU time is the fairer
figure. The build goes to a temporary folder; the committed snapshot is not touched.

    .venv/bin/python benchmarks/bench_data.py [--region-code DED --parts DED2,DED4,DED5 --country DE]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from workbench import paths
from workbench.data.build import build_snapshot
from workbench.data.catalogue import INDICATORS
from workbench.data.snapshot_api import Snapshot

BUILD_TARGET_S = 20.0
LOAD_TARGET_S = 0.5


@contextmanager
def timed(label: str, target: float | None = None):
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    verdict = "" if target is None else ("  ok" if min(wall, cpu) < target else f"  over the {target:g} s target")
    print(f"{label:58} {wall:7.2f} s wall {cpu:7.2f} s CPU{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=paths.DEFAULT_RAW_DIR)
    parser.add_argument("--region-code", default="DED")
    parser.add_argument("--parts", default="DED2,DED4,DED5")
    parser.add_argument("--country", default="DE")
    args = parser.parse_args()
    parts = args.parts.split(",")

    if args.raw.is_dir():
        with tempfile.TemporaryDirectory() as folder, timed("build snapshot from all raw files", BUILD_TARGET_S):
            build_snapshot(args.raw, Path(folder) / "snapshot")
    else:
        print(f"raw folder {args.raw} absent: build not timed")

    with timed("load snapshot"):
        snap = Snapshot(paths.SNAPSHOT_DIR)
    snap = Snapshot(paths.SNAPSHOT_DIR)
    with timed(f"load + all {len(INDICATORS)} indicators of {args.region_code} (all NACE)", LOAD_TARGET_S):
        snap = Snapshot(paths.SNAPSHOT_DIR)
        for indicator in INDICATORS:
            snap.compose(indicator.id, {args.region_code: parts}, nace=None if indicator.has_nace else "")
    with timed(f"benchmarks of the {sum(not i.has_nace for i in INDICATORS)} indicators without NACE"):
        for indicator in INDICATORS:
            if not indicator.has_nace:
                snap.benchmarks(indicator.id, args.region_code, parts, args.country)
    with timed("quality table"):
        snap.quality(args.region_code, parts)


if __name__ == "__main__":
    main()
