"""What the room said: every participant's stored inputs aggregated for the facilitator and the exports.

Ratings: mean, standard deviation, lowest and highest rating and number of ratings per joint
challenge. Votes: participants supporting each measure. Weights: the room's mean weight per
scoreboard dimension (a participant who did not move a slider counts with the default weight 1),
and the composite (`weights.composite`) of the region and its peers under those mean weights.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from workbench.concepts import CHALLENGES
from workbench.widgets.sources import WorkshopData
from workbench.widgets.store import WorkshopStore
from workbench.widgets.weights import composite

DEFAULT_WEIGHT = 1.0


@dataclass(frozen=True)
class RoomResults:
    """Aggregated inputs of one region's workshop."""

    participants: int
    ratings: pd.DataFrame  # item, label, n, mean, sd, low, high (one row per challenge)
    votes: pd.DataFrame  # item, label, total (one row per measure, catalogue order)
    weights: pd.Series  # mean weight by dimension id
    composite: pd.Series  # weighted composite by geo code, best first
    last_input: str  # time of the latest input (HH:MM:SS, UTC as stored), "" when none


def room_results(store: WorkshopStore, data: WorkshopData) -> RoomResults:
    """Aggregate the stored inputs of `data`'s region (raises `StoreError` when the store fails)."""
    region = data.profile.id
    inputs = store.inputs(region)
    people = sorted(inputs["participant"].unique())
    rated = inputs[inputs["kind"] == "rating"].groupby("item")["value"]
    stats = rated.agg(n="count", mean="mean", sd="std", low="min", high="max")
    ratings = pd.DataFrame({"item": [c.id for c in CHALLENGES], "label": [c.label for c in CHALLENGES]})
    ratings = ratings.join(stats, on="item")
    ratings["n"] = ratings["n"].fillna(0).astype(int)
    voted = inputs[inputs["kind"] == "vote"].groupby("item")["value"].sum()
    votes = data.measures.rename(columns={"id": "item", "title": "label"})
    votes["total"] = votes["item"].map(voted).fillna(0).astype(int)
    weights = mean_weights(inputs, list(data.dimension_labels), people)
    last = str(inputs["saved_at"].max())[11:19] if len(inputs) else ""
    return RoomResults(len(people), ratings, votes, weights, composite(data.scores, weights.to_dict()), last)


def mean_weights(inputs: pd.DataFrame, dimensions: list[str], people: list[str]) -> pd.Series:
    """The mean weight per dimension over the participants (the default weight where one set none)."""
    given = inputs[inputs["kind"] == "weight"].pivot_table(index="participant", columns="item", values="value")
    table = given.reindex(index=people or ["nobody"], columns=dimensions).fillna(DEFAULT_WEIGHT)
    return table.mean().rename(None)


def stamp() -> str:
    """The local time now, for status lines."""
    return f"{datetime.now():%H:%M:%S}"
