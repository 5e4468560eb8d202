"""The participants' workshop page: rate the joint challenges, vote on measures, weight the scoreboard.

Laid out for a phone (360 px wide) upward: one column, the name first, then each challenge with a
1-5 toggle (no button pressed = not rated), each measure with a Support button, each scoreboard
dimension with a 0-5 weight slider. Every accepted input is saved at once in the workshop store
(`store.py`) through a `SaveQueue` that keeps unsaved inputs visible and retries them; the status
line says "saved" after each input and shows an error (and a Retry button) only when saving failed.
The room's results are on the facilitator's page (`facilitator.py`).
"""
from __future__ import annotations

from html import escape  # widget HTML is not markdown: entities are enough
from pathlib import Path

import ipywidgets as w

from workbench.concepts import CHALLENGES
from workbench.widgets.charts import WeightsChart
from workbench.widgets.links import requested_region
from workbench.widgets.room import DEFAULT_WEIGHT
from workbench.widgets.saving import SaveQueue
from workbench.widgets.screen import screen_png
from workbench.widgets.sources import WorkshopData, region_choices, try_workshop_data
from workbench.widgets.store import Input, Kind, StoreError, WorkshopStore, check_participant, check_value
from workbench.widgets.weights import check_weights, composite

RATINGS = [("1", 1), ("2", 2), ("3", 3), ("4", 4), ("5", 5)]
RATING_TIPS = ["1 = minor", "2", "3", "4", "5 = critical"]
WEIGHT_MAX, WEIGHT_STEP = 5.0, 0.5
PHONE_CHART_WIDTH = 4.6  # inches at 96 dpi: about a phone's width, so the text is not shrunk much
FULL = w.Layout(width="100%", max_width="640px")
ERROR, OK, HINT = "#b30000", "#006d2c", "#555555"
PAGE_CSS = """<style>
.wb-workshop {font-size: 16px; max-width: 640px;}
.wb-workshop .widget-toggle-buttons .widget-toggle-button {width: 48px; height: 40px; font-size: 16px;}
.wb-workshop .widget-toggle-button, .wb-workshop .widget-button {height: 40px; font-size: 15px;}
.wb-workshop .widget-text input {font-size: 16px; height: 36px;}
.wb-workshop h3 {margin: 18px 0 4px 0;}
.wb-workshop .widget-html-content {line-height: 1.35;}
.wb-workshop .widget-toggle-button.mod-active {background: #08519c; color: white; font-weight: bold;}
.wb-workshop .widget-html {margin-top: 6px;}
</style>"""


def _coloured(text: str, colour: str, bold: bool = True) -> str:
    tag = "b" if bold else "span"
    return f"<{tag} style='color:{colour}'>{escape(text)}</{tag}>"


