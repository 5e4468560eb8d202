"""The NACE division -> cluster category mapping: schema, completeness against the data."""
from __future__ import annotations

import gzip
import re

import pytest

from workbench import paths
from workbench.analysis.clusters import N_TRADED, CategoryError, category_caveat, division_table
from workbench.templates import CATEGORIES_FILE, load_categories

SBS_FILE = paths.DEFAULT_RAW_DIR / "eurostat" / "sbs_r_nuts06_r2.tsv.gz"


def _raw_divisions() -> set[str]:
    with gzip.open(SBS_FILE, "rt", encoding="utf-8") as handle:
        next(handle)
        codes = {line.split(",", 1)[0] for line in handle}
    return {c for c in codes if re.fullmatch(r"[B-S]\d\d", c)}


def test_mapping_loads_and_is_versioned():
    mapping = load_categories()
    assert mapping.version >= 1 and mapping.date and mapping.provenance
    assert "4-digit" in mapping.caveat and "4-digit" in category_caveat(mapping)
    assert sum(c.type == "traded" for c in mapping.categories.values()) == N_TRADED


def test_every_division_maps_to_one_known_category(categories):
    table = division_table(categories)
    assert table["nace"].is_unique
    assert table["category_label"].notna().all()
    assert set(table["category"]) <= set(load_categories().categories)


@pytest.mark.skipif(not SBS_FILE.exists(), reason="raw SBS file not available")
def test_every_division_in_the_data_is_mapped(categories):
    assert _raw_divisions() == set(division_table(categories)["nace"])


def test_every_division_in_the_snapshot_is_mapped(categories):
    from workbench.data import load_snapshot
    values = load_snapshot().values
    codes = set(values.loc[values["indicator"] == "sbs_persons_employed", "nace"])
    assert {c for c in codes if re.fullmatch(r"[B-S]\d\d", c)} <= set(division_table(categories)["nace"])


def _write(tmp_path, text: str):
    path = tmp_path / "categories.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_duplicate_division_is_rejected(tmp_path):
    text = CATEGORIES_FILE.read_text(encoding="utf-8")
    extra = '  C29: {label: "Twice", short: "Twice", category: automotive, rationale: "listed a second time"}\n'
    with pytest.raises(CategoryError, match="duplicate keys"):
        load_categories(_write(tmp_path, text + extra))


def test_unknown_category_is_rejected(tmp_path):
    text = CATEGORIES_FILE.read_text(encoding="utf-8").replace("category: automotive,", "category: cars,")
    with pytest.raises(CategoryError, match="unknown categories: C29 -> cars"):
        load_categories(_write(tmp_path, text))


def test_missing_traded_category_is_rejected(tmp_path):
    text = "\n".join(line for line in CATEGORIES_FILE.read_text(encoding="utf-8").splitlines()
                     if not line.startswith("  tobacco:"))
    with pytest.raises(CategoryError, match="50 traded categories"):
        load_categories(_write(tmp_path, text))
