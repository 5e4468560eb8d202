"""`workbench data build`: raw files -> the committed snapshot in `workbench/data/snapshot/`.

Everything is computed in memory first; the files are then written (each with
`write_atomic`) into a fresh temporary folder next to the target, and that folder replaces
the target in one rename, so a failed build never leaves a half-written snapshot. The bytes
depend only on the raw inputs: no clock time, sorted rows, deterministic parquet/JSON.
"""
from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

from workbench.data import sources
from workbench.data.aggregate import combine
from workbench.data.benchmarks import EU_COLUMNS, building_blocks, eu_aggregate, eu_median
from workbench.data.catalogue import BY_ID, INDICATORS, RECENT, Indicator, catalogue_frame
from workbench.data.derived import derive
from workbench.data.errors import RawDataError
from workbench.data.nuts import EU27_2020, NutsTable, add_later_versions, load_nuts_table
from workbench.data.recent import SpliceReport, read_recent, splice
from workbench.data.parsers import read_csv_table, read_nuts_geojson
from workbench.data.provenance import provenance_texts
from workbench.data.store import json_bytes, parquet_bytes
from workbench.results import write_atomic

__all__ = ["RawDataError", "build_snapshot"]

GEOJSON = "nuts/NUTS_RG_60M_2016_4326.geojson.gz"
MATRICES = ("nuts/jrc_nutsconverter_n2_cm_v2013_v2016.csv", "nuts/jrc_nutsconverter_n1_cm_v2013_v2016.csv")
LATER_MATRICES = (("nuts/jrc_nutsconverter_n2_cm_v2016_v2021.csv", "2021"),
                  ("recent/jrc_nuts_converter/jrc_nutsconverter_n2_cm_v2016_v2024.csv", "2024"))
"""JRC matrices used to bring NUTS 2021/2024 codes to NUTS 2016 (`nuts.add_later_versions`)."""
RECENT_PROVENANCE = "recent/PROVENANCE.md"
CHANGES = "nuts/nuts_changes_1999_2021.csv"
RII = "i40/i40_index_rank.csv"
COORDINATE_DECIMALS = 4
CARRY_YEARS = 2
"""Years a missing population weight may be carried forward for the EU-27 means."""


def build_snapshot(raw_dir: Path, out_dir: Path) -> str:
    """Build the snapshot from `raw_dir` into `out_dir`; return a short report."""
    started = time.perf_counter()
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    nuts = load_nuts_table(raw_dir / GEOJSON, [raw_dir / m for m in MATRICES], raw_dir / CHANGES)
    add_later_versions(nuts, [(raw_dir / path, version) for path, version in LATER_MATRICES])
    log = sources.SourceLog()
    recent = sources.prefer_reported(read_recent(raw_dir, nuts, log))  # first: API downloads fail fast
    rows, splices = splice(sources.read_all(raw_dir, nuts, log), recent)
    larger_units = {geo: nuts.nuts2_parts(geo) for geo, level in zip(nuts.units["geo"], nuts.units["level"])
                    if level < 2}
    rows = pd.concat([rows, derive(rows, larger_units)], ignore_index=True)
    rows = rows.sort_values(["indicator", "nace", "geo", "year"], ignore_index=True)
    rows["year"] = rows["year"].astype("int16")
    eu = eu_table(rows, nuts)
    units, shapes = read_nuts_geojson(raw_dir / GEOJSON)
    units = units[units["level"] <= 2].reset_index(drop=True)
    inputs = [*log.files, GEOJSON, *MATRICES, *(path for path, _ in LATER_MATRICES), CHANGES, RII]
    provenance = provenance_texts(raw_dir / "README.md", inputs)
    recent = [f for f in log.files if f.startswith(RECENT)]
    provenance.update(provenance_texts(raw_dir / RECENT_PROVENANCE, recent))
    inputs.append(RECENT_PROVENANCE)
    catalogue = catalogue_frame(_years(rows), provenance,
                                {r.indicator: (r.first_year, r.source()) for r in splices})
    vintage = _vintage(raw_dir, [*inputs, "README.md"], int(rows["year"].max()))
    files = {
        "values.parquet": parquet_bytes(rows),
        "eu.parquet": parquet_bytes(eu),
        "geo.parquet": parquet_bytes(units),
        "geometries.parquet": parquet_bytes(_geometry_rows(shapes, units)),
        "reference_rii.parquet": parquet_bytes(_reference_rii(raw_dir / RII)),
        "catalogue.json": json_bytes(_catalogue_records(catalogue)),
        "manifest.json": json_bytes(_manifest(vintage, log, nuts, inputs, splices)),
    }
    _replace_folder(out_dir, files)
    seconds = time.perf_counter() - started
    return (f"snapshot written to {out_dir}\n"
            f"  {vintage}\n"
            f"  read {len(log.files)} data files ({sum(log.rows.values()):,} rows kept) + NUTS tables\n"
            f"  {len(rows):,} values, {rows['indicator'].nunique()} indicators, {len(eu):,} EU-27 rows, "
            f"{len(units)} NUTS units\n"
            f"  {sum(len(v) for v in files.values()) / 1e6:.1f} MB in {len(files)} files, {seconds:.1f} s")


