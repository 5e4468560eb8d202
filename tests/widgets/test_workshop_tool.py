"""The participants' workshop page driven without a browser: set `.value`, assert words, charts and store rows."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from traitlets import TraitError

from widget_fakes import MEASURES, REGION, write_constructed_results
from workbench.widgets.room import room_results
from workbench.widgets.workshop import Workshop, WorkshopApp, build_workshop

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def app(db_path: Path, reports_dir: Path, regions_dir: Path) -> WorkshopApp:
    return build_workshop(REGION, db_path=db_path, reports_dir=reports_dir, regions_dir=regions_dir)


def _tool(app: WorkshopApp, name: str = "Ana") -> Workshop:
    assert app.workshop is not None
    app.workshop.name.value = name
    return app.workshop


def test_a_fresh_page_shows_no_error_and_no_retry(app: WorkshopApp) -> None:
    tool = app.workshop
    assert tool is not None
    assert tool.saved.value == "" and tool.retry.layout.display == "none"
    assert "Enter your name" in tool.message.value and "Not accepted" not in tool.message.value
    assert all(c.disabled for c in tool.ratings.values())  # nothing to press before a name
    assert all(c.value is None for c in tool.ratings.values())
    assert all("not rated" in s.value for s in tool.rating_state.values())


def test_region_selector_shows_names(app: WorkshopApp) -> None:
    assert app.region.label == "Saxony" and app.region.value == REGION
    assert all(label != value for label, value in app.region.options)


def test_rating_vote_and_weight_are_stored_at_once(app: WorkshopApp) -> None:
    tool = _tool(app)
    before = tool.weights_image.value
    tool.ratings["ecosystem_collaboration"].value = 4
    assert "all inputs saved" in tool.saved.value and "your rating: 4 of 5" in tool.rating_state["ecosystem_collaboration"].value
    tool.votes["value_chain_portfolio_review"].value = True
    assert tool.votes["value_chain_portfolio_review"].description == "Supported"
    tool.weights["dim_two"].value = 3.0
    rows = tool.store.inputs(REGION).set_index(["kind", "item"])["value"]
    assert rows[("rating", "ecosystem_collaboration")] == 4
    assert rows[("vote", "value_chain_portfolio_review")] == 1
    assert rows[("weight", "dim_two")] == 3
    assert "all inputs saved" in tool.saved.value and tool.retry.layout.display == "none"
    assert bytes(tool.weights_image.value).startswith(PNG) and tool.weights_image.value != before


def test_impossible_values_cannot_be_entered(app: WorkshopApp) -> None:
    """The controls hold only allowed values: ratings 1-5, weights 0-5 (the store checks again)."""
    tool = _tool(app)
    with pytest.raises(TraitError):
        tool.ratings["cluster_management"].value = 7
    tool.weights["dim_one"].value = -2.0
    assert tool.weights["dim_one"].value == 0.0
    assert set(tool.store.inputs(REGION)["kind"]) <= {"weight"}


def test_inputs_are_refused_until_a_name_is_entered(app: WorkshopApp) -> None:
    tool = _tool(app, "")
    tool.ratings["ecosystem_collaboration"].value = 4
    assert "enter your name" in tool.message.value
    assert tool.ratings["ecosystem_collaboration"].value is None
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
    assert "Dimension one (weight 0)" in tool.weights_chart.left.labels


def test_results_aggregate_participants(app: WorkshopApp) -> None:
    tool = _tool(app, "Ana")
    tool.ratings["ecosystem_collaboration"].value = 4
    tool.votes["research_access_audit"].value = True
    tool.name.value = "Bo"
    assert tool.ratings["ecosystem_collaboration"].value is None  # Bo starts blank
    assert tool.votes["research_access_audit"].description == "Support"
    tool.ratings["ecosystem_collaboration"].value = 2
    tool.votes["research_access_audit"].value = True
    results = room_results(tool.store, tool.data)
    assert results.participants == 2
    row = results.ratings.set_index("item").loc["ecosystem_collaboration"]
    assert (row["mean"], row["low"], row["high"], row["n"]) == (3, 2, 4, 2)
    assert results.votes.set_index("item").loc["research_access_audit", "total"] == 2


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
        assert tool.retry.layout.display is None  # the Retry button shows only now
        assert "/" not in tool.saved.value.replace("</b>", "")  # no file path in the participant's page
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


@pytest.mark.usefixtures("no_snapshot")
def test_unavailable_data_say_what_to_run(db_path: Path, tmp_path: Path, regions_dir: Path) -> None:
    app = build_workshop(REGION, db_path=db_path, reports_dir=tmp_path / "none", regions_dir=regions_dir)
    assert app.workshop is None
    assert "workbench run --region saxony" in app.body.children[0].value


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
