"""The facilitator's page: the room's results from several participants, reader text only, exports."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pandas as pd
import pytest
import yaml

from widget_fakes import MEASURES, REGION
from workbench.regions import load_profile
from workbench.widgets import facilitator as facilitator_module
from workbench.widgets.facilitator import Facilitator, build_facilitator
from workbench.widgets.links import qr_svg, requested_region
from workbench.widgets.workshop import Workshop, build_workshop

LINK = "http://192.0.2.10:8866/?region=saxony"


@pytest.fixture
def room(db_path: Path, reports_dir: Path, regions_dir: Path, tmp_path: Path) -> tuple[Facilitator, Workshop]:
    page = build_facilitator(REGION, db_path=db_path, reports_dir=reports_dir, regions_dir=regions_dir,
                             export_dir=tmp_path / "exports", link=LINK)
    participant = build_workshop(REGION, db_path=db_path, reports_dir=reports_dir, regions_dir=regions_dir).workshop
    assert page.facilitator is not None and participant is not None
    return page.facilitator, participant


def _enter(tool: Workshop, name: str, rating: int, votes: list[str], weight: float) -> None:
    tool.name.value = name
    tool.ratings["cluster_management"].value = rating
    for measure in votes:
        tool.votes[measure].value = True
    tool.weights["dim_one"].value = weight


def test_empty_board_says_so_in_words(room: tuple[Facilitator, Workshop], tmp_path: Path) -> None:
    board, _ = room
    text = board.board.value
    assert "no ratings yet" in text and "no votes yet" in text and "0 participants" in text
    assert "cluster_management" not in text and str(tmp_path) not in text and "dim_one" not in text
    assert LINK in board.widget.children[0].value


def test_board_shows_two_participants(room: tuple[Facilitator, Workshop]) -> None:
    board, tool = room
    _enter(tool, "Ana", 4, [MEASURES[1]["id"], MEASURES[2]["id"]], 3.0)
    _enter(tool, "Bo", 2, [MEASURES[2]["id"]], 1.0)
    assert board.refresh() is True
    text = board.board.value
    assert "2 participants" in text
    assert "Cluster management" in text or "cluster management" in text.lower()
    assert "3.0 (range 2–4; 2 ratings)" in text
    assert f"{MEASURES[2]['title']}</div>" in text and "2 of 2" in text and "1 of 2" in text
    assert "Dimension one 2.0" in text  # the room's mean weight
    assert "no votes yet" not in text and "cluster_management" not in text and "dim_one" not in text
    assert board.refresh() is False  # nothing new: no redraw


def test_polling_picks_up_new_inputs(room: tuple[Facilitator, Workshop], monkeypatch: pytest.MonkeyPatch) -> None:
    board, tool = room
    monkeypatch.setattr(facilitator_module, "POLL_SECONDS", 0.01)

    async def scenario() -> str:
        board.start()
        _enter(tool, "Ana", 5, [MEASURES[0]["id"]], 1.0)
        for _ in range(200):  # bounded: up to about two seconds
            await asyncio.sleep(0.01)
            if "1 participant" in board.board.value:
                break
        board.task.cancel()
        return board.board.value

    assert "1 of 1" in asyncio.run(scenario())


def test_link_and_qr_code() -> None:
    pytest.importorskip("qrcode")
    svg = qr_svg(LINK)
    assert svg is not None and svg.startswith("<svg") and "http" not in svg.split("xmlns", 1)[0]
    assert requested_region("saxony", {"QUERY_STRING": "region=wallonia"}) == "wallonia"
    assert requested_region("saxony", {}) == "saxony"


def test_export_writes_csv_files(room: tuple[Facilitator, Workshop]) -> None:
    board, tool = room
    _enter(tool, "Ana", 3, [MEASURES[0]["id"]], 1.0)
    written = board.export_csv()
    assert [p.name for p in written] == ["workshop-saxony-inputs.csv", "workshop-saxony-ratings.csv",
                                         "workshop-saxony-votes.csv"]
    votes = pd.read_csv(written[2])
    assert votes.set_index("item").loc[MEASURES[0]["id"], "total"] == 1
    assert "✓ wrote workshop-saxony-inputs.csv" in board.admin_status.value


def test_fold_writes_valid_priorities_and_keeps_comments(room: tuple[Facilitator, Workshop],
                                                         regions_dir: Path) -> None:
    board, tool = room
    _enter(tool, "Ana", 3, ["value_chain_portfolio_review", "research_access_audit"], 1.0)
    _enter(tool, "Bo", 3, ["research_access_audit"], 1.0)
    original = (regions_dir / f"{REGION}.yaml").read_text()
    expected = {"research_access_audit": 1, "value_chain_portfolio_review": 2}
    assert board.fold() == expected
    text = (regions_dir / f"{REGION}.yaml").read_text()
    assert text.startswith(original.split("\n", 1)[0])  # the header comment survives
    assert yaml.safe_load(text)["proposals"]["priority"] == expected
    assert load_profile(REGION, regions_dir).proposals.priority == expected
    assert "1. Test measure research_access_audit" in board.admin_status.value
    assert str(regions_dir) not in board.admin_status.value


def test_fold_without_votes_changes_nothing(room: tuple[Facilitator, Workshop], regions_dir: Path) -> None:
    board, _ = room
    before = (regions_dir / f"{REGION}.yaml").read_text()
    assert board.fold() == {}
    assert (regions_dir / f"{REGION}.yaml").read_text() == before
    assert "nothing written" in board.admin_status.value


@pytest.mark.usefixtures("no_snapshot")
def test_missing_results_say_what_to_run(db_path: Path, tmp_path: Path, regions_dir: Path) -> None:
    page = build_facilitator(REGION, db_path=db_path, reports_dir=tmp_path / "none", regions_dir=regions_dir)
    assert page.facilitator is None and "workbench run --region saxony" in page.widget.children[0].value
