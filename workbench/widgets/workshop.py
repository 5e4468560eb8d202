"""The workshop tool: participants rate the joint challenges, vote on measures, weight the scoreboard.

Every accepted input is saved at once in the workshop store (`store.py`) through a
`SaveQueue` that keeps unsaved inputs visible and retries them. Impossible values are refused
at the control: the control returns to its last accepted value and a message says why.
Results (mean ratings, support votes) are aggregated across all participants from the store.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import ipywidgets as w
import pandas as pd

from workbench.concepts import CHALLENGES
from workbench.regions import ProfileError, region_ids
from workbench.report.style import escape
from workbench.results import write_atomic
from workbench.widgets.charts import ResultsChart, WeightsChart
from workbench.widgets.exports import slug
from workbench.widgets.priorities import fold_priorities, top_voted
from workbench.widgets.saving import SaveQueue
from workbench.widgets.screen import screen_png
from workbench.widgets.store import Input, Kind, StoreError, WorkshopStore, check_participant, check_value
from workbench.widgets.sources import WorkshopData, try_workshop_data
from workbench.widgets.view import DEFAULT_EXPORT_DIR
from workbench.widgets.weights import check_weights, composite

UNRATED, DEFAULT_WEIGHT = 0, 1.0
WIDE = {"description_width": "initial"}


class Workshop:
    """The workshop panel of one region, writing to one store."""

    def __init__(self, data: WorkshopData, store: WorkshopStore, *, participant: str = "",
                 export_dir: Path | str | None = None, regions_dir: Path | None = None):
        self.data, self.store, self.regions_dir = data, store, regions_dir
        self.region = data.profile.id
        self.saved = w.HTML()
        self.queue = SaveQueue(store, self._show_saved)
        self.message = w.HTML()
        self.name = w.Text(value=participant, description="Your name", continuous_update=False, style=WIDE)
        self.retry = w.Button(description="Retry saving", icon="refresh")
        self.ratings = {c.id: w.IntText(value=UNRATED, description=c.label, style=WIDE,
                                        layout=w.Layout(width="520px")) for c in CHALLENGES}
        self.votes = {m.id: w.Checkbox(value=False, description=f"support: {m.title}", indent=False,
                                       layout=w.Layout(width="auto")) for m in data.measures.itertuples()}
        self.weights = {d: w.FloatText(value=DEFAULT_WEIGHT, description=label, style=WIDE,
                                       layout=w.Layout(width="420px"))
                        for d, label in data.dimension_labels.items()}
        self.weights_chart, self.results_chart = WeightsChart(), ResultsChart()
        self.weights_image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.results_image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.results_table = w.HTML()
        self.results_status = w.HTML()
        self.export_dir = w.Text(value=str(export_dir or DEFAULT_EXPORT_DIR), description="Folder")
        self.export_button = w.Button(description="Export inputs (CSV)", icon="download")
        self.fold_button = w.Button(description="Fold top-voted measures into the profile",
                                    layout=w.Layout(width="auto"))
        self.admin_status = w.HTML()
        self._accepted: dict[tuple[Kind, str], float] = {}
        self._quiet = False
        self._wire()
        self.widget = self._layout()
        self._load_participant()
        self.redraw_weights()
        self.redraw_results()

    # -- wiring -------------------------------------------------------------------------
    def _wire(self) -> None:
        self.name.observe(lambda _: self._load_participant(), names="value")
        self.retry.on_click(lambda _: self._retry())
        self.export_button.on_click(lambda _: self.export_csv())
        self.fold_button.on_click(lambda _: self.fold())
        for kind, controls in self._controls().items():
            for item, control in controls.items():
                control.observe(lambda change, k=kind, i=item: self._on_input(k, i, change), names="value")

    def _controls(self) -> dict[Kind, dict[str, w.ValueWidget]]:
        return {"rating": self.ratings, "vote": self.votes, "weight": self.weights}

    def _default(self, kind: Kind) -> float:
        return {"rating": UNRATED, "vote": 0, "weight": DEFAULT_WEIGHT}[kind]

    # -- inputs -------------------------------------------------------------------------
    def _on_input(self, kind: Kind, item: str, change: dict) -> None:
        if self._quiet:
            return
        value = float(change["new"])
        problem = self._problem(kind, item, value)
        if problem:
            self.message.value = f"<b style='color:#b30000'>⚠ Not accepted: {escape(problem)}</b>"
            self._set_quietly(kind, item, self._accepted.get((kind, item), self._default(kind)))
            return
        self.message.value = ""
        self._accepted[(kind, item)] = value
        self.queue.submit(Input(self.region, self.name.value.strip(), kind, item, value))
        if kind == "weight":
            self.redraw_weights()
        else:
            self.redraw_results()

    def _problem(self, kind: Kind, item: str, value: float) -> str | None:
        problem = check_participant(self.name.value) or check_value(kind, value)
        if problem or kind != "weight":
            return problem
        weights = self.current_weights() | {item: value}
        return check_weights(weights, self._scored())

    def _set_quietly(self, kind: Kind, item: str, value: float) -> None:
        control = self._controls()[kind][item]
        self._quiet = True
        try:
            control.value = bool(value) if kind == "vote" else type(control.value)(value)
        finally:
            self._quiet = False

    def _load_participant(self) -> None:
        """Show the participant's stored inputs (defaults for items not yet answered)."""
        self._accepted.clear()
        stored: dict = {}
        if check_participant(self.name.value) is None:
            try:
                stored = self.store.participant_inputs(self.region, self.name.value)
            except StoreError as error:
                self._show_saved(f"⚠ cannot read your earlier inputs: {error}", False)
        for kind, controls in self._controls().items():
            for item in controls:
                value = stored.get(kind, {}).get(item, self._default(kind))
                self._accepted[(kind, item)] = value
                self._set_quietly(kind, item, value)
        self.message.value = "" if self.name.value.strip() else "Enter your name to take part."
        self.redraw_weights()

    def _retry(self) -> None:
        self.queue.retry()
        self.redraw_results()

    def _show_saved(self, text: str, ok: bool) -> None:
        colour = "#006d2c" if ok else "#b30000"
        self.saved.value = f"<b style='color:{colour}'>{escape(text)}</b>"

    # -- results ------------------------------------------------------------------------
    def current_weights(self) -> dict[str, float]:
        return {d: float(c.value) for d, c in self.weights.items()}

    def _scored(self) -> list[str]:
        scores = self.data.scores[self.data.profile.nuts.code]
        return list(scores[scores.notna()].index)

    def redraw_weights(self) -> None:
        """The dimension chart and the composite under the current weights."""
        weights = self.current_weights()
        fig = self.weights_chart.update(self.data.scores, weights, composite(self.data.scores, weights),
                                        region=self.data.profile.nuts.code, labels=self.data.dimension_labels,
                                        names=self.data.geo_names, source=self.data.source)
        self.weights_image.value = screen_png(fig)

    def results(self) -> tuple[pd.DataFrame, pd.DataFrame, int]:
        """Mean rating per challenge, support votes per measure, number of participants."""
        inputs = self.store.inputs(self.region)
        summary = self.store.summary(self.region)
        rated = summary[summary["kind"] == "rating"].set_index("item")
        voted = summary[summary["kind"] == "vote"].set_index("item")
        ratings = pd.DataFrame({"item": [c.id for c in CHALLENGES], "label": [c.label for c in CHALLENGES]})
        ratings["n"] = ratings["item"].map(rated["n"]).fillna(0).astype(int)
        ratings["mean"] = ratings["item"].map(rated["mean"])
        votes = self.data.measures.rename(columns={"id": "item", "title": "label"})
        votes["total"] = votes["item"].map(voted["total"]).fillna(0).astype(int)
        return ratings, votes, int(inputs["participant"].nunique())

    def redraw_results(self) -> None:
        """Aggregate every participant's stored inputs into the results chart and table."""
        try:
            ratings, votes, n = self.results()
        except StoreError as error:
            self.results_status.value = f"<b style='color:#b30000'>⚠ results not updated: {escape(str(error))}</b>"
            return
        self.results_status.value = ""
        source = (f"inputs of all participants ({self.region}) in the workshop database "
                  f"{self.store.path.name}, {datetime.now():%Y-%m-%d %H:%M}")
        self.results_image.value = screen_png(self.results_chart.update(ratings, votes, n, source=source))
        ranked = votes.sort_values(["total", "item"], ascending=[False, True])
        self.results_table.value = ranked.to_html(index=False) + ratings.to_html(index=False, na_rep="–")

    # -- consultant ---------------------------------------------------------------------
    def export_csv(self) -> list[Path]:
        """Write all inputs and the aggregated results of the region as CSV files."""
        folder = Path(self.export_dir.value.strip() or DEFAULT_EXPORT_DIR).expanduser()
        stem = slug(f"workshop-{self.region}")
        try:
            ratings, votes, _ = self.results()
            written = [self.store.export_csv(folder / f"{stem}-inputs.csv", self.region),
                       _write_csv(folder / f"{stem}-ratings.csv", ratings),
                       _write_csv(folder / f"{stem}-votes.csv", votes)]
        except (StoreError, OSError) as error:
            self.admin_status.value = f"⚠ nothing exported: {escape(str(error))}"
            return []
        self.admin_status.value = "✓ wrote " + ", ".join(escape(str(p)) for p in written)
        return written

    def fold(self) -> dict[str, int]:
        """Write `proposals.priority` for the top-voted measures into regions/<id>.yaml."""
        try:
            _, votes, _ = self.results()
            priorities = top_voted(votes)
            if not priorities:
                self.admin_status.value = "⚠ no measure has a support vote yet; nothing written"
                return {}
            path = fold_priorities(self.region, priorities, self.regions_dir)
        except (StoreError, ProfileError, OSError) as error:
            self.admin_status.value = f"⚠ profile not changed: {escape(str(error))}"
            return {}
        self.admin_status.value = (f"✓ wrote proposals.priority {escape(str(priorities))} into {escape(str(path))}; "
                                   f"the next <code>workbench run --region {self.region}</code> uses it")
        return priorities

    def _layout(self) -> w.VBox:
        def section(title: str, *children: w.Widget) -> w.VBox:
            return w.VBox([w.HTML(f"<h3>{escape(title)}</h3>"), *children])

        profile = self.data.profile
        admin = w.Accordion([w.VBox([w.HBox([self.export_dir, self.export_button]), self.fold_button,
                                     self.admin_status])], titles=["Consultant: export and priorities"])
        return w.VBox([
            w.HTML(f"<h2>Workshop: {escape(profile.name)}</h2>"),
            w.HBox([self.name, self.retry]), self.saved, self.message,
            section("1. Rate the joint challenges (1 = minor, 5 = critical; 0 = not rated)",
                    *self.ratings.values()),
            section("2. Vote on the proposed measures", *self.votes.values()),
            section("3. Weight the scoreboard dimensions", w.HBox([w.VBox(list(self.weights.values()))]),
                    self.weights_image),
            section("Results of all participants", self.results_status, self.results_image, self.results_table),
            admin,
        ])


