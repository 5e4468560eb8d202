"""Median redraw time of a control change in the interactive tools (target: < 200 ms).

Workshop: a participant changes a scoreboard weight (input saved to SQLite, composite chart
redrawn); the facilitator's board is recomputed from the store after a new rating. Explorer: an indicator change on cached data (region overview, a
bar chart; data by sector, ranking plus NUTS 2 map). The workshop uses constructed results in
a temporary folder; the explorer uses the committed data snapshot.

    .venv/bin/python benchmarks/bench_widgets.py [--repeat 15]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "widgets"))

from widget_fakes import write_constructed_results  # noqa: E402

from workbench.widgets.explorer import build_explorer  # noqa: E402
from workbench.widgets.facilitator import build_facilitator  # noqa: E402
from workbench.widgets.workshop import build_workshop  # noqa: E402

TARGET_MS = 200.0


def median_ms(change: Callable[[int], None], repeat: int) -> float:
    """Median wall time of `change(i)` over `repeat` runs (one warm-up run first)."""
    change(-1)
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        change(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as folder:
        write_constructed_results(Path(folder) / "reports")
        app = build_workshop("saxony", db_path=Path(folder) / "db.sqlite", reports_dir=Path(folder) / "reports")
        tool = app.workshop
        tool.name.value = "bench"
        weight = tool.weights["dim_one"]
        results = {"workshop: weight change (save + chart)":
                   median_ms(lambda i: setattr(weight, "value", float(i % 2 + 1)), repeat)}
        board = build_facilitator("saxony", db_path=Path(folder) / "db.sqlite",
                                  reports_dir=Path(folder) / "reports", link="http://192.0.2.1:8866/").facilitator
        rating = tool.ratings["cluster_management"]

        def new_rating(i: int) -> None:
            rating.value = i % 5 + 1
            board.refresh()

        results["facilitator: board after a new rating (save + refresh)"] = median_ms(new_rating, repeat)
    explorer = build_explorer("saxony", export_dir=tempfile.gettempdir())
    overview, _, by_sector, _ = explorer.views
    options = ["employment", "lq"]
    results["explorer: overview indicator change"] = median_ms(
        lambda i: setattr(overview.indicator, "value", options[i % 2]), repeat)
    results["explorer: data by sector indicator change (map)"] = median_ms(
        lambda i: setattr(by_sector.indicator, "value", options[i % 2]), repeat)
    for label, value in results.items():
        verdict = "ok" if value < TARGET_MS else f"above the {TARGET_MS:.0f} ms target"
        print(f"{label:52s} median {value:7.1f} ms ({verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
