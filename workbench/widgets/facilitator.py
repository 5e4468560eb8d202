"""The facilitator's page: the room's live results for a projector, the participants' link, exports.

The page polls the workshop store (every `POLL_SECONDS`, on the kernel's event loop) and
redraws the board when the results changed, so inputs made on the participants' devices appear
within seconds. The export and fold-into-profile actions (consultant) are here, not on the
participants' page.
"""
from __future__ import annotations

from html import escape  # widget HTML is not markdown: entities are enough
import asyncio
from pathlib import Path

import ipywidgets as w

from workbench.regions import ProfileError
from workbench.results import write_atomic
from workbench.widgets.board import (BOARD_CSS, composite_bars, panel, rating_bars, unsupported_note, vote_bars,
                                     weights_text)
from workbench.widgets.exports import export_folder, shown_folder, slug, wrote
from workbench.widgets.links import qr_svg, requested_region, shown_participant_url
from workbench.widgets.priorities import fold_priorities, top_voted
from workbench.widgets.room import RoomResults, room_results, stamp
from workbench.widgets.sources import WorkshopData, try_workshop_data
from workbench.widgets.store import StoreError, WorkshopStore
from workbench.widgets.view import DEFAULT_EXPORT_DIR

POLL_SECONDS = 2.0


class Facilitator:
    """The projector board of one region's workshop, refreshed from the store."""

    def __init__(self, data: WorkshopData, store: WorkshopStore, *, link: str,
                 export_dir: Path | str | None = None, regions_dir: Path | None = None):
        self.data, self.store, self.link, self.regions_dir = data, store, link, regions_dir
        self.region = data.profile.id
        self.board = w.HTML()
        self.status = w.HTML()
        self.export_dir = w.Text(value=shown_folder(export_dir or DEFAULT_EXPORT_DIR), description="Folder")
        self.export_button = w.Button(description="Export inputs (CSV)", icon="download", layout=w.Layout(width="auto"))
        self.fold_button = w.Button(description="Fold top-voted measures into the profile",
                                    layout=w.Layout(width="auto"))
        self.admin_status = w.HTML()
        self.export_button.on_click(lambda _: self.export_csv())
        self.fold_button.on_click(lambda _: self.fold())
        self.task: asyncio.Task | None = None
        self.widget = self._layout()
        self.refresh()

    def _layout(self) -> w.VBox:
        qr = qr_svg(self.link)
        sized = 'style="width:100%;height:auto" '
        code = f"<div style='width:220px'>{qr.replace('<svg ', '<svg ' + sized, 1)}</div>" if qr else ""
        header = w.HTML(
            f"{BOARD_CSS}<div class='wb-board'><h2>Workshop: {escape(self.data.profile.name)}</h2>"
            f"<div style='display:flex;gap:24px;align-items:center;flex-wrap:wrap'>{code}"
            f"<div>Take part on your phone or laptop:<br><b style='font-size:30px'>{escape(self.link)}</b></div>"
            "</div></div>")
        admin = w.Accordion([w.VBox([w.HBox([self.export_dir, self.export_button]), self.fold_button,
                                     self.admin_status])], titles=["Consultant: export and priorities"])
        return w.VBox([header, self.status, self.board, admin])

    def results(self) -> RoomResults:
        return room_results(self.store, self.data)

    def refresh(self) -> bool:
        """Recompute the room's results; redraw the board when they changed. True when redrawn."""
        try:
            results = self.results()
        except StoreError as error:
            self.status.value = f"<b style='color:#b30000'>⚠ results not updated ({stamp()}): {escape(str(error))}</b>"
            return False
        self.status.value = ""
        html = self._board(results)
        if html == self.board.value:
            return False
        self.board.value = html
        return True

    def _board(self, results: RoomResults) -> str:
        n, data = results.participants, self.data
        people = f"{n} participant{'s' * (n != 1)}"
        inputs = f"inputs of the {people} in the workshop database" if n else "the workshop database (no inputs yet)"
        if n:
            people += f", latest input {results.last_input} UTC"
        weights = weights_text(results, data.dimension_labels)
        return (f"{BOARD_CSS}<div class='wb-board'>"
                f"<p style='font-size:26px'><b>{escape(people[0].upper() + people[1:])}</b></p>"
                + panel("Joint challenges: mean rating (1 = minor, 5 = critical)", rating_bars(results.ratings),
                        empty="no ratings yet", source=inputs)
                + panel("Proposed measures: participants supporting", vote_bars(results.votes, n),
                        empty="no votes yet", source=inputs, note=unsupported_note(results.votes))
                + panel("Scoreboard composite under the room's mean weights",
                        composite_bars(results, data.geo_names, data.profile.nuts.code),
                        empty="no dimension scores", source=f"{data.source}; mean weights: {weights}")
                + "</div>")

    def start(self) -> None:
        """Poll the store on the running event loop (the notebook kernel's); nothing without one."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self.task = loop.create_task(self._poll())

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            self.refresh()

    # -- consultant ---------------------------------------------------------------------
    def export_csv(self) -> list[Path]:
        """Write all inputs and the aggregated results of the region as CSV files."""
        folder = export_folder(self.export_dir.value or str(DEFAULT_EXPORT_DIR))
        stem = slug(f"workshop-{self.region}")
        try:
            results = self.results()
            written = [self.store.export_csv(folder / f"{stem}-inputs.csv", self.region),
                       write_atomic(folder / f"{stem}-ratings.csv", results.ratings.to_csv(index=False)),
                       write_atomic(folder / f"{stem}-votes.csv", results.votes.to_csv(index=False))]
        except (StoreError, OSError) as error:
            self.admin_status.value = f"⚠ nothing exported: {escape(str(error))}"
            return []
        self.admin_status.value = wrote(written)
        return written

    def fold(self) -> dict[str, int]:
        """Write `proposals.priority` for the top-voted measures into the region's profile."""
        try:
            priorities = top_voted(self.results().votes)
            if not priorities:
                self.admin_status.value = "⚠ no measure has a support vote yet; nothing written"
                return {}
            fold_priorities(self.region, priorities, self.regions_dir)
        except (StoreError, ProfileError, OSError) as error:
            self.admin_status.value = f"⚠ profile not changed: {escape(str(error))}"
            return {}
        titles = dict(zip(self.data.measures["id"], self.data.measures["title"]))
        listed = "; ".join(f"{rank}. {titles.get(item, item)}" for item, rank in priorities.items())
        self.admin_status.value = (f"✓ the {escape(self.data.profile.name)} profile now ranks the proposals "
                                   f"{escape(listed)}; the next report build uses these priorities")
        return priorities