class Workshop:
    """The participant panel of one region, writing to one store."""

    def __init__(self, data: WorkshopData, store: WorkshopStore, *, participant: str = ""):
        self.data, self.store = data, store
        self.region = data.profile.id
        self.saved = w.HTML()
        self.queue = SaveQueue(store, self._show_saved)
        self.message = w.HTML()
        self.name = w.Text(value=participant, placeholder="your name, then Enter", continuous_update=False,
                           layout=FULL)
        self.retry = w.Button(description="Retry saving", icon="refresh", button_style="warning",
                              layout=w.Layout(display="none"))
        self.ratings = {c.id: w.ToggleButtons(options=RATINGS, value=None, tooltips=RATING_TIPS,
                                              style={"button_width": "48px"}) for c in CHALLENGES}
        self.rating_state = {c.id: w.HTML() for c in CHALLENGES}
        self.votes = {m.id: w.ToggleButton(value=False, description="Support", tooltip=f"support: {m.title}",
                                           layout=w.Layout(width="130px", flex="0 0 auto"))
                      for m in data.measures.itertuples()}
        self.weights = {d: w.FloatSlider(value=DEFAULT_WEIGHT, min=0.0, max=WEIGHT_MAX, step=WEIGHT_STEP,
                                         continuous_update=False, readout_format=".1f", layout=FULL)
                        for d in data.dimension_labels}
        self.weights_chart = WeightsChart(width=PHONE_CHART_WIDTH, stacked=True)
        self.weights_image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self._accepted: dict[tuple[Kind, str], float | None] = {}
        self._quiet = False
        self._wire()
        self.widget = self._layout()
        self._load_participant()

    # -- wiring -------------------------------------------------------------------------
    def _wire(self) -> None:
        self.name.observe(lambda _: self._load_participant(), names="value")
        self.retry.on_click(lambda _: self.queue.retry())
        for kind, controls in self._controls().items():
            for item, control in controls.items():
                control.observe(lambda change, k=kind, i=item: self._on_input(k, i, change), names="value")

    def _controls(self) -> dict[Kind, dict[str, w.ValueWidget]]:
        return {"rating": self.ratings, "vote": self.votes, "weight": self.weights}

    def _default(self, kind: Kind) -> float | None:
        return {"rating": None, "vote": 0, "weight": DEFAULT_WEIGHT}[kind]

    # -- inputs -------------------------------------------------------------------------
    def _on_input(self, kind: Kind, item: str, change: dict) -> None:
        if self._quiet or change["new"] is None:
            return
        value = float(change["new"])
        problem = self._problem(kind, item, value)
        if problem:
            self.message.value = _coloured(f"⚠ Not accepted: {problem}", ERROR)
            self._set_quietly(kind, item, self._accepted.get((kind, item), self._default(kind)))
            return
        self.message.value = ""
        self._accepted[(kind, item)] = value
        self._show_state(kind, item, value)
        self.queue.submit(Input(self.region, self.name.value.strip(), kind, item, value))
        if kind == "weight":
            self.redraw_weights()

    def _problem(self, kind: Kind, item: str, value: float) -> str | None:
        problem = check_participant(self.name.value) or check_value(kind, value)
        if problem or kind != "weight":
            return problem
        weights = self.current_weights() | {item: value}
        return check_weights(weights, self._scored())

    def _set_quietly(self, kind: Kind, item: str, value: float | None) -> None:
        control = self._controls()[kind][item]
        self._quiet = True
        try:
            if kind == "vote":
                control.value = bool(value)
            elif kind == "rating":
                control.value = None if value is None else int(value)
            else:
                control.value = float(value)
        finally:
            self._quiet = False
        self._show_state(kind, item, value)

    def _show_state(self, kind: Kind, item: str, value: float | None) -> None:
        """The words beside a control: a challenge's rating, a measure's support."""
        if kind == "rating":
            self.rating_state[item].value = (_coloured("not rated", HINT, bold=False) if value is None
                                             else _coloured(f"your rating: {value:g} of 5", OK))
        elif kind == "vote":
            button = self.votes[item]
            button.description, button.icon = ("Supported", "check") if value else ("Support", "")
            button.button_style = "success" if value else ""

    def _load_participant(self) -> None:
        """Show the participant's stored inputs (defaults for items not yet answered)."""
        self._accepted.clear()
        stored: dict = {}
        named = check_participant(self.name.value) is None
        if named:
            try:
                stored = self.store.participant_inputs(self.region, self.name.value)
            except StoreError as error:
                self._show_saved(f"⚠ cannot read your earlier inputs: {error}", False)
        for kind, controls in self._controls().items():
            for item, control in controls.items():
                value = stored.get(kind, {}).get(item, self._default(kind))
                self._accepted[(kind, item)] = value
                self._set_quietly(kind, item, value)
                control.disabled = not named
        self.message.value = "" if named else _coloured("Enter your name (then press Enter) to take part.", HINT)
        if stored:
            self._show_saved(f"✓ welcome back: your {sum(map(len, stored.values()))} earlier inputs are shown", True)
        self.redraw_weights()

    def _show_saved(self, text: str, ok: bool) -> None:
        self.saved.value = _coloured(text, OK if ok else ERROR)
        self.retry.layout.display = None if not ok else "none"

    # -- the participant's own composite ---------------------------------------------------
    def current_weights(self) -> dict[str, float]:
        return {d: float(c.value) for d, c in self.weights.items()}

    def _scored(self) -> list[str]:
        scores = self.data.scores[self.data.profile.nuts.code]
        return list(scores[scores.notna()].index)

    def redraw_weights(self) -> None:
        """The dimension chart and the composite under the participant's weights."""
        weights = self.current_weights()
        fig = self.weights_chart.update(self.data.scores, weights, composite(self.data.scores, weights),
                                        region=self.data.profile.nuts.code, labels=self.data.dimension_labels,
                                        names=self.data.geo_names, source=self.data.source)
        self.weights_image.value = screen_png(fig)

    def _layout(self) -> w.VBox:
        def section(title: str, *children: w.Widget) -> w.VBox:
            return w.VBox([w.HTML(f"<h3>{escape(title)}</h3>"), *children])

        labels = {c.id: c.label for c in CHALLENGES}
        ratings = [w.VBox([w.HTML(f"<b>{escape(labels[i])}</b>"), self.rating_state[i], control])
                   for i, control in self.ratings.items()]
        titles = dict(zip(self.data.measures["id"], self.data.measures["title"]))
        votes = [w.HBox([w.HTML(escape(titles[i]), layout=w.Layout(flex="1 1 auto", width="auto")), button],
                        layout=w.Layout(align_items="center", border_bottom="1px solid #e0e0e0", width="100%"))
                 for i, button in self.votes.items()]
        scored = set(self._scored())
        weights = [w.VBox([w.HTML(f"<b>{escape(self.data.dimension_labels[d])}</b>"
                                  + ("" if d in scored else " (no data for this region: left out of the composite)")),
                           slider]) for d, slider in self.weights.items()]
        box = w.VBox([
            w.HTML(PAGE_CSS + f"<h2>Workshop: {escape(self.data.profile.name)}</h2>"),
            section("Your name", self.name), self.message, self.saved, self.retry,
            section("1. Rate the joint challenges (1 = minor, 5 = critical)", *ratings),
            section("2. Which proposed measures do you support?", *votes),
            section("3. Weight the scoreboard dimensions (0 = ignore, 5 = most important)", *weights,
                    self.weights_image),
        ], layout=w.Layout(width="100%"))
        box.add_class("wb-workshop")
        return box


