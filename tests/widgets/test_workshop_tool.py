"""The workshop tool driven without a browser: set `.value`, assert labels, charts and store rows."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest
import yaml

from widget_fakes import MEASURES, REGION, write_constructed_results
from workbench.regions import load_profile
from workbench.widgets.workshop import Workshop, WorkshopApp, build_workshop

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def app(db_path: Path, reports_dir: Path, regions_dir: Path, tmp_path: Path) -> WorkshopApp:
    return build_workshop(REGION, db_path=db_path, reports_dir=reports_dir, regions_dir=regions_dir,
                          export_dir=tmp_path / "exports")


def _tool(app: WorkshopApp, name: str = "Ana") -> Workshop:
    assert app.workshop is not None
    app.workshop.name.value = name
    return app.workshop


def test_inputs_are_refused_until_a_name_is_entered(app: WorkshopApp) -> None:
    tool = _tool(app, "")
    tool.ratings["ecosystem_collaboration"].value = 4
    assert "enter your name" in tool.message.value
    assert tool.ratings["ecosystem_collaboration"].value == 0
    assert tool.store.inputs(REGION).empty


def test_rating_vote_and_weight_are_stored_at_once(app: WorkshopApp) -> None:
    tool = _tool(app)
    before = tool.results_image.value
    tool.ratings["ecosystem_collaboration"].value = 4
    tool.votes["value_chain_portfolio_review"].value = True
    tool.weights["dim_two"].value = 3.0
    rows = tool.store.inputs(REGION).set_index(["kind", "item"])["value"]
    assert rows[("rating", "ecosystem_collaboration")] == 4
    assert rows[("vote", "value_chain_portfolio_review")] == 1
    assert rows[("weight", "dim_two")] == 3
    assert "all inputs saved" in tool.saved.value
    assert bytes(tool.results_image.value).startswith(PNG) and tool.results_image.value != before


@pytest.mark.parametrize(("kind", "item", "value", "text"), [
    ("ratings", "cluster_management", 7, "from 1 to 5"),
    ("ratings", "cluster_management", -1, "from 1 to 5"),
    ("weights", "dim_one", -2.0, "negative"),
])
def test_impossible_values_are_refused_at_the_control(app: WorkshopApp, kind: str, item: str,
                                                       value: float, text: str) -> None:
    tool = _tool(app)
    control = getattr(tool, kind)[item]
    previous = control.value
    control.value = value
    assert text in tool.message.value and "Not accepted" in tool.message.value
    assert control.value == previous
    assert tool.store.inputs(REGION).empty


def test_all_weights_zero_is_refused(app: WorkshopApp) -> None:
    tool = _tool(app)
    tool.weights["dim_one"].value = 0.0
    tool.weights["dim_none"].value = 0.0
    tool.weights["dim_two"].value = 0.0  # the last dimension with a score
    assert "above zero" in tool.message.value
    assert tool.weights["dim_two"].value == 1.0


def test_weights_change_the_composite_chart_at_once(app: WorkshopApp) -> None:
    tool = _tool(app)
    before = tool.weights_image.value
    tool.weights["dim_one"].value = 0.0
    assert tool.weights_image.value != before
    assert tool.weights["dim_one"].description == "Dimension one"


def test_results_aggregate_participants(app: WorkshopApp) -> None:
    tool = _tool(app, "Ana")
    tool.ratings["ecosystem_collaboration"].value = 4
    tool.votes["research_access_audit"].value = True
    tool.name.value = "Bo"
    assert tool.ratings["ecosystem_collaboration"].value == 0  # Bo starts blank
    tool.ratings["ecosystem_collaboration"].value = 2
    tool.votes["research_access_audit"].value = True
    ratings, votes, n = tool.results()
    assert n == 2
    assert ratings.set_index("item").loc["ecosystem_collaboration", "mean"] == 3
    assert votes.set_index("item").loc["research_access_audit", "total"] == 2


def test_inputs_are_reloaded_on_restart(db_path: Path, reports_dir: Path, regions_dir: Path) -> None:
    first = _tool(build_workshop(REGION, db_path=db_path, reports_dir=reports_dir, regions_dir=regions_dir))
    first.ratings["cluster_management"].value = 5
    first.votes["evidence_base"].value = True
    first.weights["dim_one"].value = 2.5
    second = _tool(build_workshop(REGION, db_path=db_path, reports_dir=reports_dir, regions_dir=regions_dir))
    assert second.ratings["cluster_management"].value == 5
    assert second.votes["evidence_base"].value is True
    assert second.weights["dim_one"].value == 2.5


def test_locked_database_shows_not_saved_yet_and_no_vote_is_lost(app: WorkshopApp) -> None:
    tool = _tool(app)
    tool.store.busy_timeout = 0.1
    blocker = sqlite3.connect(tool.store.path, timeout=0.1)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        tool.votes["skills_needs_assessment"].value = True
        assert "NOT SAVED YET" in tool.saved.value
        assert tool.votes["skills_needs_assessment"].value is True  # the control keeps the input
    finally:
        blocker.rollback()
        blocker.close()
    tool.retry.click()
    assert "all inputs saved" in tool.saved.value
    assert tool.store.participant_inputs(REGION, "Ana") == {"vote": {"skills_needs_assessment": 1.0}}


def test_missing_database_is_shown(app: WorkshopApp) -> None:
    tool = _tool(app)
    tool.store.path.unlink()
    tool.votes["evidence_base"].value = True
    assert "NOT SAVED YET" in tool.saved.value and "missing" in tool.saved.value


def test_unavailable_data_say_what_to_run(db_path: Path, tmp_path: Path, regions_dir: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def no_snapshot(*args: object) -> None:
        raise LookupError("no data snapshot")

    monkeypatch.setattr("workbench.widgets.sources.assess", no_snapshot)
    app = build_workshop(REGION, db_path=db_path, reports_dir=tmp_path / "none", regions_dir=regions_dir)
    assert app.workshop is None
    assert "workbench run --region saxony" in app.body.children[0].value


def test_export_writes_csv_files(app: WorkshopApp) -> None:
    tool = _tool(app)
    tool.votes["evidence_base"].value = True
    written = tool.export_csv()
    assert [p.name for p in written] == ["workshop-saxony-inputs.csv", "workshop-saxony-ratings.csv",
                                         "workshop-saxony-votes.csv"]
    votes = pd.read_csv(written[2])
    assert votes.set_index("item").loc["evidence_base", "total"] == 1
    assert "✓ wrote" in tool.admin_status.value


def test_fold_writes_valid_priorities_and_keeps_comments(app: WorkshopApp, regions_dir: Path) -> None:
    tool = _tool(app, "Ana")
    for measure in ("value_chain_portfolio_review", "research_access_audit"):
        tool.votes[measure].value = True
    tool.name.value = "Bo"
    tool.votes["research_access_audit"].value = True
    original = (regions_dir / f"{REGION}.yaml").read_text()
    assert tool.fold() == {"research_access_audit": 1, "value_chain_portfolio_review": 2}
    text = (regions_dir / f"{REGION}.yaml").read_text()
    assert text.startswith(original.split("\n", 1)[0])  # the header comment survives
    assert yaml.safe_load(text)["proposals"]["priority"] == {"research_access_audit": 1, "value_chain_portfolio_review": 2}
    assert load_profile(REGION, regions_dir).proposals.priority == {"research_access_audit": 1, "value_chain_portfolio_review": 2}


def test_fold_without_votes_changes_nothing(app: WorkshopApp, regions_dir: Path) -> None:
    before = (regions_dir / f"{REGION}.yaml").read_text()
    assert _tool(app).fold() == {}
    assert (regions_dir / f"{REGION}.yaml").read_text() == before
    assert "nothing written" in app.workshop.admin_status.value


def test_switching_region_keeps_the_name(app: WorkshopApp, reports_dir: Path) -> None:
    write_constructed_results(reports_dir, "wallonia")
    _tool(app, "Ana")
    app.region.value = "wallonia"
    assert app.workshop is not None and app.workshop.region == "wallonia"
    assert app.workshop.name.value == "Ana"
    assert len(app.workshop.votes) == len(MEASURES)


def test_unusable_database_location_is_shown(tmp_path: Path, reports_dir: Path, regions_dir: Path) -> None:
    (tmp_path / "file").write_text("x")
    app = build_workshop(REGION, db_path=tmp_path / "file" / "db.sqlite", reports_dir=reports_dir,
                         regions_dir=regions_dir)
    assert "cannot open the workshop database" in app.body.children[0].value


def test_without_results_the_measures_are_selected_live(db_path: Path, tmp_path: Path, regions_dir: Path) -> None:
    """No reports/<id>/*.json: assessment and measure selection run on the data snapshot."""
    from workbench.data import SnapshotError, load_snapshot

    try:
        load_snapshot()
    except (SnapshotError, OSError) as error:
        pytest.skip(f"no data snapshot built yet ({error})")
    app = build_workshop(REGION, db_path=db_path, reports_dir=tmp_path / "none", regions_dir=regions_dir)
    assert app.workshop is not None, app.body.children[0].value
    assert len(app.workshop.votes) > 0 and "computed now" in app.workshop.data.source