class FacilitatorApp:
    """The facilitator's page for one region, or a message saying what is missing."""

    def __init__(self, region_id: str, *, db_path: Path | str | None = None, reports_dir: Path | None = None,
                 export_dir: Path | str | None = None, regions_dir: Path | None = None, link: str = ""):
        self.facilitator: Facilitator | None = None
        self.widget = w.VBox()
        data, problem = try_workshop_data(region_id, reports_dir, regions_dir)
        try:
            store = WorkshopStore(db_path)
        except StoreError as error:
            data, problem = None, str(error)
        if data is None:
            self.widget.children = [w.HTML(f"<b style='color:#b30000'>⚠ {escape(problem)}</b>")]
            return
        self.facilitator = Facilitator(data, store, link=link or shown_participant_url(region_id),
                                       export_dir=export_dir, regions_dir=regions_dir)
        self.widget.children = [self.facilitator.widget]
        self.facilitator.start()


def build_facilitator(region_id: str, *, db_path: Path | str | None = None, reports_dir: Path | None = None,
                      export_dir: Path | str | None = None, regions_dir: Path | None = None,
                      link: str = "") -> FacilitatorApp:
    """The facilitator's page for `region_id` (or the `?region=` of the page's link); display `.widget`.

    `link` is the participants' address shown on the board (default: `$WORKBENCH_PARTICIPANT_URL`,
    set by `python -m workbench.widgets.serve`, else port 8866 of this machine).
    """
    return FacilitatorApp(requested_region(region_id), db_path=db_path, reports_dir=reports_dir,
                          export_dir=export_dir, regions_dir=regions_dir, link=link)