def eu_table(rows: pd.DataFrame, nuts: NutsTable) -> pd.DataFrame:
    """EU-27 aggregates of every indicator (see `benchmarks`)."""
    country_parts = {country: nuts.nuts2_parts(country) for country in EU27_2020}
    nuts2 = [unit for parts in country_parts.values() for unit in parts]
    by_indicator = {name: frame.drop(columns="indicator") for name, frame in rows.groupby("indicator")}

    def countries(indicator: Indicator) -> pd.DataFrame:
        """National values: reported, or the complete sum of the NUTS 2 units (counts, money)."""
        values = combine(by_indicator[indicator.id], country_parts, indicator)
        return values[values["geo"].isin(EU27_2020)].assign(country=lambda f: f["geo"])

    def at_units(indicator_id: str) -> pd.DataFrame:
        """An extensive indicator at countries and EU-27 NUTS 2 units (weights, population)."""
        values = by_indicator[indicator_id]
        return pd.concat([countries(BY_ID[indicator_id]), values[values["geo"].isin(nuts2)]], ignore_index=True)

    population = carry_forward(at_units("population"))
    frames = []
    for indicator in INDICATORS:
        if indicator.reference == "distribution":
            frames.append(eu_median(indicator, by_indicator[indicator.id], country_parts))
            continue
        if indicator.aggregation == "sum":
            blocks, weights = countries(indicator), None
        else:
            weights = population if indicator.weight == "population" else at_units(indicator.weight)
            blocks = building_blocks(by_indicator[indicator.id], country_parts)
        frames.append(eu_aggregate(indicator, blocks, weights, population, country_parts))
    return pd.concat(frames, ignore_index=True)[EU_COLUMNS]


def carry_forward(population: pd.DataFrame) -> pd.DataFrame:
    """Population as weight and coverage base of the EU-27 means: a unit without a value in a
    year (Hungary, Ireland, Luxembourg 2024-2025, Greece 2024 in the raw files) takes its
    latest population of the `CARRY_YEARS` years before. Used for weights only, never shown."""
    wide = population.pivot_table(index="geo", columns="year", values="value")
    wide = wide.reindex(columns=range(int(wide.columns.min()), int(wide.columns.max()) + 1))
    extra = wide.ffill(axis=1, limit=CARRY_YEARS).where(wide.isna()).stack().dropna().rename("value").reset_index()
    return pd.concat([population, extra.assign(nace="", year=extra["year"].astype("int64"))], ignore_index=True)


def _years(rows: pd.DataFrame) -> pd.DataFrame:
    years = rows.groupby("indicator")["year"].agg(["min", "max", lambda y: sorted({int(v) for v in y})])
    years.columns = ["first_year", "last_year", "years"]
    return years.reset_index()


def _catalogue_records(catalogue: pd.DataFrame) -> list[dict]:
    records = []
    for indicator_id, row in catalogue.iterrows():
        record = {"id": indicator_id, **{k: v for k, v in row.items()}}
        record["first_year"], record["last_year"] = int(record["first_year"]), int(record["last_year"])
        record["recent_from"] = None if pd.isna(record["recent_from"]) else int(record["recent_from"])
        records.append(record)
    return records


def _geometry_rows(shapes: dict, units: pd.DataFrame) -> pd.DataFrame:
    """One row per ring: geo, polygon, ring (0 = exterior), lon and lat lists (4 decimals)."""
    rows = []
    for geo in units["geo"]:
        for p, polygon in enumerate(shapes[geo]):
            for r, ring in enumerate(polygon):
                rows.append((geo, p, r, [round(x, COORDINATE_DECIMALS) for x, _ in ring],
                             [round(y, COORDINATE_DECIMALS) for _, y in ring]))
    return pd.DataFrame(rows, columns=["geo", "polygon", "ring", "lon", "lat"])


def _reference_rii(path: Path) -> pd.DataFrame:
    columns = ["NUTS_ID", "gdp_rank", "promethee_rank", "regional_innovation_index"]
    table = read_csv_table(path, columns, numeric=columns[1:])
    return table[columns].rename(columns={"NUTS_ID": "geo"}).sort_values("geo", ignore_index=True)


def _vintage(raw_dir: Path, inputs: list[str], last_year: int) -> str:
    digest = hashlib.sha256()
    for relative in sorted(inputs):
        digest.update(relative.encode() + b"\0" + hashlib.sha256((raw_dir / relative).read_bytes()).digest())
    return (f"snapshot of shared/data (sha256 {digest.hexdigest()[:16]}; {len(inputs)} raw files; "
            f"data to {last_year})")


def _manifest(vintage: str, log: sources.SourceLog, nuts: NutsTable, inputs: list[str],
              splices: list[SpliceReport]) -> dict:
    return {
        "vintage": vintage,
        "inputs": sorted(inputs),
        "rows_kept": dict(sorted(log.rows.items())),
        "nuts_recodes": {r.old: r.new for r in sorted(nuts.recodes.values(), key=lambda r: r.old)},
        "nuts_conversions": {target: c.method() for target, c in sorted(nuts.later.items())},
        "nuts_aliases": nuts.aliases(),
        "codes_dropped": {f: sorted(c) for f, c in sorted(log.dropped_codes.items())},
        "splices": {report.indicator: report.record() for report in splices},
    }


def _replace_folder(out_dir: Path, files: dict[str, bytes]) -> None:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        for name, payload in files.items():
            write_atomic(staging / name, payload).chmod(0o644)
        staging.chmod(0o755)
        old = out_dir.with_name(f".{out_dir.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if out_dir.exists():
            out_dir.rename(old)
        staging.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
