"""The facilitator's projector board: the room's results as large HTML bars, sized to be read from the back.

HTML rather than a chart image: text stays sharp at any projector resolution, and a redraw is
string formatting (no figure to draw). An empty panel says so ("no votes yet") instead of
drawing empty axes. Each panel ends with its source line.
"""
from __future__ import annotations

from html import escape  # widget HTML is not markdown: entities are enough
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from workbench.report.style import REGION_COLOUR
from workbench.widgets.room import RoomResults
from workbench.widgets.store import RATING_MAX

OTHER_COLOUR = "#9ecae1"
BOARD_CSS = """<style>
.wb-board {font-size: 22px; line-height: 1.3; max-width: 1400px;}
.wb-board h2 {font-size: 40px; margin: 8px 0;}
.wb-board h3 {font-size: 30px; margin: 22px 0 8px 0;}
.wb-board .row {display: grid; grid-template-columns: minmax(8em, 34%) 1fr minmax(12em, 28%);
                gap: 12px; align-items: center; margin: 6px 0;}
.wb-board .track {background: #f0f0f0; height: 30px; position: relative;}
.wb-board .bar {height: 30px;}
.wb-board .spread {position: absolute; top: 13px; height: 4px; background: #222;}
.wb-board .value {font-weight: bold;}
.wb-board .empty {font-size: 26px; color: #666; font-style: italic;}
.wb-board .source {font-size: 16px; color: #555;}
</style>"""


@dataclass(frozen=True)
class Bar:
    """One row of a panel: label, bar length (0-1 of the track; None: no bar, only the words), the words."""

    label: str
    share: float | None
    text: str
    spread: tuple[float, float] | None = None  # (from, to) as shares of the track
    highlight: bool = True


def panel(title: str, bars: Sequence[Bar], *, empty: str, source: str, note: str = "") -> str:
    """One titled panel of bars, or the `empty` sentence when there is nothing to show; `note` below."""
    if not bars:
        body = f"<p class='empty'>{escape(empty)}</p>"
    else:
        body = "".join(_row(bar) for bar in bars)
    if note:
        body += f"<p class='empty'>{escape(note)}</p>"
    return f"<h3>{escape(title)}</h3>{body}<p class='source'>Source: {escape(source)}</p>"


def _row(bar: Bar) -> str:
    colour = REGION_COLOUR if bar.highlight else OTHER_COLOUR
    if bar.share is None:
        return f"<div class='row'><div>{escape(bar.label)}</div><div class='empty'>{escape(bar.text)}</div><div></div></div>"
    spread = ""
    if bar.spread is not None:
        low, high = bar.spread
        spread = f"<div class='spread' style='left:{100 * low:.1f}%;width:{100 * (high - low):.1f}%'></div>"
    return (f"<div class='row'><div>{escape(bar.label)}</div><div class='track'>"
            f"<div class='bar' style='width:{100 * max(bar.share, 0.0):.1f}%;background:{colour}'></div>{spread}"
            f"</div><div class='value'>{escape(bar.text)}</div></div>")


def rating_bars(ratings: pd.DataFrame) -> list[Bar]:
    """Every challenge once one is rated, highest mean first: the mean as the bar, the lowest-highest
    range as a line; a challenge nobody rated yet says so, without a bar."""
    if not ratings["n"].any():
        return []
    ordered = ratings.sort_values(["mean", "n"], ascending=False, na_position="last")
    return [Bar(r.label, r.mean / RATING_MAX, _rating_text(r.mean, r.low, r.high, r.n),
                (r.low / RATING_MAX, r.high / RATING_MAX)) if r.n else Bar(r.label, None, "no ratings yet")
            for r in ordered.itertuples()]


def _rating_text(mean: float, low: float, high: float, n: int) -> str:
    spread = f"range {low:g}–{high:g}" if high > low else "all the same"
    return f"{mean:.1f} ({spread}; {n} rating{'s' * (n != 1)})"


def vote_bars(votes: pd.DataFrame, participants: int) -> list[Bar]:
    """Measures with at least one support vote, most supported first; the bar is the share of the room."""
    supported = votes[votes["total"] > 0].sort_values(["total", "label"], ascending=[False, True])
    return [Bar(r.label, r.total / max(participants, 1), f"{r.total} of {participants}")
            for r in supported.itertuples()]


def unsupported_note(votes: pd.DataFrame) -> str:
    """'3 measures without support yet' (or "") under the votes panel."""
    n = int((votes["total"] == 0).sum())
    return f"{n} proposed measure{'s' * (n != 1)} without support yet" if n and n < len(votes) else ""


def composite_bars(results: RoomResults, names: dict[str, str], region: str) -> list[Bar]:
    """The region and its peers under the room's mean weights (composite 0-1), best first."""
    scores = results.composite.dropna()
    return [Bar(names.get(geo, geo), float(value), f"{value:.2f}", highlight=geo == region)
            for geo, value in scores.items()]


def weights_text(results: RoomResults, labels: dict[str, str]) -> str:
    """The room's mean weights in words, e.g. 'Skills 1.5 · Research 1.0'."""
    return " · ".join(f"{labels.get(d, d)} {v:.1f}" for d, v in results.weights.items())