class WorkshopApp:
    """The participants' page: a region selector (names) and the panel (`workshop`) of the chosen region."""

    def __init__(self, region_id: str, *, db_path: Path | str | None = None, reports_dir: Path | None = None,
                 regions_dir: Path | None = None):
        self.reports_dir, self.regions_dir = reports_dir, regions_dir
        self.workshop: Workshop | None = None
        choices = region_choices(regions_dir)
        known = region_id in {value for _, value in choices}
        self.region = w.Dropdown(options=choices, value=region_id if known else None, description="Region",
                                 layout=FULL)
        self.body = w.VBox(layout=w.Layout(width="100%"))
        self.widget = w.VBox([self.region, self.body], layout=w.Layout(width="100%"))
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
        self.workshop = Workshop(data, self.store, participant=name)
        self.body.children = [self.workshop.widget]


def _alert(text: str) -> w.HTML:
    return w.HTML(_coloured(f"⚠ {text}", ERROR))


def build_workshop(region_id: str, *, db_path: Path | str | None = None, reports_dir: Path | None = None,
                   regions_dir: Path | None = None) -> WorkshopApp:
    """The participants' page for `region_id` (or the `?region=` of the page's link); display `.widget`.

    `db_path` defaults to `$WORKBENCH_WORKSHOP_DB` or `workshops/workshop.sqlite`.
    """
    return WorkshopApp(requested_region(region_id), db_path=db_path, reports_dir=reports_dir,
                       regions_dir=regions_dir)
