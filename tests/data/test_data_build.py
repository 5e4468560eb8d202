"""Building the snapshot: identical bytes on rebuild, nothing half-written on bad input."""
from __future__ import annotations

import gzip
import shutil

import pytest

from workbench import paths
from workbench.data.build import RawDataError, build_snapshot

RAW = paths.DEFAULT_RAW_DIR
needs_raw = pytest.mark.skipif(not (RAW / "README.md").is_file(),
                               reason=f"raw data folder {RAW} is absent; the committed snapshot is used instead")


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    first, second = tmp_path_factory.mktemp("first") / "snapshot", tmp_path_factory.mktemp("second") / "snapshot"
    report = build_snapshot(RAW, first)
    build_snapshot(RAW, second)
    return first, second, report


@needs_raw
def test_rebuild_gives_identical_bytes(two_builds):
    first, second, report = two_builds
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert names == ["catalogue.json", "eu.parquet", "geo.parquet", "geometries.parquet", "manifest.json",
                     "reference_rii.parquet", "values.parquet"]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert "31 indicators" in report  # 28 + employment rate, GDP and GVA volume indices (recent files)


@needs_raw
def test_committed_snapshot_is_up_to_date(two_builds):
    first, _, _ = two_builds
    for path in sorted(first.iterdir()):
        assert (paths.SNAPSHOT_DIR / path.name).read_bytes() == path.read_bytes(), (
            f"{path.name} differs from a fresh build: run `workbench data build`")


@needs_raw
def test_snapshot_is_compact(two_builds):
    first, _, _ = two_builds
    assert sum(p.stat().st_size for p in first.iterdir()) < 5_000_000


@needs_raw
def test_bad_raw_value_leaves_the_old_snapshot_untouched(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    broken = raw / "eurostat" / "trng_lfse_04.tsv.gz"
    text = gzip.decompress(broken.read_bytes()).decode()
    lines = text.splitlines()
    lines.append("PC,T,Y25-64,SE31\t" + "\t".join(["12.x "] + [": "] * (lines[0].count("\t") - 1)))
    broken.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    out = tmp_path / "snapshot"
    out.mkdir()
    (out / "values.parquet").write_bytes(b"old")
    with pytest.raises(RawDataError) as error:
        build_snapshot(raw, out)
    assert f"trng_lfse_04.tsv.gz, line {len(lines)}" in str(error.value) and "'12.x '" in str(error.value)
    assert [p.name for p in out.iterdir()] == ["values.parquet"] and (out / "values.parquet").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw", "snapshot"]  # no staging folder left
