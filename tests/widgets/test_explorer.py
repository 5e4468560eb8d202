"""The explorer's four modules driven without a browser, and their exports."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from widget_fakes import FakeClusters, widget_snapshot

from workbench.widgets.explorer import Explorer, build_explorer
from workbench.widgets.exports import shown_folder
from workbench.widgets.maps import project, project_shapes

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def explorer(tmp_path: Path) -> Explorer:
    return build_explorer("saxony", snap=widget_snapshot(), clusters=FakeClusters, export_dir=tmp_path / "out")


def test_four_modules_are_drawn(explorer: Explorer) -> None:
    assert [v.title for v in explorer.views] == ["region overview", "cluster portfolio", "data by sector",
                                                 "cluster strength"]
    assert len(explorer.widget.children) == 4
    for view in explorer.views:
        assert view.message.value == "", view.message.value
        assert bytes(view.image.value).startswith(PNG)
        assert not view.frame.empty


def test_controls_redraw_the_view(explorer: Explorer) -> None:
    overview, portfolio, by_sector, strength = explorer.views
    before = bytes(overview.image.value)
    overview.indicator.value = "lq"
    assert bytes(overview.image.value) != before
    assert "Population" in overview.context.value
    portfolio.criterion.value = "most specialised"
    portfolio.n.value = 3
    assert list(portfolio.frame["NACE"]) == ["C28", "C29", "C10"]
    by_sector.indicator.value = "employment"
    assert list(by_sector.frame["region"])[:2] == ["Unit DED2 (DED2)", "Unit DED4 (DED4)"]
    assert by_sector.frame["pilot region"].tolist()[:2] == ["yes", "yes"]
    strength.preset.value = "eco"
    assert "eco" in strength.stem()


def test_every_selector_has_a_value_and_tables_use_labels(explorer: Explorer) -> None:
    for view in explorer.views:
        assert all(control.value is not None for control in view.controls), view.title
        assert view.year.label == "2014"  # the latest year with a complete EU-27, not an empty box
        assert not [c for c in view.frame.columns if "_" in c], view.frame.columns  # no column names
    assert explorer.views[3].preset.value == "eocic" and explorer.views[3].preset.index == 0
    assert "stars (EOCIC three factors, traded sectors)" in explorer.views[0].frame.columns


def test_the_default_export_folder_is_shown_without_the_machine_path() -> None:
    explorer = build_explorer("saxony", snap=widget_snapshot(), clusters=FakeClusters)
    assert explorer.views[0].exporter.folder.value == "workshops/exports"
    assert shown_folder("/elsewhere/out") == "/elsewhere/out"


class TradedClusters(FakeClusters):
    """The constructed clusters with the K2 traded flag: food products (C10) local, the rest traded."""

    @staticmethod
    def is_traded(nace: str, categories: object) -> bool:
        return nace != "C10"


def test_stars_follow_the_headline_rule_traded_only(tmp_path: Path) -> None:
    explorer = build_explorer("saxony", snap=widget_snapshot(), clusters=TradedClusters, export_dir=tmp_path)
    overview, _, _, strength = explorer.views
    stars = overview.frame.set_index("NACE")["stars (EOCIC three factors, traded sectors)"]
    assert stars["C10"] == 0 and stars["C28"] == 2  # C10 has EOCIC stars 0 anyway; C28 keeps its 2
    assert strength.sector.value == "C29"  # the default: the region's leading listed sector (most stars)
    strength.sector.value = "C10"
    assert (strength.frame["stars"] == 0).all() and "local (non-traded)" in strength.chart.bars.ax.get_title(loc="left")
    strength.sector.value = "C29"
    assert strength.frame["stars"].max() == 3


def test_export_writes_png_svg_and_csv(explorer: Explorer, tmp_path: Path) -> None:
    view = explorer.views[2]
    written = view.exporter.export()
    assert [p.suffix for p in written] == [".png", ".svg", ".csv"]
    assert written[0].read_bytes().startswith(PNG)
    assert ET.parse(written[1]).getroot().tag.endswith("svg")
    table = pd.read_csv(written[2])
    assert list(table["region"]) == list(view.frame["region"])
    assert "✓ wrote" in view.exporter.status.value and written[2].name in view.exporter.status.value
    assert not list((tmp_path / "out").glob("*.tmp"))


def test_export_to_an_unusable_folder_is_reported(explorer: Explorer, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    bar = explorer.views[0].exporter
    bar.folder.value = str(tmp_path / "file" / "sub")
    assert bar.export() == []
    assert "nothing written" in bar.status.value
    bar.folder.value = "  "
    assert bar.export() == [] and "enter a folder" in bar.status.value


def test_a_failing_analysis_is_shown_not_lost(explorer: Explorer, monkeypatch: pytest.MonkeyPatch) -> None:
    view = explorer.views[3]

    def fail(*args: object, **kwargs: object) -> None:
        raise ValueError("no EU-27 NUTS 2 unit reports SBS employment")

    monkeypatch.setattr(view.data, "sector_across", fail)
    view.year.value = 2013
    assert "no EU-27 NUTS 2 unit" in view.message.value


def test_projection_centre_and_crop() -> None:
    assert np.allclose(project(np.array([[10.0, 52.0]])), 0.0)
    far = np.array([[-16.0, 28.0], [-15.0, 28.0], [-15.0, 29.0], [-16.0, 28.0]])  # Canary Islands
    near = np.array([[9.0, 50.0], [10.0, 50.0], [10.0, 51.0], [9.0, 50.0]])
    assert list(project_shapes({"ES70": [[far]], "DE71": [[near], [far]]})) == ["DE71"]


def test_real_snapshot_explorer(tmp_path: Path) -> None:
    """The explorer on the committed snapshot and the real cluster analysis (when built)."""
    from workbench.data import SnapshotError, load_snapshot

    try:
        snap = load_snapshot()
    except (SnapshotError, OSError) as error:
        pytest.skip(f"no data snapshot built yet ({error})")
    explorer = build_explorer("saxony", snap=snap, export_dir=tmp_path)
    for view in explorer.views:
        assert view.message.value == "", view.message.value
        assert bytes(view.image.value).startswith(PNG)