def _write_csv(path: Path, frame: pd.DataFrame) -> Path:
    return write_atomic(path, frame.to_csv(index=False))


class WorkshopApp:
    """The workshop tool: a region selector and the panel (`workshop`) of the chosen region."""

    def __init__(self, region_id: str, *, db_path: Path | str | None = None, reports_dir: Path | None = None,
                 export_dir: Path | str | None = None, regions_dir: Path | None = None):
        self.reports_dir, self.export_dir, self.regions_dir = reports_dir, export_dir, regions_dir
        self.workshop: Workshop | None = None
        self.region = w.Dropdown(options=region_ids(regions_dir), value=region_id, description="Region")
        self.body = w.VBox()
        self.widget = w.VBox([self.region, self.body])
        try:
            self.store: WorkshopStore | None = WorkshopStore(db_path)
        except StoreError as error:
            self.store = None
            self.body.children = [_alert(str(error))]
            return
        self.region.observe(lambda change: self.show(change["new"]), names="value")
        self.show(region_id)

    def show(self, region_id: str) -> None:
        """Build the panel of a region, keeping the participant's name."""
        data, problem = try_workshop_data(region_id, self.reports_dir, self.regions_dir)
        if data is None or self.store is None:
            self.body.children = [_alert(problem)]
            return
        name = self.workshop.name.value if self.workshop else ""
        self.workshop = Workshop(data, self.store, participant=name, export_dir=self.export_dir,
                                 regions_dir=self.regions_dir)
        self.body.children = [self.workshop.widget]


def _alert(text: str) -> w.HTML:
    return w.HTML(f"<b style='color:#b30000'>⚠ {escape(text)}</b>")


def build_workshop(region_id: str, *, db_path: Path | str | None = None, reports_dir: Path | None = None,
                   export_dir: Path | str | None = None, regions_dir: Path | None = None) -> WorkshopApp:
    """The workshop tool for `region_id`; display its `.widget`.

    `db_path` defaults to `$WORKBENCH_WORKSHOP_DB` or `workshops/workshop.sqlite`.
    """
    return WorkshopApp(region_id, db_path=db_path, reports_dir=reports_dir, export_dir=export_dir,
                       regions_dir=regions_dir)
